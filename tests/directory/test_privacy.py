"""Internal contact data never reaches the public.

Every public response of the directory tests is checked after each test (see
``_public_bodies_hold_no_internal_data`` in the conftest); this module adds a sweep of
every public page, API and export of both hosts, so it holds in any order and alone.
"""

import pytest

from directory.exchange import PUBLIC_FIELDS
from directory.models import INTERNAL_FIELDS, SelfHelpGroup

from .conftest import INTERNAL_VALUES, PUBLIC_BODIES, internal_values, public_get
from .hsds_validation import API as HSDS_API
from .hsds_validation import SCHEMAS as HSDS_SCHEMAS

pytestmark = pytest.mark.django_db


def sweep(client):
    public_get(client, "/gruppen/")
    public_get(client, "/gruppen/?scope=land&q=Trauer")
    public_get(client, "/en/gruppen/?scope=land")
    for g in SelfHelpGroup.objects.public():
        public_get(client, f"/gruppen/{g.pk}-{g.slug}/")
        public_get(client, f"/en/gruppen/{g.pk}-{g.slug}/")
    for url in (
        "/api/directory/groups/",
        "/api/directory/groups/?q=Erika",
        "/api/directory/export.csv",
        "/api/directory/export.json",
        "/api/directory/hsds.json",
    ):
        public_get(client, url)
    for endpoint in HSDS_SCHEMAS:
        listing = public_get(client, f"{HSDS_API}/{endpoint}", data={"per_page": 200}).json()
        for record in listing["contents"]:
            public_get(client, f"{HSDS_API}/{endpoint}/{record['id']}")


def test_no_public_response_contains_internal_contact_data(visitor):
    sweep(visitor)
    visitor.defaults["HTTP_HOST"] = "land.localhost"
    sweep(visitor)
    assert len(PUBLIC_BODIES) >= 30
    assert sum(HSDS_API in url for url, _body in PUBLIC_BODIES) >= 2 * (6 + 5 + 3)
    for url, body in PUBLIC_BODIES:
        for value in internal_values():
            assert value not in body, (url, value)


def test_internal_words_do_not_find_a_group(visitor):
    for word in ("Verborgen", "Nachbarin", "XQZ", "Bernd"):
        response = public_get(visitor, "/api/directory/groups/", data={"q": word})
        assert response.json()["count"] == 0, word


def test_no_internal_field_is_indexed_searched_or_exported():
    indexed = {field.field_name for field in SelfHelpGroup.get_search_fields()}
    assert not indexed & set(INTERNAL_FIELDS)
    assert not set(PUBLIC_FIELDS) & set(INTERNAL_FIELDS)
    g = SelfHelpGroup.objects.get(name="Angehörigengruppe Alkohol Moabit")
    for value in INTERNAL_VALUES.values():
        for word in value.lower().split():
            assert f" {word} " not in g.search_document


def test_the_stored_search_vector_holds_no_internal_words_and_follows_every_write():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("The stored search vector exists on PostgreSQL only.")
    g = SelfHelpGroup.objects.get(name="Angehörigengruppe Alkohol Moabit")

    def lexemes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT unnest(tsvector_to_array(search_vector)) FROM directory_selfhelpgroup "
                "WHERE id = %s",
                [g.pk],
            )
            return {row[0] for row in cursor.fetchall()}

    words = {w for value in INTERNAL_VALUES.values() for w in value.lower().split()}
    assert lexemes() and not lexemes() & words
    SelfHelpGroup.objects.filter(pk=g.pk).update(search_document=" neuwort ")
    assert lexemes() == {"neuwort"}
