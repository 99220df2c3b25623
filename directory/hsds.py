"""The directory as Open Referral HSDS 3.0 (Human Services Data Specification).

HSDS is what referral platforms and state databases exchange, so the records here follow
the official JSON schemas (vendored in ``hsds_schema/``) to the letter; the tests validate
every record with ``jsonschema`` against them. The mapping:

- each contact office is an *organization* (its website is the office site's own root
  URL, scheme and port included; its public e-mail and phone);
- each public group is a *service* of its office, with its meeting rhythm as a
  *schedule*, its languages, and its topics as *attributes* pointing at
  *taxonomy_terms* of one *taxonomy* (the controlled topic list);
- a group's meeting place is a *location* (with an *address* only when street, postcode
  and city are known, as HSDS requires all three) joined by a *service_at_location*.

Privacy as everywhere in the directory: only ``exchange.PUBLIC_FIELDS`` are read, public
contact data only with the group's documented consent, the internal contact fields never.

Identifiers are UUIDs, as HSDS requires. The ones an API client looks up (organization,
service, location, service_at_location, taxonomy, taxonomy_term) are a fixed UUID per kind
with the database key in the last 48 bits, so a lookup by id is one indexed query; nested
records (phones, schedules, languages ...) get name-based UUIDs (version 5). Both are
stable across exports.

Times: HSDS's ``timezone`` is a number (a UTC offset), which cannot express Europe/Berlin
(+1 in winter, +2 in summer), and ``opens_at`` with an offset would be wrong half the
year. So schedules give the local wall-clock time ("19:00") and say in ``notes`` that it
is local time in Europe/Berlin; ``timezone`` is left out rather than stated wrongly.
"""

import uuid

from django.conf import settings
from django.utils.translation import gettext as _

from .models import LANGUAGE_LABELS, Rhythm

HSDS_VERSION = "3.0"
PROFILE_URL = "https://specs.openreferral.org/en/latest/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"

_NAMESPACE = uuid.UUID("6f0e4a5c-3c57-4b1a-9a55-0d1f6e8b7c21")
#: The kinds an API client may look up by id.
KINDS = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "taxonomy",
    "taxonomy_term",
)
_NODE_BITS = 48
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
#: The one taxonomy: the controlled topic list (database key 1).
TOPICS_TAXONOMY_PK = 1


def _base(kind):
    return uuid.uuid5(_NAMESPACE, f"hsds-kind:{kind}").int >> _NODE_BITS << _NODE_BITS


def record_id(kind, pk):
    """The UUID of an addressable record: the kind's fixed UUID with ``pk`` as its node."""
    if not 0 < pk < 1 << _NODE_BITS:
        raise ValueError(pk)
    return str(uuid.UUID(int=_base(kind) | pk))


def pk_from_id(kind, value):
    """The database key behind ``value`` if it is an id of ``kind``, else ``None``."""
    try:
        number = uuid.UUID(str(value)).int
    except (ValueError, AttributeError):
        return None
    pk = number & ((1 << _NODE_BITS) - 1)
    if number - pk != _base(kind) or pk == 0:
        return None
    return pk


def nested_id(*parts):
    """A stable UUID for a nested record nobody looks up on its own."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(p) for p in parts)))


def _compact(record):
    """Leave out empty optional values: HSDS has no "empty" for a formatted string (an
    empty ``email`` or ``url`` is invalid) and an empty list says nothing."""
    return {k: v for k, v in record.items() if v not in ("", None, [])}


def state_province():
    return settings.DIRECTORY_STATE_PROVINCE


class Builder:
    """Builds HSDS records; caches what many records share (offices, directory URLs)."""

    def __init__(self):
        self._directory_urls = None

    # --- taxonomy -----------------------------------------------------------------------

    def taxonomy(self):
        return {
            "id": record_id("taxonomy", TOPICS_TAXONOMY_PK),
            "name": _("Themen der Selbsthilfe"),
            "description": _(
                "Die kontrollierte Themenliste des Gruppenverzeichnisses (angelehnt an die "
                "NAKOS-Schlagwortliste), mit Synonymen für die Suche."
            ),
            "version": "1",
        }

    def taxonomy_term(self, topic):
        synonyms = ", ".join(line.strip() for line in topic.synonyms.splitlines() if line.strip())
        return _compact(
            {
                "id": record_id("taxonomy_term", topic.pk),
                "code": topic.slug,
                "name": topic.name,
                "description": (
                    _("Auch: %(synonyms)s") % {"synonyms": synonyms} if synonyms else topic.name
                ),
                "parent_id": record_id("taxonomy_term", topic.parent_id)
                if topic.parent_id
                else None,
                "taxonomy": str(_("Themen der Selbsthilfe")),
                "taxonomy_id": record_id("taxonomy", TOPICS_TAXONOMY_PK),
                "language": "de",
            }
        )

    # --- organizations ------------------------------------------------------------------

    def organization(self, office):
        org_id = record_id("organization", office.pk)
        phones = []
        if office.phone:
            phones.append(
                {
                    "id": nested_id("office-phone", office.pk),
                    "organization_id": org_id,
                    "number": office.phone,
                    "type": "voice",
                }
            )
        return _compact(
            {
                "id": org_id,
                "name": office.name,
                "description": office.region
                or _(
                    "Selbsthilfekontaktstelle: informiert über Selbsthilfegruppen und "
                    "vermittelt in sie."
                ),
                "email": office.email,
                "website": f"{office.site.root_url}/",
                "phones": phones,
            }
        )

    # --- services -----------------------------------------------------------------------

    def _directory_url(self, group):
        """The group's public page on its office's site (or ``None``)."""
        if self._directory_urls is None:
            from .models import DirectoryPage, default_locale_id

            self._directory_urls = {}
            pages = DirectoryPage.objects.live().filter(locale_id=default_locale_id())
            for page in pages:
                site_id, root_url, path = page.get_url_parts() or (None, None, None)
                if site_id is not None and site_id not in self._directory_urls:
                    self._directory_urls[site_id] = f"{root_url}{path}"
        base = self._directory_urls.get(group.office.site_id)
        return f"{base}{group.get_public_path()}" if base else None

    def schedule(self, group, service_id):
        schedule = {
            "id": nested_id("schedule", group.pk),
            "service_id": service_id,
            "description": group.rhythm_text(),
        }
        if group.weekday is not None and group.rhythm in (
            Rhythm.WEEKLY,
            Rhythm.EVERY_N_WEEKS,
            Rhythm.NTH_WEEKDAY,
        ):
            monthly = group.rhythm == Rhythm.NTH_WEEKDAY and group.nth_of_month
            schedule["freq"] = "MONTHLY" if monthly else "WEEKLY"
            schedule["byday"] = (
                f"{group.nth_of_month}{_DAYS[group.weekday]}" if monthly else _DAYS[group.weekday]
            )
            schedule["interval"] = (
                group.interval_weeks or 1 if group.rhythm == Rhythm.EVERY_N_WEEKS else 1
            )
        if group.starts_at:
            schedule["opens_at"] = group.starts_at.strftime("%H:%M")
            schedule["notes"] = _("Uhrzeiten in Ortszeit (Europe/Berlin, MEZ/MESZ).")
        if group.ends_at:
            schedule["closes_at"] = group.ends_at.strftime("%H:%M")
        return schedule

    def has_location(self, group):
        return group.format != "online" and bool(group.street or group.district or group.venue)

    def location(self, group):
        location_id = record_id("location", group.pk)
        addresses = []
        if group.street and group.postcode and group.city:
            addresses.append(
                _compact(
                    {
                        "id": nested_id("address", group.pk),
                        "location_id": location_id,
                        "address_1": group.street,
                        "city": group.city,
                        "region": group.district,
                        "state_province": state_province(),
                        "postal_code": group.postcode,
                        "country": "DE",
                        "address_type": "physical",
                    }
                )
            )
        accessibility = [
            {
                "id": nested_id("accessibility", group.pk, key),
                "location_id": location_id,
                "description": str(label),
            }
            for key, flag, label in (
                ("step-free", group.step_free_access, _("Stufenloser Zugang")),
                ("wc", group.accessible_wc, _("Barrierefreies WC")),
                ("hearing-loop", group.hearing_loop, _("Induktionsschleife")),
            )
            if flag
        ]
        return _compact(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": record_id("organization", group.office_id),
                "name": group.venue or group.district or group.city,
                "addresses": addresses,
                "accessibility": accessibility,
            }
        )

    def service_at_location(self, group, with_location=True):
        record = {
            "id": record_id("service_at_location", group.pk),
            "service_id": record_id("service", group.pk),
            "location_id": record_id("location", group.pk),
        }
        if with_location:
            record["location"] = self.location(group)
        return record

    def service(self, group, full=True):
        """A service; ``full`` adds the nested records (the by-id answer and the export),
        without it only the one-to-one fields and the organization (the list answer)."""
        service_id = record_id("service", group.pk)
        consented = bool(group.public_contact_consent_date)
        record = {
            "id": service_id,
            "organization_id": record_id("organization", group.office_id),
            "name": group.name,
            "description": group.description,
            "url": group.website or self._directory_url(group),
            "email": group.public_email if consented else "",
            "status": "active" if group.status in ("active", "founding") else "inactive",
            "eligibility_description": str(group.get_audience_display()),
            "last_modified": group.updated_at.isoformat() if group.updated_at else None,
            "organization": self.organization(group.office),
        }
        if not full:
            return _compact(record)
        record["schedules"] = [self.schedule(group, service_id)]
        record["languages"] = [
            {
                "id": nested_id("language", group.pk, code),
                "service_id": service_id,
                "code": code,
                "name": str(LANGUAGE_LABELS.get(code, code)),
            }
            for code in group.language_codes
        ]
        record["attributes"] = [
            {
                "id": nested_id("attribute", group.pk, topic.pk),
                "link_id": service_id,
                "link_type": "topic",
                "link_entity": "service",
                "taxonomy_term_id": record_id("taxonomy_term", topic.pk),
                "taxonomy_term": self.taxonomy_term(topic),
            }
            for topic in group.topics.all()
        ]
        if consented and group.public_phone:
            record["phones"] = [
                {
                    "id": nested_id("service-phone", group.pk),
                    "service_id": service_id,
                    "number": group.public_phone,
                }
            ]
        if consented and group.public_contact_name:
            record["contacts"] = [
                _compact(
                    {
                        "id": nested_id("contact", group.pk),
                        "service_id": service_id,
                        "name": group.public_contact_name,
                        "email": group.public_email,
                    }
                )
            ]
        if self.has_location(group):
            record["service_at_locations"] = [self.service_at_location(group)]
        return _compact(record)


def page(contents, total, number, per_page):
    """HSDS's paginated answer (``Page`` in the official OpenAPI description)."""
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def export(groups):
    """The whole public directory as one HSDS page of fully nested services."""
    builder = Builder()
    services = [builder.service(group) for group in groups]
    return page(services, len(services), 1, max(1, len(services)))
