"""Translations go through the office's review like any other edit.

wagtail-localize's translation editor knows two actions: "publish in <language>" for
those who may publish, and nothing for those who may not (their main button is "lock").
Its React footer has no workflow actions at all, so an office's Redaktion member could
translate but never hand the translation to the office's Freigabe. This module adds the
missing step without forking wagtail-localize:

* ``review_offer(user, instance)`` says whether the editor of ``instance`` offers
  "Zur Freigabe einreichen": the object has a workflow (pages: "Freigabe (<office>)" on
  every locale root; self-help groups: "Freigabe durch die Kontaktstelle"), the user may
  submit it and may not publish it (a publisher keeps localize's own "publish").
  The template ``wagtail_localize/admin/edit_translation.html`` (ours extends localize's)
  renders the button, and ``sites/js/translation_editor.js`` puts it into the footer.
* ``submit_for_review`` handles the editor's POST (``action=submit-for-review``; hooked
  in before localize's own ``before_edit_page``/``before_edit_snippet``): the translated
  text becomes a new revision and the workflow starts (or resumes after "needs changes").

Why not localize's ``save_target(publish=False)``: it writes the translation into the
object's row, i.e. into the *live* English page the public sees before anybody approved
it, and it takes a live snippet offline (``live = publish``). Here the translation is
applied to an in-memory copy (``get_ephemeral_translated_instance``, the API localize's
preview uses) and only saved as a revision; the reviewer's approval publishes it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import DraftStateMixin, Page, WorkflowMixin, WorkflowState

#: The value of the editor's submit button (``name="action"``).
SUBMIT_ACTION = "submit-for-review"


def synced_translation(instance):
    """The enabled wagtail-localize translation whose target is ``instance``, if any."""
    from wagtail_localize.models import Translation

    translation_key = getattr(instance, "translation_key", None)
    if translation_key is None:
        return None
    return (
        Translation.objects.filter(
            source__object_id=translation_key,
            target_locale_id=instance.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )


def _snippet_policy(instance):
    viewset = getattr(instance, "snippet_viewset", None)
    return getattr(viewset, "permission_policy", None)


def review_offer(user, instance):
    """True when the translation editor of ``instance`` should offer "Zur Freigabe
    einreichen" to ``user``. (The edit view has already checked that the user may edit.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    if isinstance(instance, Page):
        perms = instance.permissions_for_user(user)
        return (
            perms.can_submit_for_moderation()
            and not perms.can_publish()
            and instance.get_workflow() is not None
        )
    if not (isinstance(instance, WorkflowMixin) and isinstance(instance, DraftStateMixin)):
        return False
    policy = _snippet_policy(instance)
    if policy is None:
        return False
    if getattr(instance, "locked", False) and getattr(instance, "locked_by_id", None) != user.pk:
        return False
    return (
        policy.user_has_permission_for_instance(user, "change", instance)
        and not policy.user_has_permission_for_instance(user, "publish", instance)
        and instance.get_workflow() is not None
        and not instance.workflow_in_progress
    )


def review_state(user, instance):
    """What the translation editor's main action is about review: ``"submit"`` (offer
    "Zur Freigabe einreichen"), ``"waiting"`` (the translation waits for review; say so
    instead of localize's leftover main action), or ``None`` (localize's editor as is)."""
    if isinstance(instance, WorkflowMixin) and instance.workflow_in_progress:
        perms = instance.permissions_for_user(user) if isinstance(instance, Page) else None
        if perms is not None and perms.can_publish():
            return None
        policy = _snippet_policy(instance)
        if policy is not None and policy.user_has_permission_for_instance(
            user, "publish", instance
        ):
            return None
        return "waiting"
    return "submit" if review_offer(user, instance) else None


def save_translation_revision(translation, user):
    """Apply the translation's current strings to an in-memory copy of its target and
    save that as a new revision; the target's row (and so the live object) is untouched
    apart from Wagtail's revision bookkeeping. Raises ``ValidationError`` as Wagtail's
    ``save_revision`` does."""
    from wagtail_localize.models import TranslationLog

    source = translation.source
    target = source.get_ephemeral_translated_instance(translation.target_locale, fallback=True)
    if isinstance(target, Page):
        # As localize does when it saves a translation: the translated slug may collide.
        target.slug = find_available_slug(
            target.get_parent(), slugify(target.slug), ignore_page_id=target.pk
        )
    revision = target.save_revision(user=user, log_action=True)
    TranslationLog.objects.create(
        source=source, locale=translation.target_locale, revision=revision
    )
    return target


def submit_for_review(request, translation, instance):
    """The POST of the editor's "Zur Freigabe einreichen". As in Wagtail's own editor,
    nothing is submitted while a review runs (the submitter's editor may be older than
    the submission): that is said, and nothing changes."""
    title = str(instance)
    language = translation.target_locale.get_display_name()
    if instance.workflow_in_progress:
        messages.warning(
            request,
            _(
                "„%(title)s“ (%(language)s) wartet schon auf die Freigabe. Weitere "
                "Änderungen können Sie nach der Entscheidung einreichen."
            )
            % {"title": title, "language": language},
        )
        return redirect(request.get_full_path())
    if not review_offer(request.user, instance):
        raise PermissionDenied
    workflow = instance.get_workflow()
    try:
        with transaction.atomic():
            title = str(save_translation_revision(translation, request.user))
            state = instance.current_workflow_state
            if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                # The reviewer asked for changes: the same review goes on.
                state.resume(request.user)
                message = _("„%(title)s“ (%(language)s) ist erneut zur Freigabe eingereicht.")
            else:
                workflow.start(instance, request.user)
                message = _("„%(title)s“ (%(language)s) ist zur Freigabe eingereicht.")
    except ValidationError as error:
        messages.error(
            request,
            _("„%(title)s“ (%(language)s) konnte nicht eingereicht werden: %(errors)s")
            % {"title": title, "language": language, "errors": " ".join(error.messages)},
        )
    else:
        messages.success(request, message % {"title": title, "language": language})
    return redirect(request.get_full_path())


def intercept_submit(request, instance):
    """``before_edit_page``/``before_edit_snippet``: take the editor's submit POST before
    wagtail-localize (which would ignore it); everything else goes on to localize."""
    if request.method != "POST" or request.POST.get("action") != SUBMIT_ACTION:
        return None
    translation = synced_translation(instance)
    if translation is None:
        return None
    return submit_for_review(request, translation, instance)
