"""The weekly follow-up digest: sent on Mondays at DIGEST_HOUR in the site's time zone by a task
that plans its own next run; `manage.py send_follow_up_digest` sends this week's by hand or
from cron (the outbox keys make it once per person and week whoever runs it)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from core.mail import tasks_in_database

from ..notifications import notify_digest, week_of

DIGEST_HOUR = 7


@transaction.atomic
def send_digest(on: date | None = None) -> int:
    return notify_digest(on or timezone.localdate())


def next_run(now: datetime, *, after_this_week: bool = False) -> datetime:
    """This Monday at DIGEST_HOUR if that is still ahead (and not excluded), else next Monday's."""
    local = timezone.localtime(now)
    monday = week_of(local.date())
    run = timezone.make_aware(datetime.combine(monday, time(DIGEST_HOUR)))
    if after_this_week or run <= now:
        run = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time(DIGEST_HOUR)))
    return run


def schedule_digest(*, after_this_week: bool = False) -> bool:
    """Make sure one digest task waits for its Monday (one at a time); True if one was planned."""
    from django_tasks_db.models import DBTaskResult

    from ..tasks import send_follow_up_digest

    if not tasks_in_database():
        return False
    waiting = DBTaskResult.objects.filter(task_path=send_follow_up_digest.module_path, status="READY")
    if waiting.exists():
        return False
    run_after = next_run(timezone.now(), after_this_week=after_this_week)
    send_follow_up_digest.using(run_after=run_after).enqueue()
    return True
