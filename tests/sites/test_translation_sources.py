"""The translation sources provisioning writes in bulk (``sites.translation_sources``)
are the rows wagtail-localize's own extraction writes."""

import pytest
from wagtail.models import Page
from wagtail_localize.models import (
    OverridableSegment,
    StringSegment,
    TemplateSegment,
    TranslationContext,
    TranslationSource,
)


def _segments(source):
    strings = sorted(
        (s.pk, s.context.path, s.context.field_path, s.order, s.string.data, s.attrs)
        for s in StringSegment.objects.filter(source=source).select_related("context", "string")
    )
    templates = sorted(
        (t.pk, t.context.path, t.order, t.template.template, t.template.string_count)
        for t in TemplateSegment.objects.filter(source=source).select_related("context", "template")
    )
    overridables = sorted(
        (o.pk, o.context.path, o.order, o.data_json)
        for o in OverridableSegment.objects.filter(source=source).select_related("context")
    )
    return strings, templates, overridables


@pytest.mark.django_db
def test_the_bulk_written_segments_of_a_provisioned_office_are_wagtail_localizes_own(offices):
    home = offices["alpha"].site.root_page
    pages = [home, *Page.objects.child_of(home).filter(locale_id=home.locale_id)]
    sources = list(
        TranslationSource.objects.filter(
            object_id__in=[p.translation_key for p in pages], locale_id=home.locale_id
        )
    )
    assert len(sources) >= 5, "the home page and its main pages have sources"
    assert any(_segments(s)[0] for s in sources), "text segments were written"
    assert any(_segments(s)[1] for s in sources), "rich text templates were written"
    assert any(_segments(s)[2] for s in sources), "overridable values were written"
    for source in sources:
        written = _segments(source)
        contexts = set(
            TranslationContext.objects.filter(object_id=source.object_id).values_list(
                "pk", flat=True
            )
        )
        source.refresh_segments()  # wagtail-localize's extraction: changes nothing
        assert _segments(source) == written, source.object_repr
        again = set(
            TranslationContext.objects.filter(object_id=source.object_id).values_list(
                "pk", flat=True
            )
        )
        assert again == contexts
        instance = source.as_instance()
        for context in TranslationContext.objects.filter(object_id=source.object_id):
            fresh = TranslationContext(object_id=context.object_id, path=context.path)
            fresh.save = lambda *a, **k: None
            assert fresh.get_field_path(instance) == context.field_path
