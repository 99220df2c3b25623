"""The demo's district offices speak their districts' languages: Neukölln's Turkish and
Arabic pages and Marzahn-Hellersdorf's Russian and Ukrainian pages carry real text (no
German copy of the source page), the shared topics have names in every language, and the
translation status report calls all of it complete."""

import html
import io
import re

import pytest
from django.core.management import call_command

from sites import demo_texts
from sites.models import Office, OfficeKind

pytestmark = pytest.mark.django_db

NEUKOELLN = "neukoelln.localhost:8000"
MARZAHN = "marzahn-hellersdorf.localhost:8000"

#: One sentence per language and page, written out here (not taken from the data module),
#: that a visitor must read on the translated page.
KNOWN = {
    ("tr", ""): "Danışmanlığımız gizli ve ücretsizdir.",
    ("tr", "kontakt/"): "Genellikle iki iş günü içinde yanıt veriyoruz.",
    ("tr", "veranstaltungen/"): "Katılım çoğunlukla ücretsizdir.",
    ("tr", "gruppen/"): "Desteklediğimiz kendi kendine yardım grupları.",
    ("ar", ""): "استشاراتنا سرّية ومجانية.",
    ("ar", "kontakt/"): "نردّ عادةً خلال يومَي عمل.",
    ("ar", "veranstaltungen/"): "المشاركة مجانية في الغالب.",
    ("ar", "gruppen/"): "مجموعات المساعدة الذاتية التي نرافقها.",
    ("ru", ""): "Наши консультации конфиденциальны и бесплатны.",
    ("ru", "kontakt/"): "Обычно мы отвечаем в течение двух рабочих дней.",
    ("ru", "veranstaltungen/"): "Участие, как правило, бесплатное.",
    ("ru", "gruppen/"): "Группы самопомощи, которые мы сопровождаем.",
    ("uk", ""): "Наші консультації конфіденційні та безкоштовні.",
    ("uk", "kontakt/"): "Зазвичай ми відповідаємо протягом двох робочих днів.",
    ("uk", "veranstaltungen/"): "Участь здебільшого безкоштовна.",
    ("uk", "gruppen/"): "Групи самодопомоги, які ми супроводжуємо.",
    ("de-x-ls", ""): "Dort treffen sich Menschen mit dem gleichen Problem.",
    ("de-x-ls", "kontakt/"): "Wir antworten meistens in 2 Tagen.",
}


def main_text(response):
    """The visible text of the page's ``<main>``, whitespace folded."""
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    # The test network already has a state office; the demo brings its own.
    Office.objects.filter(kind=OfficeKind.STATE).update(kind=OfficeKind.REGIONAL)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--only", "neukoelln,marzahn-hellersdorf", stdout=out)
    return out.getvalue()


def check_pages(demo, client):
    assert "ar 6" in demo and "tr 6" in demo and "ru 6" in demo and "uk 6" in demo
    # German sentences of the source pages (the welcome text with the district filled in).
    german = [text for text in demo_texts.GERMAN.values() if len(text) > 30] + [
        "Sie suchen Menschen, die in einer ähnlichen Lage sind wie Sie?"
    ]
    for host, languages in ((NEUKOELLN, ("tr", "ar", "de-x-ls")), (MARZAHN, ("ru", "uk"))):
        source = main_text(client.get("/kontakt/", HTTP_HOST=host))
        assert demo_texts.GERMAN["contact_intro"] in source  # the German page says it
        for language in languages:
            for path in ("", "kontakt/", "veranstaltungen/", "gruppen/"):
                response = client.get(f"/{language}/{path}", HTTP_HOST=host)
                assert response.status_code == 200, (host, language, path)
                text = main_text(response)
                leftover = [sentence for sentence in german if sentence in text]
                assert leftover == [], (host, language, path, leftover)
                assert "notice-translation" not in response.content.decode()
                if (language, path) in KNOWN:
                    assert KNOWN[(language, path)] in text, (host, language, path, text[:400])

    arabic = client.get("/ar/", HTTP_HOST=NEUKOELLN).content.decode()
    assert 'dir="rtl"' in arabic
    assert "مركز التواصل للمساعدة الذاتية في نويكولن" in arabic
    # The legal pages stay German and say so.
    legal = client.get("/tr/impressum/", HTTP_HOST=NEUKOELLN).content.decode()
    assert "notice-translation" in legal


def check_topics(client):
    from directory.models import Topic

    german = Topic.objects.filter(locale__language_code="de")
    assert german.count() == len(demo_texts.TOPICS["tr"])
    for language in ("en", "tr", "ar", "ru", "uk", "de-x-ls"):
        names = dict(
            Topic.objects.filter(locale__language_code=language).values_list("slug", "name")
        )
        assert set(names) == set(german.values_list("slug", flat=True)), language
        assert not set(names.values()) & {"Sucht und Abhängigkeit", "Seelische Gesundheit"}
    alcohol = {
        t.locale.language_code: t.name
        for t in Topic.objects.filter(slug="alkohol").select_related("locale")
    }
    assert alcohol["tr"] == "Alkol" and alcohol["ar"] == "الكحول"
    assert alcohol["ru"] == "Алкоголь" and alcohol["uk"] == "Алкоголь"

    page = main_text(client.get("/ar/gruppen/?q=كحول", HTTP_HOST=NEUKOELLN))
    assert "الكحول" in page and "Alkohol (" not in page
    page = main_text(client.get("/uk/gruppen/", HTTP_HOST=MARZAHN))
    assert "Азартні ігри" in page and "Glücksspiel" not in page


def check_status():
    from django.contrib.auth import get_user_model

    from sites import translation_status as status

    admin = get_user_model().objects.get(username="admin")
    scopes = {scope.key: scope for scope in status.scopes_for(admin)}
    for host, languages in ((NEUKOELLN, ("tr", "ar", "de-x-ls")), (MARZAHN, ("ru", "uk"))):
        office = Office.objects.get(site__hostname=host.split(":")[0])
        rows, *_ = status.report(admin, scopes[str(office.pk)])
        legal = {"Impressum", "Datenschutz", "Barrierefreiheit"}
        main = [row for row in rows if row.kind == "page" and row.title not in legal]
        # Home, Kontakt, Gruppe gründen, events, directory, newsletter.
        assert len(main) == 6, [row.title for row in main]
        for row in main:
            for language in languages:
                assert row.cells[language].state == status.COMPLETE, (row.title, language)
    rows, *_ = status.report(admin, scopes[status.SHARED], kind="directory.topic")
    assert len(rows) == len(demo_texts.TOPICS["tr"])
    for row in rows:
        for language in ("en", "tr", "ar", "ru", "uk", "de-x-ls"):
            assert row.cells[language].state == status.COMPLETE, (row.title, language)


def test_the_demo_speaks_the_districts_languages(demo, client):
    """One demo load (minutes on a busy machine) for all three checks."""
    check_pages(demo, client)
    check_topics(client)
    check_status()


def test_an_unknown_office_for_only_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Unbekannte Demo-Kontaktstelle"):
        call_command("load_demo", "--only", "atlantis", stdout=io.StringIO())
