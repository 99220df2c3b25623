"""The printed Selbsthilfe-Wegweiser (directory/wegweiser.py), read with Poppler's
``pdftotext`` and ``pdfinfo`` (Debian's poppler-utils), as a receptionist's PDF viewer
and a screen reader's text layer would read it, not with the library that wrote it.

Skipped only when poppler-utils is missing; ``python3 dev.py test`` installs it when it
runs as root with apt.
"""

import shutil
import subprocess
import tempfile

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from directory import wegweiser
from directory.models import SelfHelpGroup

from .conftest import PUBLIC_BODIES, group, public_get

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed"),
]


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    """Stored prints of one test are not found by the next."""
    settings.MEDIA_ROOT = tmp_path


def poppler(tool, pdf, *args):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(
            [tool, "-enc", "UTF-8", *args, handle.name, *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=True,
        )
    return out.stdout


def download(client, query, host="alpha.localhost"):
    response = client.get(f"/wegweiser.pdf?{query}", HTTP_HOST=host)
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        PUBLIC_BODIES.append((query, response.content.decode()))
        return response, None
    pdf = b"".join(response.streaming_content)
    with open("/tmp/wegweiser-last.pdf", "wb") as f:
        f.write(pdf)
    text = poppler("pdftotext", pdf, "-layout")
    PUBLIC_BODIES.append((query, text))  # the privacy check covers the PDF's text too
    return response, (pdf, " ".join(text.split()))


def test_a_topic_wegweiser_lists_the_offices_groups_with_text_that_can_be_copied(client, offices):
    response, (pdf, text) = download(client, "topic=sucht")
    assert response.status_code == 200
    assert 'filename="Selbsthilfe-Wegweiser-sucht.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("inline")
    assert "Selbsthilfe-Wegweiser" in text
    assert "Angehörigengruppe Alkohol Moabit" in text and "Trockene Alkoholiker Wedding" in text
    assert "Perleberger Straße 44, 10559 Berlin (Moabit)" in text  # the meeting place
    assert "angehoerige-moabit@example.org" in text  # public contact (with consent)
    assert "jeden Dienstag, 19:00–21:00 Uhr" in text
    assert "Depression gemeinsam tragen" not in text  # another topic
    assert "Spielerselbsthilfe Beta" not in text  # another office
    assert "Entwurf Geheimgruppe" not in text and "Beendete" not in text
    alpha = offices["alpha"]
    assert alpha.name in text
    if alpha.phone:
        assert alpha.phone in text


def test_the_pdf_is_tagged_titled_and_in_german_for_screen_readers(client, offices):
    _response, (pdf, _text) = download(client, "")
    info = poppler("pdfinfo", pdf)
    assert "Tagged:          yes" in info
    assert "Title:           Selbsthilfe-Wegweiser" in info
    structure = poppler("pdfinfo", pdf, "-struct")
    assert "H1" in structure and "H2" in structure  # topics and groups as headings
    assert b"/Lang" in pdf and b"(de)" in pdf


def test_the_state_site_prints_every_office_and_a_district_narrows_it(client, offices):
    _response, (_pdf, text) = download(client, "", host="state.localhost")
    assert "Angehörigengruppe Alkohol Moabit" in text and "Trauercafé Beta" in text
    _response, (_pdf, text) = download(client, "district=Nordend", host="state.localhost")
    assert "Trauercafé Beta" in text and "Spielerselbsthilfe Beta" in text
    assert "Moabit" not in text.replace("Nordend", "")


def test_what_an_office_types_is_printed_as_text_never_run_as_typesetting_code(client, offices):
    target = group("Trockene Alkoholiker Wedding")
    SelfHelpGroup.objects.filter(pk=target.pk).update(
        name='Treff #1 *Mut* _jetzt_ $x^2$ [Link] @ref #read("/etc/passwd")'
    )
    _response, (_pdf, text) = download(client, "topic=alkohol")
    assert 'Treff #1 *Mut* _jetzt_ $x^2$ [Link] @ref #read("/etc/passwd")' in text
    assert "root:" not in text


def test_a_change_to_a_group_gives_a_new_print_and_the_old_one_is_removed(client, offices):
    download(client, "topic=trauer", host="beta.localhost")
    selection = wegweiser.Selection(office_id=offices["beta"].pk, topic="trauer")
    folder = f"{wegweiser.FOLDER}/{selection.name()}"
    (first,) = default_storage.listdir(folder)[1]
    target = group("Trauercafé Beta")
    target.name = "Trauercafé Beta am Sonntag"
    target.save()
    _response, (_pdf, text) = download(client, "topic=trauer", host="beta.localhost")
    assert "Trauercafé Beta am Sonntag" in text
    (second,) = default_storage.listdir(folder)[1]
    assert second != first


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("topic=gibt-es-nicht", "Dieses Thema gibt es nicht."),
        ("topic=%3Cscript%3E", "Thema"),
        ("sprache=xx", "Diese Sprache bieten wir nicht an."),
        ("scope=galaxis", "Auswahl"),
    ],
)
def test_a_wrong_choice_gets_a_400_with_a_message(client, offices, query, message):
    response, pdf = download(client, query)
    assert response.status_code == 400 and pdf is None
    assert message in response.content.decode() or "gültig" in response.content.decode()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_large_wegweiser_is_built_by_the_worker_and_the_visitor_asked_to_wait(
    client, offices, monkeypatch
):
    from django_tasks import default_task_backend

    monkeypatch.setattr(wegweiser, "BACKGROUND_ABOVE", 1)
    waiting = client.get("/wegweiser.pdf", HTTP_HOST="state.localhost")
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "20" and "no-store" in waiting["Cache-Control"]
    assert "wird gerade erstellt" in waiting.content.decode()
    again = client.get("/wegweiser.pdf", HTTP_HOST="state.localhost")
    assert again.status_code == 202
    (queued,) = default_task_backend.results  # asked for twice, queued once
    wegweiser.build_in_background.call(*queued.args, **queued.kwargs)  # the worker's run
    _response, (_pdf, text) = download(client, "", host="state.localhost")
    assert "Trauercafé Beta" in text


def test_the_directory_links_its_topic_and_district_as_a_printed_wegweiser(client, offices):
    from urllib.parse import parse_qs, urlsplit

    page = public_get(
        client, "/gruppen/?topic=alkohol&district=Moabit&q=trinken", HTTP_HOST="alpha.localhost"
    )
    html = page.content.decode()
    start = html.index('href="/wegweiser.pdf?') + len('href="')
    link = html[start : html.index('"', start)].replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query) == {
        "topic": ["alkohol"],
        "district": ["Moabit"],
        "sprache": ["de"],
    }
    _response, (_pdf, text) = download(client, urlsplit(link).query)
    assert "Angehörigengruppe Alkohol Moabit" in text and "Wedding" not in text


def _number_tree(node):
    if "/Nums" in node:
        for i in range(0, len(node.Nums), 2):
            yield int(node.Nums[i]), node.Nums[i + 1]
    for kid in node.get("/Kids", ()):
        yield from _number_tree(kid)


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf is not installed")
def test_a_large_wegweiser_set_in_volumes_is_one_valid_tagged_pdf_with_right_contents(
    client, offices, monkeypatch, tmp_path
):
    import re

    import pikepdf

    # Built by the worker (the tests' task backend runs it at once) in volumes of one
    # group: five volumes of groups (the alcohol topic goes on in a second one), one of
    # the offices, and the cover with the contents, joined into one file.
    monkeypatch.setattr(wegweiser, "BACKGROUND_ABOVE", 1)
    monkeypatch.setattr(wegweiser, "VOLUME_GROUPS", 1)
    _response, (pdf, text) = download(client, "", host="state.localhost")
    names = [
        "Angehörigengruppe Alkohol Moabit",
        "Trockene Alkoholiker Wedding",
        "Depression gemeinsam tragen",
        "Trauercafé Beta",
        "Spielerselbsthilfe Beta",
    ]
    for name in names:
        assert name in text
    assert "Stand der Daten" in text and offices["alpha"].name in text

    path = tmp_path / "land.pdf"
    path.write_bytes(pdf)
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors" in checked.stdout
    info = poppler("pdfinfo", pdf)
    assert "Tagged:          yes" in info and "Title:           Selbsthilfe-Wegweiser" in info
    page_count = int(re.search(r"Pages:\s+(\d+)", info).group(1))

    with pikepdf.open(path) as doc:
        assert len(doc.pages) == page_count
        assert str(doc.Root.Lang) == "de" and bool(doc.Root.MarkInfo.Marked)
        xmp = doc.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert f"<xmpTPg:NPages>{page_count}</xmpTPg:NPages>" in xmp
        root = doc.Root.StructTreeRoot
        (document,) = list(root.K)
        assert document.S == "/Document" and document.P.objgen == root.objgen
        pages = {page.obj.objgen: n for n, page in enumerate(doc.pages)}
        parent_tree = dict(_number_tree(root.ParentTree))
        assert max(parent_tree) < int(root.ParentTreeNextKey)
        # Every element hangs from its parent, and its page is a page of this file.
        roles, stack = {}, [(document, root)]
        while stack:
            element, parent = stack.pop()
            assert element.P.objgen == parent.objgen
            if "/Pg" in element:
                assert element.Pg.objgen in pages
            roles[str(element.S)] = roles.get(str(element.S), 0) + 1
            kids = element.get("/K", ())
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append((kid, element))
        assert roles["/H2"] == len(names)  # each group once, as a heading
        assert roles["/H1"] >= 4 + 2  # contents, offices and topics
        # Every page's marked content is found from the page through the parent tree,
        # and each element listed there owns content on that page.
        keys = [int(page.obj.StructParents) for page in doc.pages]
        assert len(set(keys)) == len(keys)
        for page, key in zip(doc.pages, keys, strict=True):
            for element in parent_tree[key]:
                own = element.get("/Pg")
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert any(
                    (isinstance(k, int) and own is not None and own.objgen == page.obj.objgen)
                    or (isinstance(k, pikepdf.Dictionary) and k.get("/Pg", own) == page.obj)
                    for k in kids
                )
        # The bookmarks run through all volumes and point at pages of this file.
        titles, item = [], doc.Root.Outlines.First
        while item is not None:
            assert item.Dest[0].objgen in pages
            titles.append(str(item.Title))
            item = item.get("/Next")

    # The contents: each entry's page shows that heading; a continued topic is listed once.
    contents = poppler("pdftotext", pdf, "-f", "2", "-l", "2")
    entries = re.findall(r"^(.+?) \.(?: ?\.)+\s*(\d+)$", contents, flags=re.MULTILINE)
    assert [title for title, _page in entries] == titles
    assert len(set(titles)) == len(titles) and not any("Fortsetzung" in t for t in titles)
    for title, number in entries:
        page = poppler("pdftotext", pdf, "-f", number, "-l", number)
        assert title.strip() in " ".join(page.split())
    assert "Fortsetzung" in text


def _footers(pdf, page_count):
    """Each page's text, by page number."""
    return {
        number: " ".join(poppler("pdftotext", pdf, "-f", str(number), "-l", str(number)).split())
        for number in range(1, page_count + 1)
    }


def test_every_page_of_an_offices_wegweiser_but_the_cover_says_seite_n_von_m(client, offices):
    import re

    _response, (pdf, _text) = download(client, "")
    total = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", pdf)).group(1))
    assert total >= 3
    pages = _footers(pdf, total)
    assert "Seite" not in pages[1]  # the cover
    for number in range(2, total + 1):
        assert f"Seite {number} von {total}" in pages[number], pages[number]


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf is not installed")
def test_a_wegweiser_joined_from_volumes_links_its_contents_and_numbers_pages_of_the_total(
    client, offices, monkeypatch, tmp_path
):
    import re

    import pikepdf

    monkeypatch.setattr(wegweiser, "BACKGROUND_ABOVE", 1)
    monkeypatch.setattr(wegweiser, "VOLUME_GROUPS", 2)
    monkeypatch.setattr(wegweiser, "FOOTER_PAGES", 3)  # the footers in several runs too
    _response, (pdf, _text) = download(client, "", host="state.localhost")
    path = tmp_path / "land.pdf"
    path.write_bytes(pdf)
    checked = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    total = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", pdf)).group(1))
    pages = _footers(pdf, total)

    # "Seite N von M" on every page but the cover, M the joined print's page count.
    assert total >= 8 and "Seite" not in pages[1]
    for number in range(2, total + 1):
        assert f"Seite {number} von {total}" in pages[number], pages[number]
        assert len(re.findall(r"Seite \d+ von \d+", pages[number])) == 1  # one footer

    with pikepdf.open(path) as doc:
        numbers = {page.obj.objgen: n + 1 for n, page in enumerate(doc.pages)}
        root = doc.Root.StructTreeRoot
        parent_tree = dict(_number_tree(root.ParentTree))
        # The footers are artifacts, outside the structure tree: the added content is
        # wrapped as one.
        for page in doc.pages[1:]:
            assert b"/Artifact BMC" in page.obj.Contents[-1].read_bytes()
        contents = poppler("pdftotext", pdf, "-f", "2", "-l", "2")
        entries = re.findall(r"^(.+?) \.(?: ?\.)+\s*(\d+)$", contents, flags=re.MULTILINE)
        assert len(entries) >= 6
        links = {}
        for annot in doc.pages[1].obj.get("/Annots", ()):
            assert annot.Subtype == "/Link"
            assert "/A" not in annot  # no "wegweiser:entry/..." URI is left
            target = numbers[annot.Dest[0].objgen]  # a page of this file
            links.setdefault(str(annot.Contents), set()).add(target)
            # Tagged as PDF/UA asks: a Link element holding the annotation by an OBJR.
            element = parent_tree[int(annot.StructParent)]
            assert element.S == "/Link"
            kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            assert any(
                isinstance(k, pikepdf.Dictionary)
                and k.get("/Type") == "/OBJR"
                and k.Obj.objgen == annot.objgen
                for k in kids
            )
        # Each entry of the contents (title and page number) leads to its heading's page.
        for title, number in entries:
            title = title.strip()
            (description,) = [d for d in links if d.startswith(title + " – Seite ")]
            assert description == f"{title} – Seite {number}"
            assert links[description] == {int(number)}
            assert title in pages[int(number)]
