"""What a cache in front of the platform sees: requests over HTTP to a live server.

Public responses are shared (``public, s-maxage``) and one per URL, whatever language the
browser asks for; nothing personal is ever marked shareable."""

import pytest

from tests.sites.http_server import request, start_live_server

# As the browser tests: the live server shares the test database (on SQLite its connection).
pytestmark = pytest.mark.django_db

BROWSER_LANGUAGES = [
    "de-DE,de;q=0.9,en;q=0.8",
    "en-US,en;q=0.9",
    "tr-TR,tr;q=0.9",
    "ar,en;q=0.5",
    "uk-UA,uk;q=0.9,ru;q=0.8",
    "",
]

SHARED = [
    "/",
    "/en/",
    "/veranstaltungen/",
    "/veranstaltungen/?monat=2030-01",
    "/gruppen/",
    "/gruppen/?q=Sucht",
    "/events.ics",
    "/api/directory/groups/",
    "/api/directory/hsds/services",
    "/sitemap.xml",
    "/gibt-es-nicht/",
    "/en/gibt-es-nicht/",
]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """The live server, and a logged-in editor's session cookie."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    with django_db_blocker.unblock():
        client = Client()
        client.force_login(get_user_model().objects.get(username="editor-alpha"))
        session = client.cookies["sessionid"].value
        live = start_live_server()
        try:
            yield {"port": live.thread.port, "session": session}
        finally:
            live.stop()
            from django.contrib.sessions.models import Session

            Session.objects.filter(session_key=session).delete()


@pytest.mark.parametrize("path", SHARED)
def test_a_public_response_to_an_anonymous_visitor_is_shared_by_the_cache(server, path):
    response = request(server["port"], path)
    assert response.status in (200, 404), (path, response.status)
    directives = response.cache_control()
    assert "public" in directives, response.header("Cache-Control")
    assert int(directives["s-maxage"] if "s-maxage" in directives else directives["max-age"]) > 0
    assert "private" not in directives and "no-store" not in directives
    assert "Set-Cookie" not in response.headers
    tags = response.header("X-Cache-Tags").split(",")
    assert "all" in tags and any(tag.startswith("site-") for tag in tags)


@pytest.mark.parametrize("path", SHARED + ["/kontakt/", "/healthz"])
def test_no_response_varies_by_the_browser_language(server, path):
    for language in BROWSER_LANGUAGES:
        response = request(server["port"], path, headers={"Accept-Language": language})
        assert "accept-language" not in response.vary(), (path, language)


@pytest.mark.parametrize(("path", "language"), [("/", "de"), ("/en/", "en")])
def test_the_url_alone_decides_the_language_so_every_browser_gets_the_same_bytes(
    server, path, language
):
    bodies = set()
    for accept in BROWSER_LANGUAGES:
        response = request(server["port"], path, headers={"Accept-Language": accept})
        assert response.header("Content-Language") == language
        bodies.add(response.body)
    assert len(bodies) == 1


def test_a_page_with_a_form_and_its_csrf_token_is_never_stored(server):
    response = request(server["port"], "/kontakt/")
    assert response.status == 200
    assert b"csrfmiddlewaretoken" in response.body
    directives = response.cache_control()
    assert "private" in directives and "no-store" in directives
    assert "public" not in directives
    assert "X-Cache-Tags" not in response.headers


def test_a_logged_in_editor_gets_every_page_private(server):
    for path in ("/", "/veranstaltungen/", "/gruppen/"):
        response = request(
            server["port"], path, headers={"Cookie": f"sessionid={server['session']}"}
        )
        assert response.status == 200
        directives = response.cache_control()
        assert "private" in directives and "no-store" in directives, path
        assert "X-Cache-Tags" not in response.headers


def test_the_admin_and_posts_are_never_shared(server):
    login = request(server["port"], "/admin/login/")
    assert "public" not in login.cache_control()
    assert "no-store" in login.cache_control()
    post = request(
        server["port"],
        "/newsletter/anmelden/",
        method="POST",
        body=b"email=a%40example.org",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert post.status == 403  # no CSRF token
    assert "public" not in post.cache_control()
    assert "private" in post.cache_control()


@pytest.mark.parametrize(
    "path",
    [
        "/newsletter/abmelden/kein-gueltiger-token/",
        "/newsletter/bestaetigen/kein-gueltiger-token/",
        "/newsletter/einstellungen/kein-gueltiger-token/",
        "/anmeldung/absagen/kein-gueltiger-token/",
        "/healthz",
    ],
)
def test_per_visitor_and_health_responses_are_never_stored(server, path):
    response = request(server["port"], path)
    assert response.status < 500
    directives = response.cache_control()
    assert "no-store" in directives or "no-cache" in directives, response.header("Cache-Control")
    assert "public" not in directives
