"""How the admin shows a value to the people who work with it: in German, in Berlin time.

Wagtail prints what Python prints where it meets a bare value: ``None``, ``True``,
``False``, and a time in UTC (the inspect view formats with ``|localize``, which turns the
value into text before Django's template engine could convert it to local time; exports
write ``2026-03-01 09:04:00+00:00``). An office's staff read "Einwilligung True" and a
contact request at 09:04 that the mail announced at 10:04. So every value the admin shows
goes through ``display_text``:

* a missing value is a dash, a boolean "Ja"/"Nein";
* a time is converted to the offices' time zone (Europe/Berlin) and formatted in German.

It is applied in one place per kind of view: the inspect views of every model (a display
class for every model field, Wagtail's documented extension point, and
``ReadableInspectView`` for the choice fields), list columns (``YesNoColumn``) and the
CSV/XLSX exports of Wagtail's listings and reports
(``localise_spreadsheet_exports``).
"""

import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format_string
from django.utils.encoding import force_str
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView

from .models import OFFICE_TIME_ZONE

#: What the admin shows for "no value".
EMPTY = "–"


def local(value):
    """An aware datetime in the offices' time zone (naive ones are taken as local)."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, OFFICE_TIME_ZONE)


def display_text(value):
    """``value`` as a German-speaking editor should read it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Ja") if value else _("Nein")
    if isinstance(value, datetime.datetime):
        return formats.date_format(local(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "TIME_FORMAT")
    return formats.localize(value)


class ValueDisplay(BaseFieldDisplay):
    """A field's value in an inspect view (see ``display_text``)."""

    def render_html(self, parent_context=None):
        return conditional_escape(display_text(self.value))


class ReadableInspectView(SnippetInspectView):
    """The inspect view of a snippet with every value through ``display_text``: also the
    values Wagtail takes from ``get_<field>_display()`` before any display class is asked
    (a choice field without a value answers ``None`` there)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, Component):
            return value
        return display_text(value)


class YesNoColumn(Column):
    """A boolean column that reads "Ja"/"Nein" (Wagtail's ``BooleanColumn`` shows an icon
    whose only text is Python's ``True``/``False``)."""

    def get_value(self, instance):
        return display_text(super().get_value(instance))


def register_value_displays():
    """Every model field of every inspect view goes through ``display_text``. Foreign keys
    to images and documents keep Wagtail's own display (a thumbnail, a link)."""
    register_display_class(models.Field, display_class=ValueDisplay)
    register_display_class(models.ForeignKey, to=models.Model, display_class=ValueDisplay)


def _xlsx_datetime(value):
    # openpyxl cannot store a time zone: write the Berlin wall-clock time.
    return timezone.make_naive(value, OFFICE_TIME_ZONE) if timezone.is_aware(value) else value


def _csv_datetime(value):
    return date_format_string(local(value), "d.m.Y H:i")


def _yes_no(value):
    return force_str(display_text(value))


def localise_spreadsheet_exports():
    """Wagtail's CSV/XLSX exports (site history, reports, snippet listings, form
    submissions) write times in UTC and booleans as ``True``/``False``. Its export mixin
    looks up the conversion of a value by type in ``custom_value_preprocess`` (a class
    attribute no view of ours or Wagtail's replaces): give it Berlin time and "Ja"/"Nein".
    Assigning to the existing ``datetime`` key keeps it ahead of the ``date`` key."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    csv, xlsx = SpreadsheetExportMixin.FORMAT_CSV, SpreadsheetExportMixin.FORMAT_XLSX
    table = SpreadsheetExportMixin.custom_value_preprocess
    table[datetime.datetime] = {csv: _csv_datetime, xlsx: _xlsx_datetime}
    table[bool] = {csv: _yes_no, xlsx: _yes_no}
