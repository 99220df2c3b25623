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
from django.core.files.base import ContentFile, File
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
#: Pages in a run of footers of a large print (set once the total page count is known).
FOOTER_PAGES = 2000
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


def _labels():
    return {
        "contents": _("Inhalt"),
        "page": _("Seite"),
        "page_of": _("Seite %(page)s von %(pages)s"),
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


@dataclass
class Plan:
    """What a Wegweiser prints, except the groups' entries: the texts of the cover, the
    offices, and the groups' ids by topic in print order. Holding only ids, it stays
    small for the whole state; the entries are loaded a batch at a time (``entries``)."""

    common: dict
    offices: list
    sections: list  # [(topic title, [group id, ...]), ...] in print order
    by_id: dict  # office id -> Office, for the groups' "through" line
    count: int


def plan_for(selection):
    """The ``Plan`` of ``selection``; call it with the selection's language active."""
    from sites.models import Office

    from .models import SelfHelpGroup, Topic
    from .views import translated_topic_names

    labels = _labels()
    base = groups_for(selection)
    office_ids = sorted(set(base.values_list("office_id", flat=True)))
    offices = _offices(selection, office_ids)
    by_id = {office.pk: office for office in offices}
    topic_rows = {
        t.pk: t
        for t in Topic.objects.filter(locale_id=_default_locale_id())
        .select_related("parent")
        .order_by("name")
    }
    names = translated_topic_names(list(topic_rows))
    stats = base.aggregate(changed=Max("updated_at"))
    pks = list(base.order_by("name", "pk").values_list("pk", flat=True))
    # Each group once, under its first topic in the print order (the selected topic when
    # one is chosen), so that a state-wide Wegweiser does not print a group twice. Only
    # the ids are held: 20,000 groups' printed entries at once would take some 100 MB in
    # the process that builds the state print.
    through = SelfHelpGroup.topics.through
    group_topics = {}
    for start in range(0, len(pks), DATA_BATCH * 4):
        rows = through.objects.filter(
            selfhelpgroup_id__in=pks[start : start + DATA_BATCH * 4]
        ).values_list("selfhelpgroup_id", "topic_id")
        for group_id, topic_id in rows:
            group_topics.setdefault(group_id, []).append(topic_id)
    missing = {t for ids in group_topics.values() for t in ids if t not in topic_rows}
    if missing:  # a topic of another locale (should not happen): still printed by its name
        topic_rows.update(Topic.objects.select_related("parent").in_bulk(missing))

    def sort_key(pk):
        return names.get(pk, topic_rows[pk].name).lower()

    sections = {}
    for pk in pks:
        topics = sorted(group_topics.get(pk, ()), key=sort_key)
        if selection.topic:
            chosen = [
                t
                for t in topics
                if selection.topic in (topic_rows[t].slug, _parent_slug(topic_rows[t]))
            ]
            topics = chosen or topics
        sections.setdefault(topics[0] if topics else None, []).append(pk)
    del group_topics
    section_list = []
    for key in sorted(
        sections,
        key=lambda k: (k is None, names.get(k, getattr(topic_rows.get(k), "name", "")).lower()),
    ):
        title = names.get(key) or (
            topic_rows[key].name if key in topic_rows else _("Weitere Gruppen")
        )
        section_list.append((str(title), sections[key]))

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
    changed = stats["changed"] or timezone.now()
    stand_date = formats.date_format(timezone.localtime(changed).date(), "DATE_FORMAT")
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    common = {
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
        % {"count": len(pks)},
        "footer": f"{_('Selbsthilfe-Wegweiser')} · {publisher} · {stand_date}",
        "empty": _("Für diese Auswahl sind zurzeit keine Gruppen eingetragen."),
        "labels": {k: str(v) for k, v in labels.items()},
    }
    office_list = [
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
    ]
    return Plan(common, office_list, section_list, by_id, len(pks))


def entries(plan, pks):
    """The printed entries of the groups ``pks`` (in that order), loaded in batches;
    call it with the selection's language active."""
    from .models import SelfHelpGroup
    from .views import localize

    labels = plan.common["labels"]
    for start in range(0, len(pks), DATA_BATCH):
        chunk = pks[start : start + DATA_BATCH]
        loaded = SelfHelpGroup.objects.select_related("office").prefetch_related("topics")
        loaded = loaded.in_bulk(chunk)
        batch = [loaded[pk] for pk in chunk if pk in loaded]
        del loaded
        for group in localize(batch):
            office = plan.by_id.setdefault(group.office_id, group.office)  # moved meanwhile
            yield _group_entry(group, office, labels)
        del batch


def _parent_slug(topic):
    return topic.parent.slug if topic.parent_id else ""


def render(selection):
    """The PDF bytes of ``selection`` (tagged PDF/UA-1), by way of ``write_pdf``."""
    with tempfile.TemporaryDirectory(prefix="wegweiser-") as folder:
        path = Path(folder) / "wegweiser.pdf"
        write_pdf(selection, path)
        return path.read_bytes()


def _whole_data(plan):
    """Everything a print set in one go prints, as JSON (call it in the selection's
    language)."""
    topics = [{"name": title, "groups": list(entries(plan, pks))} for title, pks in plan.sections]
    data = {**plan.common, "part": "whole", "offices": plan.offices, "topics": topics}
    return json.dumps(data, ensure_ascii=False, default=str)


def write_pdf(selection, path):
    """Write the PDF of ``selection`` to the file ``path``. What the visitor waits for is
    set in one go, in this process (no child process to start); what the worker builds, in
    volumes, so that no process holds all of it, and straight into the file."""
    import typst

    with translation.override(selection.language):
        plan = plan_for(selection)
        if plan.count > BACKGROUND_ABOVE:
            return write_in_volumes(plan, path)
        data = _whole_data(plan)
    pdf = typst.compile(TEMPLATE, sys_inputs={"data": data}, pdf_standards=["ua-1"])
    Path(path).write_bytes(pdf)
    return {"pages": None}


def _volumes(plan, size):
    """The body volumes, lazily, as lists of ``(topic title, continued, group ids)``: the
    offices (an empty list), then the topics in runs of at most ``size`` groups (a topic
    longer than the rest of a volume goes on in the next one)."""
    yield []
    current, count = [], 0
    for title, pks in plan.sections:
        continued = False
        while pks:
            if count >= size:
                yield current
                current, count = [], 0
            take = pks[: size - count]
            current.append((title, continued, take))
            count += len(take)
            pks, continued = pks[len(take) :], True
    if current:
        yield current


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


def write_in_volumes(plan, path, size=None):
    """A large Wegweiser (call it with the selection's language active): each volume set
    in a child process (which returns its memory when it ends) from the entries of its
    groups only, the cover and contents set last with the page numbers the volumes
    reported, the footers ("Seite N von M") set once the total is known, and all joined
    into one tagged PDF at ``path`` by another child (see wegweiser_volumes.py). This
    process never holds more than one volume's entries, nor the PDF."""
    size = size or VOLUME_GROUPS
    common = plan.common
    labels = common["labels"]
    with tempfile.TemporaryDirectory(prefix="wegweiser-") as folder:
        folder = Path(folder)

        def step(name, part, **extra):
            source = folder / f"{name}.json"
            source.write_text(
                json.dumps({**common, "part": part, **extra}, ensure_ascii=False, default=str),
                encoding="utf-8",
            )
            target = folder / f"{name}.pdf"
            if part == "footers":  # lays them over the volumes named in ``stamps``
                result = _child("footers", TEMPLATE_PATH, source)
            else:
                result = _child("compile", TEMPLATE_PATH, source, target)
            source.unlink()
            return target, result

        # The body first: its page breaks do not depend on any page number (the numbers
        # are in the footers, which are set last), so each volume is set exactly once.
        paths, volume_pages, contents, body_pages, peaks = [], [], [], 0, []
        for number, runs in enumerate(_volumes(plan, size)):
            if number == 0:
                volume = {"offices": plan.offices, "topics": []}
            else:
                volume = {
                    "offices": [],
                    "topics": [
                        {
                            "name": f"{title} ({labels['continued']})" if continued else title,
                            "continued": continued,
                            "groups": list(entries(plan, pks)),
                        }
                        for title, continued, pks in runs
                    ],
                }
            volume_path, result = step(f"volume-{number:04d}", "body", **volume)
            del volume
            peaks.append(result["peak_mb"])
            paths.append(volume_path)
            volume_pages.append(result["pages"])
            contents += [[title, body_pages + index] for title, index in result["headings"]]
            body_pages += result["pages"]

        # The contents' length hardly depends on its page numbers: set it with the widest
        # numbers to learn where the body starts, then with the real ones (padded to the
        # same length should shorter numbers save a line; again should they need more).
        widest = "9" * len(str(body_pages + 999))
        _path, front = step("front", "front", contents=[[t, widest] for t, _i in contents])
        front_pages = front["pages"]
        for _attempt in range(5):
            numbered = [[title, front_pages + 1 + index] for title, index in contents]
            front_path, front = step("front", "front", contents=numbered)
            if front["pages"] < front_pages:
                pad = front_pages - front["pages"]
                front_path, front = step("front", "front", contents=numbered, pad=pad)
            if front["pages"] == front_pages:
                break
            front_pages = front["pages"]
        else:
            raise RuntimeError("Wegweiser contents did not settle")
        peaks.append(front["peak_mb"])
        total = front_pages + body_pages

        # The footers ("Seite N von M") of pages 2 to the last, set in runs of whole volumes
        # of about FOOTER_PAGES pages and laid over the volumes' pages (the cover has none).
        starts, number = [], 1
        for volume_path, pages in [
            (front_path, front_pages),
            *zip(paths, volume_pages, strict=True),
        ]:
            starts.append((str(volume_path), number, pages))
            number += pages
        run, run_pages = [], 0
        for index, (volume_path, first, pages) in enumerate(starts):
            run.append([volume_path, first])
            run_pages += pages
            if run_pages >= FOOTER_PAGES or index == len(starts) - 1:
                first_footer = max(2, run[0][1])
                count = first + pages - first_footer
                _path, result = step(
                    f"footers-{first_footer:06d}",
                    "footers",
                    first=first_footer,
                    count=count,
                    total=total,
                    stamps=run,
                )
                if result["pages"] != count:
                    raise RuntimeError(f"Wegweiser footers: {result['pages']} of {count}")
                peaks.append(result["peak_mb"])
                run, run_pages = [], 0

        # The contents' entries become links to the headings' pages in the other volumes.
        links = [f"{title} – {labels['page']} {page}" for title, page in numbered]
        spec = folder / "merge.json"
        spec.write_text(
            json.dumps(
                {
                    "volumes": [str(front_path), *map(str, paths)],
                    "links": links,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        joined = _child("merge", path, spec)
        if joined["pages"] != total:
            raise RuntimeError(f"Wegweiser joined {joined['pages']} pages, not {total}")
        logger.info(
            "Wegweiser in %d volumes, %d pages; largest child process %d MB, join %d MB",
            len(paths) + 1,
            joined["pages"],
            max(peaks),
            joined["peak_mb"],
            extra={"child_peak_mb": max([*peaks, joined["peak_mb"]])},
        )
        return {"pages": total, "peak_mb": max([*peaks, joined["peak_mb"]])}


def store(selection, print_id, pdf):
    """Save the PDF (bytes, or the path of a file, which is streamed) under its data's
    name and remove the older prints of the selection."""
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
        if isinstance(pdf, bytes):
            default_storage.save(name, ContentFile(pdf))
        else:
            with open(pdf, "rb") as handle:
                default_storage.save(name, File(handle, name=Path(pdf).name))
    return name


def _claim_key(selection, print_id):
    return f"directory:wegweiser:building:{selection.name()}:{print_id}"


@task()
def build_in_background(selection):
    """Build and store a large Wegweiser (the task worker runs it)."""
    chosen = Selection(**selection)
    print_id, _count = fingerprint(chosen)
    if not default_storage.exists(stored_name(chosen, print_id)):
        # Written to a file and streamed into the storage: the state's PDF (some 40 MB)
        # is never held in this process's memory.
        with tempfile.TemporaryDirectory(prefix="wegweiser-") as folder:
            path = Path(folder) / "wegweiser.pdf"
            write_pdf(chosen, path)
            store(chosen, print_id, path)
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
