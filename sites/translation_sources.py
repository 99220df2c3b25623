"""wagtail-localize's translation sources of new objects, written in a few bulk inserts.

``TranslationSource.get_or_create_from_instance`` extracts the text segments of an
object and stores each one with three ``get_or_create`` calls (its string, its context
and the segment) plus a save of the context's field path: ten or more queries per
sentence. A new office's default pages hold a few hundred sentences, so provisioning
spent most of its queries here (issue #14). ``create_source`` writes the same rows
(``TranslatableObject``, ``TranslationSource``, ``String``, ``Template``,
``TranslationContext`` with its ``field_path``, ``StringSegment``, ``TemplateSegment``)
in a handful of queries; wagtail-localize then finds the source and uses it as its
own, so the translation status report, "sync" and the translation editor see exactly
what they would otherwise have seen.

Objects with related-object segments (chosen snippets) are left to wagtail-localize's
own ``refresh_segments``.
"""

import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from wagtail.models import Page


def create_source(instance):
    """The ``TranslationSource`` of ``instance`` (created, its segments in bulk, if
    there is none yet)."""
    from wagtail_localize.models import (
        OverridableSegment,
        String,
        StringSegment,
        Template,
        TemplateSegment,
        TranslatableObject,
        TranslationContext,
        TranslationSource,
        get_schema_version,
    )
    from wagtail_localize.segments import (
        OverridableSegmentValue,
        StringSegmentValue,
        TemplateSegmentValue,
    )
    from wagtail_localize.segments.extract import extract_segments

    if isinstance(instance, Page):
        instance = instance.specific
    existing = TranslationSource.objects.filter(
        object_id=instance.translation_key, locale_id=instance.locale_id
    ).first()
    if existing is not None:
        return existing
    obj, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
    if isinstance(instance, ClusterableModel):
        content_json = instance.to_json()
    else:
        content_json = json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)
    source = TranslationSource.objects.create(
        object=obj,
        locale_id=instance.locale_id,
        specific_content_type=ContentType.objects.get_for_model(instance.__class__),
        object_repr=str(instance)[:200],
        content_json=content_json,
        schema_version=_schema_version(get_schema_version, instance._meta.app_label),
        last_updated_at=timezone.now(),
    )
    # As wagtail-localize does it, the segments describe the instance as stored.
    stored = source.as_instance()
    extracted = list(extract_segments(stored))
    kinds = (StringSegmentValue, TemplateSegmentValue, OverridableSegmentValue)
    if any(not isinstance(v, kinds) for v in extracted):
        source.refresh_segments()  # wagtail-localize's own way
        return source
    if not extracted:
        return source
    values = [v for v in extracted if isinstance(v, StringSegmentValue)]
    template_values = [v for v in extracted if isinstance(v, TemplateSegmentValue)]
    overridable_values = [v for v in extracted if isinstance(v, OverridableSegmentValue)]

    hashes = {value.string.data: String._get_data_hash(value.string.data) for value in values}
    strings = {
        s.data_hash: s
        for s in String.objects.filter(
            locale_id=instance.locale_id, data_hash__in=set(hashes.values())
        )
    }
    missing = {h: data for data, h in hashes.items() if h not in strings}
    if missing:
        String.objects.bulk_create(
            [String(locale_id=instance.locale_id, data_hash=h, data=d) for h, d in missing.items()],
            ignore_conflicts=True,
        )
        strings.update(
            (s.data_hash, s)
            for s in String.objects.filter(
                locale_id=instance.locale_id, data_hash__in=list(missing)
            )
        )

    templates = {}
    if template_values:
        uuids = {
            id(value): uuid.uuid5(
                uuid.uuid5(Template.BASE_UUID_NAMESPACE, value.format), value.template
            )
            for value in template_values
        }
        templates = {t.uuid: t for t in Template.objects.filter(uuid__in=set(uuids.values()))}
        new_templates = {}
        for value in template_values:
            key = uuids[id(value)]
            if key not in templates and key not in new_templates:
                new_templates[key] = Template(
                    uuid=key,
                    template=value.template,
                    template_format=value.format,
                    string_count=value.string_count,
                )
        if new_templates:
            Template.objects.bulk_create(new_templates.values(), ignore_conflicts=True)
            templates.update(
                (t.uuid, t) for t in Template.objects.filter(uuid__in=list(new_templates))
            )

    paths = list(dict.fromkeys(value.path for value in extracted))
    path_ids = {path: TranslationContext._get_path_id(path) for path in paths}
    contexts = {
        c.path: c
        for c in TranslationContext.objects.filter(object=obj, path_id__in=path_ids.values())
    }
    new_contexts = []
    for path in paths:
        if path in contexts:
            continue
        context = TranslationContext(object=obj, path=path, path_id=path_ids[path])
        # ``get_field_path`` computes the path and saves the context; here the save is
        # left to the bulk insert below.
        context.save = _no_save
        context.get_field_path(stored)
        del context.save
        new_contexts.append(context)
    if new_contexts:
        TranslationContext.objects.bulk_create(new_contexts, ignore_conflicts=True)
        contexts.update(
            (c.path, c)
            for c in TranslationContext.objects.filter(
                object=obj, path_id__in=[c.path_id for c in new_contexts]
            )
        )
    for context in contexts.values():
        if not context.field_path:
            context.get_field_path(stored)

    TemplateSegment.objects.bulk_create(
        TemplateSegment(
            source=source,
            context=contexts[value.path],
            order=value.order,
            template=templates[uuids[id(value)]],
        )
        for value in template_values
    )
    OverridableSegment.objects.bulk_create(
        OverridableSegment(
            source=source,
            context=contexts[value.path],
            order=value.order,
            data_json=json.dumps(value.data, cls=DjangoJSONEncoder),
        )
        for value in overridable_values
    )
    StringSegment.objects.bulk_create(
        StringSegment(
            source=source,
            context=contexts[value.path],
            order=value.order,
            string=strings[hashes[value.string.data]],
            attrs=json.dumps(value.attrs, cls=DjangoJSONEncoder),
        )
        for value in values
    )
    return source


def _no_save(*args, **kwargs):
    return None


def _schema_version(get_schema_version, app_label):
    """wagtail-localize's schema version of ``app_label`` (its last migration's name, a
    query), asked once per app inside provisioning: no migration runs there."""
    from .wagtail_speedups import provisioning_memo

    memo = provisioning_memo()
    if memo is None:
        return get_schema_version(app_label)
    key = ("schema version", app_label)
    if key not in memo:
        memo[key] = get_schema_version(app_label)
    return memo[key]
