"""The site's URLs plus a FLOOR for the registration burst of benchmarks/scaled_out.py.

`/bench/floor/<meeting id>/` does the database work of one public registration and nothing
else: no form, no template, no rate limit, no audit entry, no Python model instances. In one
transaction it locks the meeting's row (SELECT ... FOR UPDATE), counts the confirmed seats of
the mode, inserts the registration (confirmed while a seat is free, else on the waiting list),
the confirmation email of the outbox (the builder and parameters a real registration queues, so
the task workers send the same email) and the task that sends it, then answers 204. It runs
through the same middleware and gunicorn workers as the real form (CSRF-exempt: it needs no
GET first). Served only under benchmarks/settings_floor.py.
"""

import json
import time

from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_urlpatterns
from participants.models import new_registration_code


def _task():
    from core.tasks import send_outgoing_email

    return send_outgoing_email


@csrf_exempt
@require_POST
def floor(request, meeting_id: int):
    email = request.POST.get("email", "").strip().lower()
    mode = request.POST.get("mode", "onsite")
    if not email or mode not in ("onsite", "online"):
        return HttpResponseBadRequest()
    task = _task()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT capacity_onsite, capacity_online FROM meetings_meeting WHERE id = %s FOR UPDATE",
            [meeting_id],
        )
        row = cursor.fetchone()
        if row is None:
            return HttpResponse(status=404)
        capacity = row[0] if mode == "onsite" else row[1]
        cursor.execute(
            "SELECT count(*) FROM participants_registration"
            " WHERE meeting_id = %s AND mode = %s AND state = 'confirmed'",
            [meeting_id, mode],
        )
        state = "confirmed" if capacity is None or cursor.fetchone()[0] < capacity else "waitlisted"
        cursor.execute(
            "INSERT INTO participants_registration (meeting_id, code, full_name, position,"
            " organization_name, email, phone, mode, state, source, language, consent_at,"
            " public_listing, token_version, personal_join_url, zoom_registrant_id, zoom_email_held,"
            " created_at, updated_at, confirmed_at, waitlisted_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'public', 'id', now(), false, 1, '', '', '',"
            " now(), now(), CASE WHEN %s THEN now() END, CASE WHEN %s THEN NULL ELSE now() END)"
            " RETURNING id",
            [
                meeting_id,
                new_registration_code(),
                request.POST.get("full_name", ""),
                request.POST.get("position", ""),
                request.POST.get("organization_name", ""),
                email,
                request.POST.get("phone", ""),
                mode,
                state,
                state == "confirmed",
                state == "confirmed",
            ],
        )
        registration_id = cursor.fetchone()[0]
        cursor.execute(
            'INSERT INTO core_outgoingemail (key, "group", "to", reply_to, builder, params, language,'
            " subject, body_text, body_html, state, attempts, last_error, message_id, created_at,"
            " queued_at)"
            " VALUES (%s, %s, %s::jsonb, '[]'::jsonb, 'participants.notifications.registration_message',"
            " %s::jsonb, 'id', '', '', '', 'queued', 0, '', '', now(), now()) RETURNING id",
            [
                f"registration-{state}:{registration_id}:{time.time_ns()}",
                f"meeting:{meeting_id}",
                json.dumps([email]),
                json.dumps({"registration_id": registration_id, "kind": state}),
            ],
        )
        email_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs,"
            " priority, task_path, worker_ids, queue_name, backend_name, run_after, return_value,"
            " exception_class_path, traceback)"
            " VALUES (gen_random_uuid(), 'READY', now(), %s::jsonb, %s, %s, '[]'::jsonb, %s, 'default',"
            " '9999-01-01 00:00:00+00', NULL, '', '')",
            [
                json.dumps({"args": [email_id], "kwargs": {}}),
                task.priority,
                task.module_path,
                task.queue_name,
            ],
        )
    return HttpResponse(status=204)


urlpatterns = [path("bench/floor/<int:meeting_id>/", floor, name="bench_floor"), *site_urlpatterns]
