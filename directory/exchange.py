"""Import and export of the directory.

Import: CSV or JSON in the column layout of ``IMPORT_COLUMNS`` (the state database's
exchange format). Every row is validated first; if any row is invalid, nothing is saved and
the report names each bad row with its line number and reason. A valid file is saved in one
transaction with bulk inserts, so 20,000 rows take seconds, not minutes.

Export: only published, not ended groups and only their *public* fields, as CSV, JSON and an
Open Referral HSDS-shaped document. ``PUBLIC_FIELDS`` is the single list of what may leave.
"""

import csv
import datetime
import io
import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sites.models import Office, Weekday

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
IMPORT_COLUMNS = [c for c in PUBLIC_FIELDS if c != "id"] + [
    "public_contact_consent_date",
    "forward_requests_to_group",
    *INTERNAL_FIELDS,
]
REQUIRED_COLUMNS = {"name", "office"}
_TRUE = {"1", "true", "ja", "yes", "x", "wahr"}
_FALSE = {"", "0", "false", "nein", "no", "falsch"}
_WEEKDAYS = {str(label).lower(): value for value, label in Weekday.choices}
_WEEKDAYS.update({str(label).lower()[:2]: value for value, label in Weekday.choices})


class ImportFormatError(ValueError):
    """The file as a whole cannot be read (not the fault of one row)."""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list = field(default_factory=list)  # (line, message)
    dry_run: bool = True

    @property
    def ok(self):
        return not self.errors


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
        return [(reader.line_num, row) for row in reader]
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


class RowParser:
    """Turns one raw row into an unsaved ``SelfHelpGroup`` plus its topic ids."""

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

    def parse(self, raw):
        if not isinstance(raw, dict):
            raise ValidationError(_("Der Eintrag ist kein Objekt."))
        errors = []
        unknown = set(raw) - set(IMPORT_COLUMNS)
        if unknown:
            errors.append(_("Unbekannte Felder: %(f)s") % {"f": ", ".join(sorted(unknown))})
        values = {}
        for column in IMPORT_COLUMNS:
            value = raw.get(column)
            if column not in ("topics", "languages"):
                value = "" if value is None else str(value).strip()
            try:
                values[column] = self._convert(column, value)
            except ValidationError as error:
                errors.append(f"{column}: {'; '.join(error.messages)}")
        if errors:
            raise ValidationError(errors)
        topics = values.pop("topics")
        office = values.pop("office")
        group = SelfHelpGroup(
            office=office,
            locale_id=self.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            **values,
        )
        group.slug = slugify(group.name)[:80] or "gruppe"
        try:
            group.clean_fields(
                exclude=[
                    "office",
                    "topics",
                    "locale",
                    "translation_key",
                    "search_document",
                    "latest_revision",
                    "live_revision",
                    "locked_by",
                ]
            )
            group.clean()
        except ValidationError as error:
            raise ValidationError(
                [f"{name}: {'; '.join(messages)}" for name, messages in error.message_dict.items()]
            ) from error
        group.search_document = build_search_document(group, topics)
        return group, topics

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


def import_groups(content, fmt, *, dry_run=True, allowed_office_ids=None):
    """Validate every row; save all of them (one transaction) only if all are valid."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(content, fmt)
    report.rows = len(rows)
    parser = RowParser(allowed_office_ids)
    parsed = []
    for line, raw in rows:
        try:
            parsed.append(parser.parse(raw))
        except ValidationError as error:
            report.errors.append((line, "; ".join(error.messages)))
    if report.errors or dry_run:
        return report
    now = timezone.now()
    through = SelfHelpGroup.topics.through
    with transaction.atomic():
        groups = [group for group, _topics in parsed]
        for group in groups:
            group.first_published_at = now
            group.last_published_at = now
            group.created_at = now
            group.updated_at = now
        SelfHelpGroup.objects.bulk_create(groups, batch_size=1000)
        if not all(g.pk for g in groups):
            keys = [g.translation_key for g in groups]
            ids = dict(
                SelfHelpGroup.objects.filter(translation_key__in=keys).values_list(
                    "translation_key", "pk"
                )
            )
            for group in groups:
                group.pk = ids[group.translation_key]
        links = [
            through(selfhelpgroup_id=group.pk, topic_id=topic.pk)
            for group, topics in parsed
            for topic in topics
        ]
        through.objects.bulk_create(links, batch_size=5000)
        forget_counts()  # bulk_create sends no signals
    report.created = len(parsed)
    return report


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


_HSDS_NS = uuid.UUID("6f0e4a5c-3c57-4b1a-9a55-0d1f6e8b7c21")


def _hsds_id(kind, pk):
    return str(uuid.uuid5(_HSDS_NS, f"{kind}:{pk}"))


_HSDS_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def export_hsds(groups):
    """An Open Referral HSDS 3.0-shaped document. Each office is an *organization* (the
    groups are reached through it), each group a *service* with its *schedule*, each meeting
    place a *location* joined by a *service_at_location*."""
    organizations, services, locations, links = {}, [], [], []
    for group in groups:
        office = group.office
        org_id = _hsds_id("office", office.pk)
        if org_id not in organizations:
            organizations[org_id] = {
                "id": org_id,
                "name": office.name,
                "description": office.region,
                "email": office.email,
                "website": f"https://{office.site.hostname}/",
                "phones": [{"number": office.phone}] if office.phone else [],
            }
        service_id = _hsds_id("group", group.pk)
        schedule = {
            "id": _hsds_id("schedule", group.pk),
            "service_id": service_id,
            "description": group.rhythm_text(),
            "timezone": "Europe/Berlin",
        }
        if group.weekday is not None and group.rhythm in ("weekly", "every_n_weeks", "nth_weekday"):
            schedule["byday"] = (
                f"{group.nth_of_month}{_HSDS_DAYS[group.weekday]}"
                if group.rhythm == "nth_weekday"
                else _HSDS_DAYS[group.weekday]
            )
            schedule["freq"] = "MONTHLY" if group.rhythm == "nth_weekday" else "WEEKLY"
            schedule["interval"] = group.interval_weeks if group.rhythm == "every_n_weeks" else 1
            if group.starts_at:
                schedule["opens_at"] = group.starts_at.isoformat(timespec="minutes")
            if group.ends_at:
                schedule["closes_at"] = group.ends_at.isoformat(timespec="minutes")
        consented = bool(group.public_contact_consent_date)
        services.append(
            {
                "id": service_id,
                "organization_id": org_id,
                "name": group.name,
                "description": group.description,
                "status": "active" if group.status in ("active", "founding") else "inactive",
                "email": group.public_email if consented else "",
                "url": group.website,
                "languages": [
                    {"code": c, "name": str(LANGUAGE_LABELS.get(c, c))}
                    for c in group.language_codes
                ],
                "attributes": [
                    {
                        "taxonomy_term": {
                            "code": t.slug,
                            "name": t.name,
                            "taxonomy": "directory-topics",
                        }
                    }
                    for t in group.topics.all()
                ],
                "eligibility_description": group.get_audience_display(),
                "schedules": [schedule],
            }
        )
        if group.format != "online" and (group.street or group.district):
            location_id = _hsds_id("location", group.pk)
            accessibility = [
                label
                for flag, label in (
                    (group.step_free_access, "step-free access"),
                    (group.accessible_wc, "accessible WC"),
                    (group.hearing_loop, "hearing loop"),
                )
                if flag
            ]
            locations.append(
                {
                    "id": location_id,
                    "organization_id": org_id,
                    "name": group.venue or group.district,
                    "location_type": "physical",
                    "addresses": [
                        {
                            "address_1": group.street,
                            "city": group.city,
                            "region": group.district,
                            "postal_code": group.postcode,
                            "country": "DE",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [{"description": a} for a in accessibility],
                }
            )
            links.append(
                {
                    "id": _hsds_id("sal", group.pk),
                    "service_id": service_id,
                    "location_id": location_id,
                }
            )
    return {
        "hsds_version": "3.0",
        "organizations": list(organizations.values()),
        "services": services,
        "locations": locations,
        "service_at_locations": links,
    }
