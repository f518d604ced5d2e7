"""Health endpoints for a load balancer or a monitor.

/healthz (liveness): the process answers; touches neither the database, the cache nor the session.
/readyz (readiness): the database answers SELECT 1, the cache stores and returns a key, and the
oldest task waiting in the queue has not waited longer than SINERGI_READY_MAX_QUEUE_LAG_SECONDS.

Both are plain function views with no login requirement; the MFA middleware only redirects signed-in
organizers, and SECURE_REDIRECT_EXEMPT (production) lets the balancer probe them over HTTP. Their
bodies name no person, host or error text (details go to the log), and never_cache sends
Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Min, When
from django.db.models.functions import Greatest
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("sinergi.health")

DEFAULT_MAX_QUEUE_LAG_SECONDS = 300


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Readiness: the database does not answer.")
        return False


def _cache_ok() -> bool:
    key = f"sinergi:readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=30)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:
        logger.exception("Readiness: the cache does not answer.")
        return False
    if not ok:
        logger.error("Readiness: the cache did not return the value just stored.")
    return ok


def queue_lag_seconds() -> float:
    """How long the oldest task that may run now has waited for a worker (0 with none waiting).

    A task enqueued to run at once (django-tasks-db stores run_after as the year 9999 then) has
    waited since it was enqueued; one planned for later, since the later of its run_after and
    its enqueueing (a run_after already past when it was enqueued is no wait of the workers).
    """
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("enqueued_at"), F("run_after")),
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(waiting_since))["oldest"]
    if oldest is None:
        return 0.0
    return max(0.0, (timezone.now() - oldest).total_seconds())


@never_cache
@require_safe
def readyz(request):
    limit = getattr(settings, "SINERGI_READY_MAX_QUEUE_LAG_SECONDS", DEFAULT_MAX_QUEUE_LAG_SECONDS)
    failing = []
    body = {"database": "ok", "cache": "ok", "queue": "ok", "queue_lag_seconds": None}
    if not _database_ok():
        body["database"] = "error"
        body["queue"] = "unknown"  # the queue lives in the database
        failing.append("database")
    if not _cache_ok():
        body["cache"] = "error"
        failing.append("cache")
    if body["database"] == "ok":
        try:
            lag = queue_lag_seconds()
        except Exception:
            logger.exception("Readiness: the task queue cannot be read.")
            body["queue"] = "error"
            failing.append("queue")
        else:
            body["queue_lag_seconds"] = round(lag, 1)
            if limit > 0 and lag > limit:
                body["queue"] = "lagging"
                failing.append("queue")
                logger.error("Readiness: the oldest ready task has waited %.0f s (limit %s s).", lag, limit)
    body["queue_lag_limit_seconds"] = limit
    body["status"] = "failing" if failing else "ok"
    body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
