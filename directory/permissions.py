"""Who may touch which directory records.

Groups and contact requests are office-owned: ``DirectoryConfig.office_owned_models``
declares them, and the tenancy fence (``sites.fence``) decides which records a user
reaches. Only the topic list needs a rule of its own.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from sites.tenancy import is_coordinator


class TopicPermissionPolicy(ModelPermissionPolicy):
    """Everyone with admin access may look at the topic list (to file groups); only the
    coordinators change it, whatever model permissions a group was given by mistake."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete") and not is_coordinator(user):
            return False
        return super().user_has_permission(user, action)
