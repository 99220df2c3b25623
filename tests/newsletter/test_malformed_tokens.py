"""Validly signed tokens of the wrong shape get a German message page (400/404), never a
server error, and change nothing: signed with the real signers and salts, so only the
payload is wrong (an old format, a type mix-up, a value a database refuses)."""

import pytest
from django.core import signing

from newsletter.models import Subscription, SubscriptionEvent, SubscriptionStatus
from newsletter.tokens import CONFIRM_SALT, personal_signer

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db

HUGE = 2**70
#: ``{subscriber_pk}`` and ``{key}`` are filled with a real subscriber's values, so that
#: only the malformed part can be what the view refuses.
CONFIRM_PAYLOADS = {
    "list": [1, "abc", [1]],
    "string": "s",
    "missing-keys": {"s": "{subscriber_pk}"},
    "id-as-string": {"s": "1", "k": "{key}", "l": []},
    "id-as-bool": {"s": True, "k": "{key}", "l": []},
    "huge-id": {"s": HUGE, "k": "{key}", "l": []},
    "key-with-nul": {"s": "{subscriber_pk}", "k": "a\x00b", "l": []},
    "key-as-list": {"s": "{subscriber_pk}", "k": ["{key}"], "l": []},
    "ids-as-string": {"s": "{subscriber_pk}", "k": "{key}", "l": "1,2"},
    "ids-of-dicts": {"s": "{subscriber_pk}", "k": "{key}", "l": [{"x": 1}]},
    "huge-list-id": {"s": "{subscriber_pk}", "k": "{key}", "l": [HUGE]},
}
PERSONAL_PAYLOADS = {
    "dict": {"s": "{subscriber_pk}", "k": "{key}"},
    "one-item": ["{subscriber_pk}"],
    "four-items": ["{subscriber_pk}", "{key}", 1, 2],
    "none": None,
    "id-as-string": ["1", "{key}"],
    "huge-id": [HUGE, "{key}"],
    "key-as-number": ["{subscriber_pk}", 12345],
    "key-with-nul": ["{subscriber_pk}", "a\x00b"],
    "list-id-as-string": ["{subscriber_pk}", "{key}", "x"],
    "list-id-huge": ["{subscriber_pk}", "{key}", HUGE],
    "list-id-as-list": ["{subscriber_pk}", "{key}", [1]],
}


def fill(value, subscriber):
    if value == "{subscriber_pk}":
        return subscriber.pk
    if value == "{key}":
        return subscriber.key
    if isinstance(value, list):
        return [fill(item, subscriber) for item in value]
    if isinstance(value, dict):
        return {k: fill(v, subscriber) for k, v in value.items()}
    return value


def assert_refused_with_a_message(response):
    assert response.status_code in (400, 404)
    assert [t.name for t in response.templates][0] == "newsletter/message.html"
    assert "Link ungültig" in response.content.decode()


def snapshot():
    return (
        sorted(Subscription.objects.values_list("pk", "status")),
        SubscriptionEvent.objects.count(),
    )


@pytest.mark.parametrize("shape", CONFIRM_PAYLOADS)
def test_a_signed_confirmation_token_of_the_wrong_shape_is_refused(visitor, state_list, shape):
    subscriber = make_subscriber("anna@example.org", state_list, SubscriptionStatus.PENDING)
    payload = fill(CONFIRM_PAYLOADS[shape], subscriber)
    token = signing.dumps(payload, salt=CONFIRM_SALT, compress=True)
    before = snapshot()
    assert_refused_with_a_message(visitor.get(f"/newsletter/bestaetigen/{token}/"))
    assert_refused_with_a_message(visitor.post(f"/newsletter/bestaetigen/{token}/"))
    assert snapshot() == before


@pytest.mark.parametrize("view", ["abmelden", "einstellungen"])
@pytest.mark.parametrize("shape", PERSONAL_PAYLOADS)
def test_a_signed_personal_token_of_the_wrong_shape_is_refused(visitor, state_list, view, shape):
    subscriber = make_subscriber("anna@example.org", state_list)
    token = personal_signer().sign_object(fill(PERSONAL_PAYLOADS[shape], subscriber))
    before = snapshot()
    assert_refused_with_a_message(visitor.get(f"/newsletter/{view}/{token}/"))
    response = visitor.post(f"/newsletter/{view}/{token}/", {"lists": [state_list.pk]})
    assert_refused_with_a_message(response)
    assert snapshot() == before
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED


def test_the_well_formed_tokens_of_the_same_subscriber_still_work(visitor, state_list):
    """The refusals above are about the shape, not about the subscriber."""
    subscriber = make_subscriber("anna@example.org", state_list)
    token = personal_signer().sign_object([subscriber.pk, subscriber.key, state_list.pk])
    assert visitor.get(f"/newsletter/abmelden/{token}/").status_code == 200
    assert visitor.get(f"/newsletter/einstellungen/{token}/").status_code == 200
