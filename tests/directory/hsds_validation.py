"""Validate the HSDS export and API with ``jsonschema`` against the official schemas.

The schemas are the Open Referral repository's own (``directory/hsds_schema/``), loaded
into a ``referencing`` registry under their official URLs, so that ``"$ref":
"phone.json"`` resolves as it does for anyone validating against the published files.
Formats (uuid, email, uri, date-time) are checked: ``rfc3986-validator`` and
``rfc3339-validator`` are installed for it. Every record is validated on its own.

Used by ``tests/directory/test_hsds.py`` and ``benchmarks/clients_check.py``.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "directory" / "hsds_schema"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
API = "/api/directory/hsds"

#: Endpoint → (schema of a list item, schema of the answer by id).
SCHEMAS = {
    "services": ("compiled/service_list.json", "service.json"),
    "organizations": ("compiled/organization_list.json", "organization.json"),
    "locations": ("location.json", "location.json"),
    "service_at_locations": ("compiled/service_at_location_list.json", "service_at_location.json"),
    "taxonomies": ("taxonomy.json", "taxonomy.json"),
    "taxonomy_terms": ("taxonomy_term.json", "taxonomy_term.json"),
}
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _registry():
    resources = []
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        contents = json.loads(path.read_text())
        uri = BASE + path.relative_to(SCHEMA_DIR).as_posix()
        resources.append((uri, Resource.from_contents(contents, DRAFT202012)))
    openapi = json.loads((SCHEMA_DIR / "openapi.json").read_text())
    page = openapi["components"]["schemas"]["Page"]
    resources.append((BASE + "Page", Resource.from_contents(page, DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()
_VALIDATORS = {}


def validator(name):
    if name not in _VALIDATORS:
        _VALIDATORS[name] = Draft202012Validator(
            {"$ref": BASE + name},
            registry=REGISTRY,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
    return _VALIDATORS[name]


@dataclass
class Report:
    records: int = 0
    errors: list = field(default_factory=list)  # (where, schema, path, message)
    ids: dict = field(default_factory=dict)  # endpoint → Counter of ids

    def kinds(self):
        """Errors by kind: the failing keyword and the field it failed on."""
        return Counter(
            f"{schema} {path}: {message.split(' is ')[-1][:60]}"
            for _w, schema, path, message in self.errors
        )

    def check(self, where, schema, record):
        self.records += 1
        for error in validator(schema).iter_errors(record):
            path = "/".join(str(p) for p in error.absolute_path) or "(record)"
            self.errors.append((where, schema, path, error.message))

    def check_page(self, where, answer):
        self.check(where, "Page", answer)
        if set(answer) != PAGE_KEYS:
            self.errors.append((where, "Page", "(keys)", f"keys are {sorted(answer)}"))


def validate_api(http, host, per_page=50):
    """Walk every list page and every record by id of every endpoint, and the export;
    ``http`` is a Django test client, ``host`` a site's host name. Returns a Report."""
    report = Report()

    def get(url):
        response = http.get(url, HTTP_HOST=host)
        if response.status_code != 200:
            report.errors.append((url, "-", "-", f"HTTP {response.status_code}"))
            return None
        return response.json()

    for endpoint, (item_schema, detail_schema) in SCHEMAS.items():
        ids = report.ids.setdefault(endpoint, Counter())
        number = 1
        while True:
            url = f"{API}/{endpoint}?page={number}&per_page={per_page}"
            answer = get(url)
            if answer is None:
                break
            report.check_page(url, answer)
            for record in answer.get("contents") or []:
                report.check(url, item_schema, record)
                ids[record.get("id")] += 1
            if answer.get("last_page", True):
                break
            number += 1
        for record_id in list(ids):
            url = f"{API}/{endpoint}/{record_id}"
            record = get(url)
            if record is not None:
                report.check(url, detail_schema, record)
    export = get("/api/directory/hsds.json")
    if export is not None:
        report.check_page("/api/directory/hsds.json", export)
        for record in export.get("contents") or [] if isinstance(export, dict) else []:
            report.check("/api/directory/hsds.json", "service.json", record)
    return report
