"""Page types of an office site.

Each office's tree starts with a ``HomePage`` directly below the root (one per locale). The
default pages created at provisioning (Kontakt, Gruppe gründen, Impressum, Datenschutz,
Barrierefreiheit) are two form pages and three ``StandardPage`` objects whose text the
office edits, plus the pages in Leichte Sprache and Gebärdensprache that BITV 2.0 § 4
requires (``EasyLanguagePage``, ``SignLanguagePage``, see ``home.bitv``). Menus and footer
links are a per-site setting (``Navigation``) so that each office arranges its own
navigation and nobody else's.
"""

from email.utils import formataddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from sites import mail as site_mail
from sites import ratelimit
from sites.tenancy import office_for_page

from .blocks import BodyBlock
from .forms import CONSENT_FIELD, OfficeFormBuilder, office_form_class


class HomePage(Page):
    """The start page of one office site (or of the state coordination site).

    Besides the editable welcome and content, it shows what changes without an editor:
    whether the office is open right now, its hours and contact data from the office
    profile, the next events and the newest groups of the office (template slots filled by
    the events and directory apps when they are installed).
    """

    intro = RichTextField(_("Begrüßung"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("Startseite")
        verbose_name_plural = _("Startseiten")

    def get_context(self, request, *args, **kwargs):
        """The office finder's link (the state home has a finder box; see
        ``OfficeFinderPage``) from the cached site chrome, without a query."""
        from sites import chrome

        context = super().get_context(request, *args, **kwargs)
        site_chrome = chrome.for_request(request)
        context["office_finder"] = site_chrome.section(OfficeFinderPage) if site_chrome else None
        return context


class StandardPage(Page):
    """A content page: advice, information, Impressum, Datenschutz, Barrierefreiheit."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")
        verbose_name_plural = _("Inhaltsseiten")


def legal_page(page, slug):
    """The page ``slug`` (e.g. "datenschutz") of the site of ``page``, in ``page``'s locale
    when it has been translated, else in the default locale."""
    home = Page.objects.filter(path=page.path[: Page.steplen * 2]).first()
    if home is None:
        return None
    found = home.get_children().live().filter(slug=slug).first()
    if found is None:
        source = home.get_translations().filter(locale__language_code="de").first()
        if source is not None:
            found = source.get_children().live().filter(slug=slug).first()
    return found


class OfficeFormPage(AbstractEmailForm):
    """A form-builder page of an office: consent, honeypot, rate limit, mail to the office.

    Submissions are saved without the honeypot field and with the consent, so the office
    can show when someone agreed. Who may read them is Wagtail's rule: the users who may
    edit the page, i.e. that office's staff.
    """

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("Text nach dem Absenden"), blank=True, features=["bold", "italic", "link"]
    )

    form_panels = [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Formularfelder")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-Mail"),
            help_text=_(
                "Ohne Empfängeradresse gehen Einsendungen an die E-Mail-Adresse der Kontaktstelle."
            ),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    form_builder = OfficeFormBuilder

    class Meta:
        abstract = True

    def get_form_class(self):
        return office_form_class(super().get_form_class())

    def get_form(self, *args, request=None, **kwargs):
        privacy = legal_page(self, "datenschutz")
        kwargs.setdefault("privacy_url", privacy.get_url(request) if privacy else None)
        kwargs.setdefault("page", self)
        if request is not None:
            kwargs.setdefault("user", request.user)
        return super().get_form(*args, **kwargs)

    def get_data_fields(self):
        return [*super().get_data_fields(), (CONSENT_FIELD, _("Einwilligung"))]

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            form = self.get_form(request=request)
            return self._render_form(request, form)
        form = self.get_form(request.POST, request.FILES, request=request)
        if form.is_spam:
            # Answer like a success so that the bot learns nothing; keep and send nothing.
            return self.render_landing_page(request, None, *args, **kwargs)
        if not form.is_valid():
            return self._render_form(request, form)
        if not ratelimit.hit(request, scope=f"form:{self.translation_key}"):
            return self._render_form(request, form, rate_limited=True, status=429)
        submission = self.process_form_submission(form)
        return self.render_landing_page(request, submission, *args, **kwargs)

    def _render_form(self, request, form, rate_limited=False, status=200):
        context = self.get_context(request)
        context["form"] = form
        context["rate_limited"] = rate_limited
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["form"] = self.get_form(request=request)
        context["rate_limited"] = False
        return context

    def process_form_submission(self, form):
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data_for_storage(), page=self
        )
        if self.recipients():
            self.send_mail(form)
        return submission

    def recipients(self):
        """The page's own addresses, else the office's e-mail address."""
        if self.to_address:
            return [a.strip() for a in self.to_address.split(",") if a.strip()]
        office = office_for_page(self)
        return [office.email] if office and office.email else []

    def send_mail(self, form):
        # Replies from the office go straight to the person who wrote, when they gave an
        # e-mail address.
        reply_to = [
            form.cleaned_data[name]
            for name, field in form.fields.items()
            if isinstance(field, forms.EmailField) and form.cleaned_data.get(name)
        ][:1]
        # From: the office's name at the platform address (or the address the editor set);
        # Date in local time and Auto-Submitted: auto-generated (RFC 3834).
        office = office_for_page(self)
        from_email = (
            formataddr((office.name, self.from_address))
            if self.from_address and office is not None
            else self.from_address or site_mail.office_sender(office)
        )
        EmailMessage(
            subject=self.subject or self.title,
            body=self.render_email(form),
            from_email=from_email,
            to=self.recipients(),
            reply_to=reply_to or None,
            headers=site_mail.automatic_headers(),
        ).send()

    def render_email(self, form):
        lines = []
        data = form.cleaned_data_for_storage()
        for field in form.visible_fields_for_people:
            if field.name not in data:
                continue
            value = data[field.name]
            if field.name == CONSENT_FIELD:
                lines.append(f"{_('Einwilligung')}: {_('ja') if value else _('nein')}")
                continue
            if isinstance(value, list):
                value = ", ".join(value)
            if isinstance(value, bool):
                value = _("ja") if value else _("nein")
            lines.append(f"{field.label}: {value}")
        return "\n".join(lines)


class TranslatableFormField(TranslatableMixin, AbstractFormField):
    """A form-builder field that is translated with its page.

    wagtail-localize only translates child objects that are translatable themselves;
    plain form fields were copied, so the English contact form asked its questions in
    German. Label, help text, choices and default value are translated; the field's
    ``clean_name`` (the key under which answers are stored), type and "required" stay
    those of the German field, so the submissions of every language share their keys.
    """

    override_translatable_fields = [
        SynchronizedField("clean_name"),
        SynchronizedField("field_type"),
        SynchronizedField("required"),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        abstract = True


class ContactFormField(TranslatableFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(OfficeFormPage):
    """The office's contact page: address and hours from the profile, plus a form whose
    submissions are mailed to the office and kept for its staff only."""

    content_panels = [*AbstractEmailForm.content_panels, *OfficeFormPage.form_panels]

    class Meta:
        verbose_name = _("Kontaktseite")
        verbose_name_plural = _("Kontaktseiten")


class GroupFoundingFormField(TranslatableFormField):
    page = ParentalKey("GroupFoundingPage", on_delete=models.CASCADE, related_name="form_fields")


class GroupFoundingPage(OfficeFormPage):
    """ "Gruppe gründen": someone who found no group for their topic registers interest.

    The office collects these to bring people with the same topic together and to support
    the founding of a new group; the questions (topic, district, how to reach the person)
    are editable form-builder fields seeded at provisioning.
    """

    content_panels = [*AbstractEmailForm.content_panels, *OfficeFormPage.form_panels]

    class Meta:
        verbose_name = _("Seite „Gruppe gründen“")
        verbose_name_plural = _("Seiten „Gruppe gründen“")


@register_setting(icon="list-ul", name="navigation")
class Navigation(BaseSiteSetting, ClusterableModel):
    """The main menu and extra footer links of one site, in the order the office wants.

    Without menu entries the site falls back to the home page's children that are marked
    "show in menus", so a new office has a working menu on day one. A per-site setting
    (not a snippet) because Wagtail's ``GroupSitePermission`` then lets each office edit
    its own navigation only.
    """

    panels = [
        InlinePanel(
            "main_items",
            heading=_("Hauptmenü"),
            label=_("Menüpunkt"),
            help_text=_(
                "Ohne Menüpunkte zeigt das Menü die Seiten unter der Startseite, bei denen "
                "„Im Menü anzeigen“ gesetzt ist."
            ),
        ),
        InlinePanel("footer_items", heading=_("Fußzeile"), label=_("Link in der Fußzeile")),
    ]

    class Meta:
        verbose_name = _("Navigation")
        verbose_name_plural = _("Navigationen")

    def __str__(self):
        return str(_("Navigation von %(site)s") % {"site": self.site})


class AbstractMenuItem(Orderable):
    """A link to a page of the same site, with an optional shorter menu text."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("Seite"), on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(
        _("Menütext"),
        max_length=60,
        blank=True,
        help_text=_(
            "Leer lassen, um den Seitentitel zu zeigen. Gilt für die deutsche Fassung; in "
            "anderen Sprachen steht der Titel der übersetzten Seite."
        ),
    )

    panels = [FieldRowPanel([PageChooserPanel("page"), FieldPanel("label")])]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.label or (self.page.title if self.page_id else "")

    def clean(self):
        super().clean()
        navigation = getattr(self, "setting", None)
        if self.page_id and navigation is not None and navigation.site_id:
            from sites.tenancy import pages_of_site

            if not pages_of_site(navigation.site).filter(pk=self.page_id).exists():
                raise ValidationError({"page": _("Bitte eine Seite dieser Website wählen.")})


class MainMenuItem(AbstractMenuItem):
    setting = ParentalKey(Navigation, on_delete=models.CASCADE, related_name="main_items")

    class Meta(AbstractMenuItem.Meta):
        verbose_name = _("Menüpunkt")
        verbose_name_plural = _("Menüpunkte")


class FooterMenuItem(AbstractMenuItem):
    setting = ParentalKey(Navigation, on_delete=models.CASCADE, related_name="footer_items")

    class Meta(AbstractMenuItem.Meta):
        verbose_name = _("Link in der Fußzeile")
        verbose_name_plural = _("Links in der Fußzeile")


# --- BITV 2.0 § 4: Leichte Sprache and Deutsche Gebärdensprache -----------------------------

#: File types a browser plays in ``<video>`` without a plug-in (and the MIME type it needs).
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


class EasyLanguagePage(Page):
    """The page "Leichte Sprache" that BITV 2.0 § 4 requires of every public body's site.

    It explains in easy-to-read German what the site offers, how to find one's way round it
    and how to reach the office. Provisioning writes the default text (``home.bitv``); the
    list of what the site offers and the office's contact data are rendered from the live
    site and profile, so they stay true when the office adds a page or moves house.
    """

    #: German by nature (Leichte Sprache; DGS with a German transcript): translated sites
    #: link the German page, and the translation status report leaves it out.
    stays_german = True

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Seite in Leichter Sprache")
        verbose_name_plural = _("Seiten in Leichter Sprache")

    def get_context(self, request, *args, **kwargs):
        from .bitv import site_offers

        context = super().get_context(request, *args, **kwargs)
        context["offers"] = site_offers(self)
        return context


class SignLanguagePage(Page):
    """The page in Deutsche Gebärdensprache (DGS) that BITV 2.0 § 4 requires.

    The video is a document in the office's own collection, played by the browser from
    this server (no third-party player, no tracking) and offered for download; the
    transcript gives the same content in writing for people who cannot watch it.
    """

    #: German by nature (Leichte Sprache; DGS with a German transcript): translated sites
    #: link the German page, and the translation status report leaves it out.
    stays_german = True

    intro = models.TextField(_("Einleitung"), blank=True)
    video = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Video in Gebärdensprache"),
        help_text=_(
            "Eine MP4- oder WebM-Datei aus Ihrer Sammlung. Sie wird von dieser Website "
            "abgespielt und kann heruntergeladen werden."
        ),
    )
    transcript = RichTextField(
        _("Text zum Video"),
        blank=True,
        features=["h2", "h3", "bold", "link", "ul", "ol"],
        help_text=_("Was im Video gesagt wird, zum Lesen."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("Weitere Inhalte"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("video"), FieldPanel("transcript")], heading=_("Video")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("transcript"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Seite in Gebärdensprache")
        verbose_name_plural = _("Seiten in Gebärdensprache")

    @property
    def video_type(self):
        """The MIME type for ``<source type>``, or None when the document is no video."""
        if self.video is None:
            return None
        return VIDEO_TYPES.get(self.video.file_extension.lower())

    def clean(self):
        super().clean()
        if self.video is not None and self.video_type is None:
            raise ValidationError({"video": _("Bitte ein Video im Format MP4 oder WebM wählen.")})


class OfficeFinderPage(Page):
    """ "Find your contact office" on the state coordination site.

    Visitors of the state site often do not know which of the offices is theirs; they type
    their postcode, district or neighbourhood, and the page lists each office that serves
    it with address, hours and whether it is open now (``sites.finder`` does the lookup;
    the coordination keeps the postcode areas in the admin). Without a query it lists
    every office, so the page is useful without typing, and printable.
    """

    intro = RichTextField(_("Einleitung"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Kontaktstellen-Finder")
        verbose_name_plural = _("Kontaktstellen-Finder")

    @classmethod
    def can_create_at(cls, parent):
        """Only on the state coordination site: an office's site is about that office."""
        if not super().can_create_at(parent):
            return False
        office = office_for_page(parent)
        return office is not None and office.is_state

    def get_context(self, request, *args, **kwargs):
        from sites.finder import FinderInputError, find_offices, regional_offices

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "")
        if not isinstance(query, str):
            query = ""
        error, kind, found = None, "empty", []
        try:
            kind, found = find_offices(query)
        except FinderInputError as problem:
            error = problem.message
        context.update(
            query=" ".join(query.split())[:100],
            error=error,
            kind=kind,
            found=found,
            all_offices=list(regional_offices()) if kind == "empty" or error or not found else [],
        )
        return context
