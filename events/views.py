"""Public views of an event page: details with dates and seats, sign-up, ICS file, and
the site-wide ``/events.ics`` feed."""

import datetime
import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from sites import mail as site_mail
from sites import ratelimit
from sites.tenancy import office_for_request

from .forms import RegistrationForm
from .models import HORIZON, LocationKind, Occurrence, Registration, RegistrationStatus
from .recurrence import localise

logger = logging.getLogger(__name__)

#: How many dates an event page lists.
DATES_SHOWN = 12
#: Sign-up attempts per client address and window (seconds).
RATE_LIMIT = getattr(settings, "EVENTS_REGISTRATION_RATE_LIMIT", (5, 600))


def seats_taken(event_key, starts):
    """Confirmed and waiting registrations per occurrence start, in one query."""
    rows = (
        Registration.objects.filter(event_key=event_key, occurrence_start__in=list(starts))
        .values("occurrence_start")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        )
    )
    return {row["occurrence_start"]: row for row in rows}


def annotate_seats(event, occurrences, now=None):
    """Attach ``seats_left``, ``waiting`` and ``registration_open`` to occurrences."""
    now = now or timezone.now()
    taken = seats_taken(event.translation_key, [o.start for o in occurrences])
    for occurrence in occurrences:
        counts = taken.get(occurrence.start, {"confirmed": 0, "waiting": 0})
        occurrence.seats_left = max(0, (event.capacity or 0) - counts["confirmed"])
        occurrence.waiting = counts["waiting"]
        occurrence.registration_open = registration_open(event, occurrence, now)
    return occurrences


def registration_open(event, occurrence, now=None):
    now = now or timezone.now()
    deadline = occurrence.start - datetime.timedelta(hours=event.registration_deadline_hours)
    return event.registration_enabled and not occurrence.cancelled and now < deadline


def event_page_context(event, request):
    now = timezone.now()
    if getattr(request, "is_preview", False) or event.pk is None:
        # A preview shows the dates the draft would have; nothing is stored yet.
        upcoming = [
            Occurrence(start=start, end=end, cancelled=cancelled, all_day=event.all_day)
            for start, end, cancelled in event.occurrences_between(
                now, now + HORIZON, include_cancelled=True
            )[:DATES_SHOWN]
        ]
    else:
        upcoming = list(
            Occurrence.objects.filter(event=event, end__gt=now).order_by("start")[:DATES_SHOWN]
        )
    if event.registration_enabled:
        annotate_seats(event, upcoming, now)
    parent = event.get_parent() if event.path else None
    listing = parent.specific if parent is not None else None
    return {
        "upcoming_dates": upcoming,
        "next_date": next((o for o in upcoming if not o.cancelled), None),
        "json_ld": json_ld(event, request, upcoming),
        "event_ics_url": (event.get_url(request) or "") + event.reverse_subpage("ical"),
        "feed_url": listing.feed_url(request) if hasattr(listing, "feed_url") else None,
        "listing_page": listing,
    }


#: The image of an event for search engines: 16:9, 4:3 and 1:1, each wide enough for
#: their rich results (Google asks for several aspect ratios and at least 50,000 pixels).
JSON_LD_IMAGE_FILTERS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")


def image_urls(event, base_url):
    """Absolute URLs of the event's image in ``JSON_LD_IMAGE_FILTERS`` (empty without one,
    or when the original file is missing)."""
    if not event.image_id or not base_url:
        return []
    try:
        renditions = event.image.get_renditions(*JSON_LD_IMAGE_FILTERS)
    except Exception:  # a missing original file must not take the page down
        logger.warning("No renditions for the image of event %s", event.pk, exc_info=True)
        return []
    return [urljoin(base_url, renditions[spec].url) for spec in JSON_LD_IMAGE_FILTERS]


def json_ld(event, request, upcoming):
    """schema.org ``Event`` for search engines; the next date is the event's date.

    Data only: the template writes it with ``{% json_ld %}`` (``sites.templatetags``)."""
    office = office_for_request(request)
    first = next((o for o in upcoming if not o.cancelled), None)
    start = first.start if first else event.start
    end = first.end if first else event.end
    if event.all_day:
        start_value = timezone.localtime(start).date().isoformat()
        end_value = (timezone.localtime(end) - datetime.timedelta(seconds=1)).date().isoformat()
    else:
        start_value = timezone.localtime(start).isoformat()
        end_value = timezone.localtime(end).isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": start_value,
        "endDate": end_value,
        "eventStatus": "https://schema.org/EventScheduled",
        "url": event.get_full_url(request),
        "description": strip_tags(event.description or "")[:500],
        "isAccessibleForFree": not event.cost,
        "inLanguage": translation.get_language() or "de",
    }
    if event.location_kind == LocationKind.ONLINE:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": event.online_url}
    else:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        place = {"@type": "Place", "name": event.location_text}
        if event.location_kind == LocationKind.ROOM and office:
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": office.street,
                "postalCode": office.postcode,
                "addressLocality": office.city,
                "addressCountry": "DE",
            }
            room = event.room.name if event.room else ""
            place["name"] = f"{office.name}, {room}".strip(", ")
        else:
            place["address"] = event.location_text
        data["location"] = place
    images = image_urls(event, data["url"])
    if images:
        data["image"] = images
    if office:
        data["organizer"] = {
            "@type": "Organization",
            "name": office.name,
            "url": request.build_absolute_uri("/") if request else "",
        }
    if event.is_recurring:
        rule = event.rule()
        schedule = {
            "@type": "Schedule",
            "repeatFrequency": f"P{rule.interval}W"
            if event.frequency == "weekly"
            else f"P{rule.interval}M",
            "byDay": f"https://schema.org/{rule.start.strftime('%A')}",
            "startTime": rule.start.strftime("%H:%M"),
            "endTime": rule.end.strftime("%H:%M"),
            "scheduleTimezone": "Europe/Berlin",
            "startDate": rule.start.date().isoformat(),
        }
        if rule.until:
            schedule["endDate"] = rule.until.isoformat()
        if rule.count:
            schedule["repeatCount"] = rule.count
        data["eventSchedule"] = schedule
    if event.registration_enabled and first is not None and hasattr(first, "seats_left"):
        data["offers"] = {
            "@type": "Offer",
            "url": event.get_full_url(request),
            "price": "0" if not event.cost else event.cost,
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock"
            if first.seats_left
            else "https://schema.org/SoldOut",
        }
    return data


# --- registration -------------------------------------------------------------------


def parse_token(token):
    try:
        naive = datetime.datetime.strptime(token, "%Y%m%dT%H%M")
    except ValueError:
        return None
    return localise(naive)


def rate_limited(request):
    """Count a sign-up attempt of this client; True once the limit is exceeded."""
    limit, window = RATE_LIMIT
    return not ratelimit.hit(request, "events:registration", limit, window)


def privacy_page(request):
    """The site's Datenschutz page in the active language (linked from the consent box)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    home = site.root_page.localized
    return home.get_children().live().filter(slug="datenschutz").first()


def register(event, request, token):
    """GET: the sign-up form for one date; POST: sign up (seat or waiting list)."""
    start = parse_token(token)
    occurrence = (
        Occurrence.objects.filter(event=event, start=start, cancelled=False).first()
        if start
        else None
    )
    if occurrence is None or not event.registration_enabled:
        raise Http404(_("Für diesen Termin ist keine Anmeldung möglich."))
    annotate_seats(event, [occurrence])
    context = {
        "page": event,
        "self": event,
        "occurrence": occurrence,
        "privacy_page": privacy_page(request),
        "event_url": event.get_url(request),
    }
    if not occurrence.registration_open:
        context["closed"] = True
        return TemplateResponse(
            request,
            "events/registration_form.html",
            context,
            status=400 if request.method == "POST" else 200,
        )
    if request.method != "POST":
        context["form"] = RegistrationForm()
        return TemplateResponse(request, "events/registration_form.html", context)

    if rate_limited(request):
        context["form"] = RegistrationForm(request.POST)
        context["rate_limited"] = True
        return TemplateResponse(request, "events/registration_form.html", context, status=429)
    form = RegistrationForm(request.POST)
    context["form"] = form
    if form.is_spam():
        # Bots get the same answer as people, so they learn nothing; nothing is stored.
        logger.info("Honeypot filled on event %s", event.pk)
        return TemplateResponse(
            request, "events/registration_done.html", {**context, "status": "confirmed"}
        )
    if not form.is_valid():
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
        return TemplateResponse(request, "events/registration_form.html", context, status=400)

    registration, outcome = create_registration(event, occurrence, form.cleaned_data)
    context["outcome"] = outcome
    if registration is None:
        return TemplateResponse(request, "events/registration_form.html", context, status=409)
    context["registration"] = registration
    context["status"] = registration.status
    context["mail_failed"] = not send_confirmation(registration, event, occurrence, request)
    return TemplateResponse(request, "events/registration_done.html", context)


def create_registration(event, occurrence, data):
    """Take a seat, or a place on the waiting list; ``(None, reason)`` if neither."""
    from sites.models import Office

    with transaction.atomic():
        # Locking the office row serialises sign-ups of one office, so two people cannot
        # take the last seat at the same moment (also across the page's translations).
        office = Office.objects.select_for_update().get(pk=occurrence.office_id)
        existing = Registration.objects.filter(
            event_key=event.translation_key,
            occurrence_start=occurrence.start,
            email__iexact=data["email"],
        ).exclude(status=RegistrationStatus.CANCELLED)
        if existing.exists():
            return None, "duplicate"
        confirmed = Registration.objects.filter(
            event_key=event.translation_key,
            occurrence_start=occurrence.start,
            status=RegistrationStatus.CONFIRMED,
        ).count()
        if confirmed < event.capacity:
            status = RegistrationStatus.CONFIRMED
        elif event.waiting_list:
            status = RegistrationStatus.WAITING
        else:
            return None, "full"
        registration = Registration.objects.create(
            office=office,
            event=event,
            event_key=event.translation_key,
            occurrence_start=occurrence.start,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            note=data["note"],
            status=status,
            consent_at=timezone.now(),
        )
    return registration, status


def send_confirmation(registration, event, occurrence, request=None):
    """Mail the visitor (in German) what they signed up for. False if sending failed."""
    from sites.models import Office

    office = Office.objects.filter(pk=registration.office_id).first()
    with translation.override("de"):
        when = describe_date(occurrence)
        waiting = registration.status == RegistrationStatus.WAITING
        subject = (
            _("Warteliste: %(title)s am %(date)s")
            if waiting
            else _("Anmeldebestätigung: %(title)s am %(date)s")
        ) % {"title": event.title, "date": date_format(occurrence.local_start, "d.m.Y")}
        body = render_to_string(
            "events/email/registration_confirmation.txt",
            {
                "registration": registration,
                "event": event,
                "when": when,
                "waiting": waiting,
                "office": office,
                "url": site_mail.public_urls(event.get_full_url(request)),
                "cancel_url": registration.cancel_url(),
            },
        )
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=site_mail.office_sender(office),
        to=[registration.email],
        reply_to=site_mail.office_reply_to(office),
        headers=site_mail.automatic_headers(),
    )
    try:
        message.send()
    except Exception:  # the sign-up is stored; the office can confirm by phone
        logger.exception("Registration mail to %s failed", registration.pk)
        return False
    return True


def describe_date(occurrence):
    """A German description of the date, e.g. „Dienstag, 12. Mai 2026, 18:00–20:00 Uhr“."""
    start = occurrence.local_start
    if occurrence.all_day:
        last = occurrence.last_day
        if last == start.date():
            return date_format(start, "l, j. F Y")
        return f"{date_format(start, 'l, j. F Y')} – {date_format(last, 'l, j. F Y')}"
    end = occurrence.local_end
    if end.date() == start.date():
        return _("%(day)s, %(start)s–%(end)s Uhr") % {
            "day": date_format(start, "l, j. F Y"),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
        }
    return f"{date_format(start, 'l, j. F Y, H:i')} – {date_format(end, 'l, j. F Y, H:i')}"


# --- site-wide feed ---------------------------------------------------------------------


def site_feed(request):
    """``/events.ics`` of any site: the feed of its events index (or network calendar)."""
    from .ics import feed_response
    from .models import EventIndexPage, NetworkCalendarPage

    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("Unbekannte Website."))
    for model in (EventIndexPage, NetworkCalendarPage):
        listing = model.objects.live().child_of(site.root_page).first()
        if listing is not None:
            return feed_response(listing, request)
    raise Http404(_("Diese Website hat keinen Veranstaltungskalender."))


def promote_waiting(event, occurrence_start, request=None):
    """Give free seats of one date to the waiting list, oldest first, and mail them.

    Called when the office cancels or deletes a confirmed registration. Returns the
    promoted registrations.
    """
    from sites.models import Office

    occurrence = Occurrence.objects.filter(event=event, start=occurrence_start).first()
    if occurrence is None or not event.capacity:
        return []
    promoted = []
    with transaction.atomic():
        Office.objects.select_for_update().get(pk=occurrence.office_id)
        same_date = Registration.objects.filter(
            event_key=event.translation_key, occurrence_start=occurrence_start
        )
        free = event.capacity - same_date.filter(status=RegistrationStatus.CONFIRMED).count()
        if free > 0:
            for registration in same_date.filter(status=RegistrationStatus.WAITING).order_by(
                "created_at", "pk"
            )[:free]:
                registration.status = RegistrationStatus.CONFIRMED
                registration.save(update_fields=["status"])
                promoted.append(registration)
    for registration in promoted:
        send_confirmation(registration, event, occurrence, request)
    return promoted


# --- cancelling by link -----------------------------------------------------------------

#: Why a cancel link does not work: (message, HTTP status). Never a server error.
CANCEL_PROBLEMS = {
    "invalid": (
        gettext_lazy(
            "Dieser Abmeldelink ist ungültig. Bitte verwenden Sie den vollständigen Link aus "
            "Ihrer Bestätigungs-E-Mail oder wenden Sie sich an die Kontaktstelle."
        ),
        404,
    ),
    "gone": (
        gettext_lazy(
            "Diese Anmeldung gibt es nicht mehr. Vielleicht wurde sie schon gelöscht, weil "
            "der Termin vorbei ist. Bei Fragen wenden Sie sich bitte an die Kontaktstelle."
        ),
        410,
    ),
    "started": (
        gettext_lazy(
            "Der Termin hat schon begonnen oder ist vorbei; eine Abmeldung über diesen Link "
            "ist nicht mehr möglich. Bitte wenden Sie sich direkt an die Kontaktstelle."
        ),
        410,
    ),
}


def registration_for_token(request, token):
    """``(registration, problem)`` for a cancel link opened on ``request``'s site."""
    try:
        reference = Registration.reference_from_token(token)
    except signing.BadSignature:
        return None, "invalid"
    registration = (
        Registration.objects.select_related("event", "office", "office__site")
        .filter(reference=reference)
        .first()
    )
    if registration is None:
        return None, "gone"
    office = office_for_request(request)
    if office is None or office.pk != registration.office_id:
        # A link only works on its own office's site; elsewhere it reveals nothing.
        return None, "invalid"
    if registration.status != RegistrationStatus.CANCELLED and (
        registration.occurrence_start <= timezone.now()
    ):
        return registration, "started"
    return registration, None


def cancel_by_visitor(registration, request=None):
    """Cancel ``registration`` for its owner; give the seat to the waiting list. Returns
    False if it was already cancelled (a second click changes nothing)."""
    from sites.models import Office

    with transaction.atomic():
        Office.objects.select_for_update().get(pk=registration.office_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return False
        freed = current.status == RegistrationStatus.CONFIRMED
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancelled_by_visitor = True
        current.save(update_fields=["status", "cancelled_at", "cancelled_by_visitor"])
    registration.status = current.status
    if freed:
        promote_waiting(registration.event.specific, registration.occurrence_start, request)
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_registration(request, token):
    """GET: what would be cancelled, with a button. POST (the button): cancel. Link
    scanners in mail systems only GET, so they never cancel anything."""
    registration, problem = registration_for_token(request, token)
    context = {"registration": registration, "problem": problem}
    if registration is not None:
        event = registration.event
        occurrence = Occurrence.objects.filter(
            event_id=event.pk, start=registration.occurrence_start
        ).first()
        context.update(
            {
                "event": event,
                "when": describe_date(occurrence)
                if occurrence
                else date_format(registration.local_occurrence_start, "l, j. F Y, H:i"),
                "event_url": event.get_url(request),
            }
        )
    if problem:
        message, status = CANCEL_PROBLEMS[problem]
        context["message"] = message
        return TemplateResponse(request, "events/registration_cancel.html", context, status=status)
    if registration.status == RegistrationStatus.CANCELLED:
        context["already"] = True
        return TemplateResponse(request, "events/registration_cancel.html", context)
    if request.method == "POST":
        context["done"] = cancel_by_visitor(registration, request)
        context["already"] = not context["done"]
    return TemplateResponse(request, "events/registration_cancel.html", context)
