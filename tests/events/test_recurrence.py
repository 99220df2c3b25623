"""Recurrence rules expanded in Europe/Berlin wall-clock time (no database needed)."""

import datetime

from events.recurrence import BERLIN, MONTHLY_WEEKDAY, WEEKLY, Rule

D = datetime.datetime


def weekly(start, **kwargs):
    return Rule(start=start, end=start + datetime.timedelta(hours=2), frequency=WEEKLY, **kwargs)


def local_times(occurrences):
    return [(s.astimezone(BERLIN).date(), s.astimezone(BERLIN).time()) for s, _e, _c in occurrences]


def test_a_weekly_1800_meeting_stays_at_1800_across_the_spring_change():
    # 2027: summer time starts on Sunday 28 March.
    rule = weekly(D(2027, 3, 16, 18, 0), count=4)
    occurrences = rule.occurrences(D(2027, 3, 1), D(2027, 5, 1))
    assert [t for _d, t in local_times(occurrences)] == [datetime.time(18, 0)] * 4
    utc_hours = [s.astimezone(datetime.UTC).hour for s, _e, _c in occurrences]
    assert utc_hours == [17, 17, 16, 16]
    # The end keeps the two-hour duration in local time, too.
    assert all(e - s == datetime.timedelta(hours=2) for s, e, _c in occurrences)


def test_a_weekly_1800_meeting_stays_at_1800_across_the_autumn_change():
    # 2027: summer time ends on Sunday 31 October.
    rule = weekly(D(2027, 10, 19, 18, 0), until=datetime.date(2027, 11, 9))
    occurrences = rule.occurrences(D(2027, 10, 1), D(2027, 12, 1))
    assert local_times(occurrences) == [
        (datetime.date(2027, 10, 19), datetime.time(18)),
        (datetime.date(2027, 10, 26), datetime.time(18)),
        (datetime.date(2027, 11, 2), datetime.time(18)),
        (datetime.date(2027, 11, 9), datetime.time(18)),
    ]
    assert [s.utcoffset() for s, _e, _c in occurrences] == [
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=1),
    ]


def test_every_second_week_skips_the_weeks_between():
    rule = weekly(D(2027, 1, 5, 10), interval=2, count=3)
    dates = [d for d, _t in local_times(rule.occurrences(D(2027, 1, 1), D(2027, 12, 31)))]
    assert dates == [
        datetime.date(2027, 1, 5),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 2, 2),
    ]


def test_the_second_tuesday_of_every_month():
    start = D(2027, 1, 12, 18)  # the 2nd Tuesday of January 2027
    rule = Rule(
        start=start,
        end=start + datetime.timedelta(hours=1),
        frequency=MONTHLY_WEEKDAY,
        ordinal=2,
        count=4,
    )
    dates = [d for d, _t in local_times(rule.occurrences(D(2027, 1, 1), D(2028, 1, 1)))]
    assert dates == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 2, 9),
        datetime.date(2027, 3, 9),
        datetime.date(2027, 4, 13),
    ]
    assert rule.ical_rrule() == {"FREQ": "MONTHLY", "BYDAY": "2TU", "COUNT": 4}


def test_the_last_friday_of_the_month():
    start = D(2027, 1, 29, 15)
    rule = Rule(start=start, end=start, frequency=MONTHLY_WEEKDAY, ordinal=-1, count=3)
    dates = [d for d, _t in local_times(rule.occurrences(D(2027, 1, 1), D(2028, 1, 1)))]
    assert dates == [
        datetime.date(2027, 1, 29),
        datetime.date(2027, 2, 26),
        datetime.date(2027, 3, 26),
    ]


def test_cancelled_dates_are_left_out_or_marked_and_extra_dates_added():
    rule = weekly(
        D(2027, 3, 2, 18),
        count=4,
        exdates=[datetime.date(2027, 3, 9)],
        rdates=[D(2027, 3, 11, 19, 30)],
    )
    plain = local_times(rule.occurrences(D(2027, 3, 1), D(2027, 4, 1)))
    assert plain == [
        (datetime.date(2027, 3, 2), datetime.time(18)),
        (datetime.date(2027, 3, 11), datetime.time(19, 30)),
        (datetime.date(2027, 3, 16), datetime.time(18)),
        (datetime.date(2027, 3, 23), datetime.time(18)),
    ]
    marked = rule.occurrences(D(2027, 3, 1), D(2027, 4, 1), include_cancelled=True)
    assert [(s.day, cancelled) for s, _e, cancelled in marked] == [
        (2, False),
        (9, True),
        (11, False),
        (16, False),
        (23, False),
    ]


def test_a_cancelled_date_that_is_not_a_meeting_day_changes_nothing():
    rule = weekly(D(2027, 3, 2, 18), count=2, exdates=[datetime.date(2027, 3, 3)])
    marked = rule.occurrences(D(2027, 3, 1), D(2027, 4, 1), include_cancelled=True)
    assert [c for _s, _e, c in marked] == [False, False]


def test_until_is_inclusive_of_the_last_day_and_count_limits_the_series():
    until = weekly(D(2027, 5, 4, 18), until=datetime.date(2027, 5, 18))
    assert len(until.occurrences(D(2027, 1, 1), D(2028, 1, 1))) == 3
    count = weekly(D(2027, 5, 4, 18), count=5)
    assert len(count.occurrences(D(2027, 1, 1), D(2028, 1, 1))) == 5


def test_an_open_ended_rule_is_only_expanded_inside_the_window():
    rule = weekly(D(2027, 1, 5, 18))
    occurrences = rule.occurrences(D(2027, 1, 1), D(2027, 2, 1))
    assert len(occurrences) == 4


def test_until_in_the_ical_rule_is_utc_and_a_date_for_all_day_events():
    timed = weekly(D(2027, 3, 2, 18), until=datetime.date(2027, 6, 29))
    value = timed.ical_rrule()
    assert value["UNTIL"] == D(2027, 6, 29, 21, 59, 59, tzinfo=datetime.UTC)
    assert "COUNT" not in value
    all_day = Rule(
        start=D(2027, 3, 2),
        end=D(2027, 3, 3),
        frequency=WEEKLY,
        until=datetime.date(2027, 6, 29),
        all_day=True,
    )
    assert all_day.ical_rrule()["UNTIL"] == datetime.date(2027, 6, 29)


def test_a_start_in_the_spring_gap_moves_forward_by_the_gap():
    rule = Rule(start=D(2027, 3, 28, 2, 30), end=D(2027, 3, 28, 4, 0))
    ((start, _end, _c),) = rule.occurrences(D(2027, 3, 27), D(2027, 3, 29))
    assert start.astimezone(BERLIN).time() == datetime.time(3, 30)


def test_the_first_rule_date_shows_when_the_start_does_not_fit_the_rule():
    start = D(2027, 1, 19, 18)  # the 3rd Tuesday
    rule = Rule(start=start, end=start, frequency=MONTHLY_WEEKDAY, ordinal=2)
    assert rule.first_rule_date() == D(2027, 2, 9, 18)
