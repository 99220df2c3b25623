"""Labels of Django choices, fast enough for lists.

``Model.get_FOO_display()`` rebuilds a dict of the whole choice list on every call and
hashes each (lazily translated) label, which translates every label each time. On a
listing of 20 events that was a sixth of the page's render time. ``label_of`` looks the
value up in the ``TextChoices``/``IntegerChoices`` enum instead and translates one label.
"""


def label_of(choices, value):
    """The label of ``value`` in the enum ``choices``; the value itself if unknown."""
    try:
        return choices(value).label
    except ValueError:
        return value
