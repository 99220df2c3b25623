"""Search and reference index updates for bulk loads, done in one pass at the end.

Every saved page, group, event or image queues two background tasks (Wagtail's reference
index and modelsearch's search index). The demo loader saves some 1,300 objects, which
left about 2,700 tasks for the worker, each reading its object again and writing one
index entry. ``deferred_index_updates`` switches both per-object updates off while a bulk
load runs; the caller then rebuilds both indexes in one pass (``rebuild_indexes``).
"""

from contextlib import contextmanager

from django.core.management import call_command
from django.db.models.signals import post_save


@contextmanager
def deferred_index_updates():
    """Queue no per-object index tasks inside the block (this thread's saves only for the
    reference index; the search index signal is switched off process-wide, which is
    fine for a management command)."""
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    models = [
        model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)
    ]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def rebuild_indexes(stdout=None):
    """Rebuild the search index and Wagtail's reference index of every object."""
    options = {"verbosity": 0}
    if stdout is not None:
        options["stdout"] = stdout
    call_command("update_index", **options)
    call_command("rebuild_references_index", **options)
