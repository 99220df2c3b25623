"""The platform's one rate limit for public forms."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from sites import ratelimit


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address, **meta):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


def test_a_client_gets_its_budget_per_scope_and_then_is_refused():
    client = request_from("203.0.113.7")
    assert all(ratelimit.hit(client, "forms", limit=3) for _ in range(3))
    assert not ratelimit.hit(client, "forms", limit=3)
    assert ratelimit.exhausted(client, "forms", limit=3)
    assert ratelimit.hit(client, "other-form", limit=3)
    assert ratelimit.hit(request_from("203.0.113.8"), "forms", limit=3)


def test_the_cache_never_holds_the_address_in_clear_text():
    ratelimit.hit(request_from("198.51.100.23"), "forms")
    keys = list(cache._cache.keys())
    assert keys
    assert not any("198.51.100.23" in key for key in keys)


def test_behind_the_proxy_clients_are_told_apart_by_the_trusted_header():
    proxy = "127.0.0.1"
    first = request_from(proxy, HTTP_X_REAL_IP="203.0.113.1")
    second = request_from(proxy, HTTP_X_REAL_IP="203.0.113.2")
    with override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
        assert ratelimit.client_address(first) == "203.0.113.1"
        assert ratelimit.client_key(first) != ratelimit.client_key(second)
    # Without the setting a client cannot choose its own identity by sending the header.
    assert ratelimit.client_address(first) == proxy
