"""The Open Referral HSDS 3.0 export and API: valid against the official schemas, record
by record, with HSDS's paging, and clear 4xx answers to bad input."""

import uuid

import pytest

from directory import hsds
from directory.models import SelfHelpGroup
from sites.models import Office

from .conftest import public_get
from .hsds_validation import API, Report, validate_api

pytestmark = pytest.mark.django_db


def test_every_record_of_the_api_and_the_export_is_valid_against_the_official_schemas(visitor):
    report = validate_api(visitor, "alpha.localhost", per_page=2)
    assert report.errors == []
    public = SelfHelpGroup.objects.public().count()
    assert public == 5
    assert len(report.ids["services"]) == public
    assert len(report.ids["organizations"]) == Office.objects.count()
    assert len(report.ids["taxonomy_terms"]) == 5
    assert len(report.ids["taxonomies"]) == 1
    for ids in report.ids.values():
        assert set(ids.values()) == {1}  # every id once across all pages
    # every list item and every record by id, plus the export's services
    assert report.records > 2 * sum(len(ids) for ids in report.ids.values())


@pytest.mark.parametrize(
    ("schema", "record", "path"),
    [
        ("service.json", {"id": "x", "name": "n", "status": "active"}, "id"),
        (
            "service.json",
            {"id": str(uuid.uuid4()), "name": "n", "status": "active", "phones": [{"number": "1"}]},
            "phones/0",
        ),
        ("service.json", {"id": str(uuid.uuid4()), "name": "n", "status": "aktiv"}, "status"),
        (
            "service.json",
            {"id": str(uuid.uuid4()), "name": "n", "status": "active", "email": ""},
            "email",
        ),
        (
            "organization.json",
            {
                "id": str(uuid.uuid4()),
                "name": "n",
                "description": "d",
                "website": "alpha.localhost",
            },
            "website",
        ),
        ("schedule.json", {"id": str(uuid.uuid4()), "timezone": "Europe/Berlin"}, "timezone"),
        (
            "address.json",
            {
                "id": str(uuid.uuid4()),
                "address_1": "Teststraße 1",
                "city": "Berlin",
                "postal_code": "10115",
                "country": "DE",
                "address_type": "physical",
            },
            "(record)",
        ),
    ],
)
def test_the_schema_check_finds_what_the_old_export_got_wrong(schema, record, path):
    report = Report()
    report.check("test", schema, record)
    assert [error[2] for error in report.errors] == [path]


def test_lists_are_paged_the_hsds_way(visitor):
    first = public_get(visitor, f"{API}/services", data={"per_page": 2}).json()
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    last = public_get(visitor, f"{API}/services", data={"per_page": 2, "page": 3}).json()
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    names = {s["name"] for s in first["contents"]} | {s["name"] for s in last["contents"]}
    middle = public_get(visitor, f"{API}/services", data={"per_page": 2, "page": 2}).json()
    names |= {s["name"] for s in middle["contents"]}
    assert len(names) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": "-1"},
        {"per_page": "1000000000"},
        {"per_page": "0"},
        {"page": "1\x00"},
        {"per_page": "2.5"},
        {"sort": "name"},
    ],
)
def test_bad_list_parameters_are_a_400_with_an_explanation(visitor, params):
    response = public_get(visitor, f"{API}/services", data=params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_page_past_the_end_is_a_404(visitor):
    response = public_get(visitor, f"{API}/services", data={"page": 99})
    assert response.status_code == 404
    assert response.json()["details"] == {"total_pages": 1}


def test_records_are_found_by_id_and_unknown_ids_are_a_404(visitor):
    group = SelfHelpGroup.objects.public().get(name="Angehörigengruppe Alkohol Moabit")
    service_id = hsds.record_id("service", group.pk)
    record = public_get(visitor, f"{API}/services/{service_id}").json()
    assert record["name"] == group.name
    assert hsds.pk_from_id("service", record["id"]) == group.pk
    (schedule,) = record["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"]) == ("WEEKLY", "TU", "19:00")
    assert "timezone" not in schedule
    org_id = hsds.record_id("organization", group.office_id)
    assert record["organization"]["id"] == org_id == record["organization_id"]
    for bad in (
        hsds.record_id("organization", group.pk),  # an id of another kind
        hsds.record_id("service", 10**9),
        str(uuid.uuid4()),
        "abc",
    ):
        response = public_get(visitor, f"{API}/services/{bad}")
        assert response.status_code == 404, bad
        assert response.json()["error"]
    for bad in ("%00", "1%00"):  # control characters are refused before any lookup
        response = public_get(visitor, f"{API}/services/{bad}")
        assert response.status_code == 400, bad
        assert response.json()["error"]


def test_an_ended_group_is_not_found_by_its_id(visitor):
    group = SelfHelpGroup.objects.public().get(name="Trauercafé Beta")
    SelfHelpGroup.objects.filter(pk=group.pk).update(status="ended")
    response = public_get(visitor, f"{API}/services/{hsds.record_id('service', group.pk)}")
    assert response.status_code == 404


def test_the_office_website_keeps_the_sites_scheme_and_port(visitor, offices):
    alpha = offices["alpha"]
    alpha.site.port = 8000
    alpha.site.save()
    url = f"{API}/organizations/{hsds.record_id('organization', alpha.pk)}"
    assert public_get(visitor, url, HTTP_HOST="alpha.localhost:8000").json()["website"] == (
        "http://alpha.localhost:8000/"
    )
    alpha.site.port = 443
    alpha.site.save()
    record = public_get(visitor, url, HTTP_HOST="alpha.localhost", secure=True).json()
    assert record["website"] == "https://alpha.localhost/"


def test_the_root_names_the_version_and_the_openapi_description(visitor):
    data = public_get(visitor, API).json()
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/schema/openapi.json")


def test_addresses_name_the_state(visitor, settings):
    settings.DIRECTORY_STATE_PROVINCE = "Bayern"
    data = public_get(visitor, f"{API}/locations", data={"per_page": 200}).json()
    addresses = [a for loc in data["contents"] for a in loc.get("addresses", [])]
    assert addresses and {a["state_province"] for a in addresses} == {"Bayern"}


def test_public_contact_data_appears_only_with_documented_consent(visitor):
    group = SelfHelpGroup.objects.public().get(name="Angehörigengruppe Alkohol Moabit")
    url = f"{API}/services/{hsds.record_id('service', group.pk)}"
    with_consent = public_get(visitor, url).content.decode()
    assert "angehoerige-moabit@example.org" in with_consent and "Gruppe AM" in with_consent
    SelfHelpGroup.objects.filter(pk=group.pk).update(
        public_contact_consent_date=None, public_phone="030 999888"
    )
    without = public_get(visitor, url).json()
    text = str(without)
    assert "angehoerige-moabit@example.org" not in text and "Gruppe AM" not in text
    assert "999888" not in text
    assert "email" not in without and "contacts" not in without and "phones" not in without


@pytest.mark.parametrize("endpoint", ["services", "organizations", "service_at_locations"])
def test_a_list_page_costs_the_same_queries_for_one_record_as_for_many(visitor, endpoint):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(per_page):
        with CaptureQueriesContext(connection) as ctx:
            data = public_get(visitor, f"{API}/{endpoint}", data={"per_page": per_page}).json()
        return len(ctx.captured_queries), data["size"]

    queries(1)  # fills the site caches once
    one, many = queries(1), queries(200)
    assert one[1] == 1 and many[1] >= 3
    assert one[0] == many[0]


def _names(response):
    assert response.status_code == 200, response.content
    return {record["name"] for record in response.json()["contents"]}


def _topic_id(slug):
    from directory.models import Topic

    return hsds.record_id("taxonomy_term", Topic.objects.get(slug=slug).pk)


def test_services_are_found_by_the_directorys_forgiving_search(visitor):
    found = _names(public_get(visitor, f"{API}/services", data={"search": "Alkohl"}))
    assert found == {"Angehörigengruppe Alkohol Moabit", "Trockene Alkoholiker Wedding"}
    assert _names(public_get(visitor, f"{API}/services", data={"search": "Geheimgruppe"})) == set()


def test_services_are_filtered_by_topic_office_and_taxonomy(visitor, offices):
    by_topic = public_get(
        visitor, f"{API}/services", data={"taxonomy_term_id": _topic_id("trauer")}
    )
    assert _names(by_topic) == {"Trauercafé Beta"}
    beta = Office.objects.get(site__hostname="beta.localhost")
    by_office = public_get(
        visitor,
        f"{API}/services",
        data={"organization_id": hsds.record_id("organization", beta.pk)},
    )
    assert _names(by_office) == {"Trauercafé Beta", "Spielerselbsthilfe Beta"}
    everything = _names(public_get(visitor, f"{API}/services"))
    taxonomy = hsds.record_id("taxonomy", hsds.TOPICS_TAXONOMY_PK)
    assert _names(public_get(visitor, f"{API}/services", data={"taxonomy_id": taxonomy})) == (
        everything
    )
    other = hsds.record_id("taxonomy", 2)
    assert _names(public_get(visitor, f"{API}/services", data={"taxonomy_id": other})) == set()


def test_modified_after_takes_dates_and_times_and_leaves_out_older_records(visitor):
    import datetime

    from django.utils import timezone

    old = timezone.now() - datetime.timedelta(days=30)
    SelfHelpGroup.objects.filter(name="Trauercafé Beta").update(updated_at=old)
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    recent = _names(public_get(visitor, f"{API}/services", data={"modified_after": since}))
    assert "Trauercafé Beta" not in recent and "Trockene Alkoholiker Wedding" in recent
    moment = (old - datetime.timedelta(hours=1)).isoformat()
    assert "Trauercafé Beta" in _names(
        public_get(visitor, f"{API}/services", data={"modified_after": moment})
    )


def test_minimal_and_full_change_the_shape_of_the_records(visitor):
    minimal = public_get(visitor, f"{API}/services", data={"minimal": "true"}).json()
    assert minimal["contents"] and all(
        set(record) <= {"id", "last_modified"} and "id" in record for record in minimal["contents"]
    )
    full = public_get(visitor, f"{API}/services", data={"full": "true"}).json()
    assert all("schedules" in record for record in full["contents"])
    listed = public_get(visitor, f"{API}/services").json()
    assert not any("schedules" in record for record in listed["contents"])


def test_postcode_finds_the_groups_located_there(visitor):
    group = SelfHelpGroup.objects.get(name="Angehörigengruppe Alkohol Moabit")
    response = public_get(visitor, f"{API}/service_at_locations", data={"postcode": "10559"})
    assert [record["service_id"] for record in response.json()["contents"]] == [
        hsds.record_id("service", group.pk)
    ]
    elsewhere = public_get(visitor, f"{API}/service_at_locations", data={"postcode": "99999"})
    assert elsewhere.json()["total_items"] == 0


def test_taxonomy_terms_are_filtered_by_parent_and_top_only(visitor):
    from directory.models import Topic

    terms = public_get(visitor, f"{API}/taxonomy_terms", data={"per_page": 200}).json()
    children = [t for t in terms["contents"] if "parent_id" in t]
    assert children, "the test data has topics below others"
    parent = children[0]["parent_id"]
    below = public_get(visitor, f"{API}/taxonomy_terms", data={"parent_id": parent}).json()
    assert {t["id"] for t in below["contents"]} == {
        t["id"] for t in children if t["parent_id"] == parent
    }
    top = public_get(visitor, f"{API}/taxonomy_terms", data={"top_only": "true"}).json()
    assert (
        top["total_items"]
        == Topic.objects.filter(parent__isnull=True, locale__language_code="de").count()
    )
    assert all("parent_id" not in t for t in top["contents"])


def test_ndjson_streams_every_record_without_paging(visitor):
    import json

    response = public_get(visitor, f"{API}/services", data={"format": "ndjson", "per_page": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == public_get(visitor, f"{API}/services").json()["total_items"] > 1
    assert all("organization_id" in record for record in records)


@pytest.mark.parametrize(
    "params",
    [
        {"taxonomy_term_id": "not-an-id"},
        {"taxonomy_term_id": str(uuid.uuid4())},
        {"organization_id": "1"},
        {"modified_after": "gestern"},
        {"modified_after": "2026-13-45"},
        {"minimal": "vielleicht"},
        {"postcode": "1055"},
        {"proximity": "500"},
        {"format": "xml"},
        {"top_only": "true"},
    ],
)
def test_bad_filters_are_a_400_with_an_explanation(visitor, params):
    response = public_get(visitor, f"{API}/services", data=params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_every_filtered_record_is_still_valid_against_the_official_schemas(visitor):
    from .hsds_validation import SCHEMAS

    report = Report()
    for endpoint, params, nested in [
        ("services", {"search": "Alkohol", "full": "true"}, True),
        ("services", {"taxonomy_term_id": _topic_id("alkohol")}, False),
        ("service_at_locations", {"postcode": "10559", "full": "true"}, True),
        ("organizations", {"full_service": "true"}, True),
        ("taxonomy_terms", {"top_only": "true"}, False),
    ]:
        page = public_get(visitor, f"{API}/{endpoint}", data=params).json()
        assert page["contents"], (endpoint, params)
        report.check_page(endpoint, page)
        for record in page["contents"]:
            report.check(endpoint, SCHEMAS[endpoint][1 if nested else 0], record)
    assert report.errors == []
