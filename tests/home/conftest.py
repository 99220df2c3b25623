"""Fixtures for the page, form and theme tests of the home app."""

import pytest
from django.core.cache import cache
from wagtail.models import Page


@pytest.fixture(autouse=True)
def _empty_cache():
    """The form rate limit counts in the cache; every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


def child(office, slug, language="de"):
    """The page ``slug`` below ``office``'s home page in ``language``."""
    home = office.site.root_page
    if language != "de":
        home = home.get_translations().get(locale__language_code=language)
    return Page.objects.child_of(home).get(slug=slug).specific


def management(prefix, total=0):
    """Management-form data of an inline formset posted through the admin."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
