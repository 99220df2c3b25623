"""Addresses keep German words readable: ß → ss, ä → ae, ö → oe, ü → ue (capitals too),
wherever a slug is made (pages, events, self-help groups, imports, the admin's slug field),
and a slug that exists is never changed."""

import datetime

import pytest

from sites.slugs import german_slugify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Weißensee", "weissensee"),
        ("Französisch Buchholz", "franzoesisch-buchholz"),
        ("Ärger über Übergewicht", "aerger-ueber-uebergewicht"),
        ("ÖFFENTLICHE SPRECHSTUNDE GROSSE STRASSE", "oeffentliche-sprechstunde-grosse-strasse"),
        ("STRAẞE", "strasse"),
        ("Café für Trauernde", "cafe-fuer-trauernde"),
        ("Angehörige – Sucht & Glücksspiel", "angehoerige-sucht-gluecksspiel"),
    ],
)
def test_german_letters_are_spelled_out_and_other_accents_dropped(text, slug):
    assert german_slugify(text) == slug


def test_a_cut_slug_never_ends_in_a_hyphen():
    assert german_slugify("Gruppe für Väter", max_length=10) == "gruppe-fue"
    assert german_slugify("Gruppe Väter", max_length=7) == "gruppe"


def _group(office, **fields):
    from directory.models import Rhythm, SelfHelpGroup

    group = SelfHelpGroup(
        office=office,
        rhythm=Rhythm.WEEKLY,
        weekday=1,
        starts_at=datetime.time(18),
        city="Berlin",
        **fields,
    )
    group.save()
    return group


def test_a_new_group_gets_a_slug_with_the_german_letters_spelled_out(offices):
    group = _group(offices["alpha"], name="Gesprächskreis Väter in Weißensee")
    assert group.slug == "gespraechskreis-vaeter-in-weissensee"
    assert group.get_public_path().endswith("-gespraechskreis-vaeter-in-weissensee/")


def test_an_existing_group_slug_stays_when_the_group_is_saved_or_renamed(offices):
    group = _group(offices["alpha"], name="Trauer Weißensee", slug="trauer-weiensee")
    group.name = "Trauercafé Weißensee"
    group.save()
    group.refresh_from_db()
    assert group.slug == "trauer-weiensee"


def test_an_imported_group_gets_a_german_slug(offices):
    from directory.exchange import RowParser

    parser = RowParser()
    row = parser.read(
        {
            "office": "alpha.localhost",
            "name": "Angehörige Französisch Buchholz",
            "rhythm": "weekly",
            "weekday": "2",
            "starts_at": "19:00",
            "city": "Berlin",
        }
    )
    group = parser.build(row)
    assert group.slug == "angehoerige-franzoesisch-buchholz"


def test_a_page_created_without_a_slug_gets_a_german_one(offices):
    from home.models import StandardPage

    home = offices["alpha"].site.root_page
    page = StandardPage(title="Über uns: Große Straße")
    home.add_child(instance=page)
    page.refresh_from_db()
    assert page.slug == "ueber-uns-grosse-strasse"
    assert page.url_path.endswith("/ueber-uns-grosse-strasse/")


def test_an_event_created_without_a_slug_gets_a_german_one(offices):
    from events.models import EventIndexPage
    from tests.events.conftest import make_event

    listing = EventIndexPage.objects.child_of(offices["alpha"].site.root_page).get()
    event = make_event(listing, title="Gesprächsabend Glücksspiel in Weißensee")
    assert event.slug == "gespraechsabend-gluecksspiel-in-weissensee"
    assert event.url.endswith("/gespraechsabend-gluecksspiel-in-weissensee/")


def test_a_page_slug_that_exists_is_kept_when_the_page_is_saved_again(offices):
    from home.models import StandardPage

    home = offices["alpha"].site.root_page
    page = StandardPage(title="Französisch Buchholz", slug="franzosisch-buchholz")
    home.add_child(instance=page)
    page.save_revision().publish()
    page = StandardPage.objects.get(pk=page.pk)
    page.title = "Französisch Buchholz und Weißensee"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == "franzosisch-buchholz"


def test_the_admin_slug_field_spells_german_letters_out_as_the_editor_types(client, offices):
    """Wagtail's slug controller applies these formatters before its own transliteration
    (which makes ä into a); the browser test below checks what it does with them."""
    import json

    from tests.conftest import client_for

    client_for(client, "editor-alpha")
    home = offices["alpha"].site.root_page
    response = client.get(f"/admin/pages/add/home/standardpage/{home.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-w-slug-formatters-value="') + len('data-w-slug-formatters-value="')
    raw = html[start : html.index('"', start)].replace("&quot;", '"')
    # Each formatter is ``[[pattern, flags], replacement]`` (see Wagtail's ``SlugInput``).
    formatters = {pattern[0]: spelled for pattern, spelled in json.loads(raw)}
    assert formatters["ß"] == "ss"
    assert formatters["ä"] == "ae" and formatters["Ü"] == "Ue"
