"""Who may test, schedule and send an issue.

Sending is publishing to people's mailboxes, so it follows the page permissions: the
user needs the ``send_newsletter`` permission *and* the right to publish the issue page.
Page permissions are granted per site at provisioning, so an office's staff can only
publish (and therefore send) issues on their own site, and only coordinators can publish
on the coordination site, which holds the state-wide list. The issue's list must belong
to the office of the issue's site (checked again here, not only in the form).
"""

from .models import office_of_page


def _list_belongs_to_site(issue):
    office = office_of_page(issue)
    return office is not None and issue.mailing_list.office_id == office.pk


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
