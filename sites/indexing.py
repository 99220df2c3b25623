"""Search and reference index updates for bulk loads, done in one pass at the end.

Every saved page, group, event or image queues two background tasks (Wagtail's reference
index and modelsearch's search index). The demo loader saves some 1,300 objects, which
left about 2,700 tasks for the worker, each reading its object again and writing one
index entry. ``deferred_index_updates`` switches both per-object updates off while a bulk
load runs; the caller then rebuilds both indexes in one pass (``rebuild_indexes``).
"""

import contextvars
from contextlib import contextmanager

from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task

#: Inside ``collected_index_updates``: the set of ``(kind, app_label, model_name, pk)``.
_collected = contextvars.ContextVar("sites_collected_index_updates", default=None)


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


# --- Collected index updates (provisioning) -------------------------------------------------


class _CollectableTask:
    """Stands in for modelsearch's and Wagtail's per-object index tasks (their signal
    handlers look the task up by module name): inside ``collected_index_updates`` an
    ``enqueue`` is only noted, everywhere else it goes to the real task. Thread-safe
    (a context variable), unlike disconnecting the handlers."""

    def __init__(self, real, kind):
        self.real = real
        self.kind = kind

    def enqueue(self, app_label, model_name, pk):
        collected = _collected.get()
        if collected is None:
            return self.real.enqueue(app_label, model_name, pk)
        collected.add((self.kind, app_label, model_name, str(pk)))
        return None

    def __getattr__(self, name):
        return getattr(self.real, name)


def install():
    """Called from ``SitesConfig.ready``."""
    import modelsearch.signal_handlers as search_handlers
    import wagtail.signal_handlers as wagtail_handlers

    for module, name, kind in (
        (search_handlers, "insert_or_update_object_task", "search"),
        (wagtail_handlers, "update_reference_index_task", "references"),
    ):
        current = getattr(module, name)
        if not isinstance(current, _CollectableTask):
            setattr(module, name, _CollectableTask(current, kind))


@contextmanager
def collected_index_updates():
    """Inside the block, saved objects queue no index task each; when the transaction
    commits, one task updates the search and reference index of all of them (provisioning
    an office saves some forty pages and revisions: forty-odd tasks, or with the immediate
    backend forty index writes inside the editor's wait)."""
    if _collected.get() is not None:
        yield
        return
    collected = set()
    token = _collected.set(collected)
    try:
        yield
    finally:
        _collected.reset(token)
    if collected:
        items = sorted(collected)
        transaction.on_commit(lambda: update_indexes_task.enqueue(items))


@task()
def update_indexes_task(items):
    """The search index and reference index entries of ``items`` (see above)."""
    from modelsearch import index
    from modelsearch.backends import get_search_backends
    from wagtail.tasks import update_reference_index_task

    search = {}
    for kind, app_label, model_name, pk in items:
        if kind == "search":
            search.setdefault((app_label, model_name), []).append(pk)
    for (app_label, model_name), pks in search.items():
        model = apps.get_model(app_label, model_name)
        indexed = [
            index.get_indexed_instance(instance)
            for instance in model.objects.filter(pk__in=pks)
            if index.class_is_indexed(instance.__class__)
        ]
        indexed = [instance for instance in indexed if instance is not None]
        by_model = {}
        for instance in indexed:
            by_model.setdefault(type(instance), []).append(instance)
        for backend in get_search_backends(with_auto_update=True):
            for indexed_model, objects in by_model.items():
                backend.add_bulk(indexed_model, objects)
    for kind, app_label, model_name, pk in items:
        if (
            kind == "references"
            and apps.get_model(app_label, model_name).objects.filter(pk=pk).exists()
        ):
            update_reference_index_task.call(app_label, model_name, pk)
