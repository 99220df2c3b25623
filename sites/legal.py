"""The legal pages of an office (Impressum, Datenschutz, Barrierefreiheit) and what the
profile still lacks for them.

A new office's profile is usually incomplete: provisioning knows the name and perhaps an
address, not who represents the provider or who is responsible for the content. Legal
pages built from such a profile would be published half-finished, so they are created as
drafts and published from the profile as soon as it has what they need (see
``publish_legal_pages_when_ready``, called whenever the profile is saved). The text never
contains placeholders: what is missing is listed in the admin instead (on the profile and
on the dashboard).

This module imports no models at module level, because ``sites.models`` uses it.
"""

#: Slugs of the default legal pages (below each office's home page).
LEGAL_PAGE_SLUGS = ("impressum", "datenschutz", "barrierefreiheit")

#: Profile fields each legal page needs before it may be published.
ADDRESS = ("street", "postcode", "city")
REQUIREMENTS = {
    # § 5 DDG: provider with address, representative, fast contact (e-mail and phone);
    # § 18 Abs. 2 MStV: a person responsible for the content.
    "impressum": (
        "organisation",
        *ADDRESS,
        "email",
        "phone",
        "representative",
        "content_responsible",
    ),
    # Art. 13 DSGVO: the controller with its contact details.
    "datenschutz": ("organisation", *ADDRESS, "email"),
    # The accessibility statement needs a feedback channel.
    "barrierefreiheit": ("email",),
}


def _label(office, field_name):
    return str(office._meta.get_field(field_name).verbose_name)


def missing_for_page(office, slug):
    """Labels of the profile fields that legal page ``slug`` still needs."""
    return [
        _label(office, name)
        for name in REQUIREMENTS.get(slug, ())
        if not str(getattr(office, name, "") or "").strip()
    ]


def missing_legal_items(office):
    """Labels of every profile field that some legal page still needs (each once)."""
    seen = []
    for slug in LEGAL_PAGE_SLUGS:
        for label in missing_for_page(office, slug):
            if label not in seen:
                seen.append(label)
    return seen


def is_ready(office, slug):
    return not missing_for_page(office, slug)


def legal_pages(office):
    """The office's legal pages in the default language (specific instances)."""
    from wagtail.models import Page

    site = office.site
    return list(Page.objects.child_of(site.root_page).filter(slug__in=LEGAL_PAGE_SLUGS).specific())


def draft_legal_pages(office):
    """The legal pages that are not live yet."""
    return [page for page in legal_pages(office) if not page.live]


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


def content_signature(page):
    """What a legal page says (intro and body blocks, without block ids), to tell a text
    written by ``sites.defaults`` from one an editor has changed."""
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


def _publish_translations(page):
    """Bring the page's synced translations (wagtail-localize) up to date and publish
    them, as provisioning does for a complete profile: the text stays German until a
    translator translates it, but every language's site has its legal pages."""
    from wagtail_localize.models import Translation

    for translation in Translation.objects.filter(
        source__object_id=page.translation_key, enabled=True
    ).select_related("source"):
        translation.source.update_from_db()
        translation.save_target(publish=True)
