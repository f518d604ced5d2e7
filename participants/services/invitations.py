"""Agency invitations: organizations invited with a seat quota, and their focal points' nominations.

Each nomination is kept as the focal point typed it (`Nomination`): their page shows and changes
only that. A nomination of a new address goes through `registration.register`, so capacity rules
(confirmed while a seat is free, else the waiting list) and the nominee's confirmation email are
the same as for the public form; an address registered already is never touched, its owner is
asked by email instead (see `nominate`). The quota is checked with the meeting's row locked, the
same lock every seat decision takes, so two focal-point submits at once cannot exceed it.

Decisions taken here:
- Nominations are accepted while the meeting is published and has not ended, even after the
  public registration window has closed: agencies are often late, and their seats are reserved
  by the quota, not by the window.
- Revoking an invitation kills the focal point's link but leaves the delegates registered: each
  has been told they are registered and holds their own private link; an organizer cancels
  them one by one in the registration list if they should not come.
- Inviting an organization whose invitation was revoked reopens that invitation (same row,
  history kept) with a new link.
- A nomination waiting for its person's answer takes one of the agency's seats, as a new
  delegate does: otherwise the seat count would tell the focal point which one is which. The
  focal point sees "nominated" for both, never the seat state (confirmed, waiting) of a
  registration; the delegate is told that by email, the organizers see it in their list.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from core.phone import normalize_phone
from core.text import clean_name
from core.timezones import zone_label
from core.transactions import Rollback
from directory.models import Organization
from meetings.models import Meeting

from .. import notifications
from ..models import AgencyInvitation, Nomination, Registration
from . import registration as registration_services
from .bulk import BulkReport

logger = logging.getLogger(__name__)
State = AgencyInvitation.State
ACTIVE = Registration.ACTIVE_STATES
NominationState = Nomination.State
# Statuses in which organizers may still invite agencies and remind them.
INVITING_STATUSES = (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED)
BULK_MAX_LINES = 200


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def inviting_closed_reason(meeting: Meeting) -> str | None:
    """Why organizers cannot invite (or remind) agencies for this meeting now, or None."""
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting has been cancelled.")
    if meeting.status not in INVITING_STATUSES:
        return _("This meeting has taken place; agencies can no longer be invited.")
    return None


def nomination_closed_reason(meeting: Meeting, now=None) -> str | None:
    """Why a focal point cannot nominate delegates now, or None when they can."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting has been cancelled.")
    if meeting.status == Meeting.Status.DRAFT:
        return _("Nominations open when the organizers publish the meeting. Please come back later.")
    if meeting.status != Meeting.Status.PUBLISHED:
        return _("This meeting has ended.")
    last = max(meeting.days.all(), key=lambda day: day.date, default=None)
    if last and now >= last.ends_at():
        return _("This meeting has ended.")
    return None


def active_count(invitation: AgencyInvitation) -> int:
    """The agency's seats taken: its delegates registered, and those asked to accept."""
    return _seat_holding(Nomination.objects.filter(invitation=invitation)).count()


def capacity_warning(meeting: Meeting) -> str | None:
    """A warning when the agencies' seats add up to more than the meeting holds, or None.

    Not a refusal: agencies rarely fill every seat, and a delegate who finds no seat is placed
    on the waiting list as anyone else is. A mode without a capacity limit never warns.
    """
    capacities = []
    if meeting.has_onsite:
        capacities.append(meeting.capacity_onsite)
    if meeting.has_online:
        capacities.append(meeting.capacity_online)
    if not capacities or None in capacities:
        return None
    capacity = sum(capacities)
    seats = sum(
        AgencyInvitation.objects.filter(meeting=meeting)
        .exclude(state=State.REVOKED)
        .values_list("quota", flat=True)
    )
    if seats <= capacity:
        return None
    return _(
        "The agencies' seats add up to %(seats)d, more than the meeting's capacity (%(capacity)d). "
        "Agencies may nominate more people than there are seats; those who find no seat go on the "
        "waiting list."
    ) % {"seats": seats, "capacity": capacity}


def _quota_errors(quota) -> dict[str, str]:
    if not isinstance(quota, int) or quota < 1:
        return {"quota": _("Give at least one seat.")}
    return {}


# Organizer's side ---------------------------------------------------------------------------


@transaction.atomic
def invite(
    meeting: Meeting,
    *,
    actor,
    organization: Organization,
    quota: int,
    focal_point_email: str,
    focal_point_name: str = "",
    language: str = "id",
    nomination_deadline: datetime | None = None,
) -> AgencyInvitation:
    """Invite an organization with a number of seats and email its focal point a private link.

    With a nomination deadline, the focal point gets one reminder some hours before it
    (SINERGI_NOMINATION_REMINDER_HOURS) if they have not nominated anyone by then.
    """
    meeting = Meeting.objects.lock(meeting.pk)
    if reason := inviting_closed_reason(meeting):
        raise ValidationError(reason)
    errors = _quota_errors(quota) | _deadline_errors(nomination_deadline)
    if language not in _language_codes():
        errors["language"] = _("Choose Indonesian or English.")
    existing = AgencyInvitation.objects.filter(meeting=meeting, organization=organization).first()
    if existing is not None and existing.state != State.REVOKED:
        errors["organization"] = _("This organization is already invited to this meeting.")
    if errors:
        raise ValidationError(errors)

    invitation = existing or AgencyInvitation(meeting=meeting, organization=organization)
    invitation.quota = quota
    invitation.focal_point_email = focal_point_email.strip().lower()
    invitation.focal_point_name = clean_name(focal_point_name)
    invitation.language = language
    invitation.nomination_deadline = nomination_deadline
    invitation.invited_by = actor if getattr(actor, "is_authenticated", False) else None
    if existing is not None:
        # Reopening: a fresh link (the revoked one stays dead), counted as a new invitation.
        invitation.state = State.INVITED
        invitation.token_version += 1
        invitation.invited_at = timezone.now()
        invitation.responded_at = None
        invitation.reminded_at = None
        invitation.reminder_count = 0
        invitation.deadline_reminder_for = None
    invitation.full_clean(exclude=["meeting", "organization", "invited_by"], validate_unique=False)
    if existing is not None and quota < active_count(invitation):
        raise ValidationError({"quota": _quota_below_active_message(active_count(invitation))})
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as err:
        # Another organizer invited the same organization between the check and the insert.
        raise ValidationError(
            {"organization": _("This organization is already invited to this meeting.")}
        ) from err
    audit.record(
        invitation,
        "invitation.reopened" if existing else "invitation.created",
        actor,
        organization=str(organization),
        quota=quota,
        focal_point=invitation.focal_point_email,
    )
    notifications.notify_invitation(invitation)
    _plan_deadline_reminder(invitation)
    return invitation


def _deadline_errors(deadline: datetime | None) -> dict[str, str]:
    if deadline is not None and deadline <= timezone.now():
        return {"nomination_deadline": _("The nomination deadline must be in the future.")}
    return {}


def deadline_passed(invitation: AgencyInvitation, now=None) -> bool:
    deadline = invitation.nomination_deadline
    return deadline is not None and (now or timezone.now()) >= deadline


def _plan_deadline_reminder(invitation: AgencyInvitation) -> None:
    """Enqueue the reminder before the deadline, in the caller's transaction; the task checks
    again when it runs, so a deadline changed since (or an answer) makes it do nothing."""
    from ..tasks import send_deadline_reminder

    deadline = invitation.nomination_deadline
    if deadline is None:
        return
    due = max(timezone.now(), deadline - timedelta(hours=settings.SINERGI_NOMINATION_REMINDER_HOURS))
    if send_deadline_reminder.get_backend().supports_defer:
        send_deadline_reminder.using(run_after=due).enqueue(invitation.pk, deadline.isoformat())
    else:
        # Run now it would remind days early; without a deferring backend there is no reminder.
        logger.warning(
            "Task backend cannot defer; no reminder before the deadline of invitation %s", invitation.pk
        )


@transaction.atomic
def set_deadline(
    invitation: AgencyInvitation, *, actor, nomination_deadline: datetime | None
) -> AgencyInvitation:
    """Set, extend or remove an invitation's nomination deadline (a new one re-arms its reminder)."""
    meeting = Meeting.objects.lock(invitation.meeting.pk)
    invitation = AgencyInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.meeting = meeting
    if invitation.state == State.REVOKED:
        raise ValidationError(_("This invitation has been revoked."))
    if reason := inviting_closed_reason(meeting):
        raise ValidationError(reason)
    if errors := _deadline_errors(nomination_deadline):
        raise ValidationError(errors)
    old = invitation.nomination_deadline
    if nomination_deadline != old:
        invitation.nomination_deadline = nomination_deadline
        invitation.save(update_fields=["nomination_deadline"])
        audit.record(
            invitation,
            "invitation.deadline_changed",
            actor,
            old_deadline=old.isoformat() if old else None,
            new_deadline=nomination_deadline.isoformat() if nomination_deadline else None,
        )
        _plan_deadline_reminder(invitation)
    return invitation


@transaction.atomic
def send_deadline_reminder(invitation_id: int, deadline: str) -> bool:
    """The one reminder before a deadline, to a focal point who has not nominated anyone yet.

    Sent only while that deadline still stands and has not passed, and only once per deadline
    (a retried or doubled task finds it recorded). Returns whether it was sent.
    """
    invitation = (
        AgencyInvitation.objects.select_for_update()
        .select_related("meeting")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.nomination_deadline is None:
        return False
    due_for = invitation.nomination_deadline
    if (
        due_for != datetime.fromisoformat(deadline)
        or invitation.deadline_reminder_for == due_for
        or invitation.state != State.INVITED
        or deadline_passed(invitation)
        or inviting_closed_reason(invitation.meeting)
        or nomination_closed_reason(invitation.meeting)
    ):
        return False
    invitation.deadline_reminder_for = due_for
    invitation.reminded_at = timezone.now()
    invitation.reminder_count += 1
    invitation.save(update_fields=["deadline_reminder_for", "reminded_at", "reminder_count"])
    audit.record(invitation, "invitation.deadline_reminded", None, reminder_count=invitation.reminder_count)
    notifications.notify_invitation(invitation, reminder=True)
    return True


def _quota_below_active_message(active: int) -> str:
    return _(
        "%(count)d delegates are nominated already; the quota cannot be lower. "
        "Ask the focal point to withdraw some first."
    ) % {"count": active}


@transaction.atomic
def update_quota(invitation: AgencyInvitation, *, actor, quota: int) -> AgencyInvitation:
    """Change an agency's number of seats; never below the delegates it has nominated."""
    Meeting.objects.lock(invitation.meeting.pk)
    invitation = AgencyInvitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    if invitation.state == State.REVOKED:
        raise ValidationError(_("This invitation has been revoked."))
    if errors := _quota_errors(quota):
        raise ValidationError(errors)
    active = active_count(invitation)
    if quota < active:
        raise ValidationError({"quota": _quota_below_active_message(active)})
    old = invitation.quota
    if quota != old:
        invitation.quota = quota
        invitation.save(update_fields=["quota"])
        audit.record(invitation, "invitation.quota_changed", actor, old_quota=old, new_quota=quota)
    return invitation


@transaction.atomic
def revoke(invitation: AgencyInvitation, *, actor) -> AgencyInvitation:
    """Close the focal point's link. Delegates already nominated stay registered (see above)."""
    invitation = AgencyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state == State.REVOKED:
        raise ValidationError(_("This invitation has been revoked already."))
    old_state = invitation.state
    invitation.state = State.REVOKED
    invitation.token_version += 1
    invitation.save(update_fields=["state", "token_version"])
    audit.record(
        invitation,
        "invitation.revoked",
        actor,
        old_state=old_state,
        delegates_kept=active_count(invitation),
    )
    return invitation


@transaction.atomic
def remind(target, *, actor) -> int:
    """Email a reminder to every invitation (of a meeting, or among those given) not answered yet.

    Revoked invitations and those that have nominated someone are skipped. Returns how many
    focal points were reminded.
    """
    if isinstance(target, Meeting):
        meeting, pks = target, None
    else:
        invitations = list(target)
        if not invitations:
            return 0
        meeting, pks = invitations[0].meeting, [inv.pk for inv in invitations]
    meeting = Meeting.objects.lock(meeting.pk)
    if reason := inviting_closed_reason(meeting):
        raise ValidationError(reason)
    # Only this meeting's invitations, read again under their row locks: one that was answered
    # or revoked a moment ago is not reminded.
    candidates = AgencyInvitation.objects.select_for_update().filter(meeting=meeting, state=State.INVITED)
    if pks is not None:
        candidates = candidates.filter(pk__in=pks)
    now = timezone.now()
    reminded = 0
    for invitation in candidates.order_by("pk"):
        invitation.meeting = meeting
        invitation.reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["reminded_at", "reminder_count"])
        audit.record(invitation, "invitation.reminded", actor, reminder_count=invitation.reminder_count)
        notifications.notify_invitation(invitation, reminder=True)
        reminded += 1
    return reminded


# Bulk invitations: "acronym-or-name;email;quota[;focal point name]" per line ------------------


@dataclass
class BulkLineError:
    line: int
    text: str
    message: str


@dataclass
class _BulkLine:
    line: int
    text: str
    organization: Organization
    email: str
    quota: int
    name: str


def _find_organization(name: str) -> tuple[Organization | None, str]:
    matches = list(Organization.objects.named(name)[:3])
    exact = [org for org in matches if org.name.lower() == name.lower()]
    if len(exact) == 1:
        return exact[0], ""
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        return None, _("No organization named “%(name)s” in the directory.") % {"name": name}
    return None, _("“%(name)s” matches several organizations; use the full name.") % {"name": name}


def _parse_bulk_line(number: int, text: str, meeting: Meeting, seen: dict[int, int]):
    parts = [p.strip() for p in re.split(r"[;\t]", text)]
    if len(parts) not in (3, 4):
        return _("Write “acronym or name;email;seats”, optionally followed by “;focal point name”.")
    name, email, quota_text = parts[:3]
    focal_name = parts[3] if len(parts) == 4 else ""
    if not name:
        return _("The organization is missing.")
    organization, problem = _find_organization(name)
    if organization is None:
        return problem
    try:
        validate_email(email)
    except ValidationError:
        return _("“%(email)s” is not a valid email address.") % {"email": email}
    try:
        quota = int(quota_text)
    except ValueError:
        quota = 0
    if quota < 1:
        return _("The number of seats must be a whole number of at least 1.")
    if organization.pk in seen:
        return _("%(org)s is listed twice (also on line %(line)d).") % {
            "org": organization,
            "line": seen[organization.pk],
        }
    seen[organization.pk] = number
    existing = AgencyInvitation.objects.filter(meeting=meeting, organization=organization).exclude(
        state=State.REVOKED
    )
    if existing.exists():
        return _("%(org)s is already invited to this meeting.") % {"org": organization}
    return _BulkLine(number, text, organization, email.lower(), quota, focal_name[:200])


def invite_many(
    meeting: Meeting,
    text: str,
    *,
    actor,
    language: str = "id",
    nomination_deadline: datetime | None = None,
) -> BulkReport:
    """Invite several organizations from pasted lines: all of them, or none when a line is wrong."""
    report = BulkReport()
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        report.refused.append(BulkLineError(0, "", _("Paste at least one line.")))
        return report
    if len(lines) > BULK_MAX_LINES:
        report.refused.append(
            BulkLineError(0, "", _("At most %(max)d lines at once.") % {"max": BULK_MAX_LINES})
        )
        return report
    if reason := inviting_closed_reason(meeting):
        report.refused.append(BulkLineError(0, "", reason))
        return report
    seen: dict[int, int] = {}
    parsed = []
    for number, line in lines:
        result = _parse_bulk_line(number, line, meeting, seen)
        if isinstance(result, str):
            report.refused.append(BulkLineError(number, line, result))
        else:
            parsed.append(result)
    if report.refused:
        return report
    try:
        with transaction.atomic():
            for item in parsed:
                try:
                    report.done.append(
                        invite(
                            meeting,
                            actor=actor,
                            organization=item.organization,
                            quota=item.quota,
                            focal_point_email=item.email,
                            focal_point_name=item.name,
                            language=language,
                            nomination_deadline=nomination_deadline,
                        )
                    )
                except ValidationError as exc:
                    report.refused.append(BulkLineError(item.line, item.text, " ".join(exc.messages)))
            if report.refused:
                raise Rollback
    except Rollback:
        report.done = []
    return report


# Focal point's side -------------------------------------------------------------------------


def invitation_closed_reason(invitation: AgencyInvitation, now=None) -> str | None:
    """Why this agency's focal point cannot nominate, replace or withdraw now, or None."""
    if invitation.state == State.REVOKED:
        return _("This invitation has been revoked.")
    if reason := nomination_closed_reason(invitation.meeting, now):
        return reason
    if deadline_passed(invitation, now):
        local = timezone.localtime(invitation.nomination_deadline, ZoneInfo(invitation.meeting.timezone))
        return _(
            "The nomination deadline (%(deadline)s) has passed. To nominate or change delegates now, "
            "ask the organizers to extend it."
        ) % {
            "deadline": f"{formats.date_format(local, 'DATE_FORMAT')} {local:%H.%M} {zone_label(invitation.meeting.timezone)}"
        }
    return None


def _locked_open_invitation(invitation: AgencyInvitation) -> tuple[Meeting, AgencyInvitation]:
    meeting = Meeting.objects.lock(invitation.meeting.pk)
    invitation = (
        AgencyInvitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    invitation.meeting = meeting
    if reason := invitation_closed_reason(invitation):
        raise ValidationError(reason)
    return meeting, invitation


def _own_nominations(invitation: AgencyInvitation):
    return Nomination.objects.filter(invitation=invitation)


def _seat_holding(nominations):
    """The nominations that take one of their agency's seats (as `Nomination.holds_seat`)."""
    return nominations.filter(
        Q(state=NominationState.ASKED)
        | Q(
            state__in=(NominationState.REGISTERED, NominationState.ACCEPTED),
            registration__state__in=ACTIVE,
            registration__invitation=F("invitation"),
        )
    )


@transaction.atomic
def nominate(
    invitation: AgencyInvitation,
    *,
    full_name: str,
    email: str,
    mode: str,
    position: str = "",
    phone: str = "",
    language: str = "id",
    authorised: bool = False,
    actor=None,
) -> Nomination:
    """Nominate one delegate of the agency, within its quota; the answer never depends on others.

    An address with no active registration for the meeting is registered at once (capacity
    rules and the confirmation email as on the public form). An address registered already —
    on the public form, by another agency, or declined by the organizers — is left exactly as
    it is: the person is emailed a link to accept counting as this agency's delegate, and the
    focal point sees the same as for a new person, so the page never tells who is registered.

    `authorised` is the focal point's statement that they may submit the delegate's data; it is
    recorded as the registration's consent.
    """
    meeting, invitation = _locked_open_invitation(invitation)
    if not authorised:
        raise ValidationError(
            {"authorised": _("Please confirm that you are authorised to submit your delegates' data.")}
        )
    if active_count(invitation) >= invitation.quota:
        raise ValidationError(
            _("Your agency's %(quota)d seats are all taken. Replace or withdraw a delegate instead.")
            % {"quota": invitation.quota}
        )
    email = email.strip().lower()
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    if mode not in registration_services.allowed_modes(meeting):
        raise ValidationError({"mode": _("This meeting has no such attendance mode.")})
    own = list(_own_nominations(invitation).filter(email=email).select_related("registration"))
    if any(n.holds_seat for n in own):
        # Only what this focal point typed before: it reveals nothing about anyone else.
        raise ValidationError({"email": _("This person is already one of your delegates.")})
    nomination = Nomination(
        invitation=invitation,
        full_name=clean_name(full_name),
        position=clean_name(position),
        email=email,
        phone=phone,
        mode=mode,
        language=language,
    )
    existing = Registration.objects.select_for_update().filter(meeting=meeting, email=email).first()
    if existing is not None and (existing.is_active or existing.state == Registration.State.DECLINED):
        nomination.state = NominationState.ASKED
        nomination.save()
        notifications.notify_nomination_request(nomination, language=existing.language)
    else:
        try:
            outcome = registration_services.register(
                meeting,
                full_name=full_name,
                email=email,
                mode=mode,
                position=position,
                organization=invitation.organization,
                phone=phone,
                language=language,
                consent=True,
                source=Registration.Source.AGENCY,
                invitation=invitation,
                actor=actor,
                check_window=False,
            )
        except registration_services.RegistrationError as exc:
            raise ValidationError(str(exc)) from exc
        nomination.state = NominationState.REGISTERED
        nomination.registration = outcome.registration
        nomination.save()
    mark_responded(invitation, actor=actor)
    if nomination.state == NominationState.ASKED:
        audit.record(invitation, "invitation.nomination_asked", actor, nomination=nomination.pk)
    else:
        audit.record(
            invitation,
            "invitation.nominated",
            actor,
            registration=_reference(nomination),
            nomination=nomination.pk,
        )
    return nomination


def _reference(nomination: Nomination) -> str:
    """How the audit log names a delegate: the registration's code, else the nomination's number."""
    return nomination.registration.code if nomination.registration_id else f"#{nomination.pk}"


@transaction.atomic
def record_delegate(invitation: AgencyInvitation, registration: Registration, *, actor=None) -> Nomination:
    """Record a delegate registered for the agency outside the nomination form (an organizer's
    records of a past meeting, the demo data) as if its focal point had nominated them."""
    if registration.invitation_id != invitation.pk:
        raise ValidationError(_("This delegate does not belong to your agency."))
    nomination = Nomination.objects.create(
        invitation=invitation,
        registration=registration,
        full_name=registration.full_name,
        position=registration.position,
        email=registration.email,
        phone=registration.phone,
        mode=registration.mode,
        language=registration.language,
        state=NominationState.REGISTERED,
    )
    audit.record(
        invitation, "invitation.nominated", actor, registration=registration.code, nomination=nomination.pk
    )
    return nomination


def mark_responded(invitation: AgencyInvitation, *, actor=None) -> AgencyInvitation:
    """The agency has answered (its first nomination); later calls change nothing."""
    if invitation.state == State.INVITED:
        invitation.state = State.RESPONDED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["state", "responded_at"])
        audit.record(invitation, "invitation.responded", actor)
    return invitation


def _own_seat_holding(invitation: AgencyInvitation, nomination: Nomination) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("registration")
        .get(pk=nomination.pk)
    )
    if nomination.invitation_id != invitation.pk:
        raise ValidationError(_("This delegate does not belong to your agency."))
    if not nomination.holds_seat:
        raise ValidationError(_("This delegate has been withdrawn already."))
    return nomination


def _withdraw(invitation: AgencyInvitation, nomination: Nomination, *, actor) -> Nomination:
    """Undo what the nomination did, and nothing else: a registration it created is cancelled
    (the person is told); one the person accepted to lend stays registered, no longer counted."""
    registration = nomination.registration
    if nomination.state == NominationState.REGISTERED:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        try:
            registration_services.cancel(registration, actor=actor)
        except registration_services.RegistrationError as exc:
            raise ValidationError(str(exc)) from exc
    elif nomination.state == NominationState.ACCEPTED:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.invitation = None
        registration.save(update_fields=["invitation", "updated_at"])
        audit.record(registration, "registration.detached_from_invitation", actor, invitation=invitation.pk)
    nomination.state = NominationState.WITHDRAWN
    nomination.withdrawn_at = timezone.now()
    nomination.save(update_fields=["state", "withdrawn_at"])
    return nomination


@transaction.atomic
def replace_delegate(
    invitation: AgencyInvitation,
    nomination: Nomination,
    *,
    full_name: str,
    email: str,
    mode: str,
    position: str = "",
    phone: str = "",
    language: str = "id",
    authorised: bool = False,
    actor=None,
) -> Nomination:
    """Withdraw one delegate and nominate another in their place, both or neither.

    A seat freed by a cancellation goes to the waiting list first (as any cancellation's does),
    so the new delegate is confirmed only if a seat is still free; capacity rules are never
    bypassed.
    """
    _locked_open_invitation(invitation)
    nomination = _own_seat_holding(invitation, nomination)
    if not authorised:
        raise ValidationError(
            {"authorised": _("Please confirm that you are authorised to submit your delegates' data.")}
        )
    _withdraw(invitation, nomination, actor=actor)
    audit.record(
        invitation,
        "invitation.delegate_replaced",
        actor,
        old_registration=_reference(nomination),
        nomination=nomination.pk,
    )
    return nominate(
        invitation,
        full_name=full_name,
        email=email,
        mode=mode,
        position=position,
        phone=phone,
        language=language,
        authorised=authorised,
        actor=actor,
    )


@transaction.atomic
def withdraw_delegate(invitation: AgencyInvitation, nomination: Nomination, *, actor=None) -> Nomination:
    """The focal point withdraws a delegate (see `_withdraw` for what that changes)."""
    _locked_open_invitation(invitation)
    nomination = _own_seat_holding(invitation, nomination)
    nomination = _withdraw(invitation, nomination, actor=actor)
    audit.record(
        invitation,
        "invitation.delegate_withdrawn",
        actor,
        registration=_reference(nomination),
        nomination=nomination.pk,
    )
    return nomination


# The nominated person's side ------------------------------------------------------------------


def acceptance_closed_reason(nomination: Nomination) -> str | None:
    """Why the person cannot accept this nomination now, or None."""
    invitation = nomination.invitation
    if nomination.state == NominationState.ACCEPTED:
        return _("You have accepted this nomination already.")
    if nomination.state != NominationState.ASKED or invitation.state == State.REVOKED:
        return _("This nomination has been withdrawn.")
    return nomination_closed_reason(invitation.meeting)


@transaction.atomic
def accept_nomination(nomination: Nomination, *, actor=None) -> Registration:
    """The registered person agrees to count as the agency's delegate: their registration is
    attached to the invitation and is otherwise unchanged (same attendance, seat and link)."""
    meeting = Meeting.objects.lock(nomination.invitation.meeting.pk)
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("invitation__meeting")
        .get(pk=nomination.pk)
    )
    nomination.invitation.meeting = meeting
    if reason := acceptance_closed_reason(nomination):
        raise ValidationError(reason)
    invitation = nomination.invitation
    registration = (
        Registration.objects.select_for_update().filter(meeting=meeting, email=nomination.email).first()
    )
    if registration is None or not registration.is_active:
        raise ValidationError(
            _("Your registration for this meeting is not active; please contact the organizers.")
        )
    if registration.invitation_id not in (None, invitation.pk):
        raise ValidationError(
            _(
                "You are registered as the delegate of another agency. Ask its focal point to "
                "withdraw you first, or contact the organizers."
            )
        )
    registration.invitation = invitation
    registration.save(update_fields=["invitation", "updated_at"])
    audit.record(registration, "registration.attached_to_invitation", actor, invitation=invitation.pk)
    nomination.state = NominationState.ACCEPTED
    nomination.registration = registration
    nomination.accepted_at = timezone.now()
    nomination.save(update_fields=["state", "registration", "accepted_at"])
    audit.record(
        invitation,
        "invitation.nomination_accepted",
        actor,
        registration=registration.code,
        nomination=nomination.pk,
    )
    return registration
