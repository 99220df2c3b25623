"""The central directory of self-help groups.

One database for the whole state: every regional office keeps its own groups in it, the state
coordination curates the topic list, and every site shows the part that matters locally. A
group record is split into what may be published (with the group's documented consent) and
what is internal to the office; only the former may ever leave the admin.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import JSONField, Q
from django.db.models.functions import JSONObject, Upper
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    Page,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from config.search import language_subfields
from sites.models import EVENING_STARTS, Weekday
from sites.slugs import german_slugify

from . import text

#: A record not checked for this long is "stale" (the offices verify every group yearly).
STALE_AFTER = datetime.timedelta(days=365)


class SearchDocumentField(models.TextField):
    """A text column of space-separated stems and marker tokens, with the ``tsmatch`` lookup
    (PostgreSQL full-text match with the 'simple' configuration, served by a GIN index)."""


#: On PostgreSQL, the stored ``tsvector`` of ``search_document`` (a generated column, see
#: migration 0003): matching it costs no parsing per row.
SEARCH_VECTOR_COLUMN = "search_vector"


@SearchDocumentField.register_lookup
class TsMatch(models.Lookup):
    """``search_document__tsmatch="stem:* | token"``: PostgreSQL only (the search builds
    ``LIKE`` conditions on other databases). Reads the generated ``search_vector`` column of
    the same row when the left-hand side is the plain column, which it always is in the
    directory search; any other expression is converted per row."""

    lookup_name = "tsmatch"

    def as_sql(self, compiler, connection):
        rhs, rhs_params = self.process_rhs(compiler, connection)
        query = f"to_tsquery('simple'::regconfig, {rhs})"
        target = getattr(self.lhs, "target", None)
        alias = getattr(self.lhs, "alias", None)
        if isinstance(target, SearchDocumentField) and alias:
            column = (
                compiler.quote_name_unless_alias(alias)
                + "."
                + connection.ops.quote_name(SEARCH_VECTOR_COLUMN)
            )
            return f"{column} @@ {query}", rhs_params
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"to_tsvector('simple'::regconfig, {lhs}) @@ {query}", [*lhs_params, *rhs_params]


class Kind(models.TextChoices):
    GROUP = "group", _("Selbsthilfegruppe")
    ORGANISATION = "organisation", _("Selbsthilfeorganisation")


class Status(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    FOUNDING = "founding", _("in Gründung")
    PAUSED = "paused", _("pausiert")
    ENDED = "ended", _("beendet")


class Audience(models.TextChoices):
    AFFECTED = "affected", _("Betroffene")
    RELATIVES = "relatives", _("Angehörige")
    BOTH = "both", _("Betroffene und Angehörige")


class AgeBand(models.TextChoices):
    ALL = "", _("alle Altersgruppen")
    YOUTH = "youth", _("Jugendliche (unter 18)")
    YOUNG_ADULTS = "young_adults", _("junge Erwachsene (18–35)")
    MIDDLE = "middle", _("mittleres Alter (35–60)")
    SENIORS = "seniors", _("ältere Menschen (ab 60)")


class Gender(models.TextChoices):
    ALL = "", _("alle Geschlechter")
    WOMEN = "women", _("Frauen")
    MEN = "men", _("Männer")
    QUEER = "queer", _("trans*, inter*, nicht-binär")


class Rhythm(models.TextChoices):
    WEEKLY = "weekly", _("wöchentlich")
    EVERY_N_WEEKS = "every_n_weeks", _("alle n Wochen")
    NTH_WEEKDAY = "nth_weekday", _("n-ter Wochentag im Monat")
    IRREGULAR = "irregular", _("unregelmäßig")
    BY_ARRANGEMENT = "by_arrangement", _("nach Absprache")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("vor Ort")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid (vor Ort und online)")


#: Languages a group may meet in. The codes are stored space-separated in ``languages``.
LANGUAGE_CHOICES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("ru", _("Russisch")),
    ("uk", _("Ukrainisch")),
    ("pl", _("Polnisch")),
    ("fa", _("Persisch")),
    ("dgs", _("Deutsche Gebärdensprache")),
    ("ls", _("Leichte Sprache")),
]
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)

NTH_CHOICES = [
    (1, _("ersten")),
    (2, _("zweiten")),
    (3, _("dritten")),
    (4, _("vierten")),
    (-1, _("letzten")),
]


_LOCALE_IDS = {}


def locale_id_for(language_code):
    """The id of the content locale for ``language_code`` (None if there is none), cached
    per process: locales are created once at set-up and almost never change (the cache is
    cleared when one does, see ``signals``)."""
    if language_code not in _LOCALE_IDS:
        _LOCALE_IDS[language_code] = (
            Locale.objects.filter(language_code=language_code).values_list("pk", flat=True).first()
        )
    return _LOCALE_IDS[language_code]


def forget_locale_ids(**kwargs):
    _LOCALE_IDS.clear()


def default_locale_id():
    """The source locale of all directory records (German)."""
    pk = locale_id_for(get_supported_content_language_variant(settings.LANGUAGE_CODE))
    return pk if pk is not None else Locale.get_default().pk


class Topic(TranslatableMixin, models.Model):
    """A keyword of the controlled, hierarchical topic list (NAKOS-style).

    People search with their own words, so each topic carries synonyms ("trinken", "Sucht")
    and related terms; the public search expands a query with them. Only the coordinators
    maintain the list, so that all offices file their groups under the same words. The name
    is translatable; ``synonyms`` and ``related_terms`` are the German search vocabulary, and
    ``search_terms`` holds the words people use in each other content language ("alcohol",
    "my husband drinks", "alkol", "алкоголь", "كحول", Leichte Sprache "zu viel trinken"):
    these are not translations of the German words but what speakers of that language type,
    so they are kept per language on the source topic and synchronised to its translations.
    """

    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kürzel"), max_length=120, allow_unicode=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Oberthema"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    synonyms = models.TextField(
        _("Synonyme"),
        blank=True,
        help_text=_("Wörter, mit denen Menschen nach diesem Thema suchen; eines pro Zeile."),
    )
    related_terms = models.TextField(
        _("Verwandte Begriffe"),
        blank=True,
        help_text=_("Begriffe, die oft mit diesem Thema gemeint sind; einer pro Zeile."),
    )
    #: ``{language code: [phrase, ...]}`` for the content languages other than German.
    search_terms = models.JSONField(_("Suchbegriffe in anderen Sprachen"), default=dict, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("synonyms"),
        FieldPanel("related_terms"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("parent"),
        SynchronizedField("synonyms"),
        SynchronizedField("related_terms"),
        SynchronizedField("search_terms"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="directory_topic_slug_locale")
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError(
                    {"parent": _("Ein Thema kann nicht sein eigenes Oberthema sein.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def terms(self):
        """Name, synonyms and related terms as a list of phrases."""
        lines = [self.name, *self.synonyms.splitlines(), *self.related_terms.splitlines()]
        return [line.strip() for line in lines if line.strip()]

    def terms_in(self, language):
        """The search terms the coordinators keep for ``language`` (not German)."""
        terms = (self.search_terms or {}).get(language) or []
        return [term for term in terms if isinstance(term, str) and term.strip()]


class SearchWord(models.Model):
    """One word of the search lexicon: every word of the topic vocabulary (names, synonyms,
    related terms and search terms in every language, audience words) and of the public
    groups' names and places, folded as :mod:`directory.text` folds a query.

    Why a table: a mistyped word ("Alkohl", "Depresion", "алкогол") is corrected to the
    nearest word people could have meant. On PostgreSQL that is a ``pg_trgm`` similarity
    search served by a trigram GIN index on this table (migration 0005); on SQLite the same
    rows are held in memory with the same trigram measure (``directory.lexicon``), so both
    databases correct the same way. It holds public words only and belongs to no office.
    """

    word = models.CharField(max_length=100, unique=True)
    #: ``text.sound_key(word)``: "cannabis" and "kanabis" share it.
    key = models.CharField(max_length=100, default="")
    #: Whether the word comes from the topic vocabulary (a correction to it names a topic).
    vocabulary = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Suchwort")
        verbose_name_plural = _("Suchwörter")

    def __str__(self):
        return self.word


#: The translation subquery per locale id, built once per process: building it cost
#: about a third of what the translated listing paid more than the German one. Django
#: copies an expression when a query resolves it, so one instance serves every query.
_TRANSLATION_SUBQUERIES = {}


def _translation_subquery(locale_id):
    """A group's live translation into ``locale_id`` as one JSON object (one subquery for
    all translated fields, not one per field: each costs its compilation per request)."""
    subquery = _TRANSLATION_SUBQUERIES.get(locale_id)
    if subquery is None:
        translation = (
            SelfHelpGroup.objects.filter(
                translation_key=models.OuterRef("translation_key"), locale_id=locale_id, live=True
            )
            .order_by()
            .values(data=JSONObject(**{field: field for field in TRANSLATED_GROUP_FIELDS}))[:1]
        )
        subquery = models.Subquery(translation, output_field=JSONField())
        _TRANSLATION_SUBQUERIES[locale_id] = subquery
    return subquery


class GroupQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may see: published, not ended, in the source (default) locale.

        Translations are looked up for display only; filtering always happens on the source
        record so that structured data (office, topics, times) has one truth.
        """
        return self.filter(live=True, locale_id=default_locale_id()).exclude(status=Status.ENDED)

    def with_translation(self, language_code=None):
        """Each group with the name, description and venue of its live translation into
        ``language_code`` (the active language by default) as ``translation_data``
        (``{"name": …, "description": …, "venue": …}``, None where there is none), in the
        same query. ``directory.views.localize`` then swaps them in without a query of
        its own, so a translated listing costs no query more than the German one (issue
        #12). In the default language nothing is added."""
        from django.utils import translation

        language = language_code or translation.get_language() or settings.LANGUAGE_CODE
        locale_id = locale_id_for(get_supported_content_language_variant(language))
        if locale_id is None or locale_id == default_locale_id():
            return self
        return self.annotate(translation_data=_translation_subquery(locale_id))

    def stale(self, today=None):
        """Groups neither checked by their office nor confirmed by the group itself (by the
        link in a confirmation request) within ``STALE_AFTER``; ended groups never."""
        today = today or timezone.localdate()
        since = today - STALE_AFTER
        return (
            self.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=since))
            .exclude(
                models.Exists(
                    GroupConfirmation.objects.filter(
                        group=models.OuterRef("pk"),
                        answer=GroupConfirmation.Answer.CONFIRMED,
                        answered_at__date__gte=since,
                    )
                )
            )
            .exclude(status=Status.ENDED)
        )


#: Fields of a group that a translation replaces on the public pages (``localize``).
TRANSLATED_GROUP_FIELDS = ("name", "description", "venue")


#: Fields that are internal to the office. Listed once so that the privacy tests, the
#: exports and the API can prove they never use them.
INTERNAL_FIELDS = ("internal_contact_name", "internal_phone", "internal_email", "internal_notes")


class SelfHelpGroup(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One self-help group (or self-help organisation) as the state database keeps it.

    The ``office`` that looks after the group is its owner: only that office's staff (and
    the coordinators) may edit it, and contact requests go there. Changes are drafts until
    someone with the publish permission releases them, so the public never sees unchecked
    data. Public contact data needs the date of the group's consent; everything in
    ``INTERNAL_FIELDS`` never leaves the admin.
    """

    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices, default=Kind.GROUP)
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, blank=True)
    office = models.ForeignKey(
        "sites.Office",
        verbose_name=_("Zuständige Kontaktstelle"),
        on_delete=models.PROTECT,
        related_name="directory_groups",
    )
    topics = ParentalManyToManyField(
        Topic, verbose_name=_("Themen"), related_name="groups", blank=True
    )
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        help_text=_("Wer trifft sich, worum geht es? Kurz und in einfachen Worten."),
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )

    audience = models.CharField(
        _("Zielgruppe"), max_length=16, choices=Audience.choices, default=Audience.AFFECTED
    )
    age_band = models.CharField(
        _("Altersgruppe"), max_length=16, choices=AgeBand.choices, default="", blank=True
    )
    gender = models.CharField(
        _("Geschlecht"),
        max_length=16,
        choices=Gender.choices,
        default="",
        blank=True,
        help_text=_("Nur ausfüllen, wenn sich die Gruppe an ein Geschlecht richtet."),
    )
    languages = models.CharField(
        _("Sprachen"), max_length=100, default="de", help_text=_("Sprachen der Treffen.")
    )

    rhythm = models.CharField(
        _("Rhythmus"), max_length=20, choices=Rhythm.choices, default=Rhythm.WEEKLY
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("alle … Wochen"), null=True, blank=True, help_text=_("Nur bei „alle n Wochen“.")
    )
    nth_of_month = models.SmallIntegerField(
        _("am … Wochentag im Monat"),
        choices=NTH_CHOICES,
        null=True,
        blank=True,
        help_text=_("Nur bei „n-ter Wochentag im Monat“."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("Wochentag"), choices=Weekday.choices, null=True, blank=True
    )
    starts_at = models.TimeField(_("Beginn"), null=True, blank=True)
    ends_at = models.TimeField(_("Ende"), null=True, blank=True)

    format = models.CharField(
        _("Vor Ort oder online"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.CharField(_("Treffpunkt"), max_length=200, blank=True)
    district = models.CharField(_("Ortsteil / Gemeinde"), max_length=100, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    step_free_access = models.BooleanField(_("Stufenloser Zugang"), default=False)
    accessible_wc = models.BooleanField(_("Barrierefreies WC"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)

    new_members_welcome = models.BooleanField(_("Neue Mitglieder willkommen"), default=True)
    professionally_led = models.BooleanField(_("Fachlich angeleitet"), default=False)

    public_contact_name = models.CharField(
        _("Ansprechperson (öffentlich)"), max_length=120, blank=True
    )
    public_phone = models.CharField(_("Telefon (öffentlich)"), max_length=50, blank=True)
    public_email = models.EmailField(_("E-Mail (öffentlich)"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    public_contact_consent_date = models.DateField(
        _("Einwilligung zur Veröffentlichung am"),
        null=True,
        blank=True,
        help_text=_("Pflicht, sobald öffentliche Kontaktdaten eingetragen sind."),
    )
    forward_requests_to_group = models.BooleanField(
        _("Kontaktanfragen auch an die Gruppe senden"),
        default=False,
        help_text=_(
            "Nur mit Einwilligung der Gruppe: Anfragen gehen dann zusätzlich an die "
            "öffentliche E-Mail-Adresse der Gruppe."
        ),
    )

    internal_contact_name = models.CharField(
        _("Ansprechperson (intern)"), max_length=120, blank=True
    )
    internal_phone = models.CharField(_("Telefon (intern)"), max_length=50, blank=True)
    internal_email = models.EmailField(_("E-Mail (intern)"), blank=True)
    internal_notes = models.TextField(_("Interne Notizen"), blank=True)

    last_verified = models.DateField(_("Zuletzt geprüft am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    #: Stems of the public text only (see :mod:`directory.text`); never internal fields.
    search_document = SearchDocumentField(editable=False, blank=True, default="")
    objects = GroupQuerySet.as_manager()

    #: Name, description and topic names carry a sub-field per content language in the
    #: Elasticsearch mapping (``config.search.language_subfields``).
    search_fields = [
        index.SearchField("name", es_extra=language_subfields()),
        index.AutocompleteField("name"),
        index.SearchField("description", es_extra=language_subfields()),
        index.SearchField("district"),
        index.RelatedFields("topics", [index.SearchField("name", es_extra=language_subfields())]),
        index.FilterField("office"),
        index.FilterField("status"),
        index.FilterField("live"),
        index.FilterField("locale"),
        index.FilterField("kind"),
    ]

    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        TranslatableField("venue"),
        *(
            SynchronizedField(name)
            for name in (
                "kind",
                "slug",
                "office",
                "topics",
                "status",
                "audience",
                "age_band",
                "gender",
                "languages",
                "rhythm",
                "interval_weeks",
                "nth_of_month",
                "weekday",
                "starts_at",
                "ends_at",
                "format",
                "district",
                "street",
                "postcode",
                "city",
                "step_free_access",
                "accessible_wc",
                "hearing_loop",
                "new_members_welcome",
                "professionally_led",
                "public_contact_name",
                "public_phone",
                "public_email",
                "website",
                "public_contact_consent_date",
                "forward_requests_to_group",
                "last_verified",
            )
        ),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
                    FieldPanel("name"),
                    FieldPanel("office"),
                    FieldPanel("topics"),
                    FieldPanel("description"),
                    MultiFieldPanel(
                        [
                            FieldPanel("audience"),
                            FieldRowPanel([FieldPanel("age_band"), FieldPanel("gender")]),
                            FieldPanel("languages"),
                            FieldRowPanel(
                                [
                                    FieldPanel("new_members_welcome"),
                                    FieldPanel("professionally_led"),
                                ]
                            ),
                        ],
                        heading=_("Für wen"),
                    ),
                    FieldPanel("last_verified"),
                ],
                heading=_("Gruppe"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("rhythm"),
                            FieldRowPanel(
                                [FieldPanel("interval_weeks"), FieldPanel("nth_of_month")]
                            ),
                            FieldRowPanel(
                                [
                                    FieldPanel("weekday"),
                                    FieldPanel("starts_at"),
                                    FieldPanel("ends_at"),
                                ]
                            ),
                        ],
                        heading=_("Wann"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("format"),
                            FieldPanel("venue"),
                            FieldPanel("street"),
                            FieldRowPanel(
                                [
                                    FieldPanel("postcode"),
                                    FieldPanel("city"),
                                    FieldPanel("district"),
                                ]
                            ),
                            FieldRowPanel(
                                [
                                    FieldPanel("step_free_access"),
                                    FieldPanel("accessible_wc"),
                                    FieldPanel("hearing_loop"),
                                ]
                            ),
                        ],
                        heading=_("Wo"),
                    ),
                ],
                heading=_("Treffen"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("public_contact_name"),
                            FieldRowPanel([FieldPanel("public_phone"), FieldPanel("public_email")]),
                            FieldPanel("website"),
                            FieldPanel("public_contact_consent_date"),
                            FieldPanel("forward_requests_to_group"),
                        ],
                        heading=_("Öffentlicher Kontakt (nur mit Einwilligung)"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("internal_contact_name"),
                            FieldRowPanel(
                                [FieldPanel("internal_phone"), FieldPanel("internal_email")]
                            ),
                            FieldPanel("internal_notes"),
                        ],
                        heading=_("Interner Kontakt (wird nie veröffentlicht)"),
                    ),
                ],
                heading=_("Kontakt"),
            ),
        ]
    )

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Selbsthilfegruppe")
        verbose_name_plural = _("Selbsthilfegruppen")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["live", "locale", "status"], name="directory_public_idx"),
            models.Index(fields=["office", "name"], name="directory_office_name_idx"),
            models.Index(fields=["district"], name="directory_district_idx"),
            # The public district filter is case-insensitive (``district__iexact``, which is
            # UPPER(district) = UPPER(...)); without this index PostgreSQL scanned every row.
            models.Index(Upper("district"), name="directory_district_upper_idx"),
        ]

    @property
    def publication_state(self):
        """ "Entwurf", "In Prüfung", "Veröffentlicht" or "Veröffentlicht, Änderungen in
        Prüfung" for the admin list (``in_review`` is annotated there; asked otherwise)."""
        in_review = getattr(self, "in_review", None)
        if in_review is None:
            in_review = self.workflow_in_progress
        if self.live:
            if in_review:
                return _("Veröffentlicht, Änderungen in Prüfung")
            return (
                _("Veröffentlicht, mit Entwurf")
                if self.has_unpublished_changes
                else _("Veröffentlicht")
            )
        return _("In Prüfung") if in_review else _("Entwurf")

    def __str__(self):
        return self.name

    # --- validation ------------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        public = (self.public_contact_name, self.public_phone, self.public_email)
        if any(public) and not self.public_contact_consent_date:
            errors["public_contact_consent_date"] = _(
                "Öffentliche Kontaktdaten brauchen das Datum der Einwilligung der Gruppe."
            )
        if self.public_contact_consent_date and self.public_contact_consent_date > (
            timezone.localdate()
        ):
            errors["public_contact_consent_date"] = _("Das Datum liegt in der Zukunft.")
        if self.forward_requests_to_group and not (
            self.public_email and self.public_contact_consent_date
        ):
            errors["forward_requests_to_group"] = _(
                "Weiterleiten geht nur an eine öffentliche E-Mail-Adresse mit Einwilligung."
            )
        if self.rhythm == Rhythm.EVERY_N_WEEKS and not (self.interval_weeks or 0) >= 2:
            errors["interval_weeks"] = _("Bitte angeben, alle wie viele Wochen (mindestens 2).")
        if self.rhythm == Rhythm.NTH_WEEKDAY and self.nth_of_month is None:
            errors["nth_of_month"] = _("Bitte angeben, der wievielte Wochentag im Monat.")
        if (
            self.rhythm in (Rhythm.WEEKLY, Rhythm.EVERY_N_WEEKS, Rhythm.NTH_WEEKDAY)
            and self.weekday is None
        ):
            errors["weekday"] = _("Bitte einen Wochentag angeben.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
        unknown = set(self.language_codes) - set(LANGUAGE_LABELS)
        if unknown:
            errors["languages"] = _("Unbekannte Sprache: %(codes)s") % {
                "codes": ", ".join(sorted(unknown))
            }
        if self.last_verified and self.last_verified > timezone.localdate():
            errors["last_verified"] = _("Das Datum liegt in der Zukunft.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = german_slugify(self.name, max_length=80) or "gruppe"
        if self.locale_id is None:
            self.locale_id = default_locale_id()
        if not self.translation_key:
            self.translation_key = uuid.uuid4()
        self.search_document = build_search_document(self, self._current_topics())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_document" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_document"]
        super().save(*args, **kwargs)

    def _current_topics(self):
        if self.pk is None and not hasattr(self, "_cluster_related_objects"):
            return []
        try:
            return list(self.topics.all())
        except ValueError:
            return []

    # --- presentation ----------------------------------------------------------------
    def _get_FIELD_display(self, field):
        """What Django's ``get_<field>_display()`` returns, from a dict built once per field:
        Django rebuilds it on every call and hashes each (lazy, so translated) label to do
        so, which cost about a fifth of a millisecond per call on a list page that makes
        some sixty of them. The labels stay lazy here, so the active language still counts."""
        labels = _CHOICE_LABELS.get(field.attname)
        if labels is None:
            labels = _CHOICE_LABELS[field.attname] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    @property
    def language_codes(self):
        return [code for code in (self.languages or "").split() if code]

    @property
    def language_labels(self):
        return [str(LANGUAGE_LABELS.get(code, code)) for code in self.language_codes]

    @property
    def is_evening(self):
        return bool(self.starts_at and self.starts_at >= EVENING_STARTS)

    @property
    def is_stale(self):
        return SelfHelpGroup.objects.stale().filter(pk=self.pk).exists()

    @property
    def has_public_contact(self):
        return bool(self.public_contact_consent_date) and any(
            (self.public_contact_name, self.public_phone, self.public_email, self.website)
        )

    def rhythm_text(self):
        """The meeting rhythm as a German sentence fragment: "jeden 2. Dienstag im Monat"."""
        day = self.get_weekday_display() if self.weekday is not None else ""
        time = ""
        if self.starts_at:
            time = f", {self.starts_at:%H:%M}"
            if self.ends_at:
                time += f"–{self.ends_at:%H:%M}"
            time += " " + str(_("Uhr"))
        if self.rhythm == Rhythm.WEEKLY and day:
            return _("jeden %(day)s") % {"day": day} + time
        if self.rhythm == Rhythm.EVERY_N_WEEKS and day:
            return _("alle %(n)s Wochen %(day)s") % {"n": self.interval_weeks, "day": day} + time
        if self.rhythm == Rhythm.NTH_WEEKDAY and day:
            return (
                _("jeden %(nth)s %(day)s im Monat")
                % {"nth": self.get_nth_of_month_display(), "day": day}
                + time
            )
        return str(self.get_rhythm_display()) + time

    def get_public_path(self):
        """The path below the site's directory page (``<id>-<slug>/``): the id keeps the
        address stable when the name changes; the slug only makes it readable."""
        return f"{self.source_pk()}-{self.slug or 'gruppe'}/"

    def source_pk(self):
        return getattr(self, "_source_pk", None) or self.pk

    def get_preview_template(self, request, mode_name):
        return "directory/group_detail.html"

    def get_preview_context(self, request, mode_name):
        return {"group": self, "preview": True, "page": None}


#: Choice labels of ``SelfHelpGroup`` fields by value (see ``_get_FIELD_display``).
_CHOICE_LABELS = {}


def topic_token(pk):
    return f"zztopic{pk}"


def audience_tokens(audience):
    if audience == Audience.BOTH:
        return ["zzaudaffected", "zzaudrelatives"]
    return [f"zzaud{audience}"] if audience else []


def build_search_document(group, topics):
    """The public search document of ``group``: stems of name, description and place, plus
    marker tokens for its topics, audience and age band, so that one text condition (one
    index lookup on PostgreSQL) answers "word or synonym topic or audience". Internal fields
    are never included."""
    markers = [topic_token(topic.pk) for topic in topics]
    markers += audience_tokens(group.audience)
    if group.age_band:
        markers.append(f"zzage{group.age_band}")
    document = text.document(group.name, group.description, group.venue, group.district, group.city)
    return (document or " ") + "".join(f"{marker} " for marker in markers)


class ContactRequest(models.Model):
    """A visitor's message about a group, delivered to the office that looks after it.

    Contact normally goes through the office, which protects the group's members; the
    message reaches the group only if the group consented. The record is kept so that the
    office can answer and follow up; only that office's staff see it in the admin.
    """

    group = models.ForeignKey(
        SelfHelpGroup,
        verbose_name=_("Gruppe"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    group_name = models.CharField(_("Gruppe (Name)"), max_length=200)
    office = models.ForeignKey(
        "sites.Office",
        verbose_name=_("Kontaktstelle"),
        on_delete=models.CASCADE,
        related_name="directory_contact_requests",
    )
    name = models.CharField(_("Name"), max_length=120)
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    message = models.TextField(_("Nachricht"))
    consent_at = models.DateTimeField(_("Einwilligung erteilt am"))
    forwarded_to_group = models.BooleanField(_("An die Gruppe weitergeleitet"), default=False)
    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True)

    panels = [
        FieldPanel("group_name", read_only=True),
        FieldPanel("name", read_only=True),
        FieldPanel("email", read_only=True),
        FieldPanel("phone", read_only=True),
        FieldPanel("message", read_only=True),
    ]

    class Meta:
        verbose_name = _("Kontaktanfrage")
        verbose_name_plural = _("Kontaktanfragen")
        ordering = ["-created_at"]

    def __str__(self):
        return _("%(name)s zu „%(group)s“") % {"name": self.name, "group": self.group_name}


#: How long the link in a confirmation request works.
CONFIRMATION_VALID_FOR = datetime.timedelta(days=30)


class GroupConfirmation(models.Model):
    """A request to a group to confirm or correct its own directory entry, and its answer.

    Records go stale when an office checks each group once a year by phone. Directories that
    stay current let the listed group confirm its entry through a link, so the office mails
    the group's internal contact a signed link (see ``directory.confirmation``). Each
    request has its own random ``nonce``, which the link carries signed: only the newest
    request of a group is valid (a new one voids the older links), it expires after
    ``CONFIRMATION_VALID_FOR`` and it is answered once. A confirmation is recorded here
    (who, when) and counts as a check of the entry; a proposal is a draft revision of the
    group that the office reviews: nothing the group sends is ever published by itself.
    The row holds the contact's address and belongs to the group's office.
    """

    class Answer(models.TextChoices):
        OPEN = "", _("offen")
        CONFIRMED = "confirmed", _("bestätigt")
        PROPOSED = "proposed", _("Änderungen vorgeschlagen")

    group = models.ForeignKey(
        SelfHelpGroup,
        verbose_name=_("Gruppe"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    nonce = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("Gesendet an"))
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, blank=True)
    #: Who asked for it in the admin; empty for the yearly run of the platform.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angefordert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Angefordert am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Verschickt am"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Gültig bis"))
    answer = models.CharField(
        _("Antwort"), max_length=16, choices=Answer.choices, default="", blank=True
    )
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)
    #: The contact as stored when the link was opened ("Name <address>").
    answered_by = models.CharField(_("Beantwortet von"), max_length=300, blank=True)
    message = models.TextField(_("Nachricht der Gruppe"), blank=True, max_length=2000)
    #: The draft revision a proposal saved.
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("Vorschlag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Bestätigungsanfrage")
        verbose_name_plural = _("Bestätigungsanfragen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["group", "-created_at"], name="directory_confirm_group_idx"),
        ]

    def __str__(self):
        return f"{self.group} ({self.created_at:%d.%m.%Y})"

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class DirectoryPage(RoutablePageMixin, Page):
    """The public directory of a site, one per site (created at provisioning).

    A regional office's page lists its own groups first and can widen to the whole state;
    the state coordination's page lists every group. Group detail pages are routes of this
    page so that they live under the site's own address and language prefix.
    """

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    founding_text = RichTextField(
        _("Text „Gruppe gründen“"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Wird gezeigt, wenn die Suche nichts gefunden hat."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("founding_text")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Gruppenverzeichnis")
        verbose_name_plural = _("Gruppenverzeichnisse")

    @path("")
    def listing(self, request):
        from .views import directory_listing

        return directory_listing(self, request)

    @path("<int:pk>-<slug:slug>/")
    def group_detail(self, request, pk, slug):
        from .views import group_detail

        return group_detail(self, request, pk, slug)

    def group_url(self, group, request=None):
        return self.get_url(request) + group.get_public_path()

    def get_sitemap_urls(self, request=None):
        """The page itself plus the page of every group that the site's own office looks
        after (the state site: the coordination's own groups), each in this page's
        language where the group is published in it, with its language versions. So
        every group is listed in exactly one site's sitemaps, at its canonical address
        (see ``directory.seo``)."""
        from sites import seo as site_seo
        from sites.tenancy import office_for_page

        from .seo import directory_urls

        entries = super().get_sitemap_urls(request)
        office = office_for_page(self)
        if office is None:
            return entries
        site = office.site
        groups = list(
            SelfHelpGroup.objects.public()
            .filter(office=office)
            .only("pk", "slug", "updated_at", "translation_key")
            .order_by("pk")
        )
        languages = {}
        for key, code in SelfHelpGroup.objects.filter(
            translation_key__in=[group.translation_key for group in groups], live=True
        ).values_list("translation_key", "locale__language_code"):
            languages.setdefault(key, set()).add(code)
        pages = directory_urls(site.pk)
        language = self.locale.language_code
        for group in groups:
            path = group.get_public_path()
            urls = {
                code: pages[code] + path
                for code in languages.get(group.translation_key, ())
                if code in pages
            }
            if language not in urls:
                continue
            entries.append(
                {
                    "location": urls[language],
                    "lastmod": group.updated_at,
                    "alternates": [
                        {"lang_code": code, "location": url}
                        for code, url in site_seo.alternates(urls, language)
                    ],
                }
            )
        return entries


def new_widget_key():
    """A random, unguessable key for a widget's public address (``/widget/<key>/``): a
    partner's embed code keeps working when the widget is renamed, and nobody can walk
    the widgets of all offices by counting up ids."""
    import secrets

    return secrets.token_urlsafe(16)


#: Widgets show at most this many groups (a partner page is not the directory).
WIDGET_MAX_ENTRIES = 50


class PartnerWidget(models.Model):
    """A block of the office's groups that a partner (a doctor's practice, a counselling
    centre, the district's website) shows on its own pages.

    The office chooses what the block lists (its groups on some topics and/or in some
    districts), in which language by default, and how many; the partner embeds an
    ``<iframe>`` or reads the same data as JSON. The public address carries a random key,
    not the id. Nothing in it tracks the partner's visitors: no cookies, no script, no
    third-party request; the office only learns on which sites (origins) the block was
    shown how often per day (``WidgetReferral``), which is what it needs to know who
    embeds it. The links lead to the group pages on the office's own site.
    """

    office = models.ForeignKey(
        "sites.Office",
        verbose_name=_("Kontaktstelle"),
        on_delete=models.CASCADE,
        related_name="partner_widgets",
    )
    name = models.CharField(
        _("Bezeichnung"),
        max_length=120,
        help_text=_("Für wen oder wofür, z. B. „Praxis Müller, Sucht“. Nur im Admin sichtbar."),
    )
    heading = models.CharField(
        _("Überschrift"),
        max_length=120,
        blank=True,
        help_text=_(
            "Überschrift über der Liste (auf Deutsch; leer: „Selbsthilfegruppen“ in der "
            "Sprache des Widgets)."
        ),
    )
    key = models.SlugField(
        _("Schlüssel in der Adresse"),
        max_length=40,
        unique=True,
        default=new_widget_key,
        editable=False,
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("Themen"),
        blank=True,
        related_name="+",
        help_text=_("Gruppen zu diesen Themen (und ihren Unterthemen). Leer: alle Themen."),
    )
    districts = models.TextField(
        _("Ortsteile"),
        blank=True,
        help_text=_("Ein Ortsteil pro Zeile, wie bei den Gruppen eingetragen. Leer: alle."),
    )
    language = models.CharField(
        _("Sprache"),
        max_length=10,
        default="de",
        help_text=_(
            "Sprache des Widgets, wenn die Partnerseite keine wählt (mit ?sprache=… in der "
            "Adresse geht jede Sprache Ihrer Website)."
        ),
    )
    max_entries = models.PositiveSmallIntegerField(
        _("Höchstens so viele Gruppen"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(WIDGET_MAX_ENTRIES)],
    )
    active = models.BooleanField(
        _("Aktiv"),
        default=True,
        help_text=_("Ausgeschaltet zeigt die Adresse nichts mehr (404)."),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Widget für Partnerseiten")
        verbose_name_plural = _("Widgets für Partnerseiten")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def district_list(self):
        """The districts, one per line, without blanks and duplicates (case-insensitive)."""
        seen, result = set(), []
        for line in (self.districts or "").splitlines():
            value = " ".join(line.split())
            if value and value.casefold() not in seen:
                seen.add(value.casefold())
                result.append(value)
        return result

    def clean(self):
        super().clean()
        from sites.tenancy import site_languages

        if self.office_id and self.language not in site_languages(self.office):
            raise ValidationError(
                {"language": _("Diese Sprache bietet die Website der Kontaktstelle nicht an.")}
            )
        if len(self.district_list) > 50:
            raise ValidationError({"districts": _("Höchstens 50 Ortsteile.")})
        for district in self.district_list:
            if len(district) > 100:
                raise ValidationError({"districts": _("Ein Ortsteil ist zu lang.")})


class WidgetReferral(models.Model):
    """How often a widget was shown on one day on one partner site.

    Only the *origin* of the embedding page is kept (scheme, host and port, e.g.
    ``https://praxis-mueller.de``: never its path, a visitor's IP address, user agent or
    any identifier), summed per day, so the office sees which partners embed its block
    and how much it is used without anyone's visit being traceable. Rows older than
    ``directory.widget.KEEP_DAYS`` are deleted. ``origin`` is empty when the browser sent
    no referrer and ``*`` for origins beyond the daily limit per widget (so that forged
    headers cannot fill the table).
    """

    widget = models.ForeignKey(
        PartnerWidget,
        verbose_name=_("Widget"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    day = models.DateField(_("Tag"))
    origin = models.CharField(_("Herkunft"), max_length=200, blank=True)
    hits = models.PositiveIntegerField(_("Aufrufe"), default=0)

    class Meta:
        verbose_name = _("Einbettung eines Widgets")
        verbose_name_plural = _("Einbettungen von Widgets")
        constraints = [
            models.UniqueConstraint(
                fields=["widget", "day", "origin"], name="directory_widget_referral_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="directory_widget_referral_day")]

    def __str__(self):
        return f"{self.origin or '–'} {self.day}: {self.hits}"
