"""The objects the attack matrix aims at: one of every kind in office Beta and in the state
office, each non-public field holding a unique marker.

``build_world()`` returns a ``World``: the users of each role, a ``bundle`` per foreign office
(model label → primary key of the object of that kind) and the markers with their owner
office and kind, so that a test can tell which markers a role must never read.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

#: Bundle kinds no office owns (topics, consent texts, locales, workflows ...): changing
#: them is a question of model permissions, not of the fence.
SHARED_KINDS = frozenset(
    {
        "directory.topic",
        "newsletter.consenttext",
        "wagtailcore.locale",
        "wagtailcore.workflow",
        "wagtailcore.task",
        "wagtailsearchpromotions.query",
    }
)

#: Kinds the coordination curates across offices (the shared directory and the newsletter):
#: the coordinator may read them in every office. Everything else of an office is its own.
CURATED_KINDS = frozenset({"group", "list", "subscriber", "postcodearea"})

GROUP_MEETING = {
    "rhythm": "weekly",
    "weekday": 1,
    "starts_at": datetime.time(19, 0),
    "ends_at": datetime.time(21, 0),
    "city": "Berlin",
}


@dataclass
class Marker:
    text: str
    office: str
    kind: str


@dataclass
class World:
    users: dict
    offices: dict
    bundles: dict = field(default_factory=dict)
    markers: list = field(default_factory=list)
    #: model label → kind of marker for bundle objects (decides whether the coordinator may)
    kinds: dict = field(default_factory=dict)

    def mark(self, office, kind, email=False):
        n = sum(1 for m in self.markers if m.office == office) + 1
        text = f"mrk.{office}{n:02d}@example.org" if email else f"mrk {office}{n:02d}"
        self.markers.append(Marker(text, office, kind))
        return text

    def targets(self):
        """Model label → pks of every object in the bundles (the rows to fingerprint)."""
        result = {}
        for bundle in self.bundles.values():
            for key, pk in bundle.items():
                label = {"formpage": "wagtailcore.page", "issue": "wagtailcore.page"}.get(
                    key, key.split(":")[0]
                )
                result.setdefault(label, set()).add(pk)
        return result

    def forbidden_markers(self, role, own_office):
        """Markers ``role`` (working for ``own_office``) must never read."""
        return [
            m.text
            for m in self.markers
            if m.office != own_office and not (role == "coordinator" and m.kind in CURATED_KINDS)
        ]


def _member(username, groups, world, office_key):
    User = get_user_model()
    user = User.objects.create_user(
        username,
        world.mark(office_key, "staff", email=True) if office_key else f"{username}@example.org",
        "x",
        first_name=world.mark(office_key, "staff") if office_key else "",
        last_name=world.mark(office_key, "staff") if office_key else "",
    )
    user.groups.add(*groups)
    return user


def _page(parent, page, publish=True):
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def build_world():
    from wagtail.admin.models import EditingSession
    from wagtail.contrib.forms.models import FormSubmission
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.contrib.search_promotions.models import Query
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import (
        Collection,
        Locale,
        Task,
        UploadedFile,
        Workflow,
        WorkflowContentType,
    )
    from wagtail_localize.models import StringSegment, Translation, TranslationSource

    from directory.models import (
        ContactRequest,
        PartnerWidget,
        SelfHelpGroup,
        Topic,
        WidgetReferral,
    )
    from events.models import EventIndexPage, EventPage, Registration
    from home.models import ContactPage, StandardPage
    from newsletter.models import (
        ConsentText,
        MailingList,
        NewsletterIssue,
        NewsletterPage,
        Subscriber,
        Subscription,
    )
    from sites.models import Office, PostcodeArea, Room
    from sites.provisioning import COORDINATORS_GROUP, office_groups

    User = get_user_model()
    offices = {
        key: Office.objects.select_related("site__root_page").get(site__hostname=host)
        for key, host in (
            ("state", "land.localhost"),
            ("alpha", "alpha.localhost"),
            ("beta", "beta.localhost"),
        )
    }
    world = World(users={}, offices=offices)

    # The three attacking roles: alpha's "Redaktion" and "Freigabe" alone, the coordinator.
    redaktion, freigabe = sorted(office_groups(offices["alpha"]), key=lambda g: g.name)
    if "Redaktion" not in redaktion.name:
        redaktion, freigabe = freigabe, redaktion
    world.users["editor"] = _member("matrix-redaktion-alpha", [redaktion], world, None)
    world.users["publisher"] = _member("matrix-freigabe-alpha", [freigabe], world, None)
    world.users["coordinator"] = User.objects.get(username="coordinator")

    staff_groups = {
        "beta": list(office_groups(offices["beta"])),
        "state": [Group.objects.get(name=COORDINATORS_GROUP)],
    }
    workflow = Workflow.objects.filter(active=True).first()
    task = Task.objects.filter(active=True).first()
    german = Locale.objects.get(language_code="de")
    english = Locale.objects.get(language_code="en")
    topic = Topic.objects.filter(locale=german).first() or Topic.objects.create(
        name="Matrixthema", slug="matrixthema", locale=german
    )
    if workflow is not None:
        WorkflowContentType.objects.get_or_create(
            content_type_id=_ct(SelfHelpGroup).pk, defaults={"workflow": workflow}
        )
    consent = ConsentText.current()
    query = Query.get("matrix")
    Image = get_image_model()
    Document = get_document_model()
    now = timezone.now()

    for key in ("beta", "state"):
        office = offices[key]
        home = office.site.root_page.specific
        staff = _member(f"matrix-staff-{key}", staff_groups[key], world, key)
        b = {}

        # A page with a pending draft, locked and in moderation by a staff member; below it
        # a page never published.
        page = _page(home, StandardPage(title=f"Seite {key}", slug=f"matrix-{key}"))
        page.title = world.mark(key, "page")
        page.intro = world.mark(key, "page")
        page_revision = page.save_revision(user=staff)
        page.locked, page.locked_by, page.locked_at = True, staff, now
        page.save(update_fields=["locked", "locked_by", "locked_at"], clean=False)
        if workflow is not None:
            workflow.start(page, staff)
        hidden = StandardPage(
            title=world.mark(key, "page"), slug=f"matrix-entwurf-{key}", live=False
        )
        _page(page, hidden, publish=False)
        b["wagtailcore.page"] = page.pk
        b["wagtailcore.revision:page"] = page_revision.pk
        workflow_state = page.workflow_states.first() if workflow is not None else None
        if workflow_state is not None:
            b["wagtailcore.workflowstate:page"] = workflow_state.pk
            b["wagtailcore.taskstate:page"] = workflow_state.task_states.first().pk

        # Form submissions of the office's contact page.
        contact = ContactPage.objects.descendant_of(home).first()
        if contact is not None:
            FormSubmission.objects.create(
                page=contact,
                form_data={
                    "name": world.mark(key, "submission"),
                    "email": world.mark(key, "submission", email=True),
                    "message": world.mark(key, "submission"),
                },
            )
            b["formpage"] = contact.pk

        # The directory: a group with internal data and a pending draft, an unpublished
        # group, a contact request.
        group = SelfHelpGroup(
            name=f"Gruppe {key}",
            office=office,
            internal_contact_name=world.mark(key, "group"),
            internal_phone=world.mark(key, "group"),
            internal_email=world.mark(key, "group", email=True),
            internal_notes=world.mark(key, "group"),
            locale=german,
            **GROUP_MEETING,
        )
        group.save()
        group.save_revision().publish()
        group.name = world.mark(key, "group")
        # The coordinator curates groups and may read who changed them: not a staff marker.
        curator = User.objects.create_user(f"matrix-kuratorin-{key}", "", "x")
        group_revision = group.save_revision(user=curator)
        if workflow is not None:
            workflow.start(group, curator)
            state = group.workflow_states.first()
            if state is not None:
                b["wagtailcore.workflowstate:group"] = state.pk
                b["wagtailcore.taskstate:group"] = state.task_states.first().pk
        unpublished = SelfHelpGroup(
            name=world.mark(key, "group"),
            office=office,
            live=False,
            locale=german,
            **GROUP_MEETING,
        )
        unpublished.save()
        unpublished.save_revision()
        b["directory.selfhelpgroup"] = group.pk
        b["directory.selfhelpgroup:unpublished"] = unpublished.pk
        b["wagtailcore.revision:group"] = group_revision.pk
        request = ContactRequest.objects.create(
            group=group,
            group_name=f"Gruppe {key}",
            office=office,
            name=world.mark(key, "contact"),
            email=world.mark(key, "contact", email=True),
            phone=world.mark(key, "contact"),
            message=world.mark(key, "contact"),
            consent_at=now,
        )
        b["directory.contactrequest"] = request.pk
        b["directory.topic"] = topic.pk
        # A widget for a partner site and where it is embedded (the office's own business;
        # its public key is a secret of the office's too).
        widget = PartnerWidget.objects.create(
            office=office,
            name=world.mark(key, "widget"),
            heading=world.mark(key, "widget"),
            districts=world.mark(key, "widget"),
        )
        widget.topics.set([topic])
        world.markers.append(Marker(widget.key, key, "widget"))
        referral = WidgetReferral.objects.create(
            widget=widget,
            day=now.date(),
            origin=f"https://{world.mark(key, 'widget').replace(' ', '-')}.example",
            hits=7,
        )
        world.markers.append(Marker(referral.origin, key, "widget"))
        b["directory.partnerwidget"] = widget.pk
        b["directory.widgetreferral"] = referral.pk

        # The newsletter: a list, a subscriber, and (state) an unsent issue.
        mailing_list = MailingList.objects.create(office=office, name=world.mark(key, "list"))
        subscriber = Subscriber.objects.create(email=world.mark(key, "subscriber", email=True))
        Subscription.objects.create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            status="confirmed",
            requested_at=now,
            consent_text=consent,
            consent_version=consent.version,
            consent_copy=consent.text,
            confirmed_at=now,
        )
        b["newsletter.mailinglist"] = mailing_list.pk
        b["newsletter.subscriber"] = subscriber.pk
        b["newsletter.consenttext"] = consent.pk
        if key == "state":
            archive = _page(home, NewsletterPage(title="Newsletter", slug="matrix-newsletter"))
            issue = NewsletterIssue(
                title=world.mark(key, "page"),
                slug="matrix-ausgabe",
                month=datetime.date(2026, 3, 1),
                mailing_list=mailing_list,
                preheader=world.mark(key, "page"),
                live=False,
            )
            _page(archive, issue, publish=False)
            b["issue"] = issue.pk

        # Events: a published event with a registration.
        listing = EventIndexPage.objects.descendant_of(home).first()
        if listing is not None:
            start = now + datetime.timedelta(days=30)
            event = EventPage(
                title=f"Veranstaltung {key}",
                slug=f"matrix-veranstaltung-{key}",
                start=start,
                end=start + datetime.timedelta(hours=2),
                location_kind="address",
                address="Rathaus",
                registration_enabled=True,
                capacity=10,
            )
            _page(listing, event)
            registration = Registration.objects.create(
                office=office,
                event=event,
                event_key=event.translation_key,
                occurrence_start=start,
                name=world.mark(key, "registration"),
                email=world.mark(key, "registration", email=True),
                phone=world.mark(key, "registration"),
                note=world.mark(key, "registration"),
                consent_at=now,
            )
            b["events.registration"] = registration.pk

        # Media: a collection of the office's own, an image and a document in it.
        own = office.collection or Collection.objects.get(name=office.name)
        collection = own.add_child(name=world.mark(key, "media"))
        image = Image.objects.create(
            title=world.mark(key, "media"),
            file=get_test_image_file(filename=f"matrix-{key}.png"),
            collection=own,
            uploaded_by_user=staff,
        )
        document = Document.objects.create(
            title=world.mark(key, "media"),
            file=ContentFile(b"vertraulich", name=f"matrix-{key}.txt"),
            collection=own,
            uploaded_by_user=staff,
        )
        uploaded = UploadedFile.objects.create(
            file=ContentFile(b"hochgeladen", name=f"matrix-upload-{key}.txt"),
            for_content_type=_ct(Document),
            uploaded_by_user=staff,
        )
        b["wagtailcore.collection"] = collection.pk
        b["wagtailimages.image"] = image.pk
        b["wagtaildocs.document"] = document.pk
        b["wagtailcore.uploadedfile"] = uploaded.pk

        # A room of the office's (booked for events; an inline of the office profile).
        room = Room.objects.create(
            office=office, name=world.mark(key, "room"), capacity=12, note=world.mark(key, "room")
        )
        b["sites.room"] = room.pk
        # A postcode area of the office's (kept by the coordination for the office finder).
        area = PostcodeArea.objects.create(
            office=office,
            postcode=f"{10000 + len(world.bundles)}",
            place=world.mark(key, "postcodearea"),
        )
        b["sites.postcodearea"] = area.pk

        # The office's site, its settings (keyed by site), its staff, its user groups.
        b["wagtailcore.site"] = office.site.pk
        b["auth.user"] = staff.pk
        b["auth.group"] = staff_groups[key][0].pk
        b["wagtailcore.locale"] = german.pk
        redirect = Redirect.objects.create(
            old_path=f"/matrix-{key}", site=office.site, redirect_link="https://example.org/"
        )
        b["wagtailredirects.redirect"] = redirect.pk
        b["wagtailsearchpromotions.query"] = query.pk
        if workflow is not None:
            b["wagtailcore.workflow"] = workflow.pk
        if task is not None:
            b["wagtailcore.task"] = task.pk
        session = EditingSession.objects.create(
            user=staff, content_type=_ct(page), object_id=str(page.pk), last_seen_at=now
        )
        b["wagtailadmin.editingsession"] = session.pk

        # wagtail-localize: the English translation of the never-published page.
        source, _created = TranslationSource.get_or_create_from_instance(hidden)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=english
        )
        b["wagtail_localize.translationsource"] = source.pk
        b["wagtail_localize.translation"] = translation.pk
        segment = StringSegment.objects.filter(source=source).first()
        if segment is not None:
            b["wagtail_localize.stringsegment"] = segment.pk
        world.bundles[key] = b

    world.kinds = {
        "directory.selfhelpgroup": "group",
        "newsletter.mailinglist": "list",
        "newsletter.subscriber": "subscriber",
        "sites.postcodearea": "postcodearea",
    }
    return world


def _ct(model_or_obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model_or_obj)


#: role → (the office it works for, the host it uses the admin on)
ROLES = {
    "editor": ("alpha", "alpha.localhost"),
    "publisher": ("alpha", "alpha.localhost"),
    "coordinator": ("state", "land.localhost"),
}


def client_for(world, role):
    """A test client logged in as ``role`` that answers 500s instead of raising them."""
    from django.test import Client

    host = ROLES[role][1] if role in ROLES else "land.localhost"
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    client.force_login(world.users[role] if role in world.users else _user(role))
    return client


def _user(username):
    return get_user_model().objects.get(username=username)


def body_of(response):
    """Everything a response tells: its body (the XML inside a spreadsheet) and Location."""
    import io
    import zipfile

    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(n) for n in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", "replace") + "\n" + response.get("Location", "")
