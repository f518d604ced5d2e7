"""Every reaction of the participants app to signals: meeting changes reach registrants and reminders.

The meeting services send their signals inside their transaction. A schedule change or a
cancellation enqueues one fan-out task (participants.tasks) in that same transaction, so it never
commits without its emails and the request that made it never waits for hundreds of them; it also
plans, supersedes or skips the meeting's reminders. More seats promote people from the waiting list.
Zoom's events become tasks: a participant joining or leaving updates the live attendance, and the
end of an occurrence imports its participants report once Zoom has it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting
from meetings.signals import (
    meeting_copied,
    meeting_schedule_changed,
    meeting_seats_changed,
    meeting_status_changed,
    online_room_ready,
    zoom_meeting_ended,
    zoom_participant_event,
)

# Zoom has an occurrence's participants report some minutes after it ended.
ZOOM_REPORT_DELAY = timedelta(minutes=10)


def on_schedule_changed(
    sender, meeting: Meeting, sequence: int, changes: list[dict], removed_days: list[dict] = (), **kwargs
) -> None:
    from .tasks import notify_schedule_changed

    notify_schedule_changed.enqueue(meeting.pk, sequence, list(changes), list(removed_days))


def on_status_changed(
    sender, meeting: Meeting, old_status: str, new_status: str, sequence: int, reason: str = "", **kwargs
) -> None:
    if new_status != Meeting.Status.CANCELLED:
        return
    from .tasks import notify_meeting_cancelled

    notify_meeting_cancelled.enqueue(meeting.pk, sequence, reason or "")


def on_seats_changed(sender, meeting: Meeting, actor=None, **kwargs) -> None:
    from .services.registration import promote_all_waiting

    promote_all_waiting(meeting, actor=actor)


def plan_or_skip_reminders(sender, meeting: Meeting, new_status: str, actor=None, **kwargs) -> None:
    """Published: plan the reminders; cancelled, back to draft, held or closed: skip those left."""
    from .services import reminders

    if new_status == Meeting.Status.PUBLISHED:
        reminders.plan_reminders(meeting, actor=actor)
    elif new_status in reminders.STATUS_NOTES:
        reminders.skip_reminders(meeting, reminders.STATUS_NOTES[new_status], actor=actor)


def reschedule_reminders(sender, meeting: Meeting, actor=None, **kwargs) -> None:
    from .services import reminders

    reminders.reschedule_reminders(meeting, actor=actor)


def on_zoom_participant_event(
    sender, room, meeting: Meeting, event: str, participant: dict, occurred_at: str = "", **kwargs
) -> None:
    from .tasks import record_zoom_event

    record_zoom_event.enqueue(meeting.pk, event, dict(participant), occurred_at or "")


def on_zoom_meeting_ended(sender, room, meeting: Meeting, zoom_uuid: str = "", **kwargs) -> None:
    from .tasks import import_zoom_report

    run_after = timezone.now() + ZOOM_REPORT_DELAY
    import_zoom_report.using(run_after=run_after).enqueue(meeting.pk, zoom_uuid or "")


def on_online_room_ready(sender, room, meeting: Meeting, created: bool = False, **kwargs) -> None:
    """The Zoom room is in step: add whoever still lacks a personal link (a new room voids the
    old room's links: everyone gets a new one)."""
    from .models import Registration
    from .services import zoom_registrants

    if created:
        Registration.objects.filter(meeting_id=meeting.pk).exclude(zoom_registrant_id="").update(
            zoom_registrant_id="", personal_join_url=""
        )
    if zoom_registrants.room_with_registration(meeting.pk) is None:
        return
    from .tasks import sync_zoom_registrants

    sync_zoom_registrants.enqueue(meeting.pk)


def on_meeting_copied(sender, source: Meeting, copy: Meeting, actor=None, **kwargs) -> None:
    """A meeting copied as a template takes its agency invitations (not the revoked ones) with
    their seats and focal points, unsent: no email goes out, a new row gives each a new link
    (tokens are per invitation), and no nomination or registration comes along. The organizers
    send them from the copy's invitations page when the copy is ready."""
    from core import audit
    from meetings.copying import shift

    from .models import AgencyInvitation

    copies = [
        AgencyInvitation(
            meeting=copy,
            organization_id=invitation.organization_id,
            quota=invitation.quota,
            focal_point_name=invitation.focal_point_name,
            focal_point_email=invitation.focal_point_email,
            language=invitation.language,
            nomination_deadline=shift(invitation.nomination_deadline, source, copy),
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for invitation in AgencyInvitation.objects.filter(meeting=source)
        .exclude(state=AgencyInvitation.State.REVOKED)
        .select_related("organization")
        .order_by("pk")
    ]
    for invitation in AgencyInvitation.objects.bulk_create(copies):
        audit.record(
            invitation,
            "invitation.copied",
            actor,
            organization=str(invitation.organization),
            quota=invitation.quota,
            source=source.code,
        )


def connect() -> None:
    """Called once from ParticipantsConfig.ready; the order is the order receivers run in."""
    meeting_schedule_changed.connect(on_schedule_changed, dispatch_uid="participants.receivers.schedule")
    meeting_status_changed.connect(on_status_changed, dispatch_uid="participants.receivers.status")
    meeting_seats_changed.connect(on_seats_changed, dispatch_uid="participants.receivers.seats")
    meeting_status_changed.connect(plan_or_skip_reminders, dispatch_uid="participants.reminders.status")
    meeting_schedule_changed.connect(reschedule_reminders, dispatch_uid="participants.reminders.schedule")
    zoom_participant_event.connect(on_zoom_participant_event, dispatch_uid="participants.zoom.participant")
    zoom_meeting_ended.connect(on_zoom_meeting_ended, dispatch_uid="participants.zoom.ended")
    online_room_ready.connect(on_online_room_ready, dispatch_uid="participants.zoom.registrants")
    meeting_copied.connect(on_meeting_copied, dispatch_uid="participants.receivers.copied")
