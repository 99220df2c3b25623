"""Groups confirm their own entry: the signed link, the request, the answer, the mails.

Once a year (``manage.py request_group_confirmations``) and on demand (the admin's
"Bestätigung anfordern"), the office mails the group's internal contact a link to a page on
the office's own site where the contact confirms the entry or proposes changes. How the
link is kept safe:

* the token is ``"<group pk>.<nonce>"`` signed with a purpose-bound salt and a timestamp
  (``TimestampSigner``): unguessable, useless for anything else, and refused after
  ``CONFIRMATION_VALID_FOR`` even if the row said otherwise. The nonce is a hyphenated
  UUID: a bare 32-digit hex word can read as a Bitcoin address to SpamAssassin (see
  ``events.models.Registration.cancel_token``);
* the nonce is stored on a ``GroupConfirmation`` row, so the link works only while that
  row is the group's newest request (a new request voids older links), before its
  ``expires_at`` and until it is answered (once), and only on the owning office's host;
* a proposal becomes a draft revision of the group, submitted to the office's review (the
  groups' workflow, so a publisher approves or rejects it from "Awaiting your review" like
  any submission): the live entry stays as it is until the office approves, and the
  office's publishers are mailed with the contact's message.
"""

import datetime
import logging
import uuid
from email.utils import formataddr

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from sites import mail as site_mail

from .models import CONFIRMATION_VALID_FOR, STALE_AFTER, GroupConfirmation, SelfHelpGroup

logger = logging.getLogger(__name__)

#: Salt of the confirmation links; changing it voids every link sent so far.
CONFIRM_SALT = "directory.group.confirm"

#: A group that was asked is not asked again by the yearly run for this many days.
ASK_AGAIN_AFTER_DAYS = 90


class Problem(Exception):
    """Why a confirmation link does not work; ``code`` names the message and status."""

    def __init__(self, code, confirmation=None):
        super().__init__(code)
        self.code = code
        self.confirmation = confirmation


def _signer():
    return signing.TimestampSigner(salt=CONFIRM_SALT)


def make_token(confirmation):
    return _signer().sign(f"{confirmation.group_id}.{confirmation.nonce}")


def confirmation_url(confirmation):
    """The absolute link, on the public site of the group's office (the request may be
    made from an admin request on another host, or by the yearly run with none)."""
    path = reverse("directory_confirm_entry", args=[make_token(confirmation)])
    return site_mail.public_root(confirmation.group.office.site) + path


def read_token(token, office):
    """The ``GroupConfirmation`` that ``token`` stands for, opened on ``office``'s site.

    Raises ``Problem``: "invalid" (forged, malformed, unknown, another office's host),
    "expired", "superseded" (the office sent a newer link), "answered" (used already)."""
    try:
        value = _signer().unsign(token, max_age=CONFIRMATION_VALID_FOR)
    except signing.SignatureExpired as error:
        raise Problem("expired") from error
    except signing.BadSignature as error:
        raise Problem("invalid") from error
    group_pk, _sep, nonce = value.partition(".")
    try:
        nonce = uuid.UUID(nonce)
        group_pk = int(group_pk)
    except ValueError as error:
        raise Problem("invalid") from error
    confirmation = (
        GroupConfirmation.objects.select_related("group", "group__office", "group__office__site")
        .filter(nonce=nonce, group_id=group_pk)
        .first()
    )
    if confirmation is None:
        raise Problem("invalid")
    if office is None or office.pk != confirmation.group.office_id:
        # A link works on its own office's site only; elsewhere it tells nothing.
        raise Problem("invalid")
    if confirmation.answer:
        raise Problem("answered", confirmation)
    newest = (
        GroupConfirmation.objects.filter(group_id=group_pk).order_by("-created_at", "-pk").first()
    )
    if newest.pk != confirmation.pk:
        raise Problem("superseded", confirmation)
    if confirmation.is_expired:
        raise Problem("expired", confirmation)
    return confirmation


def contact_of(group):
    """``(name, address)`` of the group's internal contact; address "" when there is none."""
    return (group.internal_contact_name or "").strip(), (group.internal_email or "").strip()


def may_request(user, group):
    """Only the owning office's staff ask a group (and superusers): a request mails in the
    office's name. Coordinators see every group but do not speak for the offices."""
    from sites.tenancy import is_superuser, staff_office_ids

    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("directory.change_selfhelpgroup"):
        return False
    return is_superuser(user) or group.office_id in staff_office_ids(user)


def source_group(group):
    """The German (source) record of ``group``: requests and answers are about it."""
    from .models import default_locale_id

    if group.locale_id == default_locale_id():
        return group
    return (
        SelfHelpGroup.objects.filter(
            translation_key=group.translation_key, locale_id=default_locale_id()
        ).first()
        or group
    )


def request_confirmation(group, user=None):
    """Create a request for ``group`` and queue its mail. Returns the request, or None when
    the group has no internal e-mail address. Every older link of the group is void."""
    from .tasks import send_confirmation_request

    name, address = contact_of(group)
    if not address:
        return None
    with transaction.atomic():
        confirmation = GroupConfirmation.objects.create(
            group=group,
            email=address,
            contact_name=name,
            requested_by=user if user is not None and user.is_authenticated else None,
            expires_at=timezone.now() + CONFIRMATION_VALID_FOR,
        )
        log(group, "directory.confirmation_requested", user=user)
    # Queued after the commit above, so a worker always finds the row it is told about.
    send_confirmation_request.enqueue(confirmation.pk)
    return confirmation


def confirmation_message(confirmation):
    """The mail to the group's internal contact (German: the platform's language of
    record; the contact answers a German-speaking office)."""
    group = confirmation.group
    office = group.office
    with translation.override("de"):
        subject = _("Bitte prüfen: Ihr Eintrag „%(name)s“ im Selbsthilfe-Verzeichnis") % {
            "name": group.name
        }
        body = render_to_string(
            "directory/mail/confirmation_request.txt",
            {
                "confirmation": confirmation,
                "group": group,
                "office": office,
                "url": confirmation_url(confirmation),
                "valid_until": date_format(timezone.localtime(confirmation.expires_at), "j. F Y"),
            },
        )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=site_mail.office_sender(office),
        to=[confirmation.email],
        reply_to=site_mail.office_reply_to(office),
        headers=site_mail.automatic_headers(),
    )


def send_request(confirmation_id):
    """Send the mail of one request (run by the task); records when it went out. Returns
    False when the request is gone or superseded meanwhile (nothing is sent then)."""
    confirmation = (
        GroupConfirmation.objects.select_related("group", "group__office", "group__office__site")
        .filter(pk=confirmation_id, sent_at__isnull=True, answer="")
        .first()
    )
    if confirmation is None:
        return False
    newest = GroupConfirmation.objects.filter(group_id=confirmation.group_id).first()
    if newest is None or newest.pk != confirmation.pk:
        return False
    confirmation_message(confirmation).send(fail_silently=False)
    GroupConfirmation.objects.filter(pk=confirmation.pk).update(sent_at=timezone.now())
    return True


def _answered_by(confirmation):
    return formataddr((confirmation.contact_name, confirmation.email))


def confirm(confirmation):
    """The contact says everything is right. Returns False if the link was used meanwhile."""
    with transaction.atomic():
        current = GroupConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if current.answer:
            return False
        current.answer = GroupConfirmation.Answer.CONFIRMED
        current.answered_at = timezone.now()
        current.answered_by = _answered_by(current)
        current.save(update_fields=["answer", "answered_at", "answered_by"])
        log(current.group, "directory.confirmed_by_group", user=None)
    return True


def propose(confirmation, changed_group, message=""):
    """Save the contact's changes as a draft revision of the group (never published; the
    live entry stays as it is) and mail the office's publishers. ``changed_group`` is the
    group with the proposed values set in memory. Returns the revision, or None if the link
    was used meanwhile."""
    from .models import build_search_document

    with transaction.atomic():
        current = GroupConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if current.answer:
            return None
        # ``save_revision`` writes only bookkeeping columns of the row, but signal handlers
        # read the instance: as "not live" it adds no draft words to the public search
        # lexicon. The search document it rewrites is restored from the live row below.
        changed_group.live = False
        revision = changed_group.save_revision(user=None, log_action=True, clean=False)
        live = SelfHelpGroup.objects.get(pk=changed_group.pk)
        SelfHelpGroup.objects.filter(pk=live.pk).update(
            search_document=build_search_document(live, live.topics.all())
        )
        current.answer = GroupConfirmation.Answer.PROPOSED
        current.answered_at = timezone.now()
        current.answered_by = _answered_by(current)
        current.revision = revision
        current.message = message or ""
        current.save(update_fields=["answer", "answered_at", "answered_by", "revision", "message"])
        log(live, "directory.proposed_by_group", user=None, revision=revision)
        _submit_for_review(changed_group)
    try:
        proposal_message(current, live).send(fail_silently=False)
    except Exception:  # the proposal is stored and listed in the report
        logger.exception("Proposal mail for group %s failed", live.pk)
    return revision


def _submit_for_review(group):
    """Put the proposal into the groups' review workflow, with no one as the requester (the
    contact has no account). Not when a review of the group is already running: that one
    goes on with the revision its editor submitted, and the report still lists the
    proposal."""
    from sites.review import submission_mailed_by_caller

    workflow = group.get_workflow()
    if workflow is None or not workflow.active or group.workflow_in_progress:
        return None
    with submission_mailed_by_caller():
        return workflow.start(group, user=None)


def proposal_message(confirmation, group):
    """The note to the office's publishers that a group proposed changes."""
    from sites.review import publishers_of

    office = group.office
    recipients = sorted(
        {
            address
            for address in publishers_of([office.pk]).values_list("email", flat=True)
            if address
        }
    )
    if not recipients and office.email:
        recipients = [office.email]
    root = site_mail.public_root(office.site)
    with translation.override("de"):
        subject = _("Änderungsvorschlag der Gruppe „%(name)s“") % {"name": group.name}
        body = render_to_string(
            "directory/mail/proposal_to_office.txt",
            {
                "confirmation": confirmation,
                "group": group,
                "office": office,
                "report_url": root + reverse("directory_stale"),
                "edit_url": root + reverse("directory_groups:edit", args=[group.pk]),
            },
        )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=site_mail.office_sender(office),
        to=recipients,
        reply_to=[confirmation.email],
        headers=site_mail.automatic_headers(),
    )


def due_groups(today=None, ask_again_after_days=ASK_AGAIN_AFTER_DAYS):
    """Published source groups that are stale (neither checked by the office nor
    confirmed by the group for 12 months) and were not asked within the last
    ``ask_again_after_days`` days."""
    from django.db.models import Exists, OuterRef

    from .models import default_locale_id

    now = timezone.now()
    recent = GroupConfirmation.objects.filter(
        group=OuterRef("pk"),
        created_at__gte=now - datetime.timedelta(days=ask_again_after_days),
    )
    return (
        SelfHelpGroup.objects.stale(today)
        .filter(locale_id=default_locale_id(), live=True)
        .exclude(Exists(recent))
        .select_related("office", "office__site")
        .order_by("office__name", "name")
    )


def freshness_rows(office_ids=None):
    """``[(office, [row])]`` for the freshness report: every stale group and every group
    asked within the last 12 months, each row a dict with the group, its last
    confirmation by the group, its newest request and a pending proposal."""
    from .models import default_locale_id

    since = timezone.now() - STALE_AFTER
    stale = SelfHelpGroup.objects.stale().filter(locale_id=default_locale_id())
    asked = GroupConfirmation.objects.filter(created_at__gte=since).values("group_id")
    groups = SelfHelpGroup.objects.filter(locale_id=default_locale_id()).filter(
        Q(pk__in=stale.values("pk")) | Q(pk__in=asked)
    )
    if office_ids is not None:
        groups = groups.filter(office_id__in=office_ids)
    groups = list(groups.select_related("office").order_by("office__name", "last_verified", "name"))
    stale_ids = set(stale.filter(pk__in=[g.pk for g in groups]).values_list("pk", flat=True))
    requests = {}
    for confirmation in GroupConfirmation.objects.filter(
        group_id__in=[g.pk for g in groups]
    ).order_by("-created_at", "-pk"):
        requests.setdefault(confirmation.group_id, []).append(confirmation)
    now = timezone.now()
    grouped = {}
    for group in groups:
        history = requests.get(group.pk, [])
        newest = history[0] if history else None
        confirmed = next(
            (c for c in history if c.answer == GroupConfirmation.Answer.CONFIRMED), None
        )
        proposal = next(
            (
                c
                for c in history
                if c.answer == GroupConfirmation.Answer.PROPOSED and _proposal_pending(group, c)
            ),
            None,
        )
        grouped.setdefault(group.office, []).append(
            {
                "group": group,
                "stale": group.pk in stale_ids,
                "confirmed": confirmed,
                "proposal": proposal,
                "newest": newest,
                "link_open": bool(
                    newest is not None and not newest.answer and newest.expires_at > now
                ),
            }
        )
    return list(grouped.items())


def _proposal_pending(group, confirmation):
    """A proposal waits for the office until the group is published or checked after it."""
    answered = confirmation.answered_at
    if group.last_published_at and group.last_published_at >= answered:
        return False
    return not (group.last_verified and group.last_verified >= timezone.localdate(answered))
