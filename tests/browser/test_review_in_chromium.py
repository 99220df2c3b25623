"""Review per office, tried in Chromium as the people who do it: a Redaktion member
submits a page and a group, another office's Freigabe member sees neither, the office's
own Freigabe member approves the page and asks for changes to the group.

Screenshots land in ``screenshots/review-*.png`` for a person to look at.
"""

import pytest

from tests.browser.conftest import SCREENSHOTS, WRITING_JOURNEY, log_in, more_actions
from tests.conftest import PASSWORD

pytestmark = WRITING_JOURNEY

PAGE_TITLE = "Offene Sprechstunde"
NEW_PAGE_TITLE = "Offene Sprechstunde am Dienstag"
GROUP_NAME = "Selbsthilfegruppe Tinnitus Alpha"
NEW_GROUP_NAME = "Tinnitus-Gruppe Alpha (neu)"


@pytest.fixture(scope="module")
def review_world(browser_site, django_db_blocker):
    """Committed users of one role each, a page and a group of office Alpha."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page, WorkflowState

    from directory.models import SelfHelpGroup
    from home.models import StandardPage
    from sites.models import Office

    with django_db_blocker.unblock():
        User = get_user_model()
        users = []
        for name, group in (
            ("review-redaktion", "KS Alpha – Redaktion"),
            ("review-freigabe", "KS Alpha – Freigabe"),
            ("review-fremd", "KS Beta – Freigabe"),
        ):
            user = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
            user.groups.add(Group.objects.get(name=group))
            users.append(user)
        alpha = Office.objects.get(site__hostname="alpha.localhost")
        page = StandardPage(title=PAGE_TITLE, slug="sprechstunde", intro="Jeden Dienstag.")
        alpha.site.root_page.add_child(instance=page)
        page.save_revision().publish()
        group = SelfHelpGroup(name=GROUP_NAME, office=alpha, rhythm="by_arrangement")
        group.save()
        group.save_revision().publish()
    try:
        yield {"page": page.pk, "group": group.pk}
    finally:
        with django_db_blocker.unblock():
            from django.contrib.sessions.models import Session
            from wagtail.models import ModelLogEntry, PageLogEntry

            WorkflowState.objects.filter(object_id__in=[str(page.pk), str(group.pk)]).delete()
            PageLogEntry.objects.filter(page_id=page.pk).delete()
            ModelLogEntry.objects.filter(object_id=str(group.pk)).delete()
            Session.objects.all().delete()
            Page.objects.get(pk=page.pk).delete()
            SelfHelpGroup.objects.filter(pk=group.pk).delete()
            for user in users:
                user.delete()


def test_a_page_and_a_group_go_through_their_office_s_review(
    chromium, browser_site, review_world, django_db_blocker
):
    from wagtail.models import Page, TaskState, WorkflowState

    from directory.models import SelfHelpGroup

    SCREENSHOTS.mkdir(exist_ok=True)
    page_pk, group_pk = review_world["page"], review_world["group"]

    # The Redaktion member edits and submits both.
    context, page, base = log_in(chromium, browser_site, "review-redaktion")
    page.goto(f"{base}/admin/pages/{page_pk}/edit/")
    page.fill("input[name=title]", NEW_PAGE_TITLE)
    more_actions(page)
    page.get_by_role("button", name="In Freigabe (KS Alpha) einreichen").click()
    page.wait_for_load_state()
    page.goto(f"{base}/admin/directory/groups/edit/{group_pk}/")
    assert page.locator("button[name=action-publish]").count() == 0
    page.fill("input[name=name]", NEW_GROUP_NAME)
    more_actions(page)
    page.get_by_role("button", name="In Freigabe durch die Kontaktstelle einreichen").click()
    page.wait_for_load_state()
    page.screenshot(path=str(SCREENSHOTS / "review-redaktion-submitted.png"), full_page=True)
    context.close()
    with django_db_blocker.unblock():
        states = WorkflowState.objects.filter(
            object_id__in=[str(page_pk), str(group_pk)], status="in_progress"
        )
        assert states.count() == 2

    # Another office's reviewer sees neither, not even on the dashboard.
    context, page, base = log_in(chromium, browser_site, "review-fremd", "beta.localhost")
    html = page.content()
    assert NEW_PAGE_TITLE not in html and PAGE_TITLE not in html and GROUP_NAME not in html
    page.goto(f"{base}/admin/pages/{page_pk}/edit/")
    assert NEW_PAGE_TITLE not in page.content()
    context.close()

    # The office's own reviewer finds both on the dashboard and decides.
    context, page, base = log_in(chromium, browser_site, "review-freigabe")
    dashboard = page.content()
    page.screenshot(path=str(SCREENSHOTS / "review-freigabe-dashboard.png"), full_page=True)
    assert NEW_PAGE_TITLE in dashboard, "page"
    assert GROUP_NAME in dashboard or NEW_GROUP_NAME in dashboard, "group"

    page.goto(f"{base}/admin/pages/{page_pk}/edit/")
    more_actions(page)
    with page.expect_navigation():
        page.locator(
            "footer button[data-workflow-action-name='approve']"
            ":not([data-workflow-action-modal-url])"
        ).click()

    page.goto(f"{base}/admin/directory/groups/edit/{group_pk}/")
    more_actions(page)
    page.locator("footer button[data-workflow-action-name='reject']").click()
    page.locator("textarea[name=comment]").fill("Bitte den Treffpunkt ergänzen.")
    page.screenshot(path=str(SCREENSHOTS / "review-freigabe-reject.png"), full_page=True)
    with page.expect_navigation():
        page.locator(".modal button[type=submit]").click()
    page.screenshot(path=str(SCREENSHOTS / "review-freigabe-rejected.png"), full_page=True)
    context.close()

    with django_db_blocker.unblock():
        edited = Page.objects.get(pk=page_pk)
        assert edited.live and edited.title == NEW_PAGE_TITLE
        group = SelfHelpGroup.objects.get(pk=group_pk)
        assert group.name == GROUP_NAME  # unchanged: the reviewer asked for changes
        rejected = TaskState.objects.filter(
            workflow_state__object_id=str(group_pk), status=TaskState.STATUS_REJECTED
        ).get()
        assert rejected.get_comment() == "Bitte den Treffpunkt ergänzen."
