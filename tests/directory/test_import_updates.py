"""Re-importing a spreadsheet updates the groups it names (by the ``id`` the export writes)
instead of adding them a second time, with the same rules as an edit in the admin."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from directory.exchange import (
    CLEAR_MARKER,
    export_csv,
    export_json,
    import_groups,
    public_queryset,
)
from directory.models import SelfHelpGroup
from tests.directory.conftest import INTERNAL_VALUES, group

pytestmark = pytest.mark.django_db

MOABIT = "Angehörigengruppe Alkohol Moabit"
WEDDING = "Trockene Alkoholiker Wedding"


def _export_rows(office_host=None):
    """The public CSV export as a list of dicts (optionally one office's rows only)."""
    rows = list(csv.DictReader(io.StringIO(export_csv(list(public_queryset())))))
    if office_host:
        rows = [row for row in rows if row["office"] == office_host]
    return rows


def _to_csv(rows, fieldnames=None):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _snapshot():
    """Everything an import could change, to prove that nothing did."""
    groups = SelfHelpGroup.objects.order_by("pk")
    return (
        [(g.pk, g.name, g.office_id, g.live, g.latest_revision_id, g.updated_at) for g in groups],
        Revision.objects.count(),
        ModelLogEntry.objects.count(),
    )


def _upload(client, content, dry_run, name="gruppen.csv"):
    upload = SimpleUploadedFile(name, content.encode("utf-8"))
    data = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post(reverse("directory_import"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_importing_the_csv_and_json_export_again_changes_nothing():
    before = _snapshot()
    report = import_groups(export_csv(list(public_queryset())), "csv", dry_run=False)
    assert report.ok, report.errors
    assert report.rows == len(list(public_queryset())) > 0
    assert report.unchanged == report.rows and report.created == report.updated == 0
    assert {o.action for o in report.outcomes} == {"unchanged"}
    content = json.dumps(export_json(list(public_queryset())))
    report = import_groups(content, "json", dry_run=False)
    assert report.ok and report.unchanged == report.rows
    assert _snapshot() == before


def test_an_office_editor_updates_its_own_group_through_the_admin_with_history(editor_a, users):
    rows = _export_rows("alpha.localhost")
    moabit = group(MOABIT)
    for row in rows:
        if row["id"] == str(moabit.pk):
            row["venue"] = "Nachbarschaftshaus Moabit"
            row["topics"] = "alkohol;sucht"
    count, others = SelfHelpGroup.objects.count(), len(rows) - 1
    html = _upload(editor_a, _to_csv(rows), dry_run=True)
    assert f"Beim Import: 0 neu, 1 geändert, {others} unverändert." in html
    assert "topics, venue" in html
    moabit.refresh_from_db()
    assert moabit.venue == ""  # a dry run saves nothing

    html = _upload(editor_a, _to_csv(rows), dry_run=False)
    assert f"Importiert: 0 neu, 1 geändert, {others} unverändert." in html
    assert SelfHelpGroup.objects.count() == count  # updated, not duplicated
    moabit.refresh_from_db()
    assert moabit.venue == "Nachbarschaftshaus Moabit" and moabit.live
    assert sorted(t.slug for t in moabit.topics.all()) == ["alkohol", "sucht"]
    assert moabit.internal_phone == INTERNAL_VALUES["internal_phone"]
    revision = moabit.latest_revision
    assert revision.user == users["editor-alpha"] and moabit.live_revision == revision
    actions = set(
        ModelLogEntry.objects.for_instance(moabit)
        .filter(user=users["editor-alpha"])
        .values_list("action", flat=True)
    )
    assert {"wagtail.edit", "wagtail.publish"} <= actions
    # The same file again is a no-op now.
    html = _upload(editor_a, _to_csv(rows), dry_run=True)
    assert f"Beim Import: 0 neu, 0 geändert, {len(rows)} unverändert." in html


def test_a_row_naming_another_offices_group_is_invalid_and_nothing_is_saved(editor_a):
    rows = _export_rows()
    for row in rows:
        row["venue"] = "Überall"
    before = _snapshot()
    html = _upload(editor_a, _to_csv(rows), dry_run=False)
    beta_ids = set(
        SelfHelpGroup.objects.filter(office__site__hostname="beta.localhost").values_list(
            "pk", flat=True
        )
    )
    bad_lines = [n for n, row in enumerate(rows, start=2) if int(row["id"]) in beta_ids]
    assert bad_lines
    assert "Es wurde nichts importiert" in html
    for line in bad_lines:
        assert f"Zeile {line}: office: Kontaktstelle „beta.localhost“" in html
    # Claiming another office's group for one's own office does not work either.
    hijack = next(row for row in rows if int(row["id"]) in beta_ids)
    hijack["office"] = "alpha.localhost"
    own = [row for row in rows if row["office"] == "alpha.localhost"]
    html = _upload(editor_a, _to_csv(own), dry_run=False)
    line = own.index(hijack) + 2
    assert f"Zeile {line}: Eine Gruppe mit der Nummer {hijack['id']} gibt es nicht" in html
    assert "Es wurde nichts importiert" in html
    assert _snapshot() == before
    assert not SelfHelpGroup.objects.filter(venue="Überall").exists()


def test_blank_internal_cells_keep_internal_data_and_the_marker_clears_it():
    moabit = group(MOABIT)
    header = (
        "id,name,office,internal_phone,internal_email,internal_notes,public_contact_consent_date"
    )
    blank = f"{moabit.pk},{MOABIT},alpha.localhost,,,,\n"
    report = import_groups(f"{header}\n{blank}", "csv", dry_run=False)
    assert report.ok and report.unchanged == 1
    moabit.refresh_from_db()
    for name, value in INTERNAL_VALUES.items():
        assert getattr(moabit, name) == value
    assert moabit.public_contact_consent_date is not None

    clear = f"{moabit.pk},{MOABIT},alpha.localhost,{CLEAR_MARKER},,{CLEAR_MARKER},\n"
    report = import_groups(f"{header}\n{clear}", "csv", dry_run=False)
    assert report.ok and report.updated == 1
    assert report.outcomes[0].changes == ["internal_phone", "internal_notes"]
    moabit.refresh_from_db()
    assert moabit.internal_phone == "" and moabit.internal_notes == ""
    assert moabit.internal_email == INTERNAL_VALUES["internal_email"]


def test_the_clear_marker_in_a_public_column_is_refused():
    moabit = group(MOABIT)
    content = f"id,name,office,venue\n{moabit.pk},{MOABIT},alpha.localhost,{CLEAR_MARKER}\n"
    report = import_groups(content, "csv", dry_run=False)
    assert [line for line, _m in report.errors] == [2]
    assert "venue" in report.errors[0][1]
    moabit.refresh_from_db()
    assert moabit.venue == ""


def test_unknown_duplicate_and_invalid_ids_are_reported_by_line():
    moabit = group(MOABIT)
    missing = SelfHelpGroup.objects.order_by("-pk").first().pk + 100
    content = (
        "id,name,office\n"
        f"{moabit.pk},Neuer Name,alpha.localhost\n"
        f"{missing},Gibt es nicht,alpha.localhost\n"
        f"{moabit.pk},Noch einmal,alpha.localhost\n"
        "abc,Keine Nummer,alpha.localhost\n"
    )
    report = import_groups(content, "csv", dry_run=False)
    errors = dict(report.errors)
    assert sorted(errors) == [3, 4, 5]
    assert str(missing) in errors[3] and "gibt es nicht" in errors[3]
    assert "Zeile 2" in errors[4]
    assert "abc" in errors[5]
    assert report.outcomes == [] and report.updated == 0
    assert group(MOABIT).name == MOABIT


def test_an_update_is_validated_like_the_edit_form():
    wedding = group(WEDDING)
    content = f"id,name,office,public_email\n{wedding.pk},{WEDDING},alpha.localhost,a@b.de\n"
    report = import_groups(content, "csv", dry_run=True)
    assert report.errors and "public_contact_consent_date" in report.errors[0][1]


def test_a_dry_run_reports_new_changed_and_unchanged_rows_with_totals():
    moabit, wedding = group(MOABIT), group(WEDDING)
    content = json.dumps(
        [
            {"id": moabit.pk, "name": MOABIT},
            {"id": wedding.pk, "name": "Trockene Alkoholiker Wedding-Nord"},
            {"name": "Ganz neue Gruppe", "office": "alpha.localhost", "rhythm": "irregular"},
        ]
    )
    report = import_groups(content, "json", dry_run=True)
    assert report.ok, report.errors
    assert [(o.line, o.action) for o in report.outcomes] == [
        (1, "unchanged"),
        (2, "updated"),
        (3, "created"),
    ]
    assert report.outcomes[1].changes == ["name"]
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert not SelfHelpGroup.objects.filter(name="Ganz neue Gruppe").exists()
    assert group(WEDDING).pk == wedding.pk  # name unchanged in the database


def test_an_editor_who_may_not_publish_imports_drafts_only(client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from tests.conftest import PASSWORD, client_for

    user = get_user_model().objects.create_user("nur-redaktion", "r@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="KS Alpha – Redaktion"))
    redakteur = client_for(client, "nur-redaktion")
    wedding = group(WEDDING)
    content = (
        "id,name,office,rhythm\n"
        f"{wedding.pk},Wedding ungeprüft,alpha.localhost,weekly\n"
        ",Neue ungeprüfte Gruppe,alpha.localhost,irregular\n"
    )
    html = _upload(redakteur, content, dry_run=False)
    assert "Importiert: 1 neu, 1 geändert, 0 unverändert." in html
    wedding.refresh_from_db()
    assert wedding.name == WEDDING and wedding.has_unpublished_changes
    assert wedding.latest_revision.user == user
    assert wedding.get_latest_revision_as_object().name == "Wedding ungeprüft"
    assert not SelfHelpGroup.objects.get(name="Neue ungeprüfte Gruppe").live
    # Compared with the pending draft, the same file changes nothing more.
    html = _upload(redakteur, content.splitlines()[0] + "\n" + content.splitlines()[1], True)
    assert "0 neu, 0 geändert, 1 unverändert" in html


def test_the_command_prints_every_row_in_a_dry_run_and_credits_the_user(tmp_path, capsys, users):
    wedding = group(WEDDING)
    path = tmp_path / "gruppen.json"
    path.write_text(json.dumps([{"id": wedding.pk, "district": "Gesundbrunnen"}]), encoding="utf-8")
    call_command("import_groups", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert f"Datensatz 1: geändert – {WEDDING} (Nr. {wedding.pk}): district" in out
    assert "0 neu, 1 geändert, 0 unverändert" in out
    call_command("import_groups", str(path), "--user", "coordinator")
    wedding.refresh_from_db()
    assert wedding.district == "Gesundbrunnen"
    assert wedding.latest_revision.user == users["coordinator"]


def test_missing_cells_of_a_short_row_keep_values_and_surplus_cells_are_refused():
    moabit = group(MOABIT)
    content = f"id,name,office,venue,district\n{moabit.pk},{MOABIT}-Tiergarten\n"
    report = import_groups(content, "csv", dry_run=False)
    assert report.ok, report.errors
    assert report.outcomes[0].changes == ["name"]
    moabit.refresh_from_db()
    assert moabit.name == f"{MOABIT}-Tiergarten" and moabit.district == "Moabit"
    content = f"id,name,office\n{moabit.pk},{MOABIT},alpha.localhost,zu viel\n"
    report = import_groups(content, "csv", dry_run=True)
    assert [line for line, _m in report.errors] == [2]
    assert "mehr Zellen" in report.errors[0][1]


def test_the_history_of_an_imported_change_shows_who_renamed_and_published_it(editor_a, users):
    wedding = group(WEDDING)
    content = f"id,name,office\n{wedding.pk},Trockene Alkoholiker Gesundbrunnen,alpha.localhost\n"
    html = _upload(editor_a, content, dry_run=False)
    assert "Importiert: 0 neu, 1 geändert, 0 unverändert." in html
    wedding.refresh_from_db()
    assert wedding.name == "Trockene Alkoholiker Gesundbrunnen" and wedding.live
    assert wedding.get_latest_revision_as_object().name == wedding.name
    entries = ModelLogEntry.objects.for_instance(wedding).filter(user=users["editor-alpha"])
    assert {"wagtail.edit", "wagtail.rename", "wagtail.publish"} <= set(
        entries.values_list("action", flat=True)
    )
    history = editor_a.get(reverse("directory_groups:history", args=[wedding.pk]))
    assert history.status_code == 200
    text = history.content.decode()
    assert "Trockene Alkoholiker Gesundbrunnen" in text and "editor-alpha" in text
    revisions = editor_a.get(
        reverse(
            "directory_groups:revisions_compare",
            args=[wedding.pk, "live", wedding.latest_revision.pk],
        )
    )
    assert revisions.status_code == 200


def test_a_change_over_a_pending_draft_is_published_through_the_edit_action(users):
    wedding = group(WEDDING)
    draft = group(WEDDING)
    draft.description = "Neue Beschreibung aus dem Entwurf."
    draft.save_revision(user=users["editor-alpha"])
    wedding.refresh_from_db()
    assert wedding.has_unpublished_changes
    content = json.dumps([{"id": wedding.pk, "district": "Gesundbrunnen"}])
    report = import_groups(content, "json", dry_run=False, user=users["coordinator"])
    assert report.ok and report.outcomes[0].changes == ["district"]
    wedding.refresh_from_db()
    assert wedding.district == "Gesundbrunnen"
    assert wedding.description == "Neue Beschreibung aus dem Entwurf."  # the draft went live
    assert not wedding.has_unpublished_changes
    assert wedding.live_revision.user == users["coordinator"]


def test_a_coordinator_moves_a_group_to_another_office_and_its_usage_follows(offices, users):
    from wagtail.models import ReferenceIndex

    wedding = group(WEDDING)
    content = f"id,name,office\n{wedding.pk},{WEDDING},beta.localhost\n"
    report = import_groups(content, "csv", dry_run=False, user=users["coordinator"])
    assert report.ok and report.outcomes[0].changes == ["office"]
    wedding.refresh_from_db()
    assert wedding.office == offices["beta"]
    using_beta = ReferenceIndex.get_references_to(offices["beta"]).filter(object_id=str(wedding.pk))
    assert using_beta.exists()
    assert (
        not ReferenceIndex.get_references_to(offices["alpha"])
        .filter(object_id=str(wedding.pk))
        .exists()
    )
