"""Small links are big enough to hit (WCAG 2.2, 2.5.8 "Target Size (Minimum)": 24 × 24 CSS
pixels): the breadcrumb and the language switcher, on a phone and on a desktop.

Lighthouse's accessibility audit ``target-size`` flagged the breadcrumb links at 18 px;
``benchmarks/web_clients.py`` runs Lighthouse itself. This test measures the same boxes
in Chromium on every run.
"""

import pytest

from tests.browser.conftest import CHROMIUM
from tests.browser.test_pages_in_chromium import WIDTHS, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium (/usr/bin/chromium) is not installed"
    ),
]

MINIMUM = 24


@pytest.mark.parametrize("width", WIDTHS)
def test_breadcrumb_and_language_links_are_at_least_24_pixels_high_and_wide(
    chromium, browser_site, width
):
    context, page, response, _ = visit(chromium, browser_site, "alpha", width, "/angebote/")
    try:
        assert response.status == 200
        boxes = page.eval_on_selector_all(
            "nav.breadcrumbs a, .language-switcher a",
            "links => links.map(a => { const r = a.getBoundingClientRect();"
            " return [a.textContent.trim(), r.width, r.height]; })",
        )
        assert len(boxes) >= 3  # "Startseite" and two languages at least
        small = [box for box in boxes if box[1] < MINIMUM or box[2] < MINIMUM]
        assert small == []
    finally:
        context.close()
