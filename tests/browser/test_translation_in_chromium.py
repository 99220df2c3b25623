"""Translation for the people who translate, tried in Chromium: an office editor finds
"Übersetzen" on a page and on a self-help group of the office, fills the segments in
wagtail-localize's translation editor, publishes, and the English page and group are on
``/en/``; the coordinator does the same with a topic of the shared topic list, and the
English directory offers the English topic. The editor of another office cannot open
the translate view of these objects, and no translation comes of trying.

Screenshots land in ``screenshots/translation-*.png``.
"""

import re

import pytest

from tests.browser.conftest import SCREENSHOTS, WRITING_JOURNEY, log_in, visitor

pytestmark = WRITING_JOURNEY

PAGE = {
    "Gesprächskreis für Angehörige": "Discussion group for relatives",
    "gespraechskreis-angehoerige": "discussion-group-relatives",
    "Jeden zweiten Mittwoch im Monat.": "Every second Wednesday of the month.",
}
GROUP = {
    "Angehörige psychisch Kranker Alpha": "Relatives of people with mental illness Alpha",
    "Wir treffen uns in ruhiger Runde.": "We meet in a quiet circle.",
}
TOPIC = {"Pflegende Angehörige": "Family carers"}
SECOND_PAGE = {
    "Offener Treff am Freitag": "Open meeting on Friday",
    "offener-treff": "open-meeting",
    "Ohne Anmeldung, bei Kaffee und Tee.": "No need to register, with coffee and tea.",
}
TRANSLATOR = "uebersetzung-redaktion"
GROUP_NAME, TOPIC_NAME = next(iter(GROUP)), next(iter(TOPIC))


@pytest.fixture(scope="module")
def translation_world(browser_site, django_db_blocker):
    """Committed: a page and a group of office Alpha, and a topic the group is filed
    under; everything translated into English on the way is removed afterwards."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page
    from wagtail_localize.models import TranslatableObject

    from directory.models import SelfHelpGroup, Topic
    from home.models import StandardPage
    from sites.models import Office
    from tests.conftest import PASSWORD

    page_title, page_slug, page_intro = PAGE
    group_name, group_description = GROUP
    (topic_name,) = TOPIC
    with django_db_blocker.unblock():
        alpha = Office.objects.select_related("site__root_page").get(
            site__hostname="alpha.localhost"
        )
        page = StandardPage(title=page_title, slug=page_slug, intro=page_intro)
        alpha.site.root_page.add_child(instance=page)
        page.save_revision().publish()
        title, slug, intro = SECOND_PAGE
        second = StandardPage(title=title, slug=slug, intro=intro)
        alpha.site.root_page.add_child(instance=second)
        second.save_revision().publish()
        translator = get_user_model().objects.create_user(
            TRANSLATOR, "uebersetzung@example.org", PASSWORD
        )
        translator.groups.add(Group.objects.get(name="KS Alpha – Redaktion"))
        topic = Topic.objects.create(name=topic_name, slug="pflegende-angehoerige-browser")
        group = SelfHelpGroup(
            name=group_name,
            office=alpha,
            description=group_description,
            rhythm="by_arrangement",
        )
        group.save()
        group.topics.set([topic])
        group.save_revision().publish()
        keys = [
            page.translation_key,
            second.translation_key,
            group.translation_key,
            topic.translation_key,
        ]
    try:
        yield {"page": page.pk, "second": second.pk, "group": group.pk, "topic": topic.pk}
    finally:
        with django_db_blocker.unblock():
            from django.contrib.sessions.models import Session
            from wagtail.models import ModelLogEntry, PageLogEntry

            Session.objects.all().delete()
            translator.delete()
            pages = Page.objects.filter(
                translation_key__in=[page.translation_key, second.translation_key]
            )
            PageLogEntry.objects.filter(
                page_id__in=list(pages.values_list("pk", flat=True))
            ).delete()
            for translated in pages.order_by("-pk"):
                translated.delete()
            groups = SelfHelpGroup.objects.filter(translation_key=group.translation_key)
            ModelLogEntry.objects.filter(
                object_id__in=[str(pk) for pk in groups.values_list("pk", flat=True)]
            ).delete()
            groups.delete()
            Topic.objects.filter(translation_key=topic.translation_key).order_by("-pk").delete()
            TranslatableObject.objects.filter(translation_key__in=keys).delete()


def _choose_from_menu(page, toggles, entry):
    """Open the "..." menus among ``toggles`` one after the other until ``entry`` shows,
    and click it, as a person looks for an action in the menus of a header or row.
    (Wagtail mounts a menu's entries only while it is open.)"""
    for toggle in toggles.all():
        if not toggle.is_visible():
            continue
        toggle.click()
        try:
            entry.first.wait_for(state="visible", timeout=2000)
        except Exception:  # not in this menu
            page.keyboard.press("Escape")
            continue
        with page.expect_navigation():
            entry.first.click()
        return
    raise AssertionError(f"no menu offers {entry}")


def _choose_english_and_submit(page):
    """wagtail-localize's "translate" form: tick English, submit."""
    english = page.get_by_role("checkbox", name=re.compile("Englisch"))
    english.check()
    with page.expect_navigation():
        page.locator("input[type=submit][value='Absenden']").click()


def _show_tab_with(page, text):
    """Switch the translation editor to the tab (content, promote, settings) that shows
    the segment with ``text``, as a person clicks through the tabs."""
    segment = page.get_by_text(text, exact=True)
    if segment.first.is_visible():
        return
    for tab in page.locator(".w-tabs__tab, [role=tab]").all():
        if tab.is_visible():
            tab.click()
            if segment.first.is_visible():
                return
    raise AssertionError(f"no tab of the translation editor shows {text!r}")


def _translate_segments(page, translations):
    """Fill the translation editor as a translator does: for each segment whose source
    text is a key of ``translations``, "Übersetzen" (or "Bearbeiten" for a value taken
    over from German unless changed), type the translation, "Speichern"."""
    action = re.compile("^(Übersetzen|Bearbeiten)$")
    for source, target in translations.items():
        try:
            _translate_segment(page, action, source, target)
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "translation-failed.png"), full_page=True)
            raise


def _translate_segment(page, action, source, target):
    _show_tab_with(page, source)
    # Pinned to its element: the text changes from the source to the translation.
    segment = (
        page.locator("li")
        .filter(has_text=source)
        .filter(has=page.get_by_role("button", name=action))
        .last.element_handle()
    )
    segment.query_selector("button:text-is('Übersetzen'), button:text-is('Bearbeiten')").click()
    segment.wait_for_selector("textarea").fill(target)
    segment.query_selector("button:text-is('Speichern')").click()
    # Saved: the editor shows the translation with "Bearbeiten" again (while the request
    # runs it shows "Speichern..." and no button).
    page.wait_for_function(
        "([element, text]) => element.innerText.includes(text) && "
        "!element.querySelector('textarea') && "
        "[...element.querySelectorAll('button')].some(b => b.innerText.trim() === 'Bearbeiten')",
        arg=[segment, target],
    )


def _publish_translation(page):
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Veröffentlichen in Englisch")).click()


def test_another_office_s_editor_cannot_open_the_translate_view_of_alphas_page_or_group(
    chromium, browser_site, translation_world, django_db_blocker
):
    from wagtail.models import Locale, Page

    from directory.models import SelfHelpGroup

    context, page, base = log_in(chromium, browser_site, "editor-beta", "beta.localhost")
    for path in (
        f"/admin/localize/submit/page/{translation_world['page']}/",
        f"/admin/localize/submit/snippet/directory/selfhelpgroup/{translation_world['group']}/",
    ):
        response = page.goto(base + path)
        assert response.status in (403, 404), path
        assert page.locator("input[name=locales]").count() == 0, path
    page.screenshot(path=str(SCREENSHOTS / "translation-refused.png"), full_page=True)
    # Nor does a forged form post get anywhere.
    for path in (
        f"/admin/localize/submit/page/{translation_world['page']}/",
        f"/admin/localize/submit/snippet/directory/selfhelpgroup/{translation_world['group']}/",
    ):
        status = page.evaluate(
            """async ([path, locale]) => {
                const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
                const body = new URLSearchParams({locales: locale});
                const response = await fetch(path, {method: "POST", body,
                    headers: {"X-CSRFToken": token}, redirect: "manual"});
                return response.status;
            }""",
            [path, str(_english_pk(django_db_blocker))],
        )
        assert status in (403, 404), (path, status)
    context.close()

    with django_db_blocker.unblock():
        english = Locale.objects.get(language_code="en")
        source = Page.objects.get(pk=translation_world["page"])
        assert not source.get_translations().filter(locale=english).exists()
        group = SelfHelpGroup.objects.get(pk=translation_world["group"])
        assert not SelfHelpGroup.objects.filter(
            translation_key=group.translation_key, locale=english
        ).exists()


def _english_pk(django_db_blocker):
    from wagtail.models import Locale

    with django_db_blocker.unblock():
        return Locale.objects.get(language_code="en").pk


def test_an_office_editor_translates_a_page_and_a_group_and_both_are_live_on_en(
    chromium, browser_site, translation_world, django_db_blocker
):
    from wagtail.models import Locale, Page

    from directory.models import SelfHelpGroup

    page_pk, group_pk = translation_world["page"], translation_world["group"]
    context, page, base = log_in(chromium, browser_site, "editor-alpha")

    # The page: "Übersetzen" in the editor's header menu, English, the segments, publish.
    page.goto(f"{base}/admin/pages/{page_pk}/edit/")
    _choose_from_menu(
        page,
        page.locator("header [data-w-dropdown-target='toggle']"),
        page.get_by_role("link", name="Diese Seite übersetzen"),
    )
    page.wait_for_url(f"{base}/admin/localize/submit/page/{page_pk}/")
    _choose_english_and_submit(page)
    _translate_segments(page, PAGE)
    page.screenshot(path=str(SCREENSHOTS / "translation-page-editor.png"), full_page=True)
    _publish_translation(page)
    assert "in Englisch veröffentlicht" in page.inner_text("body")

    # The group: "Übersetzen" in its row's menu of the group list.
    page.goto(f"{base}/admin/directory/groups/")
    _choose_from_menu(
        page,
        page.locator("tr", has_text=GROUP_NAME).locator("[data-w-dropdown-target='toggle']"),
        page.locator(f"a[href$='/localize/submit/snippet/directory/selfhelpgroup/{group_pk}/']"),
    )
    _choose_english_and_submit(page)
    _translate_segments(page, GROUP)
    page.screenshot(path=str(SCREENSHOTS / "translation-group-editor.png"), full_page=True)
    _publish_translation(page)
    assert "in Englisch veröffentlicht" in page.inner_text("body")
    context.close()

    with django_db_blocker.unblock():
        english = Locale.objects.get(language_code="en")
        source = Page.objects.get(pk=page_pk)
        translated_page = source.get_translation(english).specific
        assert translated_page.live and not translated_page.has_unpublished_changes
        assert translated_page.title == PAGE["Gesprächskreis für Angehörige"]
        assert translated_page.intro == PAGE["Jeden zweiten Mittwoch im Monat."]
        page_url = translated_page.relative_url(source.get_site())
        source_group = SelfHelpGroup.objects.get(pk=group_pk)
        translated_group = SelfHelpGroup.objects.get(
            translation_key=source_group.translation_key, locale=english
        )
        assert translated_group.live and not translated_group.has_unpublished_changes
        assert translated_group.name == GROUP["Angehörige psychisch Kranker Alpha"]
        assert translated_group.office_id == source_group.office_id
    assert page_url == "/en/discussion-group-relatives/"

    # A visitor of the English site reads both.
    context, page, base = visitor(chromium, browser_site)
    response = page.goto(base + page_url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Discussion group for relatives"
    assert "Every second Wednesday of the month." in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "translation-page-public.png"), full_page=True)
    response = page.goto(f"{base}/en/gruppen/")
    assert response.status == 200
    directory = page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "translation-group-public.png"), full_page=True)
    context.close()
    assert "Relatives of people with mental illness Alpha" in directory
    assert "Angehörige psychisch Kranker Alpha" not in directory


def test_the_coordinator_translates_a_topic_and_the_english_directory_shows_it(
    chromium, browser_site, translation_world, django_db_blocker
):
    from wagtail.models import Locale

    from directory.models import Topic

    topic_pk = translation_world["topic"]
    context, page, base = log_in(chromium, browser_site, "coordinator", "land.localhost")
    page.goto(f"{base}/admin/directory/topics/")
    _choose_from_menu(
        page,
        page.locator("tr", has_text=TOPIC_NAME).locator("[data-w-dropdown-target='toggle']"),
        page.locator(f"a[href$='/localize/submit/snippet/directory/topic/{topic_pk}/']"),
    )
    _choose_english_and_submit(page)
    _translate_segments(page, TOPIC)
    page.screenshot(path=str(SCREENSHOTS / "translation-topic-editor.png"), full_page=True)
    _publish_translation(page)
    context.close()

    with django_db_blocker.unblock():
        english = Locale.objects.get(language_code="en")
        source = Topic.objects.get(pk=topic_pk)
        assert source.get_translation(english).name == "Family carers"
        assert source.name == "Pflegende Angehörige"

    context, page, base = visitor(chromium, browser_site)
    page.goto(f"{base}/en/gruppen/")
    english_directory = page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "translation-topic-public.png"), full_page=True)
    page.goto(f"{base}/gruppen/")
    german_directory = page.inner_text("main")
    context.close()
    assert "Family carers" in english_directory
    assert "Pflegende Angehörige" not in english_directory
    assert "Pflegende Angehörige" in german_directory


def test_a_redaktion_member_submits_a_translation_and_the_office_s_freigabe_member_approves(
    chromium, browser_site, translation_world, django_db_blocker
):
    """Redaktion members may not publish: they translate and submit the translation to
    the office's review ("Zur Freigabe einreichen", the editor's main button), and what
    they typed stays out of the public site until a Freigabe member of the office
    approves it from the review queue on the dashboard. (wagtail-localize publishes the
    new English copy of a live page at once, still in German, which the site marks as
    untranslated.)"""
    from wagtail.models import Locale, Page, WorkflowState

    second_pk = translation_world["second"]
    context, page, base = log_in(chromium, browser_site, TRANSLATOR)
    page.goto(f"{base}/admin/pages/{second_pk}/edit/")
    _choose_from_menu(
        page,
        page.locator("header [data-w-dropdown-target='toggle']"),
        page.get_by_role("link", name="Diese Seite übersetzen"),
    )
    _choose_english_and_submit(page)
    # The editor's heading is German, not localize's built-in "Deutsch to Englisch translation".
    page.get_by_role("heading", name="Übersetzung Deutsch → Englisch").first.wait_for()
    assert "to Englisch translation" not in page.inner_text("main")
    _translate_segments(page, SECOND_PAGE)
    footer = page.locator("footer .w-dropdown-button").first
    submit = footer.get_by_role("button", name="Zur Freigabe einreichen")
    assert submit.is_visible()
    assert page.get_by_role("button", name=re.compile("^Veröffentlichen in")).count() == 0
    # "Sperren", localize's main button for those who may not publish, is one of the
    # more actions now.
    assert not footer.get_by_role("button", name="Sperren").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "translation-redaktion-editor.png"), full_page=True)
    with page.expect_navigation():
        submit.click()
    assert "„Open meeting on Friday“ (Englisch) ist zur Freigabe eingereicht" in page.inner_text(
        "body"
    )
    # While it waits, the editor says so where its main action was.
    waiting = page.locator("footer .w-dropdown-button").first.get_by_role(
        "button", name="Wartet auf Freigabe"
    )
    assert waiting.is_disabled()
    page.screenshot(path=str(SCREENSHOTS / "translation-redaktion-submitted.png"), full_page=True)
    context.close()
    with django_db_blocker.unblock():
        english = Locale.objects.get(language_code="en")
        target = Page.objects.get(pk=second_pk).get_translation(english)
        assert target.title == "Offener Treff am Freitag"
        assert WorkflowState.objects.filter(object_id=str(target.pk), status="in_progress")
    context, page, base = visitor(chromium, browser_site)
    page.goto(f"{base}/en/offener-treff/")
    assert "Open meeting" not in page.inner_text("body")
    assert page.goto(f"{base}/en/open-meeting/").status == 404
    context.close()

    # The office's Freigabe member finds the translation in the review queue and approves.
    context, page, base = log_in(chromium, browser_site, "editor-alpha")
    row = page.locator("#awaiting-review-section tr", has_text="Open meeting on Friday")
    assert row.count() == 1
    page.screenshot(path=str(SCREENSHOTS / "translation-freigabe-queue.png"), full_page=True)
    row.locator("[data-w-dropdown-target='toggle']").click()
    approve = row.locator("button[data-workflow-action-url*='/approve/']:not([data-launch-modal])")
    with page.expect_navigation():
        approve.click()
    page.screenshot(path=str(SCREENSHOTS / "translation-freigabe-approved.png"), full_page=True)
    context.close()
    with django_db_blocker.unblock():
        target = Page.objects.get(pk=target.pk).specific
        assert target.live and target.title == "Open meeting on Friday"
        assert not target.has_unpublished_changes
        url = target.relative_url(target.get_site())
    assert url == "/en/open-meeting/"
    context, page, base = visitor(chromium, browser_site)
    assert page.goto(base + url).status == 200
    assert page.locator("h1").inner_text() == "Open meeting on Friday"
    context.close()
