"""Emails to registrants and focal points: `notify_*` functions queue them, builders write them.

Each `notify_*` function (`notify_registration_changed`, `notify_promoted`, `notify_invitation`,
...) is called by a service inside its transaction and stores only ids in the outbox
(core.mail.queue_email); the builder the outbox row names (`registration_message`,
`invitation_message`, ...) runs in the worker, reads the current data and returns the message, in
the recipient's language. A builder returns None when its subject is gone (personal data purged).
Builders are found by their dotted path, stored with each queued email: keep their names (the
reminder and announcement builders, once in their services modules, are still importable there).

Calendar invitations (iTIP, RFC 5546) ride along: a confirmed registrant's emails carry a
METHOD:REQUEST with them as ATTENDEE (and their personal join link, which appears in no other
file); losing the seat, a removed day or a cancelled meeting carries METHOD:CANCEL for the same
UIDs. Schedule changes and cancellations reach every active registrant through a fan-out
(`notify_schedule_changed`, `notify_meeting_cancelled`, run by tasks the meeting signals
enqueue), one email per person under a key fixed by the meeting's calendar sequence, so a
retried fan-out never sends twice.
"""

from __future__ import annotations

import io
import time
from datetime import date
from datetime import time as clock

import qrcode
import qrcode.image.pure
from django.db import transaction
from django.utils import translation

from core.mail import Attachment, Message, queue_email
from core.timezones import other_zone, zone_label
from directory.models import Person
from meetings import calendar
from meetings.models import AgendaRole, Meeting, MeetingDay

from .models import AgencyInvitation, Announcement, Nomination, Registration, Reminder
from .signals import invitation_attachments

QR_CID = "registration-qr"
# Kinds of registration email whose confirmed recipient gets the QR code of their code.
QR_KINDS = {"confirmed", "promoted", "existing", "mode", "zoom_link"}


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.pure.PyPNGImage, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


# Registration emails that leave a person without the seat their calendar holds.
SEAT_LOST_KINDS = {"cancelled", "declined", "waitlisted"}


def _key(kind: str, pk: int) -> str:
    # One email per event: the services call each notification once per state change. Purging
    # finds a meeting's emails by their group ("meeting:<pk>"), not by this key.
    return f"{kind}:{pk}:{time.time_ns()}"


# Registrations ---------------------------------------------------------------------------------


def _queue_registration_email(registration: Registration, kind: str) -> None:
    """Queued now, or once the person's personal Zoom link exists (services.zoom_registrants)."""
    from .services import zoom_registrants

    if not zoom_registrants.defer_email(registration, kind):
        queue_registration_email(registration, kind)


def queue_registration_email(registration: Registration, kind: str) -> None:
    queue_email(
        key=_key(f"registration-{kind}", registration.pk),
        group=f"meeting:{registration.meeting_id}",
        to=[registration.email],
        builder="participants.notifications.registration_message",
        params={"registration_id": registration.pk, "kind": kind},
        language=registration.language,
        fresh_key=True,
    )


def _registration(registration_id: int) -> Registration | None:
    """The registration with its meeting ready for a calendar (days, items, speakers, room)."""
    registration = Registration.objects.select_related("organization").filter(pk=registration_id).first()
    if registration is None or not registration.full_name:
        return None
    registration.meeting = calendar.with_schedule(Meeting.objects.filter(pk=registration.meeting_id)).get()
    return registration


def _common_context(registration: Registration) -> dict:
    """What every email to a registrant shows: the meeting, its days in the meeting's zone and
    (where it differs) the zone of the person's organization, where and how to attend."""
    meeting = registration.meeting
    return {
        "registration": registration,
        "meeting": meeting,
        "days": list(meeting.days.all()),
        "other_tz": other_zone(meeting.timezone, registration.organization),
        "online_room": getattr(meeting, "online_room", None) if meeting.has_online else None,
        "manage_url": registration.urls.absolute.private,
        "public_url": meeting.urls.absolute.public,
    }


def _invitation(registration: Registration, method: str, **kwargs) -> bytes:
    """This person's iTIP message; the text in the calendar is in their language."""
    with translation.override(registration.language):
        return calendar.invitation_ics(
            registration.meeting,
            method=method,
            attendee=(registration.email, registration.full_name),
            **kwargs,
        )


def gets_room_link(registration: Registration) -> bool:
    """Whether this person may have the room's join link: confirmed online, or the room is public.

    Waiting, pending, cancelled and on-site registrants do not: online capacity and moderation
    decide who joins.
    """
    meeting = registration.meeting
    room = getattr(meeting, "online_room", None) if meeting.has_online else None
    if room is None:
        return False
    confirmed_online = (
        registration.state == Registration.State.CONFIRMED and registration.mode == Registration.Mode.ONLINE
    )
    return confirmed_online or room.open_to_public


def _personal_request(registration: Registration) -> bytes:
    # The personal link, when the person has one, replaces the room's link in their copy only;
    # otherwise a confirmed online registrant gets the room's link, everyone else only a public one.
    join_url = registration.personal_join_url or None
    if join_url is None and registration.mode == Registration.Mode.ONLINE:
        join_url = calendar.room_join_url(registration.meeting) or None
    return _invitation(registration, "REQUEST", join_url=join_url)


def registration_message(registration_id: int, kind: str) -> Message | None:
    registration = _registration(registration_id)
    if registration is None:
        return None
    meeting = registration.meeting
    confirmed = registration.state == Registration.State.CONFIRMED
    attachments = []
    if confirmed and kind in QR_KINDS:
        attachments.append(Attachment("registration-qr.png", "image/png", qr_png(registration.code), QR_CID))
    ics, method = None, ""
    if meeting.status == Meeting.Status.PUBLISHED:
        if confirmed and kind in QR_KINDS:
            ics, method = _personal_request(registration), "REQUEST"
        elif kind in SEAT_LOST_KINDS and not confirmed and registration.confirmed_at is not None:
            # Once confirmed, the person has the meeting in their calendar: take it out.
            ics, method = _invitation(registration, "CANCEL", join_url=""), "CANCEL"
    context = {
        **_common_context(registration),
        "kind": kind,
        "qr_cid": QR_CID,
        "has_qr": bool(attachments),
        "calendar_method": method,
    }
    return Message("participants/email/registration", context, attachments, ics, method)


def notify_registration_changed(registration: Registration, *, changed_mode: bool = False) -> None:
    """The email that tells a person where their registration stands now."""
    _queue_registration_email(registration, "mode" if changed_mode else registration.state)


def notify_promoted(registration: Registration) -> None:
    _queue_registration_email(registration, "promoted")


def notify_already_registered(registration: Registration) -> None:
    _queue_registration_email(registration, "existing")


def notify_new_link(registration: Registration) -> None:
    _queue_registration_email(registration, "new_link")


# Schedule changes and cancellations -------------------------------------------------------------


def _active(meeting_id: int):
    return Registration.objects.filter(meeting_id=meeting_id, state__in=Registration.ACTIVE_STATES).only(
        "pk", "email", "language"
    )


@transaction.atomic
def notify_schedule_changed(
    meeting_id: int, sequence: int, changes: list[dict], removed_days: list[dict]
) -> int:
    """Queue the update email of one schedule change to every active registrant; returns how many.

    Confirmed registrants get the new iTIP REQUEST (or the CANCEL of removed days); those
    waiting for a seat or for approval get the same text without a calendar, since their
    calendar holds nothing yet. Keys carry the calendar sequence: running this again queues
    nothing twice. A change that both removes days and changes others (no service makes one
    today) sends the removal as a second email, because one iTIP message has one METHOD.
    """
    removed_only = all(c["field"] == "day" and c["new"] is None for c in changes)
    parts = (
        ["removed"] if removed_only and removed_days else ["update"] + (["removed"] if removed_days else [])
    )
    queued = 0
    for registration in _active(meeting_id).iterator():
        for part in parts:
            kind = "schedule" if part == "update" else "schedule_removed"
            queued += bool(
                queue_email(
                    key=f"registration-{kind}:{registration.pk}:{meeting_id}-{sequence}",
                    group=f"meeting:{meeting_id}",
                    to=[registration.email],
                    builder="participants.notifications.schedule_changed_message",
                    params={
                        "registration_id": registration.pk,
                        "sequence": sequence,
                        "changes": changes,
                        "removed_days": removed_days,
                        "part": part,
                    },
                    language=registration.language,
                )
            )
    return queued


def _day(meeting: Meeting, data: dict | None) -> MeetingDay | None:
    """A day as it was (or is) from the signal's dict, for the templates' date and hour tags."""
    if data is None:
        return None
    return MeetingDay(
        pk=data["id"],
        meeting=meeting,
        date=date.fromisoformat(data["date"]),
        start_time=clock.fromisoformat(data["start_time"]),
        end_time=clock.fromisoformat(data["end_time"]),
    )


def _change_rows(meeting: Meeting, changes: list[dict], *, room_link: bool = True) -> list[dict]:
    rows = []
    for change in changes:
        field, old, new = change["field"], change["old"], change["new"]
        if field == "join_url" and not room_link:
            continue
        if field == "day":
            rows.append({"field": "day", "old": _day(meeting, old), "new": _day(meeting, new)})
        elif field == "timezone":
            rows.append(
                {"field": field, "old": f"{zone_label(old)} ({old})", "new": f"{zone_label(new)} ({new})"}
            )
        else:
            rows.append({"field": field, "old": old or "", "new": new or ""})
    return rows


def schedule_changed_message(
    registration_id: int, sequence: int, changes: list[dict], removed_days: list[dict], part: str = "update"
) -> Message | None:
    registration = _registration(registration_id)
    if registration is None or not registration.is_active:
        return None
    meeting = registration.meeting
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
        # Cancelled (or unpublished) since: the cancellation email says what matters now.
        return None
    rows = _change_rows(meeting, changes, room_link=gets_room_link(registration))
    if not rows and not removed_days:
        # Only the join link changed, and this person does not get it.
        return None
    ics, method = None, ""
    if registration.state == Registration.State.CONFIRMED:
        if part == "removed":
            ics = _invitation(registration, "CANCEL", join_url="", only_day_ids=[], removed_days=removed_days)
            method = "CANCEL"
        else:
            ics, method = _personal_request(registration), "REQUEST"
    context = {
        **_common_context(registration),
        "changes": rows,
        "calendar_method": method,
    }
    return Message("participants/email/schedule_changed", context, calendar=ics, calendar_method=method)


@transaction.atomic
def notify_meeting_cancelled(meeting_id: int, sequence: int, reason: str) -> int:
    """Queue the cancellation email (with METHOD:CANCEL) to every active registrant; returns how many."""
    queued = 0
    for registration in _active(meeting_id).iterator():
        queued += bool(
            queue_email(
                key=f"registration-meeting_cancelled:{registration.pk}:{meeting_id}-{sequence}",
                group=f"meeting:{meeting_id}",
                to=[registration.email],
                builder="participants.notifications.meeting_cancelled_message",
                params={"registration_id": registration.pk, "reason": reason},
                language=registration.language,
            )
        )
    return queued


def meeting_cancelled_message(registration_id: int, reason: str) -> Message | None:
    registration = _registration(registration_id)
    if registration is None or not registration.is_active:
        return None
    ics = _invitation(registration, "CANCEL", join_url="")
    context = {**_common_context(registration), "reason": reason, "calendar_method": "CANCEL"}
    return Message("participants/email/meeting_cancelled", context, calendar=ics, calendar_method="CANCEL")


# Agency invitations ----------------------------------------------------------------------------


def notify_invitation(invitation: AgencyInvitation, *, reminder: bool = False) -> None:
    queue_email(
        key=_key("invitation-reminder" if reminder else "invitation", invitation.pk),
        group=f"meeting:{invitation.meeting_id}",
        to=[invitation.focal_point_email],
        builder="participants.notifications.invitation_message",
        params={"invitation_id": invitation.pk, "reminder": reminder},
        language=invitation.language,
    )


def invitation_message(invitation_id: int, reminder: bool) -> Message | None:
    invitation = (
        AgencyInvitation.objects.select_related("meeting", "organization").filter(pk=invitation_id).first()
    )
    if (
        invitation is None
        or not invitation.focal_point_email
        or invitation.state == AgencyInvitation.State.REVOKED
    ):
        return None
    meeting = invitation.meeting
    attachments = [
        attachment
        for _receiver, found in invitation_attachments.send(sender=AgencyInvitation, invitation=invitation)
        for attachment in found or []
    ]
    return Message(
        "participants/email/invitation",
        {
            "invitation": invitation,
            "meeting": meeting,
            "days": list(meeting.days.order_by("date")),
            "other_tz": other_zone(meeting.timezone, invitation.organization),
            "respond_url": invitation.urls.absolute.focal_point,
            "public_url": meeting.urls.absolute.public,
            "reminder": reminder,
        },
        attachments,
    )


def notify_nomination_request(nomination: Nomination, *, language: str) -> None:
    """Ask a person already registered whether they count as the nominating agency's delegate."""
    queue_email(
        key=_key("nomination-request", nomination.pk),
        group=f"meeting:{nomination.invitation.meeting_id}",
        to=[nomination.email],
        builder="participants.notifications.nomination_request_message",
        params={"nomination_id": nomination.pk},
        language=language,
    )


def nomination_request_message(nomination_id: int) -> Message | None:
    nomination = (
        Nomination.objects.select_related("invitation__meeting", "invitation__organization")
        .filter(pk=nomination_id, state=Nomination.State.ASKED)
        .first()
    )
    if nomination is None or nomination.invitation.state == AgencyInvitation.State.REVOKED:
        return None
    meeting = nomination.invitation.meeting
    return Message(
        "participants/email/nomination_request",
        {
            "nomination": nomination,
            "organization": nomination.invitation.organization,
            "meeting": meeting,
            "days": list(meeting.days.order_by("date")),
            "accept_url": nomination.urls.absolute.accept,
        },
    )


# Reminders and announcements (participants.services.reminders, .announcements) ---------------


def reminder_key(reminder: Reminder, email: str) -> str:
    return f"reminder:{reminder.pk}:{email}"


def notify_reminder(
    reminder: Reminder, email: str, language: str, *, registration_id: int | None, person_id: int | None
) -> bool:
    """Queue one reminder to a registrant or (without a registration) a speaker; False if queued before."""
    params = {"reminder_id": reminder.pk}
    if registration_id:
        params["registration_id"] = registration_id
    else:
        params["person_id"] = person_id
    queued = queue_email(
        key=reminder_key(reminder, email),
        group=f"meeting:{reminder.meeting_id}",
        to=[email],
        builder="participants.notifications.reminder_message",
        params=params,
        language=language,
    )
    return queued is not None


def _reminder_is_current(reminder: Reminder, meeting: Meeting) -> bool:
    return (
        meeting.status == Meeting.Status.PUBLISHED and reminder.schedule_version == meeting.calendar_sequence
    )


def reminder_message(reminder_id: int, registration_id: int | None = None, person_id: int | None = None):
    """The reminder for one registrant or speaker, written when it is sent; None drops it.

    Dropped when the meeting is no longer published or rescheduled since (the update email has
    told people already), when the registration is no longer confirmed, when the person is no
    longer a speaker or moderator of the meeting, or when their data was purged.
    """
    reminder = (
        Reminder.objects.select_related("meeting", "meeting__online_room").filter(pk=reminder_id).first()
    )
    if reminder is None or not _reminder_is_current(reminder, reminder.meeting):
        return None
    meeting = reminder.meeting
    room = getattr(meeting, "online_room", None) if meeting.has_online else None
    context = {
        "reminder": reminder,
        "meeting": meeting,
        "days": list(meeting.days.order_by("date")),
        "online_room": room,
        "public_url": meeting.urls.absolute.public,
        "registration": None,
        "person": None,
        "roles": [],
    }
    if registration_id is not None:
        registration = (
            Registration.objects.select_related("organization")
            .filter(pk=registration_id, meeting=meeting, state=Registration.State.CONFIRMED)
            .exclude(full_name="")
            .first()
        )
        if registration is None:
            return None
        organization = registration.organization
        context.update(
            registration=registration,
            name=registration.full_name,
            manage_url=registration.urls.absolute.private,
            # On-site registrants get the room's link only when the room is open to the public.
            join_url=registration.personal_join_url
            or (
                room.join_url
                if room and (registration.mode == Registration.Mode.ONLINE or room.open_to_public)
                else ""
            ),
            personal_join=bool(registration.personal_join_url),
            footer_reason="registration",
        )
    else:
        person = Person.objects.select_related("organization").filter(pk=person_id).exclude(email="").first()
        roles = list(
            AgendaRole.objects.filter(person_id=person_id, agenda_item__day__meeting=meeting)
            .select_related("agenda_item__day")
            .order_by("agenda_item__day__date", "agenda_item__start_time", "pk")
        )
        if person is None or not roles:
            return None
        organization = person.organization
        context.update(
            person=person,
            name=person.full_name,
            roles=roles,
            join_url=room.join_url if room else "",
            footer_reason="speaker",
        )
    context["other_tz"] = other_zone(meeting.timezone, organization)
    return Message("participants/email/reminder", context)


def notify_announcement(announcement: Announcement, registration_id: int, email: str, language: str) -> None:
    """Queue one registrant's copy of an organizer's message."""
    queue_email(
        key=f"announcement:{announcement.pk}:{registration_id}",
        group=f"meeting:{announcement.meeting_id}",
        to=[email],
        builder="participants.notifications.announcement_message",
        params={"announcement_id": announcement.pk, "registration_id": registration_id},
        language=language,
    )


# Who may be written to: people still taking part (never the cancelled or declined); the
# audiences of participants.services.announcements, checked again when each copy is written.
ANNOUNCEMENT_STATES = (
    Registration.State.CONFIRMED,
    Registration.State.WAITLISTED,
    Registration.State.PENDING,
)


def announcement_message(announcement_id: int, registration_id: int) -> Message | None:
    """One registrant's copy, written when it is sent; dropped if they withdrew or were purged."""
    announcement = Announcement.objects.select_related("meeting").filter(pk=announcement_id).first()
    registration = (
        Registration.objects.select_related("organization")
        .filter(pk=registration_id, state__in=ANNOUNCEMENT_STATES)
        .exclude(full_name="")
        .first()
    )
    if announcement is None or registration is None or registration.meeting_id != announcement.meeting_id:
        return None
    meeting = announcement.meeting
    return Message(
        "participants/email/announcement",
        {
            "announcement": announcement,
            "registration": registration,
            "meeting": meeting,
            "days": list(meeting.days.order_by("date")),
            "other_tz": other_zone(meeting.timezone, registration.organization),
            "manage_url": registration.urls.absolute.private,
            "public_url": meeting.urls.absolute.public,
        },
    )
