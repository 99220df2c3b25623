"""Days on which an office is closed although its weekly hours say open: the public
holidays of its state (Bundesland) and the closure periods it enters itself.

Holidays come from the ``holidays`` library (maintained, with the state-specific days
such as Frauentag in Berlin or Fronleichnam in Bavaria) in German, so that the public
site can say "Heute geschlossen (Erster Weihnachtstag)".
"""

import functools

import holidays
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """The German states with the codes of ISO 3166-2:DE (as ``holidays`` uses them)."""

    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bayern")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hessen")
    MV = "MV", _("Mecklenburg-Vorpommern")
    NI = "NI", _("Niedersachsen")
    NW = "NW", _("Nordrhein-Westfalen")
    RP = "RP", _("Rheinland-Pfalz")
    SL = "SL", _("Saarland")
    SN = "SN", _("Sachsen")
    ST = "ST", _("Sachsen-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thüringen")


def default_state():
    """The state new offices are in (``OFFICE_DEFAULT_STATE``, Berlin if unset)."""
    state = getattr(settings, "OFFICE_DEFAULT_STATE", "") or State.BE
    return state if state in State.values else State.BE


@functools.lru_cache(maxsize=128)
def _holidays(state, year):
    return dict(holidays.country_holidays("DE", subdiv=state, years=year, language="de"))


def holiday_name(state, day):
    """The name of the public holiday on ``day`` in ``state``, or None."""
    return _holidays(state or State.BE, day.year).get(day)
