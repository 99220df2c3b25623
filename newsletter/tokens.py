"""Signed links in mails: confirmation (expires) and personal links (do not expire).

Personal links (unsubscribe, preferences) must keep working for as long as an issue sits in
a mailbox, so they carry no timestamp; they include the subscriber's ``key`` so that they
stop working once the person is erased (a new sign-up gets a new key).
"""

import re

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
PERSONAL_SALT = "newsletter.personal"


def confirm_max_age():
    return getattr(settings, "NEWSLETTER_CONFIRM_MAX_AGE", 7 * 24 * 3600)


def make_confirm_token(subscriber, subscription_ids):
    return signing.dumps(
        {"s": subscriber.pk, "k": subscriber.key, "l": sorted(subscription_ids)},
        salt=CONFIRM_SALT,
        compress=True,
    )


#: What ``Subscriber.key`` looks like (``secrets.token_urlsafe``), with room to spare.
KEY_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _is_id(value):
    # bool is an int subclass; a signed ``true`` is no primary key.
    return type(value) is int and 0 < value < 2**63


def _is_key(value):
    return isinstance(value, str) and KEY_RE.fullmatch(value) is not None


def read_confirm_token(token):
    """``(subscriber_id, key, subscription_ids)``; raises ``signing.BadSignature`` (or its
    subclass ``SignatureExpired``).

    A validly signed payload of another shape (an old format, a token of another salt's
    shape, a bug) is as bad as a forged one: the views answer both with a message page,
    and no value of a wrong type reaches a query.
    """
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
    if not (
        isinstance(data, dict)
        and _is_id(data.get("s"))
        and _is_key(data.get("k"))
        and isinstance(data.get("l"), list)
        and len(data["l"]) <= 100
        and all(_is_id(item) for item in data["l"])
    ):
        raise signing.BadSignature("malformed")
    return data["s"], data["k"], data["l"]


def personal_signer():
    """One signer for many tokens (a send signs two per recipient)."""
    return signing.TimestampSigner(salt=PERSONAL_SALT)


def make_personal_token(subscriber, mailing_list=None, signer=None):
    payload = [subscriber.pk, subscriber.key]
    if mailing_list is not None:
        payload.append(mailing_list.pk)
    return (signer or personal_signer()).sign_object(payload)


def read_personal_token(token):
    """``(subscriber_id, key, list_id or None)``; raises ``signing.BadSignature``."""
    data = signing.loads(token, salt=PERSONAL_SALT)
    if not (
        isinstance(data, list)
        and len(data) in (2, 3)
        and _is_id(data[0])
        and _is_key(data[1])
        and (len(data) == 2 or _is_id(data[2]))
    ):
        raise signing.BadSignature("malformed")
    return data[0], data[1], (data[2] if len(data) == 3 else None)


TEST_SALT = "newsletter.test"


def make_test_token(email):
    """The token in the personal links of a test send: the tester's own address, signed.

    It is a real token (nobody can forge one for another address), but it names no
    subscriber: the views recognise it and explain that the mail was a test.
    """
    return signing.dumps({"t": (email or "").strip()}, salt=TEST_SALT, compress=True)


def read_test_token(token):
    """The address of a test token, or None when ``token`` is no valid test token."""
    try:
        data = signing.loads(token, salt=TEST_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        return None
    return data["t"]
