"""The directory fills the newsletter's blocks "new groups" and "groups in founding"."""

import datetime

import pytest
from django.utils import timezone

from directory.models import Rhythm, SelfHelpGroup, Status
from newsletter import sources

pytestmark = pytest.mark.django_db


def make(office, name, status=Status.ACTIVE, **fields):
    return SelfHelpGroup.objects.create(
        name=name, office=office, rhythm=Rhythm.IRREGULAR, status=status, **fields
    )


def test_the_directory_sources_are_registered_with_the_newsletter():
    names = dict(sources.choices())
    assert "new_groups_of_month" in names
    assert "groups_in_founding" in names
    assert "events_of_month" in names


def test_new_groups_of_the_month_link_to_the_state_directory(offices):
    group = make(offices["beta"], "Neue Gruppe Long Covid")
    old = make(offices["alpha"], "Alte Gruppe")
    SelfHelpGroup.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    month = timezone.localdate().replace(day=1)
    items = sources.fetch("new_groups_of_month", month, "de", 50)
    titles = [item.title for item in items]
    assert "Neue Gruppe Long Covid" in titles
    assert "Alte Gruppe" not in titles
    item = items[titles.index("Neue Gruppe Long Covid")]
    assert item.url.startswith("http://land.localhost/gruppen/")
    assert item.url.endswith(group.get_public_path())
    assert item.office == "KS Beta"


def test_groups_in_founding_are_listed_and_ended_or_draft_groups_never(offices):
    make(offices["alpha"], "Junge Angehörige in Gründung", status=Status.FOUNDING)
    make(offices["alpha"], "Beendet", status=Status.ENDED)
    make(offices["alpha"], "Entwurf in Gründung", status=Status.FOUNDING, live=False)
    month = timezone.localdate().replace(day=1)
    titles = [item.title for item in sources.fetch("groups_in_founding", month, "de", 50)]
    assert "Junge Angehörige in Gründung" in titles
    assert "Beendet" not in titles
    assert "Entwurf in Gründung" not in titles
