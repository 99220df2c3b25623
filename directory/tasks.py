"""Background tasks of the directory (django-tasks; ``manage.py db_worker`` runs them)."""

from django_tasks import task


@task()
def send_confirmation_request(confirmation_id):
    """Mail one confirmation request to the group's internal contact."""
    from .confirmation import send_request

    return send_request(confirmation_id)
