"""The widget for partner sites (``directory.widget``): what it shows, the headers that let
any partner embed it without cookies, its JSON feed, its cache, and referral counts that
keep the embedding site's origin and nothing else."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import client_for

from .conftest import group, internal_values, public_get

pytestmark = pytest.mark.django_db

ALPHA = "alpha.localhost"


@pytest.fixture(autouse=True)
def _no_timed_flush(settings):
    """Counts are written when a test says so (``flush_referrals``), not by the clock."""
    from directory import widget

    settings.WIDGET_REFERRAL_FLUSH_SECONDS = 10**6
    widget._counts.pending.clear()
    yield
    widget._counts.pending.clear()


def make_widget(office, topics=(), **fields):
    from directory.models import PartnerWidget, Topic

    name = fields.pop("name", "Praxis")
    widget = PartnerWidget.objects.create(office=office, name=name, **fields)
    widget.topics.set([Topic.objects.get(slug=slug, locale__language_code="de") for slug in topics])
    return widget


def url(widget, fmt="html", **params):
    path = f"/widget/{widget.key}/" if fmt == "html" else f"/widget/{widget.key}.json"
    if params:
        path += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return path


def names(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(a.get_text(strip=True) for a in soup.select("li .name"))


def test_the_widget_lists_the_offices_public_groups_of_its_topics_and_their_subtopics(
    client, offices
):
    widget = make_widget(offices["alpha"], topics=["sucht"])
    response = public_get(client, url(widget), HTTP_HOST=ALPHA)
    assert response.status_code == 200
    # "Alkohol" is below "Sucht"; Beta's gambling group is another office's.
    assert names(response) == ["Angehörigengruppe Alkohol Moabit", "Trockene Alkoholiker Wedding"]


def test_a_district_narrows_the_widget_and_an_empty_filter_shows_every_public_group(
    client, offices
):
    moabit = make_widget(offices["alpha"], districts="moabit\n")
    assert names(public_get(client, url(moabit), HTTP_HOST=ALPHA)) == [
        "Angehörigengruppe Alkohol Moabit",
        "Depression gemeinsam tragen",
    ]
    everything = make_widget(offices["alpha"], name="Alles")
    shown = names(public_get(client, url(everything), HTTP_HOST=ALPHA))
    # Never the ended group, the draft, or another office's groups.
    assert shown == [
        "Angehörigengruppe Alkohol Moabit",
        "Depression gemeinsam tragen",
        "Trockene Alkoholiker Wedding",
    ]


def test_max_entries_limits_the_list_and_the_footer_links_to_all_of_them(client, offices):
    widget = make_widget(offices["alpha"], max_entries=1)
    response = public_get(client, url(widget), HTTP_HOST=ALPHA)
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select("li")) == 1
    more = soup.select_one("footer a[href*='/gruppen/']")
    assert "3" in more.get_text() and more["href"].startswith("http://alpha.localhost/gruppen/")


def test_links_lead_to_the_offices_group_pages_in_the_top_window(client, offices):
    widget = make_widget(offices["alpha"], topics=["alkohol"], districts="Moabit")
    response = public_get(client, url(widget), HTTP_HOST=ALPHA)
    soup = BeautifulSoup(response.content, "html.parser")
    moabit = group("Angehörigengruppe Alkohol Moabit")
    link = soup.select_one("li a.name")
    assert link["href"] == f"http://alpha.localhost/gruppen/{moabit.pk}-{moabit.slug}/"
    for anchor in soup.find_all("a"):
        assert anchor["target"] == "_top" and anchor["rel"] == ["noopener"]
    # The link to the whole list keeps the widget's filters.
    more = soup.select_one("footer a[href*='/gruppen/?']")
    assert more["href"] == "http://alpha.localhost/gruppen/?topic=alkohol&district=Moabit"


def test_the_widget_is_self_contained_and_loads_nothing(client, offices):
    widget = make_widget(offices["alpha"])
    response = public_get(client, url(widget), HTTP_HOST=ALPHA)
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.find_all(["script", "img", "link", "iframe", "form", "object"])
    assert not soup.find_all(style=True)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_the_widget_never_sets_a_cookie_even_for_a_visitor_with_a_session(client, offices, users):
    widget = make_widget(offices["alpha"])
    for fmt in ("html", "json"):
        response = public_get(client, url(widget, fmt), HTTP_HOST=ALPHA)
        assert not response.cookies and "Set-Cookie" not in response.headers
    logged_in = client_for(client, "editor-alpha", ALPHA)
    response = public_get(logged_in, url(widget), HTTP_HOST=ALPHA)
    assert response.status_code == 200
    assert not response.cookies and "Set-Cookie" not in response.headers


def test_any_site_may_frame_the_widget_but_no_other_page(client, offices):
    widget = make_widget(offices["alpha"])
    response = public_get(client, url(widget), HTTP_HOST=ALPHA)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "X-Frame-Options" not in response.headers
    assert "script-src 'self'" in policy  # the rest of the strict policy stays
    # The one inline style is admitted by its hash, nothing else.
    css = BeautifulSoup(response.content, "html.parser").style.string
    from directory.widget import style_hash

    assert style_hash(css) in policy and "unsafe-inline" not in policy
    home = client.get("/", HTTP_HOST=ALPHA)
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    assert home.headers["X-Frame-Options"] == "DENY"


def test_the_json_feed_is_readable_from_any_origin_without_credentials(client, offices):
    widget = make_widget(offices["alpha"], topics=["alkohol"])
    response = public_get(
        client, url(widget, "json"), HTTP_HOST=ALPHA, HTTP_ORIGIN="https://praxis-mueller.de"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    data = response.json()
    assert data["language"] == "de" and data["count"] == 2
    moabit = group("Angehörigengruppe Alkohol Moabit")
    entry = next(g for g in data["groups"] if g["name"] == moabit.name)
    assert entry == {
        "name": moabit.name,
        "url": f"http://alpha.localhost/gruppen/{moabit.pk}-{moabit.slug}/",
        "topics": ["Alkohol"],
        "district": "Moabit",
        "meetings": "jeden Dienstag, 19:00–21:00 Uhr",
        "format": "vor Ort",
        "founding": False,
        "new_members_welcome": True,
    }
    # Public contact data stays on the group page; internal data never leaves.
    body = response.content.decode()
    assert "angehoerige-moabit@example.org" not in body
    assert not [value for value in internal_values() if value in body]


def test_the_partner_chooses_a_language_the_offices_site_offers(client, offices):
    from wagtail.models import Locale

    from directory.models import Topic

    alkohol = Topic.objects.get(slug="alkohol", locale__language_code="de")
    english = alkohol.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = "Alcohol"
    english.save()
    widget = make_widget(offices["alpha"], topics=["alkohol"])
    response = public_get(client, url(widget, sprache="en"), HTTP_HOST=ALPHA)
    assert response.status_code == 200 and response["Content-Language"] == "en"
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "en" and soup.h1.get_text() == "Self-help groups"
    assert "Alcohol" in soup.select_one("li").get_text()
    feed = public_get(client, url(widget, "json", sprache="en"), HTTP_HOST=ALPHA).json()
    assert feed["language"] == "en" and feed["groups"][0]["topics"] == ["Alcohol"]
    # Turkish is a content language, but not one of Alpha's site: refused, not German.
    for fmt in ("html", "json"):
        refused = public_get(client, url(widget, fmt, sprache="tr"), HTTP_HOST=ALPHA)
        assert refused.status_code == 400


def test_arabic_widgets_are_right_to_left(client, offices):
    alpha = offices["alpha"]
    alpha.languages = ["de", "en", "ar"]
    alpha.save()
    widget = make_widget(alpha, language="ar")
    response = public_get(client, url(widget), HTTP_HOST=ALPHA)
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"


@pytest.mark.parametrize(
    "path, status",
    [
        ("/widget/gibtesnichtgibtesnicht/", 404),
        ("/widget/gibtesnichtgibtesnicht.json", 404),
        ("/widget/kurz/", 404),
        ("/widget/{key}/?sprache=xx", 400),
        ("/widget/{key}/?sprache=", 200),
        ("/widget/{key}/?utm_source=newsletter", 400),
        ("/widget/{key}.json?seite=2", 400),
        ("/widget/{key}/?sprache=%3Cscript%3E", 400),
    ],
)
def test_bad_keys_and_parameters_get_a_clear_answer_never_a_server_error(
    client, offices, path, status
):
    widget = make_widget(offices["alpha"])
    response = public_get(client, path.format(key=widget.key), HTTP_HOST=ALPHA)
    assert response.status_code == status
    assert "<script" not in response.content.decode()
    if status == 400 and path.startswith("/widget/{key}.json"):
        assert "error" in response.json()


def test_a_widget_answers_only_on_its_offices_host_and_only_while_active(client, offices):
    widget = make_widget(offices["alpha"])
    assert public_get(client, url(widget), HTTP_HOST="beta.localhost").status_code == 404
    widget.active = False
    widget.save()
    assert public_get(client, url(widget), HTTP_HOST=ALPHA).status_code == 404
    assert client.post(url(make_widget(offices["alpha"])), HTTP_HOST=ALPHA).status_code == 405


def test_the_widget_answers_from_the_cache_without_a_query(client, offices):
    widget = make_widget(offices["alpha"], topics=["sucht"])
    first = client.get(url(widget), HTTP_HOST=ALPHA)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(widget), HTTP_HOST=ALPHA)
    assert again.content == first.content
    assert len(queries) == 0, [q["sql"] for q in queries]
    # A browser that has it revalidates and gets a 304.
    not_modified = client.get(url(widget), HTTP_HOST=ALPHA, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not not_modified.content
    assert first["Cache-Control"] == "no-cache"


def test_a_published_change_and_a_changed_widget_show_at_once(client, offices):
    widget = make_widget(offices["alpha"], topics=["alkohol"])
    assert "Trockene Alkoholiker Wedding" in names(client.get(url(widget), HTTP_HOST=ALPHA))
    wedding = group("Trockene Alkoholiker Wedding")
    wedding.name = "Trockene Alkoholiker Gesundbrunnen"
    wedding.save()
    assert "Trockene Alkoholiker Gesundbrunnen" in names(client.get(url(widget), HTTP_HOST=ALPHA))
    widget.districts = "Moabit"
    widget.save()
    assert names(client.get(url(widget), HTTP_HOST=ALPHA)) == ["Angehörigengruppe Alkohol Moabit"]


# --- Referral counts -----------------------------------------------------------------------


def referrals(widget):
    from directory.models import WidgetReferral

    return {
        row.origin: row.hits for row in WidgetReferral.objects.filter(widget=widget, day=today())
    }


def today():
    return timezone.localdate()


def test_referrals_are_counted_per_origin_without_path_ip_or_user_agent(client, offices):
    from directory.models import WidgetReferral
    from directory.widget import flush_referrals

    widget = make_widget(offices["alpha"])
    page = "https://Praxis-Mueller.de/kontakt/sucht?patient=4711"
    for _ in range(3):
        client.get(
            url(widget),
            HTTP_HOST=ALPHA,
            HTTP_REFERER=page,
            HTTP_USER_AGENT="Mozilla/5.0 Besucherkennung",
            REMOTE_ADDR="203.0.113.77",
        )
    client.get(url(widget, "json"), HTTP_HOST=ALPHA, HTTP_ORIGIN="http://verein.example:8080")
    client.get(url(widget), HTTP_HOST=ALPHA)  # no referrer sent
    client.get(url(widget), HTTP_HOST=ALPHA, HTTP_REFERER="http://alpha.localhost/admin/x/")
    client.get(url(widget), HTTP_HOST=ALPHA, HTTP_REFERER="javascript:alert(1)")
    flush_referrals()
    assert referrals(widget) == {
        "https://praxis-mueller.de": 3,
        "http://verein.example:8080": 1,
        "": 2,  # none, and one that names no web origin; the office's own admin not at all
    }
    stored = repr(list(WidgetReferral.objects.values_list()))
    for trace in ("kontakt", "4711", "Mozilla", "Besucherkennung", "203.0.113"):
        assert trace not in stored
    field_names = {f.name for f in WidgetReferral._meta.get_fields()}
    assert field_names == {"id", "widget", "day", "origin", "hits"}


def test_counts_add_up_across_flushes_and_forged_origins_cannot_fill_the_table(
    client, offices, monkeypatch
):
    from directory import widget as widget_module

    monkeypatch.setattr(widget_module, "MAX_ORIGINS_PER_DAY", 2)
    widget = make_widget(offices["alpha"])
    for host in ("a.example", "b.example", "c.example", "d.example", "a.example"):
        client.get(url(widget), HTTP_HOST=ALPHA, HTTP_REFERER=f"https://{host}/")
        widget_module.flush_referrals()
    assert referrals(widget) == {"https://a.example": 2, "https://b.example": 1, "*": 2}


def test_counts_older_than_ninety_days_are_deleted(client, offices):
    from directory.models import WidgetReferral
    from directory.widget import prune_referrals

    widget = make_widget(offices["alpha"])
    for age in (0, 90, 91, 400):
        WidgetReferral.objects.create(
            widget=widget, day=today() - datetime.timedelta(days=age), origin="https://x.de", hits=1
        )
    assert prune_referrals() == 2
    ages = sorted((today() - d).days for d in WidgetReferral.objects.values_list("day", flat=True))
    assert ages == [0, 90]


# --- Admin ---------------------------------------------------------------------------------


def edit_url(widget):
    return f"/admin/directory/widgets/edit/{widget.pk}/"


def test_the_office_sees_embed_code_json_address_and_where_it_is_embedded(client, offices, users):
    widget = make_widget(offices["alpha"], name="Praxis Müller")
    client.get(url(widget), HTTP_HOST=ALPHA, HTTP_REFERER="https://praxis-mueller.de/sucht/")
    editor = client_for(client, "editor-alpha", ALPHA)
    response = editor.get(edit_url(widget))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    code = soup.select_one("#widget-embed-code").get_text()
    assert f'src="http://alpha.localhost/widget/{widget.key}/"' in code
    assert 'title="Selbsthilfegruppen – Kontaktstelle Alpha"' in code
    assert f"http://alpha.localhost/widget/{widget.key}.json" in response.content.decode()
    counts = soup.select_one("[data-widget-referrals]").get_text(" ", strip=True)
    assert re.search(r"https://praxis-mueller\.de — 1 Aufruf in 30 Tagen", counts)


def test_an_office_creates_a_widget_for_itself_but_not_for_another_office(client, offices):
    from directory.models import PartnerWidget

    editor = client_for(client, "editor-alpha", ALPHA)
    add = "/admin/directory/widgets/add/"
    data = {"name": "Hausarztpraxis", "heading": "", "districts": "", "language": "de"}
    data |= {"max_entries": "5", "active": "on"}
    response = editor.post(add, {**data, "office": offices["beta"].pk})
    assert response.status_code == 200  # the form again, with an error at "office"
    assert not PartnerWidget.objects.exists()
    response = editor.post(add, {**data, "office": offices["alpha"].pk, "language": "tr"})
    assert not PartnerWidget.objects.exists()  # Turkish is not on Alpha's site
    response = editor.post(add, {**data, "office": offices["alpha"].pk})
    assert response.status_code == 302
    created = PartnerWidget.objects.get()
    assert created.office == offices["alpha"] and len(created.key) >= 20


def test_another_offices_widget_cannot_be_seen_or_changed_not_even_by_the_coordinator(
    client, offices
):
    from directory.models import PartnerWidget

    beta = make_widget(offices["beta"], name="Partner von Beta", districts="Nordend")
    editor = client_for(client, "editor-alpha", ALPHA)
    assert editor.get(edit_url(beta)).status_code == 404
    editor.post(edit_url(beta), {"name": "gekapert", "office": offices["alpha"].pk})
    listing = editor.get("/admin/directory/widgets/")
    assert "Partner von Beta" not in listing.content.decode()
    client.logout()
    coordinator = client_for(client, "coordinator", "land.localhost")
    assert coordinator.get(edit_url(beta)).status_code == 404
    coordinator.post(f"/admin/directory/widgets/delete/{beta.pk}/")
    beta_now = PartnerWidget.objects.get(pk=beta.pk)
    assert (beta_now.name, beta_now.office_id) == ("Partner von Beta", offices["beta"].pk)
