"""Emails of the minutes' approval: `notify_*` functions queue them, builders write them.

`minutes.services.workflow` calls each `notify_*` function inside its transaction; they store
only ids in the outbox (core.mail.queue_email), and the builder each row names runs later in the
worker, reads the current data and returns the message, or None when it no longer applies.
Builders are found by their dotted path, stored with each queued email: keep their names.

- submitted: to each organizer of the meeting, asking for approval;
- approved, returned (with the reason): to the secretaries and whoever submitted, never to the
  person who acted;
- published: to each confirmed registrant, once per version, in their language, with the Notula
  (.docx, without the attendance list) attached and the link to their private page.

Staff accounts have no language of their own: their emails are written in Indonesian.
"""

from __future__ import annotations

from django.urls import reverse

from core.links import absolute
from core.mail import Attachment, Message, queue_email
from meetings.models import Meeting
from participants.models import Registration

from . import permissions
from .models import Minutes

STAFF_LANGUAGE = "id"
PUBLISHED_AUDIENCES = (Minutes.Audience.PARTICIPANTS, Minutes.Audience.PUBLIC)


def _group(minutes: Minutes) -> str:
    return f"meeting:{minutes.meeting_id}"


def _staff_url(meeting: Meeting) -> str:
    """Where the staff work on the minutes: the editor."""
    return absolute(reverse("minutes:editor", kwargs={"code": meeting.code}))


def _name(user) -> str:
    return (user.full_name or user.email) if user is not None else ""


def _recipients(users, *, exclude=None) -> list:
    """Active users with an address, each once, in a stable order, without `exclude`."""
    seen, result = set(), []
    for user in users:
        if user is None or not user.is_active or not user.email or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def _secretaries_and_submitter(minutes: Minutes) -> list:
    return list(minutes.meeting.secretaries.order_by("pk")) + [minutes.submitted_by]


def _queue_staff(minutes: Minutes, user, kind: str, key: str, **params) -> None:
    queue_email(
        key=key,
        group=_group(minutes),
        to=[user.email],
        builder=f"minutes.notifications.{kind}_message",
        params={"minutes_id": minutes.pk, "user_id": user.pk, **params},
        language=STAFF_LANGUAGE,
    )


def _staff_context(minutes_id: int, user_id: int, states=None) -> dict | None:
    """What every staff email shows, or None when the minutes moved on (out of `states`) or the
    person is no longer staff of the meeting."""
    from accounts.models import User

    minutes = Minutes.objects.select_related("meeting", "submitted_by", "approved_by").filter(pk=minutes_id)
    if states is not None:
        minutes = minutes.filter(state__in=states)
    minutes = minutes.first()
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if minutes is None or user is None or not permissions.is_staff_of(user, minutes.meeting):
        return None
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "recipient": user,
        "name": _name(user),
        "url": _staff_url(minutes.meeting),
    }


# Submitted for approval ------------------------------------------------------------------------


def notify_submitted(minutes: Minutes) -> None:
    """Each organizer (the chair) is asked to approve the version."""
    stamp = minutes.submitted_at.timestamp()
    for user in _recipients(minutes.meeting.organizers.order_by("pk")):
        _queue_staff(minutes, user, "submitted", f"minutes-submitted:{minutes.pk}:{user.pk}:{stamp}")


def submitted_message(minutes_id: int, user_id: int) -> Message | None:
    """Dropped when the version is no longer waiting for approval (approved or returned since)."""
    context = _staff_context(minutes_id, user_id, [Minutes.State.SUBMITTED])
    if context is None:
        return None
    context["submitter"] = _name(context["minutes"].submitted_by)
    return Message("minutes/email/submitted", context)


# Approved --------------------------------------------------------------------------------------


def notify_approved(minutes: Minutes) -> None:
    for user in _recipients(_secretaries_and_submitter(minutes), exclude=minutes.approved_by):
        _queue_staff(minutes, user, "approved", f"minutes-approved:{minutes.pk}:{user.pk}")


def approved_message(minutes_id: int, user_id: int) -> Message | None:
    context = _staff_context(minutes_id, user_id, [Minutes.State.APPROVED, Minutes.State.SUPERSEDED])
    if context is None:
        return None
    context["approver"] = _name(context["minutes"].approved_by)
    return Message("minutes/email/approved", context)


# Returned to draft -----------------------------------------------------------------------------


def notify_returned(minutes: Minutes, reason: str, actor=None) -> None:
    """The secretaries and the submitter learn why the version came back (one email per return)."""
    stamp = minutes.submitted_at.timestamp() if minutes.submitted_at else ""
    for user in _recipients(_secretaries_and_submitter(minutes), exclude=actor):
        _queue_staff(
            minutes,
            user,
            "returned",
            f"minutes-returned:{minutes.pk}:{user.pk}:{stamp}",
            reason=reason,
            actor_id=actor.pk if actor is not None else None,
        )


def returned_message(minutes_id: int, user_id: int, reason: str, actor_id: int | None = None):
    """Sent whatever happened since: the reason still explains the change."""
    from accounts.models import User

    context = _staff_context(minutes_id, user_id)
    if context is None:
        return None
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    context.update(reason=reason, returner=_name(actor))
    return Message("minutes/email/returned", context)


# Published to the participants -----------------------------------------------------------------


def _confirmed(meeting_id: int):
    return (
        Registration.objects.filter(meeting_id=meeting_id, state=Registration.State.CONFIRMED)
        .exclude(full_name="")
        .exclude(email="")
    )


def notify_published(minutes: Minutes) -> None:
    """Each confirmed registrant gets this version once, whatever the audience becomes later."""
    for registration in _confirmed(minutes.meeting_id).only("pk", "email", "language").order_by("pk"):
        queue_email(
            key=f"minutes-published:{minutes.pk}:{registration.pk}",
            group=_group(minutes),
            to=[registration.email],
            builder="minutes.notifications.published_message",
            params={"minutes_id": minutes.pk, "registration_id": registration.pk},
            language=registration.language,
        )


def published_message(minutes_id: int, registration_id: int) -> Message | None:
    """Dropped unless the version is still approved and published beyond the staff and the
    person still confirmed (not cancelled, not purged)."""
    from .documents import notula
    from .documents.toolkit import DOCX_MIME

    minutes = (
        Minutes.objects.select_related("meeting")
        .filter(pk=minutes_id, state=Minutes.State.APPROVED, audience__in=PUBLISHED_AUDIENCES)
        .first()
    )
    if minutes is None:
        return None
    registration = (
        _confirmed(minutes.meeting_id).select_related("organization").filter(pk=registration_id).first()
    )
    if registration is None:
        return None
    meeting = minutes.meeting
    language = "en" if registration.language == "en" else "id"
    document = Attachment(
        notula.filename(minutes, language),
        DOCX_MIME,
        notula.render(minutes, language=language, with_attendance=False, audience="participants"),
    )
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "registration": registration,
        "manage_url": registration.urls.absolute.private,
        "public_url": meeting.urls.absolute.public if minutes.audience == Minutes.Audience.PUBLIC else "",
        "filename": document.filename,
    }
    return Message("minutes/email/published", context, [document])


# Certificates of attendance --------------------------------------------------------------------


def notify_certificate(certificate) -> None:
    """The certificate to its holder, queued by minutes.services.certificates; each request of
    the organizer sends again (a fresh key)."""
    import time

    registration = certificate.registration
    queue_email(
        key=f"certificate:{certificate.pk}:{time.time_ns()}",
        group=f"meeting:{certificate.meeting_id}",
        to=[registration.email],
        builder="minutes.notifications.certificate_message",
        params={"certificate_id": certificate.pk},
        language=registration.language,
        fresh_key=True,
    )


def certificate_message(certificate_id: int) -> Message | None:
    """Dropped when the certificate was revoked or its holder's data purged since it was queued."""
    from participants.models import Certificate

    from .documents import certificate as certificate_document
    from .documents.toolkit import DOCX_MIME

    certificate = (
        Certificate.objects.select_related("meeting", "registration__organization")
        .filter(pk=certificate_id, revoked_at__isnull=True)
        .exclude(registration__full_name="")
        .exclude(registration__email="")
        .first()
    )
    if certificate is None:
        return None
    registration = certificate.registration
    language = "en" if registration.language == "en" else "id"
    document = Attachment(
        certificate_document.filename(certificate),
        DOCX_MIME,
        certificate_document.render(certificate, language=language),
    )
    context = {
        "meeting": certificate.meeting,
        "registration": registration,
        "certificate": certificate,
        "verify_url": certificate.urls.absolute.verify,
        "manage_url": registration.urls.absolute.private,
        "filename": document.filename,
    }
    return Message("minutes/email/certificate", context, [document])
