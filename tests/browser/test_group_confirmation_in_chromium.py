"""A group corrects its own entry, tried in Chromium: the office's editor asks for a
confirmation in the freshness report, the group's contact opens the link from the mail,
proposes a change, and the editor finds the proposal in the report, while the public
still sees the published entry.

Screenshots land in ``screenshots/confirmation-*.png`` for a person to look at.
"""

import datetime
import re

import pytest
from django.core import mail

from tests.browser.conftest import SCREENSHOTS, WRITING_JOURNEY, log_in, visitor

pytestmark = WRITING_JOURNEY

GROUP_NAME = "Selbsthilfegruppe Long Covid Alpha"
OLD_DESCRIPTION = "Wir treffen uns dienstags im Stadtteilzentrum."
NEW_DESCRIPTION = "Wir treffen uns jetzt donnerstags in der Bibliothek am Luisenbad."


@pytest.fixture(scope="module")
def stale_group(browser_site, django_db_blocker):
    """A published group of Alpha, last checked 400 days ago, with an internal contact."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry, Revision

    from directory.models import SelfHelpGroup
    from sites.models import Office

    with django_db_blocker.unblock():
        alpha = Office.objects.get(site__hostname="alpha.localhost")
        group = SelfHelpGroup(
            name=GROUP_NAME,
            office=alpha,
            description=OLD_DESCRIPTION,
            rhythm="weekly",
            weekday=1,
            starts_at=datetime.time(18),
            ends_at=datetime.time(20),
            district="Gesundbrunnen",
            city="Berlin",
            internal_contact_name="Paula Probe",
            internal_email="paula.probe@example.org",
            last_verified=datetime.date.today() - datetime.timedelta(days=400),
        )
        group.save()
        group.save_revision().publish()
    try:
        yield group
    finally:
        with django_db_blocker.unblock():
            from django.contrib.sessions.models import Session

            content_type = ContentType.objects.get_for_model(SelfHelpGroup)
            ModelLogEntry.objects.filter(object_id=str(group.pk)).delete()
            Revision.objects.filter(
                base_content_type=content_type, object_id=str(group.pk)
            ).delete()
            SelfHelpGroup.objects.filter(pk=group.pk).delete()
            Session.objects.all().delete()


def row_of(page, group):
    return page.locator(f"#group-{group.pk}")


def test_the_group_proposes_a_change_and_the_office_sees_it(chromium, browser_site, stale_group):
    mail.outbox = []
    context, page, base = log_in(chromium, browser_site, "editor-alpha")
    page.goto(f"{base}/admin/directory/stale/")
    row = row_of(page, stale_group)
    assert "Prüfung fällig" in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "confirmation-1-report-before.png"), full_page=True)
    row.get_by_role("button", name="Bestätigung anfordern").click()
    page.wait_for_load_state()
    assert "paula.probe@example.org" in page.content()  # "… ist unterwegs"
    assert "gültig bis" in row_of(page, stale_group).inner_text()
    page.screenshot(path=str(SCREENSHOTS / "confirmation-2-requested.png"), full_page=True)

    (message,) = mail.outbox
    assert message.to == ["paula.probe@example.org"]
    path = re.search(r"https://alpha\.localhost(/gruppe/eintrag-pruefen/\S+/)", message.body)
    assert path, message.body

    contact_context, contact_page, contact_base = visitor(chromium, browser_site, width=390)
    contact_page.goto(contact_base + path.group(1))
    assert contact_page.get_by_role("button", name="Alles stimmt so").is_visible()
    assert "Paula Probe" in contact_page.content()
    contact_page.screenshot(
        path=str(SCREENSHOTS / "confirmation-3-contact-opens-link.png"), full_page=True
    )
    contact_page.get_by_role("link", name="Änderungen vorschlagen").click()
    contact_page.fill("textarea[name=description]", NEW_DESCRIPTION)
    contact_page.select_option("select[name=weekday]", "3")
    contact_page.fill("textarea[name=message]", "Wir sind in die Bibliothek umgezogen.")
    contact_page.screenshot(
        path=str(SCREENSHOTS / "confirmation-4-contact-proposes.png"), full_page=True
    )
    contact_page.get_by_role("button", name="Änderungen an die Kontaktstelle senden").click()
    contact_page.wait_for_load_state()
    assert "Vielen Dank für Ihre Änderungen" in contact_page.content()
    contact_page.screenshot(path=str(SCREENSHOTS / "confirmation-5-thanks.png"), full_page=True)

    # The public still sees the published entry.
    public = contact_context.new_page()
    public.goto(f"{contact_base}/gruppen/{stale_group.pk}-{stale_group.slug}/")
    assert OLD_DESCRIPTION in public.content() and NEW_DESCRIPTION not in public.content()
    contact_context.close()

    page.goto(f"{base}/admin/directory/stale/")
    row = row_of(page, stale_group)
    assert "Änderungsvorschlag der Gruppe" in row.inner_text()
    assert "Wir sind in die Bibliothek umgezogen." in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "confirmation-6-report-proposal.png"), full_page=True)
    row.get_by_role("link", name="Änderungsvorschlag der Gruppe").click()
    page.wait_for_load_state()
    assert "Luisenbad" in page.content()  # the diff marks each changed word
    page.screenshot(path=str(SCREENSHOTS / "confirmation-7-compare.png"), full_page=True)
    context.close()
