"""How far each office's content is translated into the languages its site offers.

Editors need one place that answers "what is missing in Turkish?": every page, event,
group and topic of a site × every language the site offers, each with its state and the
one link that moves it forward (start, continue or update the translation in
wagtail-localize, whose views ``sites.side_doors`` fences). The states come from
wagtail-localize's own records, not from guesses:

* **missing**: nothing exists in that language;
* **in progress**: a translation exists but not every text segment is translated yet, or
  the translated version is not published;
* **complete**: every segment translated and published;
* **outdated**: the German source was published after the translation last took its
  text (``TranslationSource.last_updated_at``), so the translation shows old content.

``sites`` imports no feature app: apps name their record types in their config
(``translation_status_models``: model name → label and scope, "office" records belong to
one office, "shared" ones to the whole network) and their page kinds
(``translation_status_page_kinds``); a page type with ``stays_german = True`` is left out.
What a user may see is decided by ``sites.tenancy``:
an office's staff see their office's site and records; the coordinators also see the
shared directory (the topics and every office's groups).
"""

import json
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, Locale, Page

from . import tenancy

MISSING = "missing"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
OUTDATED = "outdated"
NOT_OFFERED = "not_offered"

STATE_LABELS = {
    MISSING: _("fehlt"),
    IN_PROGRESS: _("in Arbeit"),
    COMPLETE: _("vollständig"),
    OUTDATED: _("veraltet"),
}
STATE_ORDER = [MISSING, IN_PROGRESS, OUTDATED, COMPLETE]

#: The key of the shared directory in the report's scope choices.
SHARED = "shared"


def site_languages(office):
    """The content languages ``office``'s site offers, German first, in settings order
    (the office profile's choice, ``sites.tenancy.site_languages``)."""
    return list(tenancy.site_languages(office))


def language_names():
    return dict(settings.WAGTAIL_CONTENT_LANGUAGES)


# --- What a user may see -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    office: object = None


def scopes_for(user):
    """The report's scopes for ``user``: each office they work for (superusers: every
    office) and, for coordinators, the shared directory."""
    from .models import Office

    offices = (
        Office.objects.all()
        if tenancy.is_superuser(user)
        else Office.objects.filter(pk__in=tenancy.staff_office_ids(user))
    )
    offices = offices.select_related("site__root_page").order_by("-kind", "name")
    scopes = [Scope(str(office.pk), office.name, office) for office in offices]
    if tenancy.is_coordinator(user):
        scopes.append(Scope(SHARED, str(_("Gemeinsames Verzeichnis (Themen, alle Gruppen)"))))
    return scopes


# --- Rows and cells ------------------------------------------------------------------------


@dataclass
class Cell:
    language: str
    state: str
    url: str = ""
    action: str = ""
    done: int = 0
    total: int = 0

    @property
    def label(self):
        return STATE_LABELS.get(self.state, "–")


@dataclass
class Row:
    kind: str
    kind_label: str
    title: str
    edit_url: str
    cells: dict = field(default_factory=dict)

    def states(self):
        return {cell.state for cell in self.cells.values()}


def _record_models(scope):
    """``[(model, label)]`` of the apps' translatable records in ``scope`` ("office" or
    "shared"); the shared directory lists both kinds."""
    found = []
    for config in apps.get_app_configs():
        for name, spec in getattr(config, "translation_status_models", {}).items():
            if scope == "office" and spec.get("scope") != "office":
                continue
            found.append((config.get_model(name), spec["label"]))
    return found


def _page_kinds():
    kinds = {}
    for config in apps.get_app_configs():
        for name, label in getattr(config, "translation_status_page_kinds", {}).items():
            kinds[config.get_model(name)] = label
    return kinds


def _edit_url(obj):
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    meta = obj._meta
    try:
        return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[obj.pk])
    except NoReverseMatch:
        return ""


def _record_edit_url(model, pk):
    meta = model._meta
    try:
        return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[pk])
    except NoReverseMatch:
        return ""


def _start_url(obj):
    if isinstance(obj, Page):
        return reverse("wagtail_localize:submit_page_translation", args=[obj.pk])
    meta = obj._meta
    return reverse(
        "wagtail_localize:submit_snippet_translation",
        args=[meta.app_label, meta.model_name, obj.pk],
    )


def _source_changed_at(obj):
    """When the German source was last published (None when the model keeps no time)."""
    if isinstance(obj, (Page, DraftStateMixin)):
        return obj.last_published_at
    return None


def _content_differs(obj, content_json):
    """For models without timestamps: whether ``obj`` differs from the text wagtail-localize
    took (the same serialisation it uses)."""
    from modelcluster.models import get_serializable_data_for_fields

    current = json.loads(json.dumps(get_serializable_data_for_fields(obj), cls=DjangoJSONEncoder))
    try:
        taken = json.loads(content_json)
    except ValueError:
        return True
    ignore = {"pk", "id", "translation_key", "locale"}
    return {k: v for k, v in current.items() if k not in ignore} != {
        k: v for k, v in taken.items() if k not in ignore
    }


def _cells(user, sources, languages_of, model):
    """Fill the cells of ``sources`` (German objects of one model family); ``languages_of``
    gives the target languages of each source. Queries per call: about 5 + one per
    language, whatever the number of sources."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    from .side_doors import may_translate

    if not sources:
        return {}
    default = Locale.get_default()
    codes = sorted({code for source in sources for code in languages_of(source)})
    locales = {loc.language_code: loc for loc in Locale.objects.filter(language_code__in=codes)}
    keys = [source.translation_key for source in sources]

    target_model = Page if issubclass(model, Page) else model
    fields = ["pk", "translation_key", "locale_id"]
    has_live = issubclass(model, (Page, DraftStateMixin))
    if has_live:
        fields += ["live", "last_published_at"]
    targets = {}
    for row in target_model.objects.filter(
        translation_key__in=keys, locale__in=locales.values()
    ).values(*fields):
        targets[(row["translation_key"], row["locale_id"])] = row

    sources_by_key = {}
    for row in TranslationSource.objects.filter(object_id__in=keys, locale=default).values(
        "pk", "object_id", "last_updated_at", "content_json"
    ):
        sources_by_key[row["object_id"]] = row
    translations = {}
    source_ids = [row["pk"] for row in sources_by_key.values()]
    for row in Translation.objects.filter(
        source_id__in=source_ids, target_locale__in=locales.values(), enabled=True
    ).values("pk", "source_id", "target_locale_id"):
        translations[(row["source_id"], row["target_locale_id"])] = row
    totals = dict(
        StringSegment.objects.filter(source_id__in=source_ids)
        .values("source_id")
        .annotate(n=Count("pk"))
        .values_list("source_id", "n")
    )
    done = {}
    for locale in locales.values():
        translated = Exists(
            StringTranslation.objects.filter(
                translation_of_id=OuterRef("string_id"),
                context_id=OuterRef("context_id"),
                locale_id=locale.pk,
                has_error=False,
            )
        )
        for source_id, n in (
            StringSegment.objects.filter(source_id__in=source_ids)
            .filter(translated)
            .values("source_id")
            .annotate(n=Count("pk"))
            .values_list("source_id", "n")
        ):
            done[(source_id, locale.pk)] = n

    result = {}
    for source in sources:
        may = may_translate(user, source)
        changed_at = _source_changed_at(source)
        cells = {}
        for code in languages_of(source):
            locale = locales.get(code)
            target = targets.get((source.translation_key, locale.pk)) if locale else None
            localize = sources_by_key.get(source.translation_key)
            translation = (
                translations.get((localize["pk"], locale.pk)) if localize and locale else None
            )
            cell = Cell(code, MISSING)
            if translation is not None:
                cell.total = totals.get(localize["pk"], 0)
                cell.done = done.get((localize["pk"], locale.pk), 0)
                if changed_at is not None:
                    outdated = changed_at > localize["last_updated_at"]
                else:
                    outdated = _content_differs(source, localize["content_json"])
                if cell.done < cell.total:
                    cell.state = IN_PROGRESS
                elif outdated:
                    cell.state = OUTDATED
                elif target is not None and has_live and not target["live"]:
                    cell.state = IN_PROGRESS
                else:
                    cell.state = COMPLETE if target is not None else IN_PROGRESS
            elif target is not None:
                # Translated outside wagtail-localize (or its translation was stopped).
                if has_live and not target["live"]:
                    cell.state = IN_PROGRESS
                elif (
                    has_live
                    and changed_at
                    and target["last_published_at"]
                    and changed_at > target["last_published_at"]
                ):
                    cell.state = OUTDATED
                else:
                    cell.state = COMPLETE
            if may:
                if cell.state == MISSING:
                    cell.url, cell.action = _start_url(source), str(_("Übersetzen"))
                elif cell.state == OUTDATED and translation is not None:
                    cell.url = reverse(
                        "wagtail_localize:update_translations", args=[localize["pk"]]
                    )
                    cell.action = str(_("Aktualisieren"))
                elif target is not None:
                    cell.url = (
                        reverse("wagtailadmin_pages:edit", args=[target["pk"]])
                        if issubclass(model, Page)
                        else _record_edit_url(model, target["pk"])
                    )
                    cell.action = str(
                        _("Fortsetzen") if cell.state == IN_PROGRESS else _("Bearbeiten")
                    )
            cells[code] = cell
        result[source.pk] = cells
    return result


def languages_of(scope):
    """The target languages of ``scope``: its office's site's languages but German; for the
    shared directory every language any site offers."""
    from .models import Office

    default = settings.LANGUAGE_CODE
    if scope.office is not None:
        return [code for code in site_languages(scope.office) if code != default]
    every = set()
    for office in Office.objects.select_related("site__root_page"):
        every.update(site_languages(office))
    every.discard(default)
    return [code for code, _n in settings.WAGTAIL_CONTENT_LANGUAGES if code in every]


def report(user, scope, *, language="", state="", kind=""):
    """``(rows, shown, languages)`` of ``scope`` for ``user``: the rows (optionally only
    those of ``kind`` with a cell in ``state``, in ``language``), the languages shown and
    all target languages of the scope."""
    default = settings.LANGUAGE_CODE
    rows = []
    if scope.office is not None:
        office = scope.office
        targets = [code for code in site_languages(office) if code != default]
        languages = targets

        def offered(source):
            return targets

        page_kinds = _page_kinds()
        pages = list(
            tenancy.pages_of_site(office.site)
            .filter(locale__language_code=default)
            .order_by("path")
            .specific()
        )
        # Pages that are German by nature (Leichte Sprache) are nobody's translation task.
        pages = [page for page in pages if not getattr(type(page), "stays_german", False)]
        page_cells = _cells(user, pages, offered, Page)
        for page in pages:
            label = page_kinds.get(type(page), _("Seite"))
            key = "page" if type(page) not in page_kinds else type(page)._meta.label_lower
            rows.append(
                Row(key, str(label), page.title, _edit_url(page), page_cells.get(page.pk, {}))
            )
        record_models = _record_models("office")
    else:
        office = None
        languages = []
        record_models = _record_models("shared")
    if office is None:
        # The shared directory: a group in its office's languages, a topic in every
        # language any site offers.
        from .models import Office

        per_office = {
            o.pk: [c for c in site_languages(o) if c != default]
            for o in Office.objects.select_related("site__root_page")
        }
        every = {code for codes in per_office.values() for code in codes}
        languages = [code for code, _n in settings.WAGTAIL_CONTENT_LANGUAGES if code in every]
    for model, label in record_models:
        queryset = model._default_manager.filter(locale__language_code=default)
        owned = tenancy.ownership(model)
        if owned is not None:
            if office is not None:
                queryset = queryset.filter(**{owned.path: office})
            queryset = tenancy.visible_queryset(user, queryset)
        sources = list(queryset.order_by(*_ordering(model)))
        if office is not None:

            def offered(source):
                return languages

        elif owned is not None:

            def offered(source, owned=owned):
                return per_office.get(getattr(source, f"{owned.path}_id", None), [])

        else:

            def offered(source):
                return languages

        cells = _cells(user, sources, offered, model)
        for source in sources:
            row_cells = cells.get(source.pk, {})
            for code in languages:
                row_cells.setdefault(code, Cell(code, NOT_OFFERED))
            rows.append(
                Row(
                    model._meta.label_lower,
                    str(label),
                    str(source),
                    _edit_url(source),
                    {code: row_cells[code] for code in languages},
                )
            )
    shown = [language] if language in languages else languages
    if language in languages:
        for row in rows:
            row.cells = {language: row.cells[language]}
    if kind:
        rows = [row for row in rows if row.kind == kind]
    if state:
        rows = [row for row in rows if state in row.states()]
    return rows, shown, languages


def _ordering(model):
    names = {f.name for f in model._meta.get_fields()}
    return ["name"] if "name" in names else ["pk"]


def kinds_of(scope):
    """``[(key, label)]`` of the row kinds a scope can have (the "type" filter)."""
    kinds = []
    if scope.office is not None:
        kinds.append(("page", str(_("Seite"))))
        kinds += [(m._meta.label_lower, str(label)) for m, label in _page_kinds().items()]
        kinds += [(m._meta.label_lower, str(label)) for m, label in _record_models("office")]
    else:
        kinds += [(m._meta.label_lower, str(label)) for m, label in _record_models("shared")]
    return kinds
