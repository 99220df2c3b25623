"""Chromium enforces the Content-Security-Policy on every public page type and on the
admin without reporting a single violation: the policy is strict and the pages keep to it.

Violations are collected twice: the ``securitypolicyviolation`` event (an init script,
which Chromium runs outside the page's policy) and CSP messages on the console.
"""

import datetime

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


@pytest.fixture(scope="module")
def csp_content(browser_site, django_db_blocker):
    """An event and a group of office Alpha (committed; removed again afterwards)."""
    from directory.models import SelfHelpGroup, Topic
    from events.models import EventIndexPage
    from sites.models import Office
    from tests.events.conftest import make_event

    with django_db_blocker.unblock():
        office = Office.objects.select_related("site__root_page").get(
            site__hostname="alpha.localhost"
        )
        listing = EventIndexPage.objects.child_of(office.site.root_page).get()
        event = make_event(
            listing,
            title="Infoabend Selbsthilfe",
            start=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=9),
            end=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=9, hours=2),
        )
        topic = Topic.objects.create(slug="csp-sucht", name="Sucht")
        group = SelfHelpGroup(
            name="Angehörige Sucht",
            office=office,
            description="Für Angehörige.",
            district="Mitte",
            city="Berlin",
        )
        group.save()
        group.topics.set([topic])
        group.save()
        try:
            yield {"event": f"/veranstaltungen/{event.slug}/", "group": group}
        finally:
            event.delete()
            group.delete()
            topic.delete()


def public_paths(content):
    group = content["group"]
    return {
        "home": "/",
        "content": "/angebote/",
        "events": "/veranstaltungen/",
        "event": content["event"],
        "directory-search": "/gruppen/?q=Sucht",
        "group": f"/gruppen/{group.pk}-{group.slug}/",
        "contact-form": "/kontakt/",
        "founding-form": "/gruppe-gruenden/",
        "newsletter-form": "/newsletter/anmelden/",
        "english-home": "/en/",
        "not-found": "/gibt-es-nicht/",
    }


def open_page(chromium, url):
    context = chromium.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    response = page.goto(url, wait_until="load")
    return context, page, response, console


def violations(page, console):
    page.wait_for_timeout(100)  # reports are queued as tasks
    return page.evaluate("window.__cspViolations") + console


PUBLIC_KINDS = [
    "home",
    "content",
    "events",
    "event",
    "directory-search",
    "group",
    "contact-form",
    "founding-form",
    "newsletter-form",
    "english-home",
    "not-found",
]
#: The event and the group belong to Alpha; Beta shows every other page type.
ALPHA_ONLY = ("event", "group")


@pytest.mark.parametrize(
    ("office", "kind"),
    [("alpha", kind) for kind in PUBLIC_KINDS]
    + [("beta", kind) for kind in PUBLIC_KINDS if kind not in ALPHA_ONLY],
)
def test_a_public_page_type_runs_under_the_strict_policy_without_violations(
    chromium, browser_site, csp_content, office, kind
):
    path = public_paths(csp_content)[kind]
    url = f"http://{office}.localhost:{browser_site['port']}{path}"
    context, page, response, console = open_page(chromium, url)
    try:
        assert response.status == (404 if kind == "not-found" else 200)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "camera=()" in response.headers["permissions-policy"]
        assert violations(page, console) == []
        # The brand colour's nonced <style> is applied, not blocked.
        brand = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
        )
        assert brand.startswith("#")
    finally:
        context.close()


def test_an_injected_inline_script_is_blocked_and_reported(chromium, browser_site):
    """The listener really hears violations: an inline script the page adds is refused."""
    url = f"http://alpha.localhost:{browser_site['port']}/"
    context, page, _response, console = open_page(chromium, url)
    try:
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = 1'; document.head.appendChild(s); }"
        )
        assert page.evaluate("window.__ran") is None
        assert any("script-src" in v for v in violations(page, console))
    finally:
        context.close()


@pytest.mark.parametrize("where", ["login", "dashboard", "page-editor", "image-upload"])
def test_the_admin_runs_under_its_own_policy_without_violations(chromium, browser_site, where):
    from sites.models import Office

    base = f"http://alpha.localhost:{browser_site['port']}"
    context = chromium.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        response = page.goto(f"{base}/admin/login/", wait_until="load")
        if where != "login":
            page.fill("#id_username", "editor-alpha")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/admin/")
            home_id = Office.objects.get(site__hostname="alpha.localhost").site.root_page_id
            target = {
                "dashboard": "/admin/",
                "page-editor": f"/admin/pages/{home_id}/edit/",
                "image-upload": "/admin/images/multiple/add/",
            }[where]
            response = page.goto(base + target, wait_until="networkidle")
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        assert "object-src 'none'" in policy and "default-src 'self'" in policy
        assert "frame-ancestors 'self'" in policy
        assert "camera=()" in response.headers["permissions-policy"]
        assert violations(page, console) == []
    finally:
        context.close()


def test_a_logged_in_editor_sees_the_public_page_with_wagtails_userbar_without_violations(
    chromium, browser_site
):
    """The userbar (Wagtail's scripts and styles) runs under the strict public policy."""
    base = f"http://alpha.localhost:{browser_site['port']}"
    context = chromium.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        page.goto(f"{base}/admin/login/", wait_until="load")
        page.fill("#id_username", "editor-alpha")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        response = page.goto(f"{base}/angebote/", wait_until="networkidle")
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert page.locator("wagtail-userbar").count() == 1
        page.locator("wagtail-userbar").click()
        page.wait_for_timeout(500)
        assert violations(page, console) == []
    finally:
        context.close()
