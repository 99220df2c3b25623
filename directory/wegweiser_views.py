"""The public download of the printed Wegweiser (``/wegweiser.pdf`` on every site).

The visitor chooses in the directory (topic, district, own office or the whole state) and
follows "Als PDF-Wegweiser"; an office links the same address for its own print runs. The
query string is validated like the directory's filters: an unknown topic or language is a
400 with a message, never a server error.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sites.tenancy import office_for_request

from .forms import DirectoryFilterForm
from .wegweiser import Selection, file_name, prepared

#: Seconds the "being built" page asks the browser to wait before it looks again.
RETRY_AFTER = 20


def _problem(request, message, status):
    return TemplateResponse(
        request, "directory/wegweiser_status.html", {"message": message}, status=status
    )


@require_GET
def wegweiser_pdf(request):
    office = office_for_request(request)
    if office is None:
        raise Http404(_("Diese Seite gibt es hier nicht."))
    form = DirectoryFilterForm(
        {key: request.GET.get(key, "") for key in ("topic", "district", "scope")}
    )
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return _problem(request, errors, 400)
    language = request.GET.get("sprache", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        return _problem(request, _("Diese Sprache bieten wir nicht an."), 400)
    data = form.cleaned_data
    whole_state = office.is_state or data.get("scope") == "land"
    selection = Selection(
        office_id=None if whole_state else office.pk,
        topic=data.get("topic") or "",
        district=(data.get("district") or "").strip(),
        language=language,
    )
    name, count = prepared(selection)
    if name is None:
        response = TemplateResponse(
            request,
            "directory/wegweiser_status.html",
            {"building": True, "count": count, "retry": RETRY_AFTER},
            status=202,
        )
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        filename=file_name(selection),
    )
    # Inline: the browser shows it, and "save" keeps the readable name.
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    return response
