"""What happens when people sign up, confirm, change their mind or ask for their data.

Views and admin views call these functions; they hold the rules (double opt-in, no
disclosure, proof) so that the rules are the same whichever way in.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sites.models import OFFICE_TIME_ZONE as BERLIN

from .models import Delivery, Subscriber, Subscription, SubscriptionEvent, SubscriptionStatus

Status = SubscriptionStatus


def signup_allowed(request):
    """A per-client budget of sign-ups (``NEWSLETTER_SIGNUP_RATE`` = (count, seconds)),
    counted by :mod:`sites.ratelimit` (a keyed hash of the address, in the cache only)."""
    from sites import ratelimit

    count, seconds = getattr(settings, "NEWSLETTER_SIGNUP_RATE", (10, 3600))
    return ratelimit.hit(request, "newsletter:signup", count, seconds)


def _mail_again_allowed(subscription):
    """Do not send an address more than one sign-up mail every few minutes (abuse)."""
    pause = getattr(settings, "NEWSLETTER_SIGNUP_MAIL_PAUSE", 300)
    sent = subscription.confirmation_sent_at
    return sent is None or (timezone.now() - sent).total_seconds() >= pause


def request_subscription(*, email, name, language, lists, consent, site, url=""):
    """Record a sign-up request and queue the right mail; returns nothing on purpose.

    The page shown afterwards is the same whatever happened here, so that nobody learns
    whether an address is subscribed. The mails differ: a confirmation link for new and
    pending subscriptions, a "you are already subscribed" note with the personal link for
    confirmed ones.
    """
    from .tasks import send_signup_mail

    with transaction.atomic():
        subscriber = Subscriber.objects.for_email(email).select_for_update().first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email.strip(), name=name, language=language
                    )
            except IntegrityError:
                # A parallel sign-up of the same address won the race.
                subscriber = Subscriber.objects.for_email(email).select_for_update().get()
        elif not subscriber.subscriptions.filter(status=Status.CONFIRMED).exists():
            # Nobody has proven to own this address yet: the newest request may set name and
            # language. A confirmed subscriber's data is changed only via their own link.
            subscriber.name = name or subscriber.name
            subscriber.language = language
            subscriber.save(update_fields=["name", "language", "updated_at"])

        to_confirm, already = [], []
        for mailing_list in lists:
            subscription = Subscription.objects.filter(
                subscriber=subscriber, mailing_list=mailing_list
            ).first()
            if subscription is not None and subscription.status == Status.CONFIRMED:
                already.append(subscription)
                continue
            if subscription is None:
                subscription = Subscription(subscriber=subscriber, mailing_list=mailing_list)
            subscription.status = Status.PENDING
            subscription.record_consent(consent, site=site, url=url)
            subscription.save()
            subscription.log(SubscriptionEvent.Kind.REQUESTED, detail=subscription.source_host)
            to_confirm.append(subscription)

        now = timezone.now()
        mail_confirm = [s.pk for s in to_confirm if _mail_again_allowed(s)]
        mail_already = [s.pk for s in already if _mail_again_allowed(s)]
        Subscription.objects.filter(pk__in=mail_confirm + mail_already).update(
            confirmation_sent_at=now
        )
    # Queued after the commit above, so a worker always finds the rows it is told about.
    site_id = site.pk if site else None
    if mail_confirm:
        send_signup_mail.enqueue("confirm", subscriber.pk, mail_confirm, site_id)
    if mail_already:
        send_signup_mail.enqueue("already", subscriber.pk, mail_already, site_id)


def confirm(subscriber, subscription_ids):
    """Confirm the pending subscriptions of a confirmation link; idempotent.

    Returns the subscriptions that are confirmed now (including those confirmed before).
    """
    with transaction.atomic():
        subscriptions = list(
            Subscription.objects.select_for_update()
            .filter(subscriber=subscriber, pk__in=subscription_ids)
            .select_related("mailing_list")
        )
        now = timezone.now()
        for subscription in subscriptions:
            if subscription.status == Status.PENDING:
                subscription.status = Status.CONFIRMED
                subscription.confirmed_at = now
                subscription.unsubscribed_at = None
                subscription.unsubscribe_method = ""
                subscription.save()
                subscription.log(SubscriptionEvent.Kind.CONFIRMED)
        return [s for s in subscriptions if s.status == Status.CONFIRMED]


def unsubscribe(subscriber, mailing_list=None, method="link"):
    """End the subscriptions to ``mailing_list`` (or all). Pending deliveries are skipped."""
    with transaction.atomic():
        subscriptions = Subscription.objects.select_for_update().filter(
            subscriber=subscriber, status__in=[Status.CONFIRMED, Status.PENDING]
        )
        if mailing_list is not None:
            subscriptions = subscriptions.filter(mailing_list=mailing_list)
        changed = list(subscriptions)
        now = timezone.now()
        for subscription in changed:
            subscription.status = Status.UNSUBSCRIBED
            subscription.unsubscribed_at = now
            subscription.unsubscribe_method = method
            subscription.save()
            subscription.log(SubscriptionEvent.Kind.UNSUBSCRIBED, detail=method)
        lists = [s.mailing_list_id for s in changed]
        Delivery.objects.filter(
            subscriber=subscriber,
            status=Delivery.Status.PENDING,
            dispatch__mailing_list_id__in=lists,
        ).update(status=Delivery.Status.SKIPPED, error="abgemeldet")
        return changed


def subscribe_confirmed_owner(subscriber, mailing_list, consent, site=None):
    """Add a list from the preferences page.

    The person opened a personal link delivered to their mailbox, which is the same proof
    a confirmation link gives; the consent shown on the preferences page is recorded.
    """
    subscription, _created = Subscription.objects.get_or_create(
        subscriber=subscriber,
        mailing_list=mailing_list,
        defaults={
            "requested_at": timezone.now(),
            "consent_text": consent,
            "consent_version": consent.version,
            "consent_copy": consent.text,
        },
    )
    if subscription.status == Status.CONFIRMED:
        return subscription
    subscription.record_consent(consent, site=site, url="preferences")
    subscription.status = Status.CONFIRMED
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.unsubscribe_method = ""
    subscription.save()
    subscription.log(SubscriptionEvent.Kind.REQUESTED, detail="preferences")
    subscription.log(SubscriptionEvent.Kind.CONFIRMED, detail="preferences")
    return subscription


def _iso(value):
    """ISO 8601 in Berlin time with its offset (``2026-03-01T10:04:00+01:00``): still exact
    for software, and the clock time the person saw when they signed up."""
    return timezone.localtime(value, BERLIN).isoformat() if value else None


def export_data(subscriber):
    """Everything stored about ``subscriber`` (DSGVO Art. 15/20) as a JSON-ready dict."""
    subscriptions = []
    for s in subscriber.subscriptions.select_related("mailing_list__office", "source_site"):
        subscriptions.append(
            {
                "list": s.mailing_list.name,
                "office": s.mailing_list.office.name,
                "status": s.status,
                "requested_at": _iso(s.requested_at),
                "requested_on_site": s.source_host,
                "form_url": s.source_url,
                "consent_version": s.consent_version,
                "consent_text": s.consent_copy,
                "confirmed_at": _iso(s.confirmed_at),
                "unsubscribed_at": _iso(s.unsubscribed_at),
                "unsubscribed_via": s.unsubscribe_method,
                "history": [
                    {"event": e.kind, "at": _iso(e.at), "detail": e.detail} for e in s.events.all()
                ],
            }
        )
    deliveries = [
        {
            "issue": d.dispatch.issue.title,
            "status": d.status,
            "sent_at": _iso(d.sent_at),
            "message_id": d.message_id,
            "error": d.error,
        }
        for d in subscriber.deliveries.select_related("dispatch__issue").order_by("pk")
    ]
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "language": subscriber.language,
        "created_at": _iso(subscriber.created_at),
        "updated_at": _iso(subscriber.updated_at),
        "ip_addresses": "nicht gespeichert",
        "subscriptions": subscriptions,
        "deliveries": deliveries,
    }


def erase(subscriber):
    """Delete the subscriber with every subscription, consent record and delivery record."""
    subscriber.delete()
