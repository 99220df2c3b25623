"""Recurrence rules (RFC 5545) built from the friendly fields editors fill in.

Everything here works in *wall-clock* time of Europe/Berlin: the rule is expanded on naive
local datetimes and each occurrence is localised afterwards. That is what keeps a weekly
meeting at 18:00 on both sides of a daylight-saving change (expanding in UTC would move
it to 17:00 or 19:00, the bug calendar exports of other systems show).
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil import rrule

BERLIN = ZoneInfo("Europe/Berlin")

#: Python weekday number → dateutil weekday / RFC 5545 BYDAY code.
WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
BYDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

NONE = "none"
WEEKLY = "weekly"
MONTHLY_WEEKDAY = "monthly_weekday"


@dataclass
class Rule:
    """A recurrence as editors describe it, independent of the page model.

    ``start`` and ``end`` are naive wall-clock datetimes in Europe/Berlin (for all-day
    events: midnight of the first day and midnight after the last day).
    """

    start: datetime.datetime
    end: datetime.datetime
    frequency: str = NONE
    interval: int = 1
    ordinal: int | None = None
    until: datetime.date | None = None
    count: int | None = None
    all_day: bool = False
    exdates: list[datetime.date] = field(default_factory=list)
    rdates: list[datetime.datetime] = field(default_factory=list)

    @property
    def duration(self):
        return self.end - self.start

    @property
    def is_recurring(self):
        return self.frequency != NONE

    def rrule_kwargs(self):
        """Keyword arguments for :class:`dateutil.rrule.rrule` (without dtstart/until)."""
        weekday = self.start.weekday()
        if self.frequency == WEEKLY:
            return {"freq": rrule.WEEKLY, "interval": self.interval, "byweekday": weekday}
        if self.frequency == MONTHLY_WEEKDAY:
            return {
                "freq": rrule.MONTHLY,
                "interval": self.interval,
                "byweekday": WEEKDAYS[weekday](self.ordinal),
            }
        raise ValueError(f"not a recurring rule: {self.frequency}")

    def local_until(self):
        """The last moment (naive local) an occurrence may start: end of the until day."""
        if self.until is None:
            return None
        return datetime.datetime.combine(self.until, datetime.time(23, 59, 59))

    def rule_set(self, with_exdates=True):
        """The full set: rule, extra dates (RDATE) minus cancelled dates (EXDATE)."""
        rules = rrule.rruleset()
        if self.is_recurring:
            rules.rrule(
                rrule.rrule(
                    dtstart=self.start,
                    until=self.local_until(),
                    count=self.count,
                    **self.rrule_kwargs(),
                )
            )
        else:
            rules.rdate(self.start)
        for extra in self.rdates:
            rules.rdate(extra)
        if with_exdates:
            for day in self.exdates:
                rules.exdate(self.exdate_moment(day))
        return rules

    def exdate_moment(self, day):
        """EXDATE applies to the occurrence starting on ``day`` at the usual time."""
        return datetime.datetime.combine(day, self.start.time())

    def first_rule_date(self):
        """The first date the rule itself produces (for validating the start date)."""
        if not self.is_recurring:
            return self.start
        first = rrule.rrule(dtstart=self.start, count=1, **self.rrule_kwargs())
        return next(iter(first), None)

    def occurrences(self, window_start, window_end, include_cancelled=False):
        """Occurrences starting in ``[window_start, window_end)`` as aware
        ``(start, end, cancelled)`` tuples. Window bounds may be aware or naive local.

        Only the window is expanded, so an open-ended weekly rule costs as much as its
        occurrences inside the window, never "every week until forever".
        """
        lo = _naive_local(window_start)
        hi = _naive_local(window_end)
        found = dict.fromkeys(self.rule_set().between(lo, hi, inc=True), False)
        if include_cancelled:
            for day in self.exdates:
                moment = self.exdate_moment(day)
                if lo <= moment <= hi and self._rule_contains(moment):
                    found[moment] = True
        result = []
        for moment in sorted(found):
            if moment == hi:
                continue
            result.append((localise(moment), localise(moment + self.duration), found[moment]))
        return result

    def _rule_contains(self, moment):
        return moment in self.rule_set(with_exdates=False).between(moment, moment, inc=True)

    def ical_rrule(self):
        """The RRULE as a dict for :mod:`icalendar` (``UNTIL``/``COUNT`` inside it).

        With a ``TZID`` start, RFC 5545 wants UNTIL in UTC; for all-day events a DATE.
        """
        if not self.is_recurring:
            return None
        value = {"FREQ": "WEEKLY" if self.frequency == WEEKLY else "MONTHLY"}
        if self.interval and self.interval > 1:
            value["INTERVAL"] = self.interval
        code = BYDAY_CODES[self.start.weekday()]
        value["BYDAY"] = code if self.frequency == WEEKLY else f"{self.ordinal}{code}"
        if self.until is not None:
            if self.all_day:
                value["UNTIL"] = self.until
            else:
                value["UNTIL"] = localise(self.local_until()).astimezone(datetime.UTC)
        elif self.count:
            value["COUNT"] = self.count
        return value


def localise(naive):
    """Attach Europe/Berlin to a naive wall-clock datetime.

    A time that does not exist (02:30 on the last Sunday of March) is moved forward by the
    gap, as calendar apps do; an ambiguous one (October) takes the first (summer) instant.
    """
    aware = naive.replace(tzinfo=BERLIN)
    round_trip = aware.astimezone(datetime.UTC).astimezone(BERLIN)
    if round_trip.replace(tzinfo=None) != naive:
        return round_trip
    return aware


def _naive_local(moment):
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(BERLIN).replace(tzinfo=None)
