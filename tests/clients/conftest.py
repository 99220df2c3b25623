"""The mail samples, built once for the module that asks for them and rolled back after."""

import pytest
from django.db import transaction

from .mail_samples import build_samples, raw_bytes


@pytest.fixture(scope="module")
def mail_samples(django_db_setup, django_db_blocker):
    """``{kind: (EmailMessage, raw bytes)}`` of every mail type (see ``mail_samples``)."""
    from sites.models import Office

    with django_db_blocker.unblock(), transaction.atomic():
        offices = {
            "state": Office.objects.select_related("site").get(site__hostname="land.localhost"),
            "alpha": Office.objects.select_related("site").get(site__hostname="alpha.localhost"),
        }
        samples = {kind: (m, raw_bytes(m)) for kind, m in build_samples(offices)}
        yield samples
        transaction.set_rollback(True)
