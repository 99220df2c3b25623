"""The demo newsletter: something to start from on every site, loaded once."""

import pytest

from newsletter.demo import load_newsletter_demo
from newsletter.models import (
    Delivery,
    Dispatch,
    MailingList,
    NewsletterIssue,
    NewsletterPage,
    Subscriber,
    Subscription,
    SubscriptionEvent,
)

pytestmark = pytest.mark.django_db

MODELS = [
    MailingList,
    Subscriber,
    Subscription,
    SubscriptionEvent,
    NewsletterPage,
    NewsletterIssue,
    Dispatch,
    Delivery,
]


def fingerprint():
    return {
        model.__name__: (model.objects.count(), model.objects.order_by("-pk").first())
        for model in MODELS
    }


@pytest.fixture
def demo(offices):
    network = [offices["state"], offices["alpha"], offices["beta"]]
    load_newsletter_demo(network)
    return network


def test_each_office_has_a_list_and_a_published_sign_up_page(demo):
    for office in demo:
        assert MailingList.objects.filter(office=office).count() == 1
        page = NewsletterPage.objects.child_of(office.site.root_page).get()
        assert page.live


def test_subscribers_are_confirmed_with_the_record_of_their_consent(demo, offices):
    state_list = MailingList.objects.get(office=offices["state"])
    subscriptions = Subscription.objects.filter(mailing_list=state_list)
    assert subscriptions.count() >= 3
    for subscription in subscriptions:
        assert subscription.status == "confirmed"
        assert subscription.consent_copy and subscription.consent_version
        assert subscription.confirmed_at > subscription.requested_at
        assert [e.kind for e in subscription.events.all()] == ["requested", "confirmed"]


def test_the_archive_shows_three_sent_issues_with_the_usual_sections(demo, offices, client):
    response = client.get("/newsletter/", HTTP_HOST="land.localhost")
    assert response.status_code == 200
    page = response.content.decode()
    issues = NewsletterIssue.objects.filter(mailing_list__office=offices["state"])
    assert issues.count() == 3
    for issue in issues:
        assert issue.is_sent
        assert issue.title in page
    text = client.get(issues.first().url, HTTP_HOST="land.localhost").content.decode()
    for section in ("Neue Gruppen", "Gruppen in Gründung", "Veranstaltungen", "Förderung"):
        assert section in text


def test_every_site_offers_the_sign_up_on_its_page_and_in_its_footer(demo, client):
    for office in demo:
        host = office.site.hostname
        page = client.get("/newsletter/", HTTP_HOST=host).content.decode()
        assert 'action="/newsletter/anmelden/"' in page
        assert MailingList.objects.get(office=office).name in page
        home = client.get("/", HTTP_HOST=host).content.decode()
        footer = home.split('<footer class="site-footer">', 1)[1]
        assert '<a href="/newsletter/">Newsletter abonnieren</a>' in footer


def test_a_second_run_changes_nothing(demo):
    before = fingerprint()
    assert load_newsletter_demo(demo) == 0
    assert fingerprint() == before
