"""Import and export of the directory.

Import: CSV or JSON in the column layout of ``IMPORT_COLUMNS`` (the state database's
exchange format, a superset of the export). Offices re-import their spreadsheets every year,
so a row with the ``id`` the export writes updates that group instead of adding a second
one; a row without ``id`` creates a group. Every row is validated first; if any row is
invalid, nothing is saved and the report names each bad row with its line number and
reason. The report says for every row whether it is (or would be) created, updated or
unchanged. A valid file is saved in one transaction: new groups with bulk inserts, so
20,000 rows take seconds; changed groups with a revision and log entries by the importing
user, like an edit in the admin (in bulk for the common case, see ``_publish_in_bulk``;
through Wagtail's ``EditAction`` for drafts, pending drafts, schedules and workflows);
unchanged groups are not touched, so importing an export again changes nothing. Measured
(2 cores): 20,000 new rows ≈ 15–20 s, re-importing their export ≈ 11 s, 20,000 changed
rows ≈ 40 s on SQLite and PostgreSQL.

Export: only published, not ended groups and only their *public* fields, as CSV, JSON and an
Open Referral HSDS 3.0 document. ``PUBLIC_FIELDS`` is the single list of what may leave.
"""

import csv
import datetime
import io
import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.actions.edit import EditAction

from sites.models import Office, Weekday
from sites.slugs import german_slugify

from . import lexicon
from .models import (
    INTERNAL_FIELDS,
    LANGUAGE_LABELS,
    SelfHelpGroup,
    Topic,
    build_search_document,
    default_locale_id,
)
from .search import forget_counts

#: Public fields, in export order. Internal contact fields are deliberately absent.
PUBLIC_FIELDS = [
    "id",
    "name",
    "kind",
    "status",
    "office",
    "topics",
    "description",
    "audience",
    "age_band",
    "gender",
    "languages",
    "rhythm",
    "interval_weeks",
    "nth_of_month",
    "weekday",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "district",
    "street",
    "postcode",
    "city",
    "step_free_access",
    "accessible_wc",
    "hearing_loop",
    "new_members_welcome",
    "professionally_led",
    "public_contact_name",
    "public_phone",
    "public_email",
    "website",
    "last_verified",
]
assert not set(PUBLIC_FIELDS) & set(INTERNAL_FIELDS)

BOOLEAN_FIELDS = {
    "step_free_access",
    "accessible_wc",
    "hearing_loop",
    "new_members_welcome",
    "professionally_led",
    "forward_requests_to_group",
}
DATE_FIELDS = {"public_contact_consent_date", "last_verified"}
TIME_FIELDS = {"starts_at", "ends_at"}
INT_FIELDS = {"interval_weeks", "nth_of_month"}
#: ``id`` is the group number the export writes: a row with one updates that group.
IMPORT_COLUMNS = [*PUBLIC_FIELDS, "public_contact_consent_date", "forward_requests_to_group"]
IMPORT_COLUMNS += list(INTERNAL_FIELDS)
#: Internal contact data and the consent date are not in the public export, and a blank cell
#: in an update keeps them: an office re-importing a spreadsheet without these columns
#: filled must not lose them. ``CLEAR_MARKER`` in such a cell empties the field on purpose.
KEEP_IF_BLANK = {*INTERNAL_FIELDS, "public_contact_consent_date"}
CLEAR_MARKER = "(löschen)"
REQUIRED_COLUMNS = {"name", "office"}
_TRUE = {"1", "true", "ja", "yes", "x", "wahr"}
_FALSE = {"", "0", "false", "nein", "no", "falsch"}
_WEEKDAYS = {str(label).lower(): value for value, label in Weekday.choices}
_WEEKDAYS.update({str(label).lower()[:2]: value for value, label in Weekday.choices})


class ImportFormatError(ValueError):
    """The file as a whole cannot be read (not the fault of one row)."""


@dataclass
class RowOutcome:
    """What the import does (or, in a dry run, would do) with one valid row."""

    line: int
    action: str  # "created", "updated" or "unchanged"
    name: str
    group_id: int | None = None
    changes: list = field(default_factory=list)  # names of the changed fields
    draft: bool = False  # saved as a draft: the importing user may not publish it

    @property
    def label(self):
        return {
            "created": _("neu"),
            "updated": _("geändert"),
            "unchanged": _("unverändert"),
        }[self.action]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    drafts: int = 0
    errors: list = field(default_factory=list)  # (line, message)
    outcomes: list = field(default_factory=list)  # RowOutcome per valid row, in file order
    dry_run: bool = True

    @property
    def ok(self):
        return not self.errors

    @property
    def saved(self):
        return self.ok and not self.dry_run


def read_rows(content, fmt):
    """``(line, dict)`` pairs from CSV or JSON text. CSV lines count the header as line 1;
    JSON records are numbered from 1."""
    if fmt == "csv":
        try:
            sample = content[:4096]
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(content), dialect=dialect)
        if not reader.fieldnames:
            raise ImportFormatError(_("Die Datei ist leer."))
        unknown = set(reader.fieldnames) - set(IMPORT_COLUMNS)
        if unknown:
            raise ImportFormatError(
                _("Unbekannte Spalten: %(cols)s") % {"cols": ", ".join(sorted(unknown))}
            )
        missing = REQUIRED_COLUMNS - set(reader.fieldnames)
        if missing:
            raise ImportFormatError(
                _("Es fehlen Spalten: %(cols)s") % {"cols": ", ".join(sorted(missing))}
            )
        # A short row lacks its last cells (None): like an absent JSON key, they keep the
        # group's values on update. Surplus cells land under the key None (reported).
        return [
            (reader.line_num, {k: v for k, v in row.items() if v is not None}) for row in reader
        ]
    if fmt == "json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as error:
            raise ImportFormatError(
                _("Kein gültiges JSON (Zeile %(line)s): %(msg)s")
                % {"line": error.lineno, "msg": error.msg}
            ) from error
        if isinstance(data, dict) and isinstance(data.get("groups"), list):
            data = data["groups"]
        if not isinstance(data, list):
            raise ImportFormatError(_("Erwartet wird eine Liste von Gruppen."))
        return list(enumerate(data, start=1))
    raise ImportFormatError(_("Unbekanntes Format „%(fmt)s“ (csv oder json).") % {"fmt": fmt})


#: Fields ``clean_fields`` must not look at: set by the import itself or not model input.
_CLEAN_EXCLUDE = [
    "office",
    "topics",
    "locale",
    "translation_key",
    "search_document",
    "latest_revision",
    "live_revision",
    "locked_by",
]


def _validate(group):
    try:
        group.clean_fields(exclude=_CLEAN_EXCLUDE)
        group.clean()
    except ValidationError as error:
        raise ValidationError(
            [f"{name}: {'; '.join(messages)}" for name, messages in error.message_dict.items()]
        ) from error


@dataclass
class ParsedRow:
    """One row converted to model values. ``present`` names the columns the row sets: for
    an update only these change (a blank internal cell is not among them, see
    ``KEEP_IF_BLANK``)."""

    group_id: int | None
    values: dict
    topics: list
    present: set


class RowParser:
    """Turns one raw row into model values: a new ``SelfHelpGroup`` or changes to one."""

    def __init__(self, allowed_office_ids=None):
        self.offices = {}
        for office in Office.objects.select_related("site"):
            if allowed_office_ids is not None and office.pk not in allowed_office_ids:
                continue
            for key in (office.site.hostname, office.short_name, str(office.pk)):
                if key:
                    self.offices[key.lower()] = office
        locale_id = default_locale_id()
        self.locale_id = locale_id
        self.topics = {
            t.slug: t for t in Topic.objects.filter(locale_id=locale_id).select_related("parent")
        }
        self.email = EmailValidator()
        self.url = URLValidator()

    def read(self, raw):
        """A ``ParsedRow``, or ``ValidationError`` with every problem of the row."""
        if not isinstance(raw, dict):
            raise ValidationError(_("Der Eintrag ist kein Objekt."))
        errors = []
        if None in raw:
            errors.append(_("Die Zeile hat mehr Zellen, als die Kopfzeile Spalten hat."))
        unknown = {key for key in raw if key is not None} - set(IMPORT_COLUMNS)
        if unknown:
            errors.append(_("Unbekannte Felder: %(f)s") % {"f": ", ".join(sorted(unknown))})
        group_id = None
        raw_id = "" if raw.get("id") is None else str(raw["id"]).strip()
        if raw_id:
            if raw_id.isdigit() and int(raw_id) > 0:
                group_id = int(raw_id)
            else:
                errors.append(_("id: „%(v)s“ ist keine Gruppennummer.") % {"v": raw_id})
        # A new group gets every column (absent ones take their defaults); an update only
        # the columns the row has.
        columns = [c for c in IMPORT_COLUMNS if c != "id"]
        if group_id is not None:
            columns = [c for c in columns if c in raw]
        values, present = {}, set()
        for column in columns:
            value = raw.get(column)
            if column not in ("topics", "languages"):
                value = "" if value is None else str(value).strip()
            if value == CLEAR_MARKER:
                if column not in KEEP_IF_BLANK:
                    errors.append(
                        _(
                            "%(col)s: „%(marker)s“ gilt nur für interne Kontaktdaten und das "
                            "Einwilligungsdatum; andere Felder leert eine leere Zelle."
                        )
                        % {"col": column, "marker": CLEAR_MARKER}
                    )
                    continue
                value = ""
            elif column in KEEP_IF_BLANK and value == "" and group_id is not None:
                continue  # blank keeps what the office has on record
            try:
                values[column] = self._convert(column, value)
            except ValidationError as error:
                errors.append(f"{column}: {'; '.join(error.messages)}")
            else:
                present.add(column)
        if errors:
            raise ValidationError(errors)
        topics = values.pop("topics", None)
        return ParsedRow(group_id, values, topics, present)

    def build(self, row):
        """A new, validated, unsaved group from ``row``."""
        values = dict(row.values)
        group = SelfHelpGroup(
            locale_id=self.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            **values,
        )
        group.slug = german_slugify(group.name, max_length=80) or "gruppe"
        _validate(group)
        group.search_document = build_search_document(group, row.topics)
        return group

    def _convert(self, column, value):
        if column == "office":
            office = self.offices.get(value.lower()) if value else None
            if office is None:
                raise ValidationError(
                    _("Kontaktstelle „%(v)s“ unbekannt oder nicht erlaubt.") % {"v": value}
                )
            return office
        if column == "topics":
            items = value if isinstance(value, list) else str(value or "").split(";")
            slugs = [str(s).strip() for s in items if str(s).strip()]
            missing = [s for s in slugs if s not in self.topics]
            if missing:
                raise ValidationError(_("Unbekannte Themen: %(t)s") % {"t": ", ".join(missing)})
            return [self.topics[s] for s in slugs]
        if column == "languages":
            items = (
                value if isinstance(value, list) else str(value or "de").replace(";", " ").split()
            )
            codes = [str(c).strip().lower() for c in items if str(c).strip()] or ["de"]
            unknown = [c for c in codes if c not in LANGUAGE_LABELS]
            if unknown:
                raise ValidationError(_("Unbekannte Sprachen: %(l)s") % {"l": ", ".join(unknown)})
            return " ".join(codes)
        if column in BOOLEAN_FIELDS:
            lowered = value.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return column == "new_members_welcome" and lowered == ""
            raise ValidationError(_("„%(v)s“ ist weder ja noch nein.") % {"v": value})
        if column in DATE_FIELDS:
            if not value:
                return None
            try:
                return datetime.date.fromisoformat(value)
            except ValueError as error:
                raise ValidationError(_("Datum im Format JJJJ-MM-TT angeben.")) from error
        if column in TIME_FIELDS:
            if not value:
                return None
            try:
                return datetime.time.fromisoformat(value)
            except ValueError as error:
                raise ValidationError(_("Uhrzeit im Format HH:MM angeben.")) from error
        if column in INT_FIELDS:
            if not value:
                return None
            try:
                return int(value)
            except ValueError as error:
                raise ValidationError(_("Eine ganze Zahl angeben.")) from error
        if column == "weekday":
            if value == "":
                return None
            if value.isdigit() and 0 <= int(value) <= 6:
                return int(value)
            if value.lower() in _WEEKDAYS:
                return _WEEKDAYS[value.lower()]
            raise ValidationError(_("Wochentag als 0–6 oder Name (Montag …) angeben."))
        if column in ("kind", "status", "audience", "rhythm", "format") and value == "":
            return SelfHelpGroup._meta.get_field(column).default
        return value


def _comparable(column, value):
    """``value`` as the file can express it: times to the minute, languages normalised."""
    if column == "office":
        return getattr(value, "pk", value)
    if column in TIME_FIELDS and value is not None:
        return value.replace(second=0, microsecond=0)
    if column == "languages":
        return " ".join((value or "").split())
    return value


def changed_fields(group, row):
    """Names of the fields ``row`` would change on ``group`` (in column order)."""
    changes = []
    for column in IMPORT_COLUMNS:
        if column == "id" or column not in row.present:
            continue
        if column == "topics":
            if {t.pk for t in group.topics.all()} != {t.pk for t in row.topics}:
                changes.append(column)
            continue
        old = getattr(group, column)
        if _comparable(column, old) != _comparable(column, row.values[column]):
            changes.append(column)
    return changes


def _current_version(group):
    """What an editor would see in the edit form: the pending draft if there is one."""
    if group.has_unpublished_changes and group.latest_revision_id:
        return group.get_latest_revision_as_object()
    return group


def _load_groups(ids):
    found = {}
    ids = sorted(ids)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for group in (
            SelfHelpGroup.objects.filter(pk__in=chunk)
            .select_related("office", "locked_by")
            .prefetch_related("topics")
        ):
            found[group.pk] = group
    return found


class _Permissions:
    """What the importing user may do; ``None`` (the command) may do everything."""

    def __init__(self, user):
        from wagtail.permissions import policy_registry

        self.user = user
        self.policy = policy_registry.get_by_type(SelfHelpGroup)
        self._publish = {}

    def may_change(self, group):
        if self.user is None:
            return True
        return self.policy.user_has_permission_for_instance(self.user, "change", group)

    def may_publish(self, office_id):
        if self.user is None:
            return True
        if office_id not in self._publish:
            from sites.tenancy import can_publish_for

            self._publish[office_id] = self.policy.user_has_permission(
                self.user, "publish"
            ) and can_publish_for(self.user, office_id)
        return self._publish[office_id]

    def locked_for(self, group):
        if not group.locked:
            return False
        return self.user is None or group.locked_by_id != self.user.pk


#: For an id that does not exist and for one of another office alike.
NO_SUCH_GROUP = gettext_lazy(
    "Eine Gruppe mit der Nummer %(id)s gibt es nicht oder sie gehört nicht zu Ihrer Kontaktstelle."
)


def import_groups(content, fmt, *, dry_run=True, allowed_office_ids=None, user=None):
    """Validate every row; save all of them (one transaction) only if all are valid.

    A row with an ``id`` updates that group (only the columns the row has, see
    ``KEEP_IF_BLANK``); a row without one creates a group. New groups are bulk-inserted
    (as drafts if ``user`` may not publish the office's groups); changed groups are saved
    like an edit in the admin (a revision and log entries by ``user``, published if
    ``user`` may publish, else a draft), so the history shows who changed what. Unchanged
    groups are not touched. ``user`` None (the command without ``--user``) may do all.
    """
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(content, fmt)
    report.rows = len(rows)
    parser = RowParser(allowed_office_ids)
    permissions = _Permissions(user)
    parsed = []
    for line, raw in rows:
        try:
            parsed.append((line, parser.read(raw)))
        except ValidationError as error:
            report.errors.append((line, "; ".join(error.messages)))
    existing = _load_groups({row.group_id for _line, row in parsed if row.group_id})
    seen = {}
    creations, updates = [], []
    for line, row in parsed:
        try:
            if row.group_id is None:
                group = parser.build(row)
                draft = not permissions.may_publish(group.office_id)
                if draft:
                    group.live = False
                    group.has_unpublished_changes = True
                creations.append((group, row.topics))
                report.outcomes.append(RowOutcome(line, "created", group.name, draft=draft))
                continue
            group = existing.get(row.group_id)
            if (
                group is None
                or (allowed_office_ids is not None and group.office_id not in allowed_office_ids)
                or not permissions.may_change(group)
            ):
                # One message for "does not exist" and "belongs to another office", so the
                # import does not tell which ids other offices use.
                raise ValidationError(NO_SUCH_GROUP % {"id": row.group_id})
            if row.group_id in seen:
                raise ValidationError(
                    _("Die Gruppe %(id)s steht schon in Zeile %(line)s.")
                    % {"id": row.group_id, "line": seen[row.group_id]}
                )
            seen[row.group_id] = line
            if group.locale_id != parser.locale_id:
                raise ValidationError(
                    _(
                        "Die Gruppe %(id)s ist eine Übersetzung; bitte die deutsche Fassung "
                        "importieren."
                    )
                    % {"id": row.group_id}
                )
            current = _current_version(group)
            changes = changed_fields(current, row)
            if not changes:
                report.outcomes.append(RowOutcome(line, "unchanged", current.name, group.pk))
                continue
            if permissions.locked_for(group):
                raise ValidationError(
                    _("Die Gruppe %(id)s ist zur Bearbeitung gesperrt.") % {"id": row.group_id}
                )
            old_name = current.name
            for column in changes:
                if column == "topics":
                    current.topics.set(row.topics)
                else:
                    setattr(current, column, row.values[column])
            _validate(current)
            draft = not permissions.may_publish(current.office_id)
            updates.append(_Update(current, changes, old_name, draft))
            report.outcomes.append(
                RowOutcome(line, "updated", current.name, group.pk, changes, draft=draft)
            )
        except ValidationError as error:
            report.errors.append((line, "; ".join(error.messages)))
    report.errors.sort(key=lambda item: item[0])
    for outcome in report.outcomes:
        setattr(report, outcome.action, getattr(report, outcome.action) + 1)
        report.drafts += outcome.draft
    if report.errors:
        report.created = report.updated = report.unchanged = report.drafts = 0
        report.outcomes = []
        return report
    if dry_run:
        return report
    with transaction.atomic():
        _create(creations)
        in_bulk = _bulk_publishable(updates)
        _publish_in_bulk([u for u in updates if u.group.pk in in_bulk], user)
        for update in updates:
            if update.group.pk not in in_bulk:
                EditAction(update.group, user=user, publish=not update.draft).execute(
                    skip_permission_checks=True
                )
    forget_counts()  # bulk writes send no signals
    lexicon.rebuild()  # new names and places for the search's corrections
    return report


def _update_rows(groups, names):
    """``UPDATE`` the columns ``names`` of ``groups`` with one prepared statement run for
    every row (``executemany``): Django's ``bulk_update`` builds a CASE per column and row
    and takes minutes for 20,000 rows; this takes seconds."""
    fields = [SelfHelpGroup._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk = SelfHelpGroup._meta.pk
    sql = (
        f"UPDATE {quote(SelfHelpGroup._meta.db_table)} SET {assignments} "
        f"WHERE {quote(pk.column)} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(g, f.attname), connection) for f in fields] + [g.pk]
        for g in groups
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclass
class _Update:
    group: SelfHelpGroup  # with the changes applied, validated, not saved
    changes: list
    old_name: str
    draft: bool


def _bulk_publishable(updates):
    """Ids of the changed groups that take the fast path: published by the importing user,
    live without a pending draft, not scheduled and not in a workflow. Everything else goes
    through Wagtail's ``EditAction`` one by one."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowState

    candidates = {
        u.group.pk
        for u in updates
        if not u.draft and u.group.live and not u.group.has_unpublished_changes
        if u.group.go_live_at is None
    }
    if not candidates:
        return set()
    content_type = ContentType.objects.get_for_model(SelfHelpGroup)
    in_workflow = set()
    keys = [str(pk) for pk in candidates]
    for start in range(0, len(keys), 2000):
        in_workflow.update(
            WorkflowState.objects.active()
            .filter(base_content_type=content_type, object_id__in=keys[start : start + 2000])
            .values_list("object_id", flat=True)
        )
    return {pk for pk in candidates if str(pk) not in in_workflow}


def _publish_in_bulk(updates, user):
    """Save and publish many changed groups at once, writing what ``EditAction`` with
    ``publish=True`` writes for each: a revision by ``user`` holding the new content, the
    group row with ``latest_revision``/``live_revision`` and publish dates, and the log
    entries "wagtail.edit", "wagtail.rename" (if the name changed) and "wagtail.publish", so
    the history shows who changed what. Like the bulk creation it leaves out the per-object
    signals: Wagtail's search index (the directory's own search reads ``search_document``,
    which is written here) and, unless the office changed, the reference index."""
    if not updates:
        return
    from django.contrib.contenttypes.models import ContentType
    from wagtail.log_actions import get_active_log_context
    from wagtail.models import ModelLogEntry, ReferenceIndex, Revision

    now = timezone.now()
    content_type = ContentType.objects.get_for_model(SelfHelpGroup)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(u.group.pk),
            user=user,
            content=u.group.serializable_data(),
            object_str=str(u.group),
            created_at=now,
        )
        for u in updates
    ]
    Revision.objects.bulk_create(revisions, batch_size=500)
    if not all(r.pk for r in revisions):
        ids = dict(
            Revision.objects.filter(
                base_content_type=content_type,
                created_at=now,
                object_id__in=[r.object_id for r in revisions],
            ).values_list("object_id", "pk")
        )
        for revision in revisions:
            revision.pk = ids[revision.object_id]
    bookkeeping = {
        "latest_revision",
        "live_revision",
        "live",
        "has_unpublished_changes",
        "expired",
        "first_published_at",
        "last_published_at",
        "updated_at",
        "search_document",
    }
    by_fields = {}
    through = SelfHelpGroup.topics.through
    retopic, links = [], []
    for update, revision in zip(updates, revisions, strict=True):
        group = update.group
        topics = list(group.topics.all())
        group.latest_revision = revision
        group.live_revision = revision
        group.live = True
        group.has_unpublished_changes = False
        group.expired = False
        group.first_published_at = group.first_published_at or now
        group.last_published_at = now
        group.updated_at = now
        group.search_document = build_search_document(group, topics)
        fields = frozenset(bookkeeping | {c for c in update.changes if c != "topics"})
        by_fields.setdefault(fields, []).append(group)
        if "topics" in update.changes:
            retopic.append(group.pk)
            links += [through(selfhelpgroup_id=group.pk, topic_id=t.pk) for t in topics]
    for fields, groups in by_fields.items():
        _update_rows(groups, sorted(fields))
    for start in range(0, len(retopic), 2000):
        through.objects.filter(selfhelpgroup_id__in=retopic[start : start + 2000]).delete()
    through.objects.bulk_create(links, batch_size=5000)
    log_uuid = get_active_log_context().uuid
    entries = []
    for update, revision in zip(updates, revisions, strict=True):
        group = update.group
        common = {
            "content_type": content_type,
            "object_id": str(group.pk),
            "label": ModelLogEntry.objects.get_instance_title(group),
            "timestamp": now,
            "user": user,
            "revision": revision,
            "uuid": log_uuid,
        }
        entries.append(
            ModelLogEntry(action="wagtail.edit", data={}, content_changed=True, **common)
        )
        if update.old_name != group.name:
            title = {"title": {"old": update.old_name, "new": group.name}}
            entries.append(ModelLogEntry(action="wagtail.rename", data=title, **common))
        entries.append(
            ModelLogEntry(action="wagtail.publish", data={}, content_changed=True, **common)
        )
    ModelLogEntry.objects.bulk_create(entries, batch_size=1000)
    # The admin's "usage" views read Wagtail's reference index, which records a group's
    # office (not its topics): only a changed office changes it.
    if ReferenceIndex.is_indexed(SelfHelpGroup):
        for update in updates:
            if "office" in update.changes:
                ReferenceIndex.create_or_update_for_object(update.group)


def _create(parsed):
    """Bulk-insert new groups and their topics: 20,000 rows in seconds."""
    if not parsed:
        return
    now = timezone.now()
    through = SelfHelpGroup.topics.through
    groups = [group for group, _topics in parsed]
    for group in groups:
        if group.live:
            group.first_published_at = now
            group.last_published_at = now
        group.created_at = now
        group.updated_at = now
    SelfHelpGroup.objects.bulk_create(groups, batch_size=1000)
    if not all(g.pk for g in groups):
        keys = [g.translation_key for g in groups]
        ids = {}
        for start in range(0, len(keys), 2000):
            ids.update(
                SelfHelpGroup.objects.filter(
                    translation_key__in=keys[start : start + 2000]
                ).values_list("translation_key", "pk")
            )
        for group in groups:
            group.pk = ids[group.translation_key]
    links = [
        through(selfhelpgroup_id=group.pk, topic_id=topic.pk)
        for group, topics in parsed
        for topic in topics
    ]
    through.objects.bulk_create(links, batch_size=5000)


# --- export -----------------------------------------------------------------------------


def public_queryset():
    return (
        SelfHelpGroup.objects.public()
        .select_related("office", "office__site")
        .prefetch_related("topics")
        .order_by("pk")
    )


def public_record(group):
    """The public data of ``group`` as plain values. Public contact data appears only with
    the group's documented consent."""
    consented = bool(group.public_contact_consent_date)
    record = {}
    for name in PUBLIC_FIELDS:
        if name == "office":
            value = group.office.site.hostname
        elif name == "topics":
            value = [t.slug for t in group.topics.all()]
        elif name == "languages":
            value = group.language_codes
        elif name in ("public_contact_name", "public_phone", "public_email"):
            value = getattr(group, name) if consented else ""
        else:
            value = getattr(group, name)
        if isinstance(value, (datetime.date, datetime.time)):
            value = (
                value.isoformat(timespec="minutes")
                if isinstance(value, datetime.time)
                else value.isoformat()
            )
        record[name] = value
    return record


def export_csv(groups):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PUBLIC_FIELDS)
    writer.writeheader()
    for group in groups:
        record = public_record(group)
        record["topics"] = ";".join(record["topics"])
        record["languages"] = " ".join(record["languages"])
        writer.writerow({k: "" if v is None else v for k, v in record.items()})
    return out.getvalue()


def export_json(groups):
    return {"groups": [public_record(g) for g in groups]}


def export_hsds(groups):
    """The public groups as Open Referral HSDS 3.0 (see ``hsds``): one page of fully
    nested services, each valid against the official ``service`` schema."""
    from .hsds import export

    return export(groups)
