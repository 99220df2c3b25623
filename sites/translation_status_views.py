"""The admin report "Übersetzungsstand" (see ``sites.translation_status``)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access

from . import translation_status as status


class StatusFilterForm(forms.Form):
    """The report's filters; choices depend on the scope, so a forged value is an error."""

    language = forms.ChoiceField(label=_("Sprache"), required=False)
    state = forms.ChoiceField(label=_("Stand"), required=False)
    kind = forms.ChoiceField(label=_("Art"), required=False)

    def __init__(self, *args, languages, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("alle"))]
        names = status.language_names()
        self.fields["language"].choices = everything + [(c, names.get(c, c)) for c in languages]
        self.fields["state"].choices = everything + [
            (key, status.STATE_LABELS[key]) for key in status.STATE_ORDER
        ]
        self.fields["kind"].choices = everything + kinds


@require_admin_access
def translation_status_report(request):
    scopes = status.scopes_for(request.user)
    if not scopes:
        raise PermissionDenied
    key = request.GET.get("office") or scopes[0].key
    scope = next((s for s in scopes if s.key == key), None)
    if scope is None:
        # Another office's report, or no office at all: as if it did not exist.
        raise Http404
    languages = status.languages_of(scope)
    form = StatusFilterForm(request.GET or None, languages=languages, kinds=status.kinds_of(scope))
    http_status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v}
        else:
            http_status = 400
    rows, shown, languages = status.report(request.user, scope, **filters)
    names = status.language_names()
    for row in rows:
        row.ordered = [row.cells[code] for code in shown]
        for cell in row.ordered:
            cell.name = names.get(cell.language, cell.language)
    summary = []
    for code in shown:
        counts = dict.fromkeys(status.STATE_ORDER, 0)
        for row in rows:
            cell = row.cells.get(code)
            if cell is not None and cell.state in counts:
                counts[cell.state] += 1
        summary.append(
            {
                "code": code,
                "name": names.get(code, code),
                "counts": [(status.STATE_LABELS[s], s, counts[s]) for s in status.STATE_ORDER],
            }
        )
    return TemplateResponse(
        request,
        "sites/admin/translation_status.html",
        {
            "page_title": _("Übersetzungsstand"),
            "header_icon": "globe",
            "scopes": scopes,
            "scope": scope,
            "form": form,
            "rows": rows,
            "languages": [(code, names.get(code, code)) for code in shown],
            "summary": summary,
            "no_languages": not languages,
        },
        status=http_status,
    )
