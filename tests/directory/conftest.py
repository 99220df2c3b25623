"""Directory test data, created once per session on top of the provisioned network.

Offices Alpha and Beta each look after some groups; one of Alpha's groups is for relatives
of people with alcohol problems, with internal contact values that must never appear in a
public response (``INTERNAL_VALUES``).
"""

import datetime

import pytest

INTERNAL_VALUES = {
    "internal_contact_name": "Erika Verborgen-Mustermann",
    "internal_phone": "0170 55501234",
    "internal_email": "erika.verborgen@privat.example",
    "internal_notes": "Schlüssel liegt bei Frau Nachbarin XQZ",
}

#: Beta's internal contact values (see ``django_db_setup``).
BETA_INTERNAL = ["Bernd Beta-Intern", "0171 0000007", "bernd.intern@beta.example"]

#: The public response bodies of the running test, collected by ``public_get``/``post``;
#: after each test ``_public_bodies_hold_no_internal_data`` checks them, whatever the order.
PUBLIC_BODIES = []


def internal_values():
    values = [*INTERNAL_VALUES.values(), *BETA_INTERNAL]
    # Also the forms a template might produce: without spaces (tel: links), escaped.
    values += [v.replace(" ", "") for v in values]
    return values


@pytest.fixture(autouse=True)
def _public_bodies_hold_no_internal_data():
    """Every public response a directory test fetched is free of internal contact data."""
    PUBLIC_BODIES.clear()
    yield
    leaks = [(url, v) for url, body in PUBLIC_BODIES for v in internal_values() if v in body]
    PUBLIC_BODIES.clear()
    assert not leaks, leaks


TOPICS = [
    # slug, name, parent slug, synonyms, related terms
    ("sucht", "Sucht", None, "Abhängigkeit\nSuchterkrankung", ""),
    ("alkohol", "Alkohol", "sucht", "trinken\nAlkoholismus\nTrinker\nsaufen", "Co-Abhängigkeit"),
    ("gluecksspiel", "Glücksspiel", "sucht", "Spielsucht\nzocken", ""),
    ("depression", "Depression", None, "Niedergeschlagenheit\nantriebslos", "Burnout"),
    ("trauer", "Trauer", None, "Verlust\nverwaist\ntrauern", ""),
]


def _make_group(topics, **fields):
    from directory.models import SelfHelpGroup

    group = SelfHelpGroup(**fields)
    group.save()
    group.topics.set(topics)
    group.save()
    return group


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from directory.models import Rhythm, SelfHelpGroup, Status, Topic
    from directory.search_terms import TOPIC_SEARCH_TERMS
    from sites.models import Office

    with django_db_blocker.unblock():
        if Topic.objects.exists():
            return
        topics = {}
        for slug, name, parent, synonyms, related in TOPICS:
            topics[slug] = Topic.objects.create(
                slug=slug,
                name=name,
                parent=topics.get(parent),
                synonyms=synonyms,
                related_terms=related,
                # The shipped search terms per language ("alcohol", "alkol", "كحول").
                search_terms=TOPIC_SEARCH_TERMS.get(slug, {}),
            )
        alpha = Office.objects.get(site__hostname="alpha.localhost")
        beta = Office.objects.get(site__hostname="beta.localhost")
        today = datetime.date.today()
        common = {
            "rhythm": Rhythm.WEEKLY,
            "weekday": 1,
            "starts_at": datetime.time(19, 0),
            "ends_at": datetime.time(21, 0),
            "city": "Berlin",
            "last_verified": today,
        }
        _make_group(
            [topics["alkohol"]],
            name="Angehörigengruppe Alkohol Moabit",
            office=alpha,
            description="Wir sind Partnerinnen, Eltern und Kinder von Menschen, die zu viel "
            "trinken. Wir sprechen offen und vertraulich.",
            audience="relatives",
            district="Moabit",
            street="Perleberger Straße 44",
            postcode="10559",
            step_free_access=True,
            public_contact_name="Gruppe AM",
            public_email="angehoerige-moabit@example.org",
            public_contact_consent_date=today,
            **INTERNAL_VALUES,
            **common,
        )
        _make_group(
            [topics["alkohol"]],
            name="Trockene Alkoholiker Wedding",
            office=alpha,
            description="Für Menschen, die mit dem Trinken aufhören wollen.",
            audience="affected",
            district="Wedding",
            **{**common, "weekday": 3, "starts_at": datetime.time(10, 0), "ends_at": None},
        )
        _make_group(
            [topics["depression"]],
            name="Depression gemeinsam tragen",
            office=alpha,
            description="Austausch bei Depressionen und Erschöpfung.",
            audience="affected",
            district="Moabit",
            format="online",
            status=Status.FOUNDING,
            languages="de en",
            **common,
        )
        _make_group(
            [topics["trauer"]],
            name="Beendete Trauergruppe",
            office=alpha,
            status=Status.ENDED,
            district="Moabit",
            **common,
        )
        draft = _make_group(
            [topics["trauer"]],
            name="Entwurf Geheimgruppe",
            office=alpha,
            district="Moabit",
            **common,
        )
        SelfHelpGroup.objects.filter(pk=draft.pk).update(live=False)
        _make_group(
            [topics["trauer"]],
            name="Trauercafé Beta",
            office=beta,
            description="Für Menschen, die einen Angehörigen verloren haben.",
            audience="both",
            district="Nordend",
            internal_contact_name="Bernd Beta-Intern",
            internal_phone="0171 0000007",
            internal_email="bernd.intern@beta.example",
            **{**common, "last_verified": today - datetime.timedelta(days=400)},
        )
        _make_group(
            [topics["gluecksspiel"]],
            name="Spielerselbsthilfe Beta",
            office=beta,
            audience="both",
            district="Nordend",
            **{**common, "last_verified": None},
        )


def group(name):
    from directory.models import SelfHelpGroup

    return SelfHelpGroup.objects.get(name=name)


def public_get(client, url, **extra):
    response = client.get(url, **extra)
    if response.streaming:
        # Read the stream for the privacy check and hand the same bytes on to the test.
        body = b"".join(response.streaming_content)
        response.streaming_content = [body]
    else:
        body = response.content
    PUBLIC_BODIES.append((url, body.decode("utf-8", "replace")))
    return response


def public_post(client, url, data, **extra):
    response = client.post(url, data, **extra)
    PUBLIC_BODIES.append((url, response.content.decode("utf-8", "replace")))
    return response


@pytest.fixture(autouse=True)
def fresh_directory_counts():
    """Each test starts with no cached directory counts: a test's writes are rolled back
    afterwards without any signal, so counts it cached must not reach the next test."""
    from directory.search import forget_counts

    forget_counts()
