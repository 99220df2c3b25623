"""Admin of registrations: list, CSV export, status change and deletion, as one viewset.

Registrations are personal data of one office. They are office-owned
(``EventsConfig.office_owned_models``, with ``coordinators_see_all`` off), so the tenancy
fence narrows every view to the offices the user works for: coordinators see the
registrations of the coordination's own events, not those of the regional offices;
superusers see everything. ``RegistrationViewSet`` goes through the fence's viewset mixin,
so every view that names a registration answers 403 for another office's.
"""

import csv
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.viewsets.base import ViewSet

from sites.fence import OfficeOwnedViewSetMixin
from sites.tenancy import visible_queryset

from .models import Registration, RegistrationStatus

PER_PAGE = 100


def registrations_for_user(user):
    if not user.has_perm("events.view_registration"):
        raise PermissionDenied
    return visible_queryset(user, Registration.objects.select_related("event", "office"))


def _filtered(request):
    registrations = registrations_for_user(request.user)
    event = request.GET.get("veranstaltung", "")
    status = request.GET.get("status", "")
    errors = []
    if event:
        # Only ASCII digits: str.isdigit() also accepts "²", which int() refuses.
        if event.isascii() and event.isdecimal() and len(event) <= 18:
            registrations = registrations.filter(event_id=int(event))
        else:
            errors.append(_("Unbekannte Veranstaltung."))
    if status:
        if status in RegistrationStatus.values:
            registrations = registrations.filter(status=status)
        else:
            errors.append(_("Unbekannter Status."))
    zeit = request.GET.get("zeit", "kommend")
    if zeit == "kommend":
        registrations = registrations.filter(
            occurrence_start__gte=timezone.now() - datetime.timedelta(days=1)
        )
    elif zeit != "alle":
        errors.append(_("Unbekannter Zeitraum."))
    return registrations.order_by("occurrence_start", "event__title", "created_at"), errors


class RegistrationIndexView(View):
    """The office's registrations, filtered by event, status and period."""

    def get(self, request):
        return registration_index(request)


def registration_index(request):
    registrations, errors = _filtered(request)
    events = (
        registrations_for_user(request.user)
        .values_list("event_id", "event__title")
        .distinct()
        .order_by("event__title")
    )
    rows = list(registrations[:PER_PAGE])
    return TemplateResponse(
        request,
        "events/admin/registration_index.html",
        {
            "registrations": rows,
            "truncated": registrations.count() > PER_PAGE,
            "events": events,
            "statuses": RegistrationStatus.choices,
            "errors": errors,
            "query": request.GET.urlencode(),
            "current": {
                "veranstaltung": request.GET.get("veranstaltung", ""),
                "status": request.GET.get("status", ""),
                "zeit": request.GET.get("zeit", "kommend"),
            },
            "can_change": request.user.has_perm("events.change_registration"),
            "can_delete": request.user.has_perm("events.delete_registration"),
        },
        status=400 if errors else 200,
    )


def _cell(value):
    """Neutralise values a spreadsheet would run as a formula (CSV injection)."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def cancelled_by(registration):
    """Who cancelled: the visitor by the link in their mail, or the office."""
    if registration.status != RegistrationStatus.CANCELLED:
        return ""
    if registration.cancelled_by_visitor:
        return _("Teilnehmer*in (Link in der E-Mail)")
    return _("Kontaktstelle")


class RegistrationExportView(View):
    """The filtered list as CSV (UTF-8 with BOM, semicolons, formulas neutralised)."""

    def get(self, request):
        return registration_export(request)


def registration_export(request):
    registrations, errors = _filtered(request)
    if errors:
        return registration_index(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="anmeldungen-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Veranstaltung"),
            _("Termin"),
            _("Name"),
            _("E-Mail"),
            _("Telefon"),
            _("Status"),
            _("Anmerkung"),
            _("Angemeldet am"),
            _("Storniert am"),
            _("Storniert durch"),
            _("Kontaktstelle"),
        ]
    )
    for registration in registrations.iterator():
        writer.writerow(
            [
                _cell(registration.event.title),
                date_format(registration.local_occurrence_start, "d.m.Y H:i"),
                _cell(registration.name),
                _cell(registration.email),
                _cell(registration.phone),
                registration.get_status_display(),
                _cell(registration.note),
                date_format(timezone.localtime(registration.created_at), "d.m.Y H:i"),
                date_format(timezone.localtime(registration.cancelled_at), "d.m.Y H:i")
                if registration.cancelled_at
                else "",
                cancelled_by(registration),
                _cell(registration.office.display_short_name),
            ]
        )
    return response


class RegistrationStatusView(View):
    """Move one registration between confirmed, waiting list and cancelled."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return registration_status(request, pk)


def registration_status(request, pk):
    if not request.user.has_perm("events.change_registration"):
        raise PermissionDenied
    registration = get_object_or_404(registrations_for_user(request.user), pk=pk)
    status = request.POST.get("status", "")
    if status not in RegistrationStatus.values:
        messages.error(request, _("Unbekannter Status."))
        return redirect("events_registrations:index")
    freed = (
        registration.status == RegistrationStatus.CONFIRMED
        and status != RegistrationStatus.CONFIRMED
    )
    with transaction.atomic():
        if status == RegistrationStatus.CANCELLED:
            if registration.status != RegistrationStatus.CANCELLED:
                registration.cancelled_at = timezone.now()
                registration.cancelled_by_visitor = False
        else:
            registration.cancelled_at = None
            registration.cancelled_by_visitor = False
        registration.status = status
        registration.save(update_fields=["status", "cancelled_at", "cancelled_by_visitor"])
    messages.success(
        request,
        _("„%(name)s“: %(status)s.")
        % {"name": registration.name, "status": registration.get_status_display()},
    )
    if freed:
        _promote(request, registration)
    return redirect(_back(request))


def _promote(request, registration):
    """A seat became free: the oldest people on the waiting list move up (and are mailed)."""
    from .views import promote_waiting

    promoted = promote_waiting(registration.event.specific, registration.occurrence_start, request)
    for moved in promoted:
        messages.success(
            request,
            _("„%(name)s“ ist von der Warteliste nachgerückt und wurde benachrichtigt.")
            % {"name": moved.name},
        )


class RegistrationDeleteView(View):
    """Delete one registration; a freed seat goes to the waiting list."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return registration_delete(request, pk)


def registration_delete(request, pk):
    if not request.user.has_perm("events.delete_registration"):
        raise PermissionDenied
    registration = get_object_or_404(registrations_for_user(request.user), pk=pk)
    name = registration.name
    freed = registration.status == RegistrationStatus.CONFIRMED
    registration.delete()
    messages.success(request, _("Die Anmeldung von „%(name)s“ wurde gelöscht.") % {"name": name})
    if freed:
        _promote(request, registration)
    return redirect(_back(request))


def _back(request):
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("events_registrations:index")


class RegistrationViewSet(OfficeOwnedViewSetMixin, ViewSet):
    """The registrations admin: the office's list with filters, its CSV export, and the
    status change and deletion of one registration (POST only)."""

    name = "events_registrations"
    url_prefix = "events/registrations"
    model = Registration
    icon = "clipboard-list"

    def get_queryset(self, request):
        return registrations_for_user(request.user)

    def get_urlpatterns(self):
        from django.urls import path

        return [
            path("", self.construct_view(RegistrationIndexView), name="index"),
            path("export.csv", self.construct_view(RegistrationExportView), name="export"),
            path("<int:pk>/status/", self.construct_view(RegistrationStatusView), name="status"),
            path("<int:pk>/delete/", self.construct_view(RegistrationDeleteView), name="delete"),
        ]
