"""Admin views: the send dashboard of an issue and the subscriber data-rights views."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sites.tenancy import visible_office_ids, visible_queryset

from . import services
from .forms import ScheduleForm, TestSendForm
from .mail import IssueMailer
from .models import Delivery, Dispatch, NewsletterIssue, Subscriber, SubscriptionStatus
from .permissions import can_send, can_test, sees_all_subscribers
from .tasks import enqueue_dispatch


def _issue_for(request, page_id):
    """The German edition of the issue (which owns the send), or 404/403."""
    page = get_object_or_404(NewsletterIssue, pk=page_id)
    issue = page.source_edition()
    if not can_test(request.user, issue):
        raise PermissionDenied
    return issue


def _dashboard_url(issue):
    return reverse("newsletter_admin:dispatch", args=[issue.pk])


def recipients_by_edition(issue):
    """``(rows, total)``: who gets which language edition of ``issue`` if it went out now.

    Each row is ``(edition, count)``; a subscriber whose language has no live edition gets
    the German one, as the send does (:meth:`NewsletterIssue.edition_for`).
    """
    by_language = (
        Subscriber.objects.filter(
            subscriptions__mailing_list_id=issue.mailing_list_id,
            subscriptions__status=SubscriptionStatus.CONFIRMED,
        )
        .values_list("language")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    live = {
        edition.locale.language_code: edition
        for edition in NewsletterIssue.objects.live()
        .filter(translation_key=issue.translation_key)
        .select_related("locale")
    }
    rows = {}
    for language, count in by_language:
        edition = live.get(language, issue)
        previous = rows.get(edition.pk, (edition, 0))[1]
        rows[edition.pk] = (edition, previous + count)
    ordered = sorted(rows.values(), key=lambda row: (row[0].pk != issue.pk, -row[1]))
    return ordered, sum(count for _edition, count in ordered)


def editions_by_language(issue):
    """One row per language of the list's site (and per language a subscriber chose or an
    edition exists in): the edition in it, or none, how many subscribers chose it and which
    edition they will get (the German one where theirs is missing or unpublished)."""
    from django.conf import settings

    from sites.translation_status import site_languages

    chosen = dict(
        Subscriber.objects.filter(
            subscriptions__mailing_list_id=issue.mailing_list_id,
            subscriptions__status=SubscriptionStatus.CONFIRMED,
        )
        .values_list("language")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    editions = {
        edition.locale.language_code: edition
        for edition in NewsletterIssue.objects.filter(
            translation_key=issue.translation_key
        ).select_related("locale")
    }
    office = issue.mailing_list.office
    wanted = {*site_languages(office), *chosen, *editions, settings.LANGUAGE_CODE}
    names = dict(settings.LANGUAGES)
    rows = []
    for code, name in settings.LANGUAGES:
        if code not in wanted:
            continue
        edition = editions.get(code)
        rows.append(
            {
                "code": code,
                "name": name,
                "edition": edition,
                "live": bool(edition and edition.live),
                "subscribers": chosen.get(code, 0),
                "falls_back": not (edition and edition.live),
                "receives": names[code]
                if edition and edition.live
                else names[settings.LANGUAGE_CODE],
            }
        )
    for code in sorted(set(wanted) - set(names)):
        # A language no longer in the settings: its subscribers get German.
        rows.append(
            {
                "code": code,
                "name": code,
                "edition": editions.get(code),
                "live": False,
                "subscribers": chosen.get(code, 0),
                "falls_back": True,
                "receives": names[settings.LANGUAGE_CODE],
            }
        )
    return rows


def dispatch_dashboard(request, page_id):
    issue = _issue_for(request, page_id)
    dispatch = Dispatch.objects.filter(issue=issue).first()
    by_edition, recipients = recipients_by_edition(issue)
    counts = dispatch.counts() if dispatch else None
    failures = (
        dispatch.deliveries.filter(status=Delivery.Status.FAILED)
        .select_related("subscriber")
        .order_by("pk")[:50]
        if dispatch
        else []
    )
    editions = NewsletterIssue.objects.filter(translation_key=issue.translation_key).select_related(
        "locale"
    )
    context = {
        "issue": issue,
        "dispatch": dispatch,
        "counts": counts,
        "failures": failures,
        "recipients": recipients,
        "by_edition": by_edition,
        "editions": editions,
        "languages": editions_by_language(issue),
        "may_send": can_send(request.user, issue),
        "test_form": TestSendForm(initial={"email": request.user.email, "language": "de"}),
        "schedule_form": ScheduleForm(),
        "refresh": dispatch is not None and dispatch.status == Dispatch.Status.RUNNING,
    }
    return TemplateResponse(request, "newsletter/admin/dispatch.html", context)


def email_preview(request, page_id):
    """The latest revision (draft included) of an edition, rendered as the e-mail."""
    page = get_object_or_404(NewsletterIssue, pk=page_id)
    if not can_test(request.user, page.source_edition()):
        raise PermissionDenied
    from .mail import preview_html

    response = HttpResponse(preview_html(page.get_latest_revision_as_object()))
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_POST
def send_test(request, page_id):
    issue = _issue_for(request, page_id)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte eine gültige E-Mail-Adresse angeben."))
        return redirect(_dashboard_url(issue))
    mailer = IssueMailer(issue, issue.mailing_list)
    message = mailer.test_message(form.cleaned_data["email"], form.cleaned_data["language"])
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - shown to the editor, nothing is lost
        messages.error(
            request, _("Die Testausgabe konnte nicht gesendet werden: %(error)s") % {"error": error}
        )
    else:
        messages.success(
            request,
            _("Testausgabe an %(email)s gesendet.") % {"email": form.cleaned_data["email"]},
        )
    return redirect(_dashboard_url(issue))


@require_POST
def schedule(request, page_id):
    issue = _issue_for(request, page_id)
    if not can_send(request.user, issue):
        raise PermissionDenied
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte Datum und Uhrzeit im Format TT.MM.JJJJ HH:MM angeben."))
        return redirect(_dashboard_url(issue))
    if not issue.live or issue.has_unpublished_changes:
        messages.error(
            request,
            _(
                "Bitte die Ausgabe zuerst veröffentlichen; "
                "versendet wird der veröffentlichte Stand."
            ),
        )
        return redirect(_dashboard_url(issue))
    when = form.cleaned_data["scheduled_for"] or timezone.now()
    existing = Dispatch.objects.filter(issue=issue).first()
    if existing is not None and existing.status not in (
        Dispatch.Status.SCHEDULED,
        Dispatch.Status.CANCELLED,
    ):
        messages.error(request, _("Diese Ausgabe wird bereits versendet oder wurde versendet."))
        return redirect(_dashboard_url(issue))
    if request.POST.get("confirm") != "yes":
        # Nothing is sent or scheduled before the sender has seen whom it goes to.
        rows, total = recipients_by_edition(issue)
        return TemplateResponse(
            request,
            "newsletter/admin/confirm_send.html",
            {
                "issue": issue,
                "rows": rows,
                "total": total,
                "scheduled_for": form.cleaned_data["scheduled_for"],
                "scheduled_for_value": request.POST.get("scheduled_for", "")[:40],
                "now": not form.cleaned_data["scheduled_for"]
                or form.cleaned_data["scheduled_for"] <= timezone.now(),
            },
        )
    with transaction.atomic():
        dispatch = Dispatch.objects.select_for_update().filter(issue=issue).first()
        if dispatch is not None and dispatch.status not in (
            Dispatch.Status.SCHEDULED,
            Dispatch.Status.CANCELLED,
        ):
            messages.error(request, _("Diese Ausgabe wird bereits versendet oder wurde versendet."))
            return redirect(_dashboard_url(issue))
        if dispatch is None:
            dispatch = Dispatch(issue=issue)
        dispatch.mailing_list = issue.mailing_list
        dispatch.status = Dispatch.Status.SCHEDULED
        dispatch.scheduled_for = when
        dispatch.created_by = request.user
        dispatch.save()
    enqueue_dispatch(dispatch)
    if when > timezone.now():
        messages.success(
            request,
            _("Versand geplant für %(when)s.")
            % {"when": timezone.localtime(when).strftime("%d.%m.%Y %H:%M")},
        )
    else:
        messages.success(request, _("Der Versand wurde gestartet."))
    return redirect(_dashboard_url(issue))


def _dispatch_for_sender(request, page_id):
    issue = _issue_for(request, page_id)
    if not can_send(request.user, issue):
        raise PermissionDenied
    return issue, get_object_or_404(Dispatch, issue=issue)


@require_POST
def cancel(request, page_id):
    issue, dispatch = _dispatch_for_sender(request, page_id)
    updated = Dispatch.objects.filter(pk=dispatch.pk, status=Dispatch.Status.SCHEDULED).update(
        status=Dispatch.Status.CANCELLED
    )
    if updated:
        messages.success(request, _("Der geplante Versand wurde aufgehoben."))
    else:
        messages.error(request, _("Der Versand läuft bereits und kann nur angehalten werden."))
    return redirect(_dashboard_url(issue))


@require_POST
def stop(request, page_id):
    issue, dispatch = _dispatch_for_sender(request, page_id)
    Dispatch.objects.filter(pk=dispatch.pk, status=Dispatch.Status.RUNNING).update(
        stop_requested=True
    )
    # A running dispatch without a living worker (lease expired) is stopped at once.
    Dispatch.objects.filter(
        pk=dispatch.pk, status=Dispatch.Status.RUNNING, lease_expires_at__lt=timezone.now()
    ).update(status=Dispatch.Status.STOPPED, lease_owner="")
    messages.success(
        request, _("Der Versand wird angehalten. Bereits versendete Nachrichten bleiben erfasst.")
    )
    return redirect(_dashboard_url(issue))


@require_POST
def resume(request, page_id):
    issue, dispatch = _dispatch_for_sender(request, page_id)
    if dispatch.status == Dispatch.Status.STOPPED or dispatch.lease_is_stale:
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status=Dispatch.Status.SCHEDULED,
            scheduled_for=timezone.now(),
            stop_requested=False,
            lease_owner="",
            lease_expires_at=None,
        )
        dispatch.refresh_from_db()
        enqueue_dispatch(dispatch)
        messages.success(request, _("Der Versand wird fortgesetzt."))
    else:
        messages.error(request, _("Dieser Versand kann nicht fortgesetzt werden."))
    return redirect(_dashboard_url(issue))


# --- Subscribers ------------------------------------------------------------------------
# Coordinators see everyone; an office's staff see the people on their own office's lists,
# and of them only those subscriptions. Export and erasure span all lists: coordinators.


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _own_subscriptions(user):
    allowed = visible_office_ids(user, Subscriber)
    if allowed is None:
        return Q()
    return Q(subscriptions__mailing_list__office_id__in=allowed)


def subscriber_index(request):
    _require(request, "newsletter.view_subscriber")
    query = request.GET.get("q", "").strip()[:200]
    subscribers = (
        visible_queryset(request.user, Subscriber.objects.all())
        .annotate(
            confirmed=Count(
                "subscriptions",
                filter=Q(subscriptions__status="confirmed") & _own_subscriptions(request.user),
            )
        )
        .order_by("email")
    )
    if query:
        subscribers = subscribers.filter(Q(email__icontains=query) | Q(name__icontains=query))
    page = Paginator(subscribers, 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request, "newsletter/admin/subscribers.html", {"page_obj": page, "query": query}
    )


def subscriber_detail(request, pk):
    _require(request, "newsletter.view_subscriber")
    subscriber = get_object_or_404(Subscriber, pk=pk)
    if not visible_queryset(request.user, Subscriber.objects.filter(pk=subscriber.pk)).exists():
        raise PermissionDenied
    subscriptions = visible_queryset(
        request.user, subscriber.subscriptions.select_related("mailing_list__office")
    )
    everything = sees_all_subscribers(request.user)
    return TemplateResponse(
        request,
        "newsletter/admin/subscriber.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions.prefetch_related("events"),
            "may_export": everything,
            "may_erase": everything and request.user.has_perm("newsletter.delete_subscriber"),
        },
    )


def subscriber_export(request, pk):
    _require(request, "newsletter.view_subscriber")
    if not sees_all_subscribers(request.user):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber, pk=pk)
    payload = json.dumps(services.export_data(subscriber), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="abonnent-{subscriber.pk}.json"'
    return response


def subscriber_erase(request, pk):
    _require(request, "newsletter.delete_subscriber")
    if not sees_all_subscribers(request.user):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber, pk=pk)
    if request.method == "POST":
        email = subscriber.email
        services.erase(subscriber)
        messages.success(request, _("Alle Daten zu %(email)s wurden gelöscht.") % {"email": email})
        return redirect("newsletter_admin:subscribers")
    return TemplateResponse(
        request, "newsletter/admin/subscriber_erase.html", {"subscriber": subscriber}
    )
