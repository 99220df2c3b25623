"""Legal pages follow the office profile: drafts until it holds what they need, then
generated from it and published (see ``sites.legal`` for what each page needs).

The home app owns the page texts (``home.defaults``), so it listens to profile saves
itself; the tenancy app only knows which profile fields are required.
"""

from sites.legal import draft_legal_pages, is_ready, legal_pages


def publish_legal_pages_when_ready(office):
    """Publish the provisioned legal pages whose requirements the profile now meets.

    Only pages that were never published are touched: their text is generated afresh
    from the profile (it may have been created while the profile was empty) and
    published. A page an editor has published (or unpublished) on purpose is theirs.
    Returns the published pages.
    """
    from . import defaults

    published = []
    waiting = [
        page
        for page in draft_legal_pages(office)
        if page.first_published_at is None and is_ready(office, page.slug)
    ]
    if not waiting:
        return published
    fresh = {page.slug: page for page in defaults.legal_pages(office)}
    for page in waiting:
        template = fresh.get(page.slug)
        if template is None:
            continue
        page.intro = template.intro
        page.body = template.body
        page.save_revision().publish()
        _publish_translations(page)
        published.append(page)
    return published


def _publish_translations(page):
    """Bring the page's synced translations (wagtail-localize) up to date and publish
    them, as provisioning does for a complete profile: the text stays German until a
    translator translates it, but every language's site has its legal pages."""
    from wagtail_localize.models import Translation

    from sites.translation_targets import offers

    for translation in Translation.objects.filter(
        source__object_id=page.translation_key, enabled=True
    ).select_related("source", "target_locale"):
        # A language the office no longer offers keeps its old copy (and answers 404).
        if not offers(page, translation.target_locale):
            continue
        translation.source.update_from_db()
        translation.save_target(publish=True)


def content_signature(page):
    """What a legal page says (intro and body blocks, without block ids), to tell a text
    written by ``home.defaults`` from one an editor has changed."""
    return (page.intro, [(block["type"], block["value"]) for block in page.body.raw_data])


def generated_signatures(office):
    """``{slug: content_signature}`` of the legal pages as ``office``'s profile writes them."""
    from . import defaults

    return {page.slug: content_signature(page) for page in defaults.legal_pages(office)}


def refresh_untouched_legal_pages(office, before):
    """Rewrite the live legal pages that still say exactly what the profile wrote before
    this save (``before``: signatures from ``generated_signatures`` of the old profile),
    so that a new address or a new responsible person reaches the Impressum. Pages an
    editor has changed, and pages with unpublished changes, are left alone."""
    from . import defaults

    refreshed = []
    fresh = {page.slug: page for page in defaults.legal_pages(office)}
    for page in legal_pages(office):
        template = fresh.get(page.slug)
        if (
            template is None
            or not page.live
            or page.has_unpublished_changes
            or not is_ready(office, page.slug)
            or content_signature(page) != before.get(page.slug)
            or content_signature(template) == before.get(page.slug)
        ):
            continue
        page.intro = template.intro
        page.body = template.body
        page.save_revision().publish()
        _publish_translations(page)
        refreshed.append(page)
    return refreshed
