"""Who may test and send an issue.

Lists, subscriptions and subscribers are office-owned (``NewsletterConfig.office_owned_models``);
which of them a user reaches is the tenancy fence's answer (``sites.fence``). Sending is
publishing to people's mailboxes, so it follows the page permissions: the user needs the
``send_newsletter`` permission *and* the right to publish the issue page. Page permissions
are granted per site at provisioning, so an office's staff can only publish (and therefore
send) issues on their own site, and only coordinators can publish on the coordination site,
which holds the state-wide list. The issue's list must belong to the office of the issue's
site (checked again here, not only in the form).
"""

from sites.tenancy import office_id_for_page, visible_office_ids


def _list_belongs_to_site(issue):
    office_id = office_id_for_page(issue)
    return office_id is not None and issue.mailing_list.office_id == office_id


def can_test(user, issue):
    return (
        user.is_active
        and user.has_perm("newsletter.send_newsletter")
        and issue.permissions_for_user(user).can_edit()
        and _list_belongs_to_site(issue)
    )


def can_send(user, issue):
    return (
        user.is_active
        and user.has_perm("newsletter.send_newsletter")
        and issue.permissions_for_user(user).can_publish()
        and _list_belongs_to_site(issue)
    )


def sees_all_subscribers(user):
    """Data-rights requests (export, erasure) span every list: coordinators only."""
    from .models import Subscriber

    return visible_office_ids(user, Subscriber) is None
