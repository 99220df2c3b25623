"""The legal pages of an office (Impressum, Datenschutz, Barrierefreiheit) and what the
profile still lacks for them.

A new office's profile is usually incomplete: provisioning knows the name and perhaps an
address, not who represents the provider or who is responsible for the content. Legal
pages built from such a profile would be published half-finished, so they are created as
drafts and published from the profile as soon as it has what they need (see
``home.legal.publish_legal_pages_when_ready``, called whenever the profile is saved). The text never
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
