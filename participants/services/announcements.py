"""An organizer's own message to all or some of a meeting's registrants, one queued email each."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import audit
from meetings.models import Meeting

from .. import notifications
from ..models import Announcement, Registration

State = Registration.State
AUDIENCE_STATES = notifications.ANNOUNCEMENT_STATES
SUBJECT_MAX = 200
BODY_MAX = 10_000
# Announcement emails already in the outbox name their builder by this path (it moved to notifications).
announcement_message = notifications.announcement_message


def clean_audience(audience: dict) -> dict:
    """The audience in its stored form: {"states": [...], "modes": [...], "organizations": [ids]}.

    An empty list of modes or organizations means all of them; states default to confirmed.
    """
    states = list(audience.get("states") or [State.CONFIRMED])
    modes = list(audience.get("modes") or [])
    organizations = sorted({int(pk) for pk in audience.get("organizations") or []})
    errors = {}
    if not set(states) <= set(AUDIENCE_STATES):
        errors["states"] = _("Messages go only to confirmed, waiting or pending registrations.")
    if not set(modes) <= set(Registration.Mode.values):
        errors["modes"] = _("Choose on-site or online.")
    if errors:
        raise ValidationError(errors)
    order = {state: i for i, state in enumerate(AUDIENCE_STATES)}
    return {
        "states": sorted(set(states), key=order.get),
        "modes": sorted(set(modes)),
        "organizations": organizations,
    }


def audience_queryset(meeting: Meeting, audience: dict) -> QuerySet[Registration]:
    """The registrations an audience (as `clean_audience` returns it) reaches."""
    qs = Registration.objects.filter(meeting=meeting, state__in=audience["states"]).exclude(full_name="")
    if audience["modes"]:
        qs = qs.filter(mode__in=audience["modes"])
    if audience["organizations"]:
        qs = qs.filter(organization_id__in=audience["organizations"])
    return qs.order_by("pk")


def _clean_text(subject: str, body: str) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("The subject can have at most %(max)d characters.") % {"max": SUBJECT_MAX}
    if not body:
        errors["body"] = _("Write the message.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("The message can have at most %(max)d characters.") % {"max": BODY_MAX}
    if errors:
        raise ValidationError(errors)
    return subject, body


@transaction.atomic
def send_announcement(meeting: Meeting, *, actor, subject: str, body: str, audience: dict) -> Announcement:
    """Store the message and queue one email per registration in the audience, all or nothing.

    Raises ValidationError (by field) for an empty subject or message, a state outside the
    allowed ones, or an audience that reaches nobody.
    """
    subject, body = _clean_text(subject, body)
    audience = clean_audience(audience)
    recipients = list(audience_queryset(meeting, audience).values_list("pk", "email", "language"))
    if not recipients:
        raise ValidationError(_("No registration matches this selection; nothing was sent."))
    announcement = Announcement.objects.create(
        meeting=meeting,
        subject=subject,
        body=body,
        audience=audience,
        recipient_count=len(recipients),
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for pk, email, language in recipients:
        notifications.notify_announcement(announcement, pk, email, language or settings.LANGUAGE_CODE)
    audit.record(
        meeting,
        "meeting.announcement_sent",
        actor,
        announcement=announcement.pk,
        subject=subject,
        audience=audience,
        recipients=len(recipients),
    )
    return announcement
