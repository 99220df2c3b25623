"""The self-filling block and its provider registry, and the other issue blocks."""

import datetime

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from newsletter import sources
from newsletter.blocks import AutoContentBlock, CallToActionBlock


class _Issue:
    """Just what the block reads from an issue: its month and its locale."""

    def __init__(self, month, language="de"):
        self.month = month
        self.locale = type("L", (), {"language_code": language})()


@pytest.fixture
def registered():
    calls = []

    def provider(month, locale):
        calls.append((month, locale))
        return [
            sources.Item(
                title=f"Gruppe {n}",
                url=f"http://beta.localhost/gruppen/{n}/",
                date=month,
                office="KS Beta",
            )
            for n in range(1, 8)
        ]

    sources.register("groups_new", provider, label="Neue Gruppen")
    yield calls
    sources.unregister("groups_new")


def _render(value, issue):
    block = AutoContentBlock()
    return block.render(block.to_python(value), {"issue": issue})


class TestAutoContentBlock:
    def test_it_lists_what_the_registered_source_returns_for_the_issues_month(self, registered):
        html = _render(
            {"heading": "Neue Gruppen", "source": "groups_new", "limit": 3, "empty_text": ""},
            _Issue(datetime.date(2026, 5, 1), "en"),
        )
        assert registered == [(datetime.date(2026, 5, 1), "en")]
        assert html.count("<li>") == 3
        assert 'href="http://beta.localhost/gruppen/1/"' in html
        assert "KS Beta" in html and "Neue Gruppen" in html

    def test_registered_sources_are_the_choices_editors_get(self, registered):
        block = AutoContentBlock()
        assert ("groups_new", "Neue Gruppen") in list(block.child_blocks["source"].field.choices)

    def test_an_empty_source_renders_nothing_or_the_editors_text(self, registered):
        sources.register("nothing", lambda month, locale: [])
        try:
            issue = _Issue(datetime.date(2026, 5, 1))
            empty = {"heading": "X", "source": "nothing", "limit": 5, "empty_text": ""}
            assert _render(empty, issue).strip() == ""
            with_text = {**empty, "empty_text": "Diesen Monat keine Termine."}
            assert "Diesen Monat keine Termine." in _render(with_text, issue)
        finally:
            sources.unregister("nothing")

    def test_a_failing_or_missing_source_does_not_break_the_issue(self, caplog):
        def broken(month, locale):
            raise RuntimeError("directory down")

        sources.register("broken", broken)
        try:
            issue = _Issue(datetime.date(2026, 5, 1))
            assert sources.fetch("broken", issue.month, "de", 5) == []
            assert sources.fetch("unregistered", issue.month, "de", 5) == []
            assert "directory down" in caplog.text
        finally:
            sources.unregister("broken")

    def test_a_provider_must_be_callable(self):
        with pytest.raises(TypeError):
            sources.register("bad", "not callable")


class TestCallToAction:
    def test_it_needs_exactly_one_target(self):
        block = CallToActionBlock()
        with pytest.raises(StructBlockValidationError):
            block.clean(block.to_python({"label": "Los", "page": None, "url": ""}))
        value = block.clean(
            block.to_python({"label": "Los", "page": None, "url": "https://example.org/"})
        )
        assert value["url"] == "https://example.org/"
