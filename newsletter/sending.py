"""The resumable sender.

How a send works, and why it loses nothing and sends nothing twice:

1. Before the first message, one :class:`~newsletter.models.Delivery` row is created for
   every confirmed subscriber of the list (in bulk, idempotently: a unique constraint on
   ``(dispatch, subscriber)`` and ``ignore_conflicts``).
2. One worker at a time runs a dispatch. It takes a lease on the dispatch row (under
   ``select_for_update``) and renews it while it works; a second worker finds the lease
   held and leaves. A crashed worker's lease expires and the send can be resumed.
3. The worker walks the pending rows in id order over **one** SMTP connection. After the
   server accepted a message (``send_messages`` returned), that single row is marked sent
   in its own commit. A stop or crash therefore leaves every accepted message recorded and
   every other one pending. The only window left is the moment between the server's "250"
   and our commit (one message, microseconds); a crash exactly there would resend that
   one message on resume. No SMTP transaction can close that gap without the receiving
   server's help.
4. Temporary failures (4xx replies, lost connections) keep the row pending with a later
   ``next_attempt_at`` (exponential back-off) and reconnect; after
   ``NEWSLETTER_MAX_ATTEMPTS`` or on a permanent 5xx reply the row is ``failed`` with
   the server's reason.
5. ``NEWSLETTER_RATE_LIMIT`` caps messages per second (0: no limit).
"""

import logging
import smtplib
import socket
import time
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.utils import timezone

from .mail import IssueMailer
from .models import Delivery, Dispatch, Subscription, SubscriptionStatus

logger = logging.getLogger(__name__)

BATCH = 200


def _setting(name, default):
    return getattr(settings, name, default)


class _Recipient(NamedTuple):
    """What a message needs of a subscriber (no model instances in the hot loop)."""

    pk: int
    email: str
    language: str
    key: str


class _Pending(NamedTuple):
    pk: int
    attempts: int
    subscriber: _Recipient


class Stopped(Exception):
    """The dispatch was stopped from the admin."""


def create_deliveries(dispatch):
    """One pending delivery per confirmed subscriber of the list; safe to repeat."""
    subscriber_ids = (
        Subscription.objects.filter(
            mailing_list_id=dispatch.mailing_list_id, status=SubscriptionStatus.CONFIRMED
        )
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
        .iterator(chunk_size=2000)
    )
    chunk = []
    for subscriber_id in subscriber_ids:
        chunk.append(Delivery(dispatch_id=dispatch.pk, subscriber_id=subscriber_id))
        if len(chunk) >= 2000:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
    Dispatch.objects.filter(pk=dispatch.pk).update(recipients_created=True)


def _acquire(dispatch_id, owner, takeover=False):
    """Take the lease of a due dispatch; None when someone else holds it or it is not due."""
    lease = timedelta(seconds=_setting("NEWSLETTER_LEASE_SECONDS", 120))
    now = timezone.now()
    with transaction.atomic():
        dispatch = (
            Dispatch.objects.select_for_update()
            .select_related("mailing_list__office__site", "issue")
            .filter(pk=dispatch_id)
            .first()
        )
        if dispatch is None:
            return None
        if dispatch.status == Dispatch.Status.SCHEDULED:
            if dispatch.scheduled_for > now:
                return None
        elif dispatch.status == Dispatch.Status.RUNNING:
            held = dispatch.lease_expires_at and dispatch.lease_expires_at > now
            if held and dispatch.lease_owner != owner and not takeover:
                return None
        else:
            return None
        dispatch.status = Dispatch.Status.RUNNING
        dispatch.started_at = dispatch.started_at or now
        dispatch.lease_owner = owner
        dispatch.lease_expires_at = now + lease
        dispatch.stop_requested = False
        dispatch.save(
            update_fields=[
                "status",
                "started_at",
                "lease_owner",
                "lease_expires_at",
                "stop_requested",
            ]
        )
        return dispatch


def _renew(dispatch, owner):
    """Extend the lease; raises :class:`Stopped` when a stop was requested."""
    lease = timedelta(seconds=_setting("NEWSLETTER_LEASE_SECONDS", 120))
    updated = Dispatch.objects.filter(
        pk=dispatch.pk, lease_owner=owner, status=Dispatch.Status.RUNNING, stop_requested=False
    ).update(lease_expires_at=timezone.now() + lease)
    if not updated:
        raise Stopped


def _classify(error):
    """``(temporary, reason)`` for an exception raised while sending one message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, msg = next(iter(error.recipients.values()), (550, b""))
        return 400 <= code < 500, f"{code} {_text(msg)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500, f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout):
        return True, f"{type(error).__name__}: {error}"
    if isinstance(error, OSError | smtplib.SMTPException):
        return True, f"{type(error).__name__}: {error}"
    return False, f"{type(error).__name__}: {error}"


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _is_connection_problem(error):
    return isinstance(
        error, smtplib.SMTPServerDisconnected | ConnectionError | OSError
    ) and not isinstance(error, smtplib.SMTPResponseException)


class RateLimiter:
    def __init__(self, per_second):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = max(now, self.next_at) + self.interval


def run_dispatch(dispatch_id, *, takeover=False, connection=None):
    """Send (or continue sending) a dispatch until done, stopped, or the lease is lost.

    Returns the dispatch's counts, or None when it was not ours to run.
    """
    owner = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
    dispatch = _acquire(dispatch_id, owner, takeover=takeover)
    if dispatch is None:
        return None
    issue = dispatch.issue
    if not issue.live:
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status=Dispatch.Status.STOPPED,
            last_error="Die Ausgabe ist nicht veröffentlicht.",
            lease_owner="",
        )
        return dispatch.counts()
    if not dispatch.recipients_created:
        create_deliveries(dispatch)

    mailer = IssueMailer(issue.specific, dispatch.mailing_list)
    limiter = RateLimiter(_setting("NEWSLETTER_RATE_LIMIT", 0))
    max_attempts = _setting("NEWSLETTER_MAX_ATTEMPTS", 5)
    retry_base = _setting("NEWSLETTER_RETRY_BASE_SECONDS", 60)
    connection = connection or get_connection(fail_silently=False)
    direct = isinstance(connection, SMTPBackend)
    renew_every = max(1, _setting("NEWSLETTER_LEASE_RENEW_EVERY", 100))
    async_commit = _async_commit(True)
    try:
        connection.open()
        sent_since_renew = 0
        while True:
            now = timezone.now()
            batch = [
                _Pending(pk, attempts, _Recipient(sid, email, language, key))
                for pk, attempts, sid, email, language, key in (
                    Delivery.objects.filter(dispatch=dispatch, status=Delivery.Status.PENDING)
                    .exclude(next_attempt_at__gt=now)
                    .order_by("pk")
                    .values_list(
                        "pk",
                        "attempts",
                        "subscriber_id",
                        "subscriber__email",
                        "subscriber__language",
                        "subscriber__key",
                    )[:BATCH]
                )
            ]
            if not batch:
                waiting = (
                    Delivery.objects.filter(dispatch=dispatch, status=Delivery.Status.PENDING)
                    .order_by("next_attempt_at")
                    .values_list("next_attempt_at", flat=True)
                    .first()
                )
                if waiting is None:
                    break
                _renew(dispatch, owner)
                time.sleep(min(max((waiting - timezone.now()).total_seconds(), 0.01), 5))
                continue
            _renew(dispatch, owner)
            for delivery in batch:
                if sent_since_renew >= renew_every:
                    _renew(dispatch, owner)
                    sent_since_renew = 0
                sent_since_renew += 1
                message = mailer.message(delivery.subscriber)
                limiter.wait()
                try:
                    if direct and message.envelope_to:
                        # Django's SMTP backend, used directly: the message is final bytes,
                        # so skip re-parsing addresses for each of thousands of messages.
                        if connection.connection is None:
                            connection.open()
                        connection.connection.sendmail(
                            mailer.envelope_from, [message.envelope_to], message.raw
                        )
                    else:
                        connection.send_messages([message])
                except Exception as error:  # noqa: BLE001 - every SMTP failure is recorded
                    temporary, reason = _classify(error)
                    attempts = delivery.attempts + 1
                    if temporary and attempts < max_attempts:
                        Delivery.objects.filter(pk=delivery.pk).update(
                            attempts=attempts,
                            error=reason[:2000],
                            next_attempt_at=timezone.now()
                            + timedelta(seconds=retry_base * 2 ** (attempts - 1)),
                        )
                    else:
                        Delivery.objects.filter(pk=delivery.pk).update(
                            attempts=attempts,
                            status=Delivery.Status.FAILED,
                            error=reason[:2000],
                        )
                    if _is_connection_problem(error):
                        _reconnect(connection)
                    continue
                # The server accepted this message: record it now, in its own commit.
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.SENT,
                    sent_at=timezone.now(),
                    attempts=delivery.attempts + 1,
                    message_id=message.extra_headers["Message-ID"],
                    error="",
                )
    except Stopped:
        Dispatch.objects.filter(pk=dispatch.pk, lease_owner=owner).update(
            status=Dispatch.Status.STOPPED, lease_owner="", lease_expires_at=None
        )
        return dispatch.counts()
    finally:
        if async_commit:
            _async_commit(False)
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection must not mask anything
            logger.debug("closing SMTP connection failed", exc_info=True)
    Dispatch.objects.filter(pk=dispatch.pk, lease_owner=owner).update(
        status=Dispatch.Status.FINISHED,
        finished_at=timezone.now(),
        lease_owner="",
        lease_expires_at=None,
    )
    return dispatch.counts()


def _async_commit(on):
    """On PostgreSQL, let the per-message commits return before the WAL is flushed.

    Each "sent" record is still its own commit, visible at once and safe when the worker
    crashes or is killed: the database server has it. Only a crash of the database server
    itself within the WAL writer's delay (well under a second) could lose the newest
    records, and the resumed send would then repeat those few messages; it can never skip
    anyone. Without this, a flush per message makes the database the bottleneck.
    ``NEWSLETTER_ASYNC_COMMIT = False`` restores a flush per message.
    """
    from django.db import connection as db

    if db.vendor != "postgresql" or not _setting("NEWSLETTER_ASYNC_COMMIT", True):
        return False
    with db.cursor() as cursor:
        cursor.execute(
            "SET synchronous_commit TO off" if on else "SET synchronous_commit TO DEFAULT"
        )
    return True


def _reconnect(connection):
    try:
        connection.close()
    except Exception:  # noqa: BLE001
        logger.debug("closing SMTP connection failed", exc_info=True)
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - the next message's send reports the failure
        logger.warning("reconnecting to the SMTP server failed", exc_info=True)
