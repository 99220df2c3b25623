"""Every page type of two offices in Chromium at phone and desktop width: axe-core finds
no serious or critical accessibility violation, and no request leaves the office's host.

Screenshots land in ``screenshots/`` (not committed) for a person to look at.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import AXE, CHROMIUM, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    # Each test runs in a transaction that is rolled back; the server only reads.
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

WIDTHS = {"phone": 375, "desktop": 1280}
PAGES = {
    "home": "/",
    "standard": "/angebote/",
    "legal": "/barrierefreiheit/",
    "contact": "/kontakt/",
    "founding": "/gruppe-gruenden/",
    "english-home": "/en/",
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def visit(chromium, site, office, width, path):
    """Open ``path`` on ``office``'s host; return the page and every requested URL."""
    # axe-core is injected as an inline script, which the sites' CSP refuses; the policy
    # itself is tested in test_security_headers_in_chromium.py.
    context = chromium.new_context(
        viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    hostname = site["offices"][office]["hostname"]
    response = page.goto(f"http://{hostname}:{site['port']}{path}", wait_until="load")
    return context, page, response, requested


def serious_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def foreign_requests(requested, site, office):
    own = (site["offices"][office]["hostname"], site["port"])
    return [
        url
        for url in requested
        if not url.startswith("data:") and (urlsplit(url).hostname, urlsplit(url).port) != own
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("office", ["alpha", "beta"])
@pytest.mark.parametrize("kind", PAGES)
def test_a_page_type_is_accessible_and_talks_to_its_own_host_only(
    chromium, browser_site, office, width, kind
):
    context, page, response, requested = visit(chromium, browser_site, office, width, PAGES[kind])
    try:
        assert response.status == 200
        # Wagtail matched the site by hostname alone (the site's port is 80, the server's not).
        assert browser_site["offices"][office]["name"] in page.inner_text("header")
        page.screenshot(path=SCREENSHOTS / f"{office}-{kind}-{width}.png", full_page=True)
        assert serious_violations(page) == []
        assert foreign_requests(requested, browser_site, office) == []
        # Nothing overflows sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    finally:
        context.close()


@pytest.mark.parametrize("office", ["alpha", "beta"])
def test_form_errors_are_announced_and_tied_to_their_fields(chromium, browser_site, office):
    context, page, _response, requested = visit(
        chromium, browser_site, office, "phone", "/gruppe-gruenden/"
    )
    try:
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
        topic = page.locator("#id_thema_der_gruppe")
        assert topic.get_attribute("aria-invalid") == "true"
        assert "id_thema_der_gruppe_error" in topic.get_attribute("aria-describedby")
        assert page.locator("#id_consent").get_attribute("aria-invalid") == "true"
        page.screenshot(path=SCREENSHOTS / f"{office}-founding-errors-phone.png", full_page=True)
        assert serious_violations(page) == []
        assert foreign_requests(requested, browser_site, office) == []
    finally:
        context.close()


def test_the_skip_link_is_the_first_tab_stop_and_visible_on_focus(chromium, browser_site):
    context, page, _response, _requested = visit(chromium, browser_site, "alpha", "desktop", "/")
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box["y"] >= 0 and box["x"] >= 0
        page.screenshot(path=SCREENSHOTS / "alpha-skip-link-desktop.png")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    finally:
        context.close()
