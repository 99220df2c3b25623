"""Unsubscribing, preferences and the coordinators' data-rights views."""

import json

import pytest

from newsletter.mail import personal_urls
from newsletter.models import Subscriber, Subscription, SubscriptionStatus
from newsletter.tokens import make_personal_token, make_test_token

from .conftest import assert_denied, make_subscriber

pytestmark = pytest.mark.django_db


def _unsubscribe_path(subscriber, mailing_list=None):
    return f"/newsletter/abmelden/{make_personal_token(subscriber, mailing_list)}/"


def _preferences_path(subscriber):
    return f"/newsletter/einstellungen/{make_personal_token(subscriber)}/"


class TestUnsubscribing:
    def test_opening_the_link_shows_a_button_and_unsubscribes_nobody(self, visitor, state_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        response = visitor.get(_unsubscribe_path(subscriber, state_list))
        assert response.status_code == 200
        assert "Ja, abmelden" in response.content.decode()
        assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED

    def test_the_button_unsubscribes_from_that_list_only(self, client, state_list, alpha_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        Subscription.objects.create(
            subscriber=subscriber,
            mailing_list=alpha_list,
            status=SubscriptionStatus.CONFIRMED,
            requested_at=subscriber.created_at,
            consent_text=Subscription.objects.get().consent_text,
            consent_version=1,
            consent_copy="x",
        )
        client.enforce_csrf_checks = True
        response = client.post(
            _unsubscribe_path(subscriber, state_list), HTTP_HOST="alpha.localhost"
        )
        assert response.status_code == 200
        statuses = dict(Subscription.objects.values_list("mailing_list__name", "status"))
        assert statuses == {
            "Landesnewsletter": SubscriptionStatus.UNSUBSCRIBED,
            "Neues aus Alpha": SubscriptionStatus.CONFIRMED,
        }
        subscription = Subscription.objects.get(mailing_list=state_list)
        assert subscription.unsubscribe_method == "link"
        assert subscription.events.last().kind == "unsubscribed"

    @pytest.mark.parametrize("token", ["kaputt", "WzEsImFiYyJd:1xV:abc"])
    def test_a_broken_link_gets_a_clear_answer_not_an_error(self, visitor, token):
        for path in (f"/newsletter/abmelden/{token}/", f"/newsletter/einstellungen/{token}/"):
            response = visitor.get(path)
            assert response.status_code == 404
            assert "ungültig" in response.content.decode()
        assert visitor.post(f"/newsletter/abmelden/{token}/").status_code == 404

    def test_links_of_a_test_mail_explain_that_they_are_inert(self, visitor, state_list):
        tester = make_subscriber("pruefung@example.org", state_list)
        token = make_test_token("pruefung@example.org")
        for path in (f"/newsletter/abmelden/{token}/", f"/newsletter/einstellungen/{token}/"):
            response = visitor.get(path)
            assert response.status_code == 200
            content = response.content.decode()
            assert "Testausgabe" in content and "pruefung@example.org" in content
        # A one-click POST of a test link (the provider's button) changes nothing either,
        # not even for a tester who is subscribed under the same address.
        response = visitor.post(f"/newsletter/abmelden/{token}/", {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        subscription = Subscription.objects.get(subscriber=tester)
        assert subscription.status == SubscriptionStatus.CONFIRMED
        assert not subscription.events.filter(kind="unsubscribed").exists()

    def test_a_test_token_cannot_be_turned_into_a_personal_one(self, visitor, state_list):
        make_subscriber("pruefung@example.org", state_list)
        forged = make_test_token("pruefung@example.org")[:-2] + "xx"
        response = visitor.get(f"/newsletter/abmelden/{forged}/")
        assert response.status_code == 404
        assert "ungültig" in response.content.decode()

    def test_other_methods_are_refused(self, visitor, state_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        assert visitor.put(_unsubscribe_path(subscriber, state_list)).status_code == 405


class TestPreferences:
    def test_a_subscriber_changes_language_and_lists_through_their_link(
        self, client, state_list, alpha_list
    ):
        subscriber = make_subscriber("anna@example.org", state_list)
        client.defaults["HTTP_HOST"] = "land.localhost"
        path = _preferences_path(subscriber)
        page = client.get(path)
        assert page.status_code == 200
        assert "Landesnewsletter" in page.content.decode()

        response = client.post(path, {"language": "en", "lists": []})
        assert response.status_code == 200
        assert "gespeichert" in response.content.decode()
        subscriber.refresh_from_db()
        assert subscriber.language == "en"
        assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED

        client.post(path, {"language": "en", "lists": [state_list.pk]})
        subscription = Subscription.objects.get()
        assert subscription.status == SubscriptionStatus.CONFIRMED
        assert subscription.source_url == "preferences"

    def test_lists_of_offices_the_person_never_chose_are_not_offered(
        self, client, state_list, alpha_list
    ):
        subscriber = make_subscriber("anna@example.org", state_list)
        response = client.post(
            _preferences_path(subscriber),
            {"language": "de", "lists": [alpha_list.pk]},
            HTTP_HOST="land.localhost",
        )
        assert response.status_code == 400
        assert not Subscription.objects.filter(mailing_list=alpha_list).exists()

    def test_personal_links_stop_working_once_the_person_is_erased(self, visitor, state_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        path = _preferences_path(subscriber)
        subscriber.delete()
        again = make_subscriber("anna@example.org", state_list)
        assert again.pk != subscriber.pk or again.key != subscriber.key
        assert visitor.get(path).status_code == 404


class TestDataRights:
    def test_a_coordinator_exports_everything_stored_about_a_subscriber(
        self, coordinator_client, state_list
    ):
        subscriber = make_subscriber("anna@example.org", state_list)
        response = coordinator_client.get(f"/admin/newsletter/abonnenten/{subscriber.pk}/export/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        data = json.loads(response.content)
        assert data["email"] == "anna@example.org"
        assert data["subscriptions"][0]["consent_text"]
        assert data["subscriptions"][0]["confirmed_at"]
        assert data["ip_addresses"] == "nicht gespeichert"

    def test_a_coordinator_finds_and_erases_a_subscriber(self, coordinator_client, state_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        listing = coordinator_client.get("/admin/newsletter/abonnenten/?q=anna")
        assert "anna@example.org" in listing.content.decode()
        detail = coordinator_client.get(f"/admin/newsletter/abonnenten/{subscriber.pk}/")
        assert detail.status_code == 200
        erase_url = f"/admin/newsletter/abonnenten/{subscriber.pk}/loeschen/"
        assert coordinator_client.get(erase_url).status_code == 200
        assert Subscriber.objects.exists()
        response = coordinator_client.post(erase_url)
        assert response.status_code == 302
        assert not Subscriber.objects.exists()
        assert not Subscription.objects.exists()

    @pytest.mark.parametrize("suffix", ["{pk}/", "{pk}/export/", "{pk}/loeschen/"])
    def test_an_office_editor_gets_no_subscriber_data(self, editor_a, state_list, suffix):
        subscriber = make_subscriber("anna@example.org", state_list)
        url = "/admin/newsletter/abonnenten/" + suffix.format(pk=subscriber.pk)
        assert_denied(editor_a.get(url))
        assert_denied(editor_a.post(url))
        assert Subscriber.objects.exists()
        # The office's own subscriber list does not show the state-wide list's people.
        listing = editor_a.get("/admin/newsletter/abonnenten/?q=anna")
        assert listing.status_code == 200
        assert "anna@example.org" not in listing.content.decode()

    def test_an_anonymous_visitor_is_sent_to_the_login(self, visitor, state_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        response = visitor.get(f"/admin/newsletter/abonnenten/{subscriber.pk}/export/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_personal_urls_point_to_the_lists_site(self, state_list):
        subscriber = make_subscriber("anna@example.org", state_list)
        unsubscribe, preferences = personal_urls("http://land.localhost", subscriber, state_list)
        assert unsubscribe.startswith("http://land.localhost/newsletter/abmelden/")
        assert preferences.startswith("http://land.localhost/newsletter/einstellungen/")
