"""What ``create_office`` costs (issue #14), and that its shortcuts lose nothing.

Provisioning skips or memoises some of Wagtail's per-save checks
(``sites.wagtail_speedups.provisioning_shortcuts``); these tests pin what an office still
gets from Wagtail's page machinery (revisions, history, translation sources, search index
entries, the review workflow), that the checks it memoises still refuse what they
refused, and the number of queries, so that it does not grow back.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageLogEntry, Revision, WorkflowPage

from home.models import HomePage, StandardPage
from sites.provisioning import OfficeSpec, provision_office
from sites.wagtail_speedups import provisioning_shortcuts

pytestmark = pytest.mark.django_db

#: Queries of one ``provision_office`` with its commit hooks on the test database
#: (SQLite): 1,813 before the provisioning shortcuts, 1,361 with them (PostgreSQL: 1,818
#: and 1,366, ``benchmarks/provision_profile.py``); a little room, far below the old count.
QUERY_BUDGET = 1400


@pytest.fixture
def provision(django_capture_on_commit_callbacks):
    def run(hostname, name):
        with django_capture_on_commit_callbacks(execute=True):
            return provision_office(OfficeSpec(hostname=hostname, name=name))

    return run


def test_provisioning_an_office_stays_within_its_query_budget(provision):
    with CaptureQueriesContext(connection) as queries:
        provision("budget.example.de", "Kontaktstelle Budget")
    assert len(queries) <= QUERY_BUDGET, f"{len(queries)} queries (budget {QUERY_BUDGET})"


def test_every_page_of_a_new_office_has_its_revisions_history_and_search_entry(provision):
    from wagtail.search.models import IndexEntry
    from wagtail_localize.models import StringSegment, Translation, TranslationSource

    office = provision("history.example.de", "Kontaktstelle Historie")
    home = office.site.root_page
    english = Locale.objects.get(language_code="en")
    german_pages = list(Page.objects.descendant_of(home, inclusive=True))
    english_home = home.get_translation(english)
    english_pages = list(Page.objects.descendant_of(english_home, inclusive=True))
    assert len(german_pages) == 10 and len(english_pages) == 8

    for page in german_pages + english_pages:
        revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
        actions = sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
        expected = ["wagtail.create"]
        if page.locale_id == english.pk:
            # wagtail-localize copies the page, then saves the translated text as a revision
            expected.insert(0, "wagtail.copy_for_translation")
            assert revisions == 2, page.slug
        else:
            assert revisions == 1, page.slug
        if page.live:
            expected.append("wagtail.publish")
            assert page.live_revision_id == page.latest_revision_id
        assert actions == expected, page.slug
        assert not page.has_unpublished_changes or not page.live
        assert (
            IndexEntry.objects.filter(
                content_type_id=page.content_type_id, object_id=str(page.pk)
            ).exists()
            or IndexEntry.objects.filter(object_id=str(page.pk)).exists()
        ), page.slug

    # Each translated German page is a wagtail-localize source with its segments and a
    # translation into English; the BITV pages stay German.
    translated = [p for p in german_pages if p.slug not in ("leichte-sprache", "gebaerdensprache")]
    for page in translated:
        source = TranslationSource.objects.get(object_id=page.translation_key, locale=page.locale)
        assert StringSegment.objects.filter(source=source).exists(), page.slug
        assert Translation.objects.filter(source=source, target_locale=english).exists()
    # The review workflow on both locale roots.
    assert set(
        WorkflowPage.objects.filter(workflow__name__contains="Historie").values_list(
            "page_id", flat=True
        )
    ) == {home.pk, english_home.pk}


def test_the_memoised_slug_check_still_refuses_a_sibling_with_a_taken_slug(provision):
    office = provision("slug.example.de", "Kontaktstelle Slug")
    home = office.site.root_page.specific
    with provisioning_shortcuts():
        first = StandardPage(title="Eins", slug="doppelt")
        home.add_child(instance=first)
        first.save_revision().publish()  # checked again (memoised): still fine
        with pytest.raises(ValidationError, match="doppelt"):
            home.add_child(instance=StandardPage(title="Zwei", slug="doppelt"))


def test_the_memoised_key_check_still_drops_a_key_whose_row_is_gone(provision):
    office = provision("keys.example.de", "Kontaktstelle Schlüssel")
    home = office.site.root_page.specific
    data = home.serializable_data()
    data["owner"] = 987654  # no such user: modelcluster sets it to NULL (SET_NULL)
    with provisioning_shortcuts():
        page = HomePage.from_serializable_data(data)
        again = HomePage.from_serializable_data(home.serializable_data())
    assert page.owner_id is None
    assert again.locale_id == home.locale_id
