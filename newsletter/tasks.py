"""Background tasks (django-tasks; the database backend's ``manage.py db_worker`` runs them)."""

from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import default_task_backend, task
from wagtail.models import Site


@task()
def send_signup_mail(kind, subscriber_id, subscription_ids, site_id):
    """Send the confirmation mail or the "already subscribed" note of a sign-up."""
    from .mail import signup_message
    from .models import Subscriber, Subscription

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return 0
    subscriptions = list(
        Subscription.objects.filter(pk__in=subscription_ids, subscriber=subscriber)
        .select_related("mailing_list__office")
        .order_by("mailing_list__name")
    )
    if not subscriptions:
        return 0
    site = Site.objects.filter(pk=site_id).first()
    message = signup_message(kind, subscriber, subscriptions, site)
    return get_connection(fail_silently=False).send_messages([message])


@task()
def send_dispatch(dispatch_id, takeover=False):
    """Run a dispatch (scheduled or resumed). Does nothing when it is not (yet) due."""
    from .sending import run_dispatch

    counts = run_dispatch(dispatch_id, takeover=takeover)
    return counts or {}


@task()
def run_due_dispatches():
    """Start scheduled dispatches that are due and resume those whose worker died.

    Run it periodically (``manage.py newsletter_run_due`` from cron or a timer) when the task
    backend cannot defer tasks; with the database backend each schedule also enqueues its
    own deferred task, and this is the safety net.
    """
    from .models import Dispatch

    now = timezone.now()
    started = []
    due = Dispatch.objects.filter(status=Dispatch.Status.SCHEDULED, scheduled_for__lte=now)
    stale = Dispatch.objects.filter(status=Dispatch.Status.RUNNING, lease_expires_at__lt=now)
    for dispatch_id in list(due.values_list("pk", flat=True)) + list(
        stale.values_list("pk", flat=True)
    ):
        send_dispatch.enqueue(dispatch_id)
        started.append(dispatch_id)
    return started


def enqueue_dispatch(dispatch, takeover=False):
    """Queue a dispatch to run at its scheduled time (now, if the backend cannot defer)."""
    if dispatch.scheduled_for > timezone.now():
        if default_task_backend.supports_defer:
            send_dispatch.using(run_after=dispatch.scheduled_for).enqueue(dispatch.pk)
        # Without deferral support the periodic ``run_due_dispatches`` starts it when due.
        return None
    return send_dispatch.enqueue(dispatch.pk, takeover)
