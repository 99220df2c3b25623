"""Public endpoints: sign-up, confirmation, unsubscribe (RFC 8058), preferences.

They live outside the page tree (``/newsletter/...`` on every host) so that the sign-up
block works on any page of any site and the links in mails work without a page lookup.

Confirmation is a **POST** from the page the link opens. Mail security scanners (Outlook
Safe Links and the like) open every link in a message; a confirming GET would turn their
visit into a "consent" nobody gave and weaken the proof. The GET shows a button.
Unsubscribing is likewise only done by POST, which is what RFC 8058 one-click sends.
"""

from django.core import signing
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from . import services
from .forms import PreferencesForm, SignupForm
from .models import ConsentText, MailingList, Subscriber, SubscriptionStatus
from .tokens import read_confirm_token, read_personal_token, read_test_token


def _invalid(request, message, status=400):
    return render(
        request,
        "newsletter/message.html",
        {"title": _("Link ungültig"), "message": message},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    site = Site.find_for_request(request)
    if request.method == "GET":
        return render(request, "newsletter/subscribe.html", {"form": SignupForm(site=site)})
    form = SignupForm(request.POST, site=site)
    if form.is_bot():
        # Answer as if all went well; a bot learns nothing and nobody gets mail.
        return render(request, "newsletter/subscribe_done.html")
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    if not services.signup_allowed(request):
        return render(
            request,
            "newsletter/message.html",
            {
                "title": _("Zu viele Anmeldungen"),
                "message": _(
                    "Von Ihrem Anschluss kamen in kurzer Zeit sehr viele Anmeldungen. "
                    "Bitte versuchen Sie es in einer Stunde noch einmal."
                ),
            },
            status=429,
        )
    data = form.cleaned_data
    services.request_subscription(
        email=data["email"],
        name=data["name"],
        language=data["language"],
        lists=list(data["lists"]),
        consent=form.shown_consent(),
        site=site,
        url=request.META.get("HTTP_REFERER", "")[:500],
    )
    return render(request, "newsletter/subscribe_done.html")


def _confirm_subscriber(token):
    """``(subscriber, subscription_ids, error message)`` for a confirmation token."""
    try:
        subscriber_id, key, subscription_ids = read_confirm_token(token)
    except signing.SignatureExpired:
        return (
            None,
            None,
            _(
                "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich erneut an; "
                "Sie erhalten dann einen neuen Link."
            ),
        )
    except signing.BadSignature:
        return None, None, _("Dieser Bestätigungslink ist ungültig oder unvollständig.")
    subscriber = Subscriber.objects.filter(pk=subscriber_id, key=key).first()
    if subscriber is None:
        return None, None, _("Zu diesem Link gibt es keine Anmeldung (mehr).")
    return subscriber, subscription_ids, None


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscriber, subscription_ids, error = _confirm_subscriber(token)
    if error:
        return _invalid(request, error)
    subscriptions = subscriber.subscriptions.filter(pk__in=subscription_ids).select_related(
        "mailing_list"
    )
    if request.method == "POST":
        confirmed = services.confirm(subscriber, subscription_ids)
        return render(request, "newsletter/confirmed.html", {"subscriptions": confirmed})
    return render(
        request,
        "newsletter/confirm.html",
        {"subscriber": subscriber, "subscriptions": subscriptions},
    )


def _test_send(request, token):
    """The page a link of a test send opens (GET or POST): nothing happens, and it says so.

    ``None`` when ``token`` is not a test token.
    """
    tester = read_test_token(token)
    if tester is None:
        return None
    return render(
        request,
        "newsletter/message.html",
        {
            "title": _("Link aus einer Testausgabe"),
            "message": _(
                "Diese Testausgabe ging an %(email)s. Ihre Links zum Abmelden und zu den "
                "Einstellungen sind nur Platzhalter: Es wurde nichts geändert. In den "
                "Ausgaben an die Abonnent:innen führt derselbe Link zu deren persönlicher "
                "Abmeldung."
            )
            % {"email": tester},
        },
    )


def _personal(token):
    try:
        subscriber_id, key, list_id = read_personal_token(token)
    except signing.BadSignature:
        return None, None, _("Dieser Link ist ungültig oder unvollständig.")
    subscriber = Subscriber.objects.filter(pk=subscriber_id, key=key).first()
    if subscriber is None:
        return (
            None,
            None,
            _("Zu diesem Link gibt es kein Abonnement (mehr). Sie erhalten keine E-Mails von uns."),
        )
    mailing_list = MailingList.objects.filter(pk=list_id).first() if list_id else None
    return subscriber, mailing_list, None


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    """GET: a page with a button. POST (the button, or RFC 8058 one-click): unsubscribe.

    CSRF protection is off for this endpoint only: the one-click POST comes from the
    mailbox provider without a cookie or form token; the signed personal token in the URL
    authenticates it, and the action can only ever remove the token's owner from a list.
    """
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    test_page = _test_send(request, token)
    if test_page is not None:
        return test_page
    subscriber, mailing_list, error = _personal(token)
    if error:
        return _invalid(request, error, status=404 if subscriber is None else 400)
    context = {"subscriber": subscriber, "mailing_list": mailing_list, "token": token}
    if request.method == "POST":
        method = "one-click" if request.POST.get("List-Unsubscribe") == "One-Click" else "link"
        services.unsubscribe(subscriber, mailing_list, method=method)
        return render(request, "newsletter/unsubscribed.html", context)
    return render(request, "newsletter/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    test_page = _test_send(request, token)
    if test_page is not None:
        return test_page
    subscriber, _list, error = _personal(token)
    if error:
        return _invalid(request, error, status=404)
    site = Site.find_for_request(request)
    subscribed = subscriber.subscriptions.filter(status=SubscriptionStatus.CONFIRMED)
    lists = (
        MailingList.objects.filter(is_active=True, office__kind="state")
        | MailingList.objects.filter(subscriptions__in=subscriber.subscriptions.all())
    ).distinct()
    initial = {
        "language": subscriber.language,
        "lists": list(subscribed.values_list("mailing_list_id", flat=True)),
    }
    consent = ConsentText.current()
    saved = False
    # The languages of the sites whose lists are offered here, and the one chosen before.
    from sites.models import Office
    from sites.translation_status import site_languages

    languages = {subscriber.language}
    offices = Office.objects.filter(mailing_lists__in=lists).distinct()
    for office in offices.select_related("site__root_page"):
        languages.update(site_languages(office))
    if request.method == "POST":
        form = PreferencesForm(request.POST, lists=lists, languages=languages)
        if form.is_valid():
            subscriber.language = form.cleaned_data["language"]
            subscriber.save(update_fields=["language", "updated_at"])
            wanted = set(form.cleaned_data["lists"])
            for mailing_list in lists:
                has = mailing_list.pk in initial["lists"]
                if mailing_list in wanted and not has:
                    services.subscribe_confirmed_owner(subscriber, mailing_list, consent, site)
                elif mailing_list not in wanted and has:
                    services.unsubscribe(subscriber, mailing_list, method="preferences")
            saved = True
            form = PreferencesForm(
                initial={
                    "language": subscriber.language,
                    "lists": [ml.pk for ml in wanted],
                },
                lists=lists,
                languages=languages,
            )
    else:
        form = PreferencesForm(initial=initial, lists=lists, languages=languages)
    return render(
        request,
        "newsletter/preferences.html",
        {"form": form, "subscriber": subscriber, "saved": saved, "consent": consent},
        status=200 if request.method == "GET" or form.is_bound is False else 400,
    )
