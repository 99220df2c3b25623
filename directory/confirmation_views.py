"""The page behind a group's confirmation link, and the admin's "Bestätigung anfordern".

The public page needs no login: the signed link is the key (see ``directory.confirmation``).
It never publishes anything; GET shows, only POST (a button press) answers, so link
scanners in mail systems change nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import require_admin_access

from sites import ratelimit
from sites.tenancy import office_for_request, user_may_see

from . import confirmation as confirmations
from .forms import GroupProposalForm
from .models import GroupConfirmation, SelfHelpGroup

#: Answers per client address and window (the page has two buttons and a form).
ANSWER_LIMIT = 10

#: Why a link does not work: (message, HTTP status). Never a server error.
PROBLEMS = {
    "invalid": (
        gettext_lazy(
            "Dieser Link ist ungültig. Bitte verwenden Sie den vollständigen Link aus der "
            "E-Mail der Kontaktstelle oder wenden Sie sich an die Kontaktstelle."
        ),
        404,
    ),
    "expired": (
        gettext_lazy(
            "Dieser Link ist abgelaufen. Bitte wenden Sie sich an die Kontaktstelle; sie "
            "schickt Ihnen gern einen neuen."
        ),
        410,
    ),
    "superseded": (
        gettext_lazy(
            "Die Kontaktstelle hat Ihnen inzwischen einen neueren Link geschickt. Bitte "
            "verwenden Sie den Link aus der neuesten E-Mail."
        ),
        410,
    ),
    "answered": (
        gettext_lazy(
            "Über diesen Link ist schon geantwortet worden. Vielen Dank! Wenn Sie noch "
            "etwas ändern möchten, wenden Sie sich bitte an die Kontaktstelle."
        ),
        410,
    ),
}

TEMPLATE = "directory/confirm_entry.html"


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_entry(request, token):
    office = office_for_request(request)
    try:
        confirmation = confirmations.read_token(token, office)
    except confirmations.Problem as problem:
        message, status = PROBLEMS[problem.code]
        return TemplateResponse(
            request, TEMPLATE, {"problem": problem.code, "message": message}, status=status
        )
    group = confirmation.group
    context = {"confirmation": confirmation, "group": group, "office": group.office}
    if request.method == "GET":
        if request.GET.get("aendern"):
            context["form"] = GroupProposalForm(instance=group)
        return TemplateResponse(request, TEMPLATE, context)

    action = request.POST.get("action")
    if action not in ("confirm", "propose"):
        context["bad_request"] = True
        return TemplateResponse(request, TEMPLATE, context, status=400)
    if not ratelimit.hit(request, "group-confirmation", limit=ANSWER_LIMIT):
        context["rate_limited"] = True
        if action == "propose":
            context["form"] = GroupProposalForm(request.POST, instance=group)
        return TemplateResponse(request, TEMPLATE, context, status=429)
    if action == "confirm":
        if not confirmations.confirm(confirmation):
            return _answered(request)
        context["done"] = "confirmed"
        return TemplateResponse(request, TEMPLATE, context)
    # A copy of the live row takes the proposed values; the row itself is never saved.
    proposed = SelfHelpGroup.objects.get(pk=group.pk)
    form = GroupProposalForm(request.POST, instance=proposed)
    if not form.is_valid():
        context["form"] = form
        return TemplateResponse(request, TEMPLATE, context, status=400)
    if confirmations.propose(confirmation, form.instance, form.cleaned_data["message"]) is None:
        return _answered(request)
    context["done"] = "proposed"
    return TemplateResponse(request, TEMPLATE, context)


def _answered(request):
    message, status = PROBLEMS["answered"]
    return TemplateResponse(
        request, TEMPLATE, {"problem": "answered", "message": message}, status=status
    )


@require_admin_access
@require_http_methods(["GET", "POST"])
def request_confirmation(request, pk):
    """GET: whom the link would go to, with a button; POST: send it. The owning office's
    staff only (``confirmation.may_request``); another office's group answers 404."""
    group = get_object_or_404(SelfHelpGroup, pk=pk)
    if not user_may_see(request.user, group):
        raise Http404
    if not confirmations.may_request(request.user, group):
        raise PermissionDenied
    group = confirmations.source_group(group)
    name, address = confirmations.contact_of(group)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST":
        if not address:
            messages.error(
                request,
                _("„%(name)s“ hat keine interne E-Mail-Adresse; bitte tragen Sie sie zuerst ein.")
                % {"name": group.name},
            )
        else:
            confirmations.request_confirmation(group, request.user)
            messages.success(
                request,
                _("Die Bitte um Bestätigung an %(address)s ist unterwegs.") % {"address": address},
            )
        return redirect(next_url or "directory_stale")
    return TemplateResponse(
        request,
        "directory/admin/request_confirmation.html",
        {
            "group": group,
            "contact_name": name,
            "address": address,
            "open": GroupConfirmation.objects.filter(group=group).first(),
            "next": next_url,
            "page_title": _("Bestätigung anfordern"),
        },
    )
