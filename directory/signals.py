"""Keep the cached search vocabulary and the cached result counts in step with the data."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Locale

from .models import PartnerWidget, SelfHelpGroup, Topic, forget_locale_ids
from .search import forget_counts, forget_vocabulary

post_save.connect(forget_vocabulary, sender=Topic, dispatch_uid="directory_topic_saved")
post_delete.connect(forget_vocabulary, sender=Topic, dispatch_uid="directory_topic_deleted")


def rebuild_lexicon(**kwargs):
    """A topic's words changed: rebuild the search lexicon once the change is committed."""
    from django.db import transaction

    from . import lexicon

    transaction.on_commit(lexicon.rebuild)


post_save.connect(rebuild_lexicon, sender=Topic, dispatch_uid="directory_topic_lexicon_saved")
post_delete.connect(rebuild_lexicon, sender=Topic, dispatch_uid="directory_topic_lexicon_deleted")


def add_group_words(sender, instance, **kwargs):
    """A live group's name and place join the search lexicon (drafts never: a correction
    shows the word it took, and a draft's name is not public)."""
    if instance.live:
        from . import lexicon

        lexicon.add_group(instance)


post_save.connect(add_group_words, sender=SelfHelpGroup, dispatch_uid="directory_group_lexicon")


def refresh_search_document(sender, instance, action, **kwargs):
    """Topics are saved after the group row; rebuild the group's public search document."""
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, SelfHelpGroup):
        from .models import build_search_document

        document = build_search_document(instance, instance.topics.all())
        SelfHelpGroup.objects.filter(pk=instance.pk).update(search_document=document)


m2m_changed.connect(
    refresh_search_document,
    sender=SelfHelpGroup.topics.through,
    dispatch_uid="directory_group_topics_changed",
)

post_save.connect(forget_locale_ids, sender=Locale, dispatch_uid="directory_locale_saved")
post_delete.connect(forget_locale_ids, sender=Locale, dispatch_uid="directory_locale_deleted")

# Any write to a group (edit, publish, unpublish, delete, its topics) or a locale changes
# what the public counts may say. The bulk import calls ``forget_counts`` itself.
post_save.connect(forget_counts, sender=SelfHelpGroup, dispatch_uid="directory_counts_group_saved")
post_delete.connect(
    forget_counts, sender=SelfHelpGroup, dispatch_uid="directory_counts_group_deleted"
)
m2m_changed.connect(
    forget_counts,
    sender=SelfHelpGroup.topics.through,
    dispatch_uid="directory_counts_group_topics_changed",
)
post_save.connect(forget_counts, sender=Locale, dispatch_uid="directory_counts_locale_saved")
post_delete.connect(forget_counts, sender=Locale, dispatch_uid="directory_counts_locale_deleted")

# A widget's settings decide what its cached body shows (``directory.widget``).
from .widget import widgets_changed  # noqa: E402

post_save.connect(widgets_changed, sender=PartnerWidget, dispatch_uid="directory_widget_saved")
post_delete.connect(widgets_changed, sender=PartnerWidget, dispatch_uid="directory_widget_deleted")
m2m_changed.connect(
    widgets_changed, sender=PartnerWidget.topics.through, dispatch_uid="directory_widget_topics"
)
