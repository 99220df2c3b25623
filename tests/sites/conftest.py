"""The attack world (see ``attack_world``), built once per module that asks for it and
rolled back afterwards."""

import pytest
from django.db import transaction

from .attack_world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
