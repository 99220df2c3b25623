"""A partner's page on another host embeds an office's widget, and Chromium shows it.

The partner page is served by a tiny ``http.server`` on 127.0.0.1 (another origin than
the office's ``alpha.localhost``), with exactly the embed code the admin hands out. Chromium
must show the office's groups inside the frame under the platform's real headers (no
``bypass_csp``: the frame is allowed by ``frame-ancestors`` and its inline style by its
hash), without any cookie and without any request to a third host; the link opens the
group's page in the whole window; axe-core finds nothing serious inside the frame.
"""

import functools
import http.server
import os
import re
import threading

import pytest

from tests.browser.conftest import AXE, CHROMIUM, SCREENSHOTS

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
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def widget_content(browser_site, django_db_blocker):
    """A topic, two groups of Alpha and a widget for them (committed; removed after).

    Alpha's site is registered on the live server's port meanwhile: the widget links to
    the office's pages with absolute addresses (it is shown on other hosts), which must
    lead to this server."""
    from directory.models import PartnerWidget, SelfHelpGroup, Topic
    from sites.models import Office

    with django_db_blocker.unblock():
        office = Office.objects.select_related("site").get(site__hostname="alpha.localhost")
        site, port = office.site, office.site.port
        site.port = browser_site["port"]
        site.save()
        topic = Topic.objects.create(slug="widget-angst", name="Angst und Panik")
        groups = []
        for name, district in (("Angst gemeinsam bewältigen", "Moabit"), ("Panik-Treff", "Mitte")):
            group = SelfHelpGroup(
                name=name, office=office, district=district, city="Berlin", weekday=2
            )
            group.save()
            group.topics.set([topic])
            group.save()
            groups.append(group)
        widget = PartnerWidget.objects.create(office=office, name="Praxis Müller")
        widget.topics.set([topic])
        try:
            yield {"widget": widget, "groups": groups}
        finally:
            widget.delete()
            for group in groups:
                group.delete()
            topic.delete()
            site.port = port
            site.save()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def partner_site(browser_site, widget_content, tmp_path_factory):
    """The partner's page, on 127.0.0.1 at a port of its own (``PARTNER_TEST_PORT``)."""
    from directory.widget_admin import embed_code

    code = embed_code(widget_content["widget"])
    assert f"http://alpha.localhost:{browser_site['port']}/widget/" in code
    root = tmp_path_factory.mktemp("partner")
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        "<title>Praxis Müller – Hilfe finden</title></head><body><main>"
        "<h1>Praxis Müller</h1><p>Selbsthilfegruppen in Ihrer Nähe:</p>"
        f"{code}</main></body></html>",
        encoding="utf-8",
    )
    # The same page for axe-core, whose script the sandboxed frame would not run (the
    # frame's content is the same; only the partner's sandbox attribute is left out).
    unsandboxed = re.sub(r' sandbox="[^"]*"', "", code)
    assert unsandboxed != code
    (root / "axe.html").write_text(
        (root / "index.html").read_text(encoding="utf-8").replace(code, unsandboxed),
        encoding="utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", int(os.environ.get("PARTNER_TEST_PORT", "0"))), handler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_partner_page_on_another_host_shows_the_offices_groups(
    chromium, browser_site, widget_content, partner_site
):
    context = chromium.new_context(viewport={"width": 900, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(partner_site, wait_until="load")
        frame = page.frame_locator("iframe")
        links = frame.locator("li a.name")
        links.first.wait_for()
        assert sorted(links.all_inner_texts()) == ["Angst gemeinsam bewältigen", "Panik-Treff"]
        assert frame.locator("h1").inner_text() == "Selbsthilfegruppen"
        page.screenshot(path=str(SCREENSHOTS / "partner-widget.png"), full_page=True)

        widget_frame = next(f for f in page.frames if "/widget/" in f.url)
        assert widget_frame.evaluate("() => window.__cspViolations") == []
        assert context.cookies() == []
        port = browser_site["port"]
        hosts = {(r.split("/")[2]) for r in requested}
        assert hosts == {partner_site.split("/")[2], f"alpha.localhost:{port}"}, hosts

        # The link opens the group's page on the office's site in the whole window.
        links.first.click()
        page.wait_for_url(f"http://alpha.localhost:{port}/gruppen/**")
        assert "Angst gemeinsam bewältigen" in page.locator("h1").inner_text()
    finally:
        context.close()

    from directory.models import WidgetReferral
    from directory.widget import flush_referrals

    flush_referrals()  # the live server runs in this process
    origins = dict(
        WidgetReferral.objects.filter(widget=widget_content["widget"]).values_list("origin", "hits")
    )
    assert origins == {partner_site.rstrip("/"): 1}


def test_axe_finds_nothing_serious_inside_the_frame(chromium, partner_site):
    # axe-core is a script; the frame runs none (sandbox, CSP), so this context bypasses
    # the policy and the page leaves the sandbox out. What the visitor sees is the test
    # above.
    context = chromium.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(partner_site + "axe.html", wait_until="load")
        page.frame_locator("iframe").locator("li").first.wait_for()
        frame = next(f for f in page.frames if "/widget/" in f.url)
        frame.add_script_tag(path=str(AXE))
        result = frame.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, "
            "resultTypes: ['violations']})"
        )
        page.screenshot(path=str(SCREENSHOTS / "partner-widget-phone.png"), full_page=True)
    finally:
        context.close()
    serious = [
        f"{v['id']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
