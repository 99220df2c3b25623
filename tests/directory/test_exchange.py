"""Import from CSV and JSON: every bad row reported with its line, all or nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from directory.exchange import import_groups
from directory.models import SelfHelpGroup

pytestmark = pytest.mark.django_db

HEADER = "name,office,topics,audience,weekday,starts_at,step_free_access,internal_phone\n"
GOOD = [
    "Neue Angehörigengruppe,alpha.localhost,alkohol,relatives,Dienstag,19:00,ja,030 111\n",
    "Glücksspiel Nord,beta.localhost,gluecksspiel;sucht,affected,4,18:30,nein,\n",
]


def test_a_valid_csv_file_is_imported_and_found_by_the_search(visitor):
    report = import_groups(HEADER + "".join(GOOD), "csv", dry_run=False)
    assert report.ok and report.created == 2
    imported = SelfHelpGroup.objects.get(name="Neue Angehörigengruppe")
    assert imported.live and imported.weekday == 1 and imported.step_free_access
    assert [t.slug for t in imported.topics.all()] == ["alkohol"]
    response = visitor.get("/gruppen/", {"q": "Angehörige trinken"})
    assert "Neue Angehörigengruppe" in response.content.decode()


def test_a_dry_run_reports_every_invalid_row_and_imports_nothing():
    bad = [
        ",alpha.localhost,alkohol,relatives,1,19:00,ja,\n",  # line 4: no name
        "Fremd,gamma.localhost,alkohol,relatives,1,19:00,ja,\n",  # line 5: unknown office
        "Zeit,alpha.localhost,nichtda,relatives,Funtag,25:00,vielleicht,\n",  # line 6
    ]
    content = HEADER + "".join(GOOD) + "".join(bad)
    for dry_run in (True, False):
        report = import_groups(content, "csv", dry_run=dry_run)
        lines = [line for line, _msg in report.errors]
        assert lines == [4, 5, 6]
        messages = dict(report.errors)
        assert "name" in messages[4]
        assert "gamma.localhost" in messages[5]
        assert "nichtda" in messages[6] and "weekday" in messages[6]
        assert "starts_at" in messages[6] and "step_free_access" in messages[6]
    assert not SelfHelpGroup.objects.filter(name__in=["Neue Angehörigengruppe", "Zeit"]).exists()


def test_json_records_are_numbered_and_validated_like_csv():
    records = [
        {
            "name": "JSON-Gruppe",
            "office": "alpha.localhost",
            "topics": ["trauer"],
            "rhythm": "by_arrangement",
        },
        {"name": "Ohne Stelle", "topics": []},
        "kein Objekt",
    ]
    report = import_groups(json.dumps(records), "json", dry_run=True)
    assert [line for line, _m in report.errors] == [2, 3]
    report = import_groups(json.dumps(records[:1]), "json", dry_run=False)
    assert report.created == 1


def test_the_import_command_reports_lines_and_fails_without_saving(tmp_path, capsys):
    path = tmp_path / "gruppen.csv"
    path.write_text(HEADER + GOOD[0] + ",alpha.localhost,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 von 2 Zeilen ungültig"):
        call_command("import_groups", str(path), "--dry-run")
    assert "Zeile 3: name" in capsys.readouterr().err
    with pytest.raises(CommandError, match="nicht gefunden"):
        call_command("import_groups", str(tmp_path / "fehlt.csv"))
    path.write_text(HEADER + GOOD[0], encoding="utf-8")
    call_command("import_groups", str(path))
    assert SelfHelpGroup.objects.filter(name="Neue Angehörigengruppe").exists()


def test_an_office_imports_only_into_its_own_office_through_the_admin(editor_a):
    upload = SimpleUploadedFile("g.csv", (HEADER + "".join(GOOD)).encode("utf-8"))
    response = editor_a.post(reverse("directory_import"), {"file": upload, "dry_run": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "beta.localhost" in html and "Es wurde nichts importiert" in html
    assert not SelfHelpGroup.objects.filter(name="Neue Angehörigengruppe").exists()
    upload = SimpleUploadedFile("g.csv", (HEADER + GOOD[0]).encode("utf-8"))
    editor_a.post(reverse("directory_import"), {"file": upload, "dry_run": ""})
    assert SelfHelpGroup.objects.get(name="Neue Angehörigengruppe").office.short_name == "KS Alpha"


def test_an_unreadable_upload_gets_a_clear_error(editor_a):
    upload = SimpleUploadedFile("g.csv", "name;office\n".encode("utf-16"))
    response = editor_a.post(reverse("directory_import"), {"file": upload, "dry_run": "on"})
    assert "nicht UTF-8" in response.content.decode()
    upload = SimpleUploadedFile("g.json", b"{kaputt")
    response = editor_a.post(reverse("directory_import"), {"file": upload, "dry_run": "on"})
    assert "Kein gültiges JSON" in response.content.decode()
