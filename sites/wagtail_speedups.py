"""Per-request queries of Wagtail's page serving that this platform answers from memory.

Profiling an office home page (issue #14) showed two kinds of queries Wagtail makes on
every request whose answers change only when an editor saves something:

* ``Locale.objects.get_for_language()`` (routing asks for the active locale): answered
  from the content languages' ids kept under the chrome version (``sites.chrome.locale_ids``),
  which every ``Locale`` save replaces.
* ``Page.get_view_restrictions()`` (two queries: the ancestors, then their restrictions)
  while no page anywhere has a view restriction: whether any exists is kept under the
  chrome version too, and any saved or deleted ``PageViewRestriction`` replaces it
  (``sites.signals``). Once a restriction exists, Wagtail's own check runs unchanged.
"""

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.models.i18n import LocaleManager


def _get_for_language(self, language_code):
    from .chrome import locale_ids

    code = get_supported_content_language_variant(language_code)
    pk = locale_ids().get(code)
    if pk is None:
        raise Locale.DoesNotExist(f"Locale matching query does not exist: {code}")
    locale = Locale(pk=pk, language_code=code)
    locale._state.adding = False
    locale._state.db = self.db
    return locale


def any_view_restrictions():
    """Whether any page has a view restriction (kept until the next save)."""
    from .chrome import cached_until_next_save

    return cached_until_next_save(
        "any-page-view-restriction", lambda: PageViewRestriction.objects.exists()
    )


_wagtail_get_view_restrictions = Page.get_view_restrictions


def _get_view_restrictions(self):
    if not any_view_restrictions():
        return PageViewRestriction.objects.none()
    return _wagtail_get_view_restrictions(self)


def install():
    LocaleManager.get_for_language = _get_for_language
    Page.get_view_restrictions = _get_view_restrictions
