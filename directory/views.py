"""Public views of the directory: the listing, a group's page and its contact form."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Site

from sites import mail as site_mail
from sites import ratelimit
from sites.cache_version import LocalCopies, prefetch
from sites.languages import active_language
from sites.tenancy import office_for_request

from .forms import ContactRequestForm, DirectoryFilterForm
from .models import TRANSLATED_GROUP_FIELDS, ContactRequest, SelfHelpGroup, locale_id_for
from .search import DirectorySearch, load_vocabulary, topic_name
from .seo import group_head

#: Contact requests allowed per visitor (IP address) per hour.
CONTACT_RATE_LIMIT = 5
CONTACT_RATE_WINDOW = 3600


def localize(groups, topics=True):
    """Swap in the translation of each group (and its topics) for the active language, where
    a published translation exists; German otherwise.

    Groups fetched ``.with_translation()`` carry their translation already, and topic
    names come from the cached topic vocabulary: then no query at all, so a page in
    Arabic makes the same queries as in German (issue #12). Other groups take one query
    for their translations, whatever their number."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    locale_id = locale_id_for(get_supported_content_language_variant(language))
    if locale_id is None or not groups or all(g.locale_id == locale_id for g in groups):
        for group in groups:
            group.display_topics = _topic_names(group, None, language)
            # Set even when empty: a missing attribute in a template costs a ``dir()`` of
            # the model instance per lookup (two per listed group).
            group.german_fields = set()
        return groups
    annotated = all(hasattr(g, "translation_data") for g in groups)
    translated = {}
    if not annotated:
        translated = {
            g.translation_key: {field: getattr(g, field) for field in TRANSLATED_GROUP_FIELDS}
            for g in SelfHelpGroup.objects.filter(
                translation_key__in=[g.translation_key for g in groups],
                locale_id=locale_id,
                live=True,
            ).only("translation_key", *TRANSLATED_GROUP_FIELDS)
        }
    vocabulary = load_vocabulary() if topics else None
    for group in groups:
        if annotated:
            values = group.translation_data or {}
        else:
            values = translated.get(group.translation_key, {})
        # Fields still in German are marked up as German (``lang="de" dir="ltr"``), so
        # that screen readers switch voice and an Arabic page keeps their full stop at the
        # end of the sentence.
        group.german_fields = set()
        for field in TRANSLATED_GROUP_FIELDS:
            if values.get(field):
                setattr(group, field, values[field])
            elif getattr(group, field):
                group.german_fields.add(field)
        group.display_topics = _topic_names(group, vocabulary, language)
    return groups


def _topic_names(group, vocabulary, language):
    """The names of ``group``'s topics: from its ``topic_ids`` and the cached vocabulary
    (German by name, as the topics' own ordering; see ``DirectorySearch.topic_ids``), or
    from its topic objects; in ``language`` where ``vocabulary`` is given."""
    ids = getattr(group, "topic_ids", None)
    if ids is None:
        return [
            localized_topic_name(vocabulary, t, language) if vocabulary else t.name
            for t in group.topics.all()
        ]
    known = (vocabulary or load_vocabulary())["names"]
    ids = sorted((pk for pk in ids if pk in known), key=lambda pk: (known[pk], pk))
    if vocabulary is None:
        return [known[pk] for pk in ids]
    return [topic_name(vocabulary, pk, language) for pk in ids]


def localized_topic_name(vocabulary, topic, language):
    """``topic``'s name in ``language`` from the cached vocabulary (its own name where the
    vocabulary does not know it, e.g. a topic saved a moment ago)."""
    if topic.pk not in vocabulary["names"]:
        return topic.name
    return topic_name(vocabulary, topic.pk, language)


def _query_without(params, *keys):
    return urlencode([(k, v) for k, v in params.items() if k not in keys and v not in ("", None)])


def founding_page(request):
    """The "Gruppe gründen" page of the site (slug ``gruppe-gruenden``), else Kontakt, as
    ``{"url": ...}``; kept until the next save of a page (the chrome version), so a page
    without results asks the database nothing for it."""
    from sites.chrome import cached_until_next_save

    site = Site.find_for_request(request)
    if site is None:
        return None

    def build():
        home = site.root_page.localized
        children = home.get_children().live()
        page = (
            children.filter(slug="gruppe-gruenden").first()
            or children.filter(slug="kontakt").first()
        )
        # A dict even without a page: None would not be kept.
        return {"url": page.get_url(request) if page is not None else None}

    found = cached_until_next_save(f"directory:founding:{site.pk}:{active_language()}", build)
    return found if found["url"] else None


def translated_topic_names(topic_ids):
    """``{topic id: name in the active language}`` for the topics that have a translation
    there (groups link the German topic rows; a translated page shows the translations)."""
    from django.conf import settings

    language = active_language()
    if language == settings.LANGUAGE_CODE or not topic_ids:
        return {}
    # From the cached vocabulary (no query, issue #12): it holds every translated name
    # by the German topic's id.
    names = load_vocabulary()["localized_names"].get(language, {})
    return {pk: names[pk] for pk in topic_ids if pk in names}


def facet_controls(form, data, facets):
    """The filter controls with their options and counts, ready for the template."""
    controls = []
    names = translated_topic_names([row["topic_id"] for row in facets["topic"]])
    selects = [
        (
            "topic",
            [
                (row["topic__slug"], names.get(row["topic_id"], row["topic__name"]), row["n"])
                for row in facets["topic"]
            ],
        ),
        ("district", [(row["district"], row["district"], row["n"]) for row in facets["district"]]),
    ]
    for name in ("audience", "format", "language", "weekday"):
        counts = facets.get(name, {})
        options = []
        for value, label in form.fields[name].choices:
            if value == "":
                continue
            count = counts.get(str(value), 0)
            if count or str(data.get(name)) == str(value):
                options.append((value, label, count))
        selects.append((name, options))
    for name, options in selects:
        current = data.get(name)
        if current not in (None, "") and all(str(v) != str(current) for v, _l, _c in options):
            options = [(current, current, 0), *options]
        controls.append(
            {
                "name": name,
                "label": form.fields[name].label,
                "kind": "select",
                # Rendered here: a state-wide page has hundreds of district options, and a
                # template loop spent several milliseconds on them.
                "options_html": format_html_join(
                    "",
                    '<option value="{}"{}>{} ({})</option>',
                    (
                        (
                            value,
                            mark_safe(" selected") if str(value) == str(current) else "",
                            label,
                            count,
                        )
                        for value, label, count in options
                    ),
                ),
            }
        )
    for name in ("evening", "step_free", "new_members", "founding"):
        controls.append(
            {
                "name": name,
                "label": form.fields[name].label,
                "kind": "checkbox",
                "count": facets.get(name, {}).get("True", 0),
                "checked": bool(data.get(name)),
            }
        )
    return controls


#: Rendered listings this process keeps (besides the shared cache), most recently used
#: first; a state-wide listing with its district options is some 30 kB.
LISTINGS = LocalCopies(size=512)


def directory_listing(page, request):
    """The directory page: the search form, filters and results are rendered once per
    search and kept, in this process and in the shared cache, under the directory's
    version (replaced by every group, topic or locale change) and the chrome version
    (every page, site or office profile save): a saved group shows at once, and a search
    asked before renders nothing but the page around it (issue #14)."""
    from sites import chrome

    from .search import COUNTS_TIMEOUT, COUNTS_VERSION, counts_version

    prefetch(COUNTS_VERSION, chrome.VERSION)  # both versions in one round trip
    office = office_for_request(request)
    site = Site.find_for_request(request)
    # Every parameter as given (not only the form's): the pagination and scope links
    # carry them on.
    given = sorted((name, tuple(request.GET.getlist(name))) for name in request.GET)
    language = translation.get_language() or settings.LANGUAGE_CODE
    identity = (page.pk, site.pk if site else None, office.pk if office else None, language)
    digest = hashlib.sha256(repr((identity, given)).encode()).hexdigest()
    key = f"directory:listing:{counts_version()}:{chrome.current_version()}:{digest}"
    listing = LISTINGS.get(key)
    if listing is None:
        listing = cache.get(key)
        if listing is None:
            listing = str(render_listing(page, request, office))
            cache.set(key, listing, COUNTS_TIMEOUT)
        LISTINGS.put(key, listing)
    context = page.get_context(request)
    context["listing"] = mark_safe(listing)
    return TemplateResponse(request, "directory/directory_page.html", context)


def render_listing(page, request, office):
    """The search form, the filters with their counts and the page of results as HTML."""
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid fields are reported and left out, valid ones still apply
        data = form.cleaned_data
    else:
        data = {}
    regional = office is not None and not office.is_state
    own_only = regional and data.get("scope") != "land"
    search = DirectorySearch(
        data, office=office if regional else None, own_only=own_only, topic_ids=True
    )
    result = search.run()
    localize(result.groups)
    base_url = page.get_url(request)  # once, not per group: resolving it costs ~0.1 ms
    for group in result.groups:
        group.public_url = base_url + group.get_public_path()

    params = {k: v for k, v in request.GET.items() if k != "page"}
    context = page.get_context(request)
    context.update(
        {
            "form": form,
            "result": result,
            "office": office,
            "regional": regional,
            "own_only": own_only,
            "query_string": urlencode(params),
            "widen_query": _query_without(params, "scope") + "&scope=land",
            "narrow_query": _query_without(params, "scope"),
            "controls": facet_controls(form, data, result.facets),
            "wegweiser_query": wegweiser_query(data),
            "founding_page": founding_page(request) if not result.total else None,
            "suggestion_links": [
                {
                    "name": suggestion["name"],
                    "query": urlencode(
                        # State-wide: the office's own groups gave nothing.
                        [("topic", suggestion["slug"])] + ([("scope", "land")] if regional else [])
                    ),
                }
                for suggestion in result.suggestions
            ],
            "active_filters": [
                name
                for name in form.fields
                if name not in ("page", "scope") and data.get(name) not in (None, "", False)
            ],
        }
    )
    # The collapsed filter box says how many filters narrow the result (the search words
    # are not a filter: they stand in the search field above it).
    context["active_filter_count"] = sum(1 for name in context["active_filters"] if name != "q")
    return render_to_string("directory/includes/listing.html", context, request)


def wegweiser_query(data):
    """The query string of the printed Wegweiser for the visitor's topic, district and
    scope (the other filters narrow a search, not a print run), in the page's language."""
    params = {key: data.get(key) for key in ("topic", "district", "scope") if data.get(key)}
    params["sprache"] = translation.get_language() or settings.LANGUAGE_CODE
    return urlencode(params)


def _rate_limited(request):
    return ratelimit.exhausted(request, "directory:contact", CONTACT_RATE_LIMIT)


def _count_request(request):
    ratelimit.hit(request, "directory:contact", CONTACT_RATE_LIMIT, CONTACT_RATE_WINDOW)


def public_group(pk):
    """The public group ``pk`` with its office, site and topics, or None; kept until any
    group, topic or locale changes (the directory's counts version) or the next save of
    a page, site or office profile (the chrome version), so a warm group page asks the
    database nothing for it. Unknown ids are never kept (None is not stored)."""
    from sites.chrome import cached_until_next_save

    from .search import counts_version

    def build():
        group = (
            SelfHelpGroup.objects.public()
            .with_translation()
            .select_related("office", "office__site")
            .prefetch_related("topics")
            .filter(pk=pk)
            .first()
        )
        if group is not None:
            from .seo import group_languages

            group._published_languages = group_languages(group)
        return group

    # The translation of the active language comes in the same query (issue #12), so the
    # kept group is one per language.
    language = translation.get_language() or settings.LANGUAGE_CODE
    return cached_until_next_save(f"directory:group:{counts_version()}:{language}:{pk}", build)


def group_detail(page, request, pk, slug):
    group = public_group(pk)
    if group is None:
        raise Http404(_("Diese Gruppe gibt es im Verzeichnis nicht (mehr)."))
    canonical = page.group_url(group, request)
    if slug != group.slug and request.method == "GET":
        return HttpResponsePermanentRedirect(canonical)
    localize([group])

    sent = request.GET.get("gesendet") == "1"
    form = ContactRequestForm(request.POST or None)
    status = 200
    rate_limited = False
    if request.method == "POST":
        if _rate_limited(request):
            rate_limited = True
            status = 429
        elif form.is_valid():
            _count_request(request)
            if not form.is_spam():
                deliver_contact_request(group, form.cleaned_data, request)
            return HttpResponseRedirect(canonical + "?gesendet=1#kontakt")
        else:
            status = 400

    head = group_head(group, fallback_url=request.build_absolute_uri(canonical))
    context = page.get_context(request)
    context.update(
        {
            "group": group,
            "form": form,
            "sent": sent,
            "rate_limited": rate_limited,
            "seo": head,
            "json_ld": schema_org(group, head["canonical"]),
            "directory_page": page,
        }
    )
    return TemplateResponse(request, "directory/group_detail.html", context, status=status)


def deliver_contact_request(group, data, request):
    """Store the request, mail it to the office (and to the group only with its consent)
    and confirm to the visitor."""
    office = group.office
    forward = bool(
        group.forward_requests_to_group and group.public_email and group.public_contact_consent_date
    )
    contact = ContactRequest.objects.create(
        group=group,
        group_name=group.name,
        office=office,
        name=data["name"],
        email=data["email"],
        phone=data.get("phone", ""),
        message=data["message"],
        consent_at=timezone.now(),
        forwarded_to_group=forward,
    )
    context = {"contact": contact, "group": group, "office": office}
    recipients = [office.email] if office.email else []
    if forward:
        recipients.append(group.public_email)
    if recipients:
        # The office works in German whatever language the visitor wrote from; the visitor's
        # confirmation below stays in the visitor's language.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Kontaktanfrage zur Gruppe „%(group)s“") % {"group": group.name}
            body = render_to_string("directory/mail/contact_request_office.txt", context)
        EmailMessage(
            subject=subject,
            body=body,
            from_email=site_mail.office_sender(office),
            to=recipients,
            reply_to=[contact.email],
            headers=site_mail.automatic_headers(),
        ).send(fail_silently=False)
    EmailMessage(
        subject=_("Ihre Anfrage an %(office)s") % {"office": office.display_short_name},
        body=render_to_string("directory/mail/contact_request_confirmation.txt", context),
        from_email=site_mail.office_sender(office),
        to=[contact.email],
        reply_to=site_mail.office_reply_to(office),
        headers=site_mail.automatic_headers(),
    ).send(fail_silently=False)
    return contact


def _compact(data):
    """``data`` without empty values (schema.org consumers reject empty strings where a
    URL, e-mail or telephone number is expected)."""
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def schema_org(group, url):
    """schema.org JSON-LD of the public data: the group as an ``Organization`` with its
    meeting place and languages, and the office as its contact point.

    No nested ``Event``: a group's meetings have no date of their own (only a rhythm,
    often "by arrangement", often online without a public link), and an ``Event``
    without ``startDate`` and ``location`` is invalid for every consumer of it."""
    office = group.office
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": f"{url}#gruppe",
        "name": group.name,
        "description": group.description,
        "url": url,
        "keywords": ", ".join(getattr(group, "display_topics", [])),
        "knowsLanguage": [code for code in group.language_codes if len(code) == 2],
        "contactPoint": _compact(
            {
                "@type": "ContactPoint",
                "name": office.name,
                "telephone": office.phone,
                "email": office.email,
                "contactType": "Selbsthilfe-Kontaktstelle",
            }
        ),
    }
    if group.website:
        data["sameAs"] = group.website
    if group.format != "online" and (group.street or group.city or group.district):
        data["location"] = _compact(
            {
                "@type": "Place",
                "name": group.venue or group.district or group.city,
                "address": _compact(
                    {
                        "@type": "PostalAddress",
                        "streetAddress": group.street,
                        "postalCode": group.postcode,
                        "addressLocality": group.city or group.district,
                        "addressCountry": "DE",
                    }
                ),
            }
        )
    if group.public_contact_consent_date and group.public_contact_name:
        data["member"] = {"@type": "Person", "name": group.public_contact_name}
    return _compact(data)
