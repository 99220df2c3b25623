"""Providers for the blocks of an issue that fill themselves.

The newsletter does not know the events or the group directory; those apps (or the
project, at start-up) register a provider under a name::

    from newsletter import sources

    sources.register(
        "upcoming_events",
        label=_("Veranstaltungen aller Kontaktstellen"),
        provider=lambda month, locale: [...],
    )

A provider is called with the first day of the issue's month (a ``date``) and the language
code of the edition being rendered and returns a list of :class:`Item` (or dicts with the
same keys). ``url`` must be absolute (the link goes into an e-mail and must point to the
right office site). The block shows at most ``limit`` of them.
"""

import datetime
import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    date: datetime.date | datetime.datetime | None = None
    office: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    provider: object


_registry: dict[str, Source] = {}


def register(name, provider, label=None):
    """Register (or replace) the provider called ``name``."""
    if not callable(provider):
        raise TypeError(f"provider for {name!r} must be callable")
    _registry[name] = Source(name=name, label=label or name, provider=provider)


def unregister(name):
    _registry.pop(name, None)


def get(name):
    return _registry.get(name)


def choices():
    """``(name, label)`` pairs for the block's choice field, in registration order."""
    return [(source.name, source.label) for source in _registry.values()]


def _as_item(value):
    if isinstance(value, Item):
        return value
    return Item(
        title=str(value["title"]),
        url=str(value["url"]),
        date=value.get("date"),
        office=str(value.get("office") or ""),
        summary=str(value.get("summary") or ""),
    )


def fetch(name, month, locale, limit):
    """The items of source ``name`` for ``month`` in ``locale``, at most ``limit``.

    An unknown source or a provider that fails yields no items (and a log entry): an issue
    must still render and send when, say, the directory is briefly unavailable.
    """
    source = _registry.get(name)
    if source is None:
        logger.warning("Newsletter source %r is not registered", name)
        return []
    try:
        items = [_as_item(value) for value in source.provider(month, locale) or []]
    except Exception:
        logger.exception("Newsletter source %r failed", name)
        return []
    return items[: max(0, int(limit))] if limit else items
