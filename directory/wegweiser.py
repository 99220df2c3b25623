"""The printed Selbsthilfe-Wegweiser: the directory as a PDF for an office, a district, a
topic or the whole state.

Offices still hand out a printed guide, and doctors, clinics and counselling services ask
for one for their topic and district. The PDF is built on the server from the same public
data as the site (never an internal field), with a cover, a table of contents by topic,
each group with rhythm, place, accessibility and how to get in touch (through the office),
the hours and contact of the offices, and the date of the data.

Why Typst (the ``typst`` package): it installs from the package registry alone (the
compiler is inside the wheel, fonts included; WeasyPrint needs Pango from the system,
ReportLab and fpdf2 write untagged PDFs), it writes tagged, PDF/UA-1 conformant files
with the document language, so screen readers read them and the text (phone numbers,
addresses) can be searched and copied, and it sets a thousand pages in seconds. Data go
in as JSON, never as markup, so nothing an office types can change the layout or run code.

A PDF is stored in the default storage (the local disk or the shared object storage, so
every application server sees it) under a name that carries a fingerprint of its data;
a change of a group or an office gives a new name. Small selections are built while the
visitor waits (one office is well under two seconds); large ones (the whole state) are
built by the task worker, and the visitor is asked to come back shortly.
"""

import hashlib
import json
import logging
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)
TEMPLATE_PATH = Path(__file__).parent / "wegweiser.typ"
TEMPLATE = TEMPLATE_PATH.read_bytes()
VOLUMES_SCRIPT = Path(__file__).parent / "wegweiser_volumes.py"
#: Groups in a volume of a large print (one built in the background): each volume is set in
#: a child process (see wegweiser_volumes.py), which needs about 80 MB plus 0.35 MB a group.
VOLUME_GROUPS = 300
#: Groups loaded from the database at a time while the data are gathered.
DATA_BATCH = 500
#: Selections with more groups than this are built in the background.
BACKGROUND_ABOVE = 400
#: Stored PDFs live below this folder of the default storage.
FOLDER = "wegweiser"
#: How long a build in the background may be claimed by one worker.
BUILD_CLAIM_SECONDS = 15 * 60


@dataclass(frozen=True)
class Selection:
    """What a Wegweiser covers: one office's groups or all (``office_id`` None), optionally
    one topic (by slug, with its sub-topics) and one district, in one language."""

    office_id: int | None
    topic: str = ""
    district: str = ""
    language: str = "de"

    def name(self):
        """A file-system-safe name of the selection (the fingerprint is added to it)."""
        parts = [
            f"office-{self.office_id}" if self.office_id else "land",
            self.topic or "alle-themen",
            re.sub(r"[^a-z0-9]+", "-", self.district.lower()).strip("-") or "alle-orte",
            self.language,
        ]
        digest = hashlib.sha256(json.dumps(asdict(self)).encode()).hexdigest()[:10]
        return "_".join(parts)[:150] + "_" + digest


def groups_for(selection):
    """The public groups of the selection (source records, German; translated for print)."""
    from .models import SelfHelpGroup, Topic

    groups = SelfHelpGroup.objects.public()
    if selection.office_id:
        groups = groups.filter(office_id=selection.office_id)
    if selection.topic:
        topic_ids = list(
            Topic.objects.filter(
                Q(slug=selection.topic) | Q(parent__slug=selection.topic),
                locale_id=_default_locale_id(),
            ).values_list("pk", flat=True)
        )
        groups = groups.filter(topics__in=topic_ids).distinct()
    if selection.district:
        groups = groups.filter(district__iexact=selection.district)
    return groups


def _default_locale_id():
    from .models import default_locale_id

    return default_locale_id()


def _offices(selection, office_ids):
    from sites.models import Office

    offices = Office.objects.prefetch_related("opening_hours", "consultation_hours")
    if selection.office_id:
        return list(offices.filter(pk=selection.office_id))
    return list(offices.filter(pk__in=office_ids).order_by("name"))


def fingerprint(selection):
    """Changes whenever anything the PDF prints changes: the groups (count, last change)
    and the offices' contact data and hours."""
    groups = groups_for(selection)
    stats = groups.aggregate(n=Count("pk", distinct=True), changed=Max("updated_at"))
    office_ids = sorted(set(groups.values_list("office_id", flat=True)))
    offices = _offices(selection, office_ids)
    office_data = [
        (
            o.pk,
            o.name,
            o.phone,
            o.email,
            o.street,
            o.postcode,
            o.city,
            [str(h) + h.note for h in o.opening_hours.all()],
            [str(h) + h.note for h in o.consultation_hours.all()],
        )
        for o in offices
    ]
    raw = json.dumps([stats["n"], str(stats["changed"]), office_data], default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16], stats["n"]


def stored_name(selection, print_id):
    return f"{FOLDER}/{selection.name()}/{print_id}.pdf"


def _hours(slots):
    return [str(slot) + (f" – {slot.note}" if slot.note else "") for slot in slots]


def _group_entry(group, office, labels):
    """One group as the PDF prints it: only what the group's public page shows."""
    facts = []
    audience = str(group.get_audience_display())
    if group.age_band:
        audience += ", " + str(group.get_age_band_display())
    if group.gender:
        audience += ", " + str(group.get_gender_display())
    facts.append([labels["for_whom"], audience])
    facts.append([labels["when"], str(group.rhythm_text())])
    facts.append([labels["format"], str(group.get_format_display())])
    if group.format != "online":
        place = ", ".join(
            p
            for p in (
                group.venue,
                group.street,
                " ".join(x for x in (group.postcode, group.city) if x),
            )
            if p
        )
        if group.district:
            place = f"{place} ({group.district})" if place else group.district
        if place:
            facts.append([labels["where"], place])
        access = [
            _("stufenloser Zugang") if group.step_free_access else _("kein stufenloser Zugang")
        ]
        if group.accessible_wc:
            access.append(_("barrierefreies WC"))
        if group.hearing_loop:
            access.append(_("Induktionsschleife"))
        facts.append([labels["access"], ", ".join(str(a) for a in access)])
    if group.language_labels:
        facts.append([labels["languages"], ", ".join(group.language_labels)])
    facts.append(
        [
            labels["new_members"],
            str(_("willkommen") if group.new_members_welcome else _("zurzeit keine Aufnahme")),
        ]
    )
    if group.has_public_contact:
        contact = ", ".join(
            p
            for p in (
                group.public_contact_name,
                group.public_phone,
                group.public_email,
                group.website,
            )
            if p
        )
        facts.append([labels["group_contact"], contact])
    through = office.display_short_name
    if office.phone:
        through += ", " + _("Telefon") + " " + office.phone
    if office.email:
        through += ", " + office.email
    facts.append([labels["through"], through])
    badge = ""
    if group.status == "founding":
        badge = _("In Gründung – Interessierte sind herzlich willkommen.")
    elif group.status == "paused":
        badge = _("Trifft sich zurzeit nicht.")
    summary = (group.description or "").strip()
    if len(summary) > 400:
        summary = summary[:400].rsplit(" ", 1)[0] + " …"
    return {"name": group.name, "badge": str(badge), "summary": summary, "facts": facts}


def document_data(selection):
    """Everything the template prints, as JSON-ready data, in the selection's language."""
    from sites.models import Office

    from .models import SelfHelpGroup, Topic
    from .views import localize, translated_topic_names

    with translation.override(selection.language):
        labels = {
            "contents": _("Inhalt"),
            "page": _("Seite"),
            "phone": _("Telefon"),
            "email": _("E-Mail"),
            "website": _("Website"),
            "hours": _("Öffnungszeiten"),
            "consultation": _("Sprechzeiten"),
            "groups": _("Gruppen"),
            "for_whom": _("Für wen"),
            "when": _("Wann"),
            "format": _("Vor Ort oder online"),
            "where": _("Wo"),
            "access": _("Barrierefreiheit"),
            "languages": _("Sprachen"),
            "new_members": _("Neue Mitglieder"),
            "group_contact": _("Kontakt der Gruppe"),
            "through": _("Kontakt über"),
            "continued": _("Fortsetzung"),
        }
        # In batches, keeping only what is printed: 20,000 model instances with their
        # topics at once would take some 300 MB in the process that builds the state print.
        base = groups_for(selection)
        office_ids = sorted(set(base.values_list("office_id", flat=True)))
        offices = _offices(selection, office_ids)
        by_id = {office.pk: office for office in offices}
        topic_rows = {
            t.pk: t for t in Topic.objects.filter(locale_id=_default_locale_id()).order_by("name")
        }
        names = translated_topic_names(list(topic_rows))
        # Each group once, under its first topic in the print order (the selected topic
        # when one is chosen), so that a state-wide Wegweiser does not print a group twice.
        sections = {}
        count = 0
        changed = None
        pks = list(base.order_by("name", "pk").values_list("pk", flat=True))
        for start in range(0, len(pks), DATA_BATCH):
            batch = list(
                SelfHelpGroup.objects.filter(pk__in=pks[start : start + DATA_BATCH])
                .select_related("office")
                .prefetch_related("topics")
                .order_by("name", "pk")
            )
            for group in localize(batch):
                office = by_id.setdefault(group.office_id, group.office)  # moved meanwhile
                topics = sorted(group.topics.all(), key=lambda t: names.get(t.pk, t.name).lower())
                if selection.topic:
                    chosen = [t for t in topics if selection.topic in (t.slug, _parent_slug(t))]
                    topics = chosen or topics
                key = topics[0].pk if topics else None
                sections.setdefault(key, []).append(_group_entry(group, office, labels))
                count += 1
                if changed is None or group.updated_at > changed:
                    changed = group.updated_at
            del batch
        topic_list = []
        for key in sorted(
            sections,
            key=lambda k: (k is None, names.get(k, getattr(topic_rows.get(k), "name", "")).lower()),
        ):
            title = names.get(key) or (
                topic_rows[key].name if key in topic_rows else _("Weitere Gruppen")
            )
            topic_list.append(
                {
                    "name": title,
                    "groups": sections[key],
                }
            )

        state = Office.objects.filter(kind="state").first()
        single = offices[0] if selection.office_id and offices else None
        publisher = single.name if single else (state.name if state else "")
        scope = []
        if selection.topic:
            topic = next((t for t in topic_rows.values() if t.slug == selection.topic), None)
            if topic:
                scope.append(names.get(topic.pk, topic.name))
        if selection.district:
            scope.append(selection.district)
        if single:
            scope.append(single.display_short_name)
        elif not scope:
            scope.append(_("alle Kontaktstellen"))
        changed = changed or timezone.now()
        stand_date = formats.date_format(timezone.localtime(changed).date(), "DATE_FORMAT")
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
        return {
            "lang": selection.language.split("-")[0],
            "title": _("Selbsthilfe-Wegweiser"),
            "subtitle": " · ".join(str(s) for s in scope),
            "author": publisher,
            "publisher": publisher,
            "keywords": ["Selbsthilfe", "Selbsthilfegruppen", *[str(s) for s in scope]],
            "stand": _("Stand der Daten: %(date)s · gedruckt am %(today)s")
            % {"date": stand_date, "today": today},
            "intro": _(
                "Dieser Wegweiser nennt %(count)s Selbsthilfegruppen und -angebote. Die "
                "Kontaktstelle vermittelt den Kontakt zu den Gruppen, berät vertraulich und "
                "kostenlos und hilft, eine neue Gruppe zu gründen. Aktuelle Angaben finden "
                "Sie jederzeit im Gruppenverzeichnis im Internet."
            )
            % {"count": count},
            "footer": f"{_('Selbsthilfe-Wegweiser')} · {publisher} · {stand_date}",
            "empty": _("Für diese Auswahl sind zurzeit keine Gruppen eingetragen."),
            "labels": {k: str(v) for k, v in labels.items()},
            "offices": [
                {
                    "heading": _("Kontaktstelle: %(name)s") % {"name": o.display_short_name}
                    if not o.is_state
                    else _("Landeskoordination: %(name)s") % {"name": o.display_short_name},
                    "name": o.name,
                    "address": list(o.address_lines),
                    "phone": o.phone,
                    "email": o.email,
                    "website": "https://" + o.site.hostname if o.site_id else "",
                    "hours": _hours(o.opening_hours.all()),
                    "consultation": _hours(o.consultation_hours.all()),
                }
                for o in (offices if single else [o for o in offices if o.pk in office_ids])
            ],
            "topics": topic_list,
        }


def _parent_slug(topic):
    return topic.parent.slug if topic.parent_id else ""


def render(selection):
    """The PDF bytes of ``selection`` (tagged PDF/UA-1)."""
    import typst

    data = document_data(selection)
    # What the visitor waits for is set in one go, in this process (no child process to
    # start); what the worker builds, in volumes, so that no process holds all of it.
    if sum(len(topic["groups"]) for topic in data["topics"]) > BACKGROUND_ABOVE:
        return render_in_volumes(data)
    data = json.dumps(data, ensure_ascii=False, default=str)
    return typst.compile(TEMPLATE, sys_inputs={"data": data}, pdf_standards=["ua-1"])


def _volumes(data, size):
    """The body volumes: the offices, then the topics in runs of at most ``size`` groups (a
    topic longer than the rest of a volume goes on in the next one)."""
    volumes = [{"offices": data["offices"], "topics": []}]
    current, count = [], 0
    for topic in data["topics"]:
        groups, continued = topic["groups"], False
        while groups:
            if count >= size:
                volumes.append({"offices": [], "topics": current})
                current, count = [], 0
            take = groups[: size - count]
            name = topic["name"]
            if continued:
                name = f"{name} ({data['labels']['continued']})"
            current.append({"name": name, "continued": continued, "groups": take})
            count += len(take)
            groups, continued = groups[len(take) :], True
    if current:
        volumes.append({"offices": [], "topics": current})
    return volumes


def _child(*args):
    """Run a step of wegweiser_volumes.py in a process of its own; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-P", str(VOLUMES_SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"Wegweiser volume step {args[0]} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def render_in_volumes(data, size=None):
    """A large Wegweiser: each volume set in a child process (which returns its memory
    when it ends), the cover and contents set last with the page numbers the volumes
    reported, and all joined into one tagged PDF (see wegweiser_volumes.py)."""
    size = size or VOLUME_GROUPS
    common = {key: value for key, value in data.items() if key not in ("offices", "topics")}
    volumes = _volumes(data, size)
    titles = [office["heading"] for office in data["offices"]] + [
        topic["name"] for volume in volumes for topic in volume["topics"] if not topic["continued"]
    ]
    with tempfile.TemporaryDirectory(prefix="wegweiser-") as folder:
        folder = Path(folder)

        def step(name, part, **extra):
            source = folder / f"{name}.json"
            source.write_text(
                json.dumps({**common, "part": part, **extra}, ensure_ascii=False, default=str),
                encoding="utf-8",
            )
            target = folder / f"{name}.pdf"
            return target, _child("compile", TEMPLATE_PATH, source, target)

        # The contents' length hardly depends on its page numbers: set it once with the
        # widest numbers to learn where the body starts, and again with the real ones
        # (padded to the same length should shorter numbers save a line).
        _path, front = step("front", "front", contents=[[t, "99999"] for t in titles])
        front_pages = front["pages"]
        for _attempt in range(3):
            paths, contents, page, peaks = [], [], front_pages + 1, [front["peak_mb"]]
            for number, volume in enumerate(volumes):
                path, result = step(f"volume-{number:04d}", "body", first_page=page, **volume)
                peaks.append(result["peak_mb"])
                paths.append(path)
                contents += [[title, page + index] for title, index in result["headings"]]
                page += result["pages"]
            front_path, front = step("front", "front", contents=contents)
            if front["pages"] < front_pages:
                pad = front_pages - front["pages"]
                front_path, front = step("front", "front", contents=contents, pad=pad)
            if front["pages"] == front_pages:
                break
            front_pages = front["pages"]  # longer after all: number the body again
        else:
            raise RuntimeError("Wegweiser contents did not settle")
        merged = folder / "wegweiser.pdf"
        joined = _child("merge", merged, front_path, *paths)
        logger.info(
            "Wegweiser in %d volumes, %d pages; largest volume process %d MB, merge %d MB",
            len(paths) + 1,
            joined["pages"],
            max(peaks),
            joined["peak_mb"],
        )
        return merged.read_bytes()


def store(selection, print_id, pdf):
    """Save the PDF under its data's name and remove the older prints of the selection."""
    name = stored_name(selection, print_id)
    folder = f"{FOLDER}/{selection.name()}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        files = []
    for old in files:
        if old != f"{print_id}.pdf":
            default_storage.delete(f"{folder}/{old}")
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    return name


def _claim_key(selection, print_id):
    return f"directory:wegweiser:building:{selection.name()}:{print_id}"


@task()
def build_in_background(selection):
    """Build and store a large Wegweiser (the task worker runs it)."""
    chosen = Selection(**selection)
    print_id, _count = fingerprint(chosen)
    if not default_storage.exists(stored_name(chosen, print_id)):
        store(chosen, print_id, render(chosen))
    cache.delete(_claim_key(chosen, print_id))


def prepared(selection):
    """``(stored name or None, group count)``: the stored PDF of the current data; builds
    it now when it is small, or hands it to the task worker (once) when it is large."""
    print_id, count = fingerprint(selection)
    name = stored_name(selection, print_id)
    if default_storage.exists(name):
        return name, count
    if count <= BACKGROUND_ABOVE:
        return store(selection, print_id, render(selection)), count
    if cache.add(_claim_key(selection, print_id), True, BUILD_CLAIM_SECONDS):
        build_in_background.enqueue(asdict(selection))
    if default_storage.exists(name):  # an immediate backend (tests, no worker) built it
        return name, count
    return None, count


def file_name(selection):
    """The download's file name: "Selbsthilfe-Wegweiser-Pankow-Depression.pdf"."""
    parts = ["Selbsthilfe-Wegweiser"]
    for part in (selection.topic, selection.district):
        if part:
            parts.append(re.sub(r"[^A-Za-z0-9]+", "-", part).strip("-"))
    return "-".join(p for p in parts if p) + ".pdf"
