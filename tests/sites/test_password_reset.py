"""The admin's password-reset mail: automatic headers and a working https link to the
office site where the editor asked for it."""

import re
from email import message_from_bytes, policy

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_the_reset_mail_links_to_the_office_site_and_the_link_works(client, users, settings):
    settings.PUBLIC_URL_SCHEME = "https"
    response = client.post(
        "/admin/password_reset/", {"email": "editor-alpha@example.org"}, HTTP_HOST="alpha.localhost"
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert not str(parsed["Date"]).endswith("-0000")
    link = re.search(r"https://alpha\.localhost(/admin/password_reset/confirm/\S+/)", message.body)
    assert link, message.body

    opened = client.get(link.group(1), HTTP_HOST="alpha.localhost", secure=True, follow=True)
    assert opened.status_code == 200
    assert 'name="new_password1"' in opened.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(
        "/admin/password_reset/", {"email": "nobody@example.org"}, HTTP_HOST="alpha.localhost"
    )
    assert response.status_code == 302
    assert mail.outbox == []
