"""Agency invitations: organizations invited with a seat quota, and their focal points' nominations.

Nominations go through `registration.register`, so capacity rules (confirmed while a seat is
free, else the waiting list) and the nominee's confirmation email are the same as for the public
form. The quota is checked with the meeting's row locked, the same lock every seat decision takes,
so two focal-point submits at once cannot exceed it.

Decisions where the issue is silent:
- Nominations are accepted while the meeting is published and has not ended, even after the
  public registration window has closed: agencies are often late, and their seats are reserved
  by the quota, not by the window.
- Revoking an invitation kills the focal point's link but leaves the delegates registered: each
  has been told they are registered and holds their own private link; an organizer cancels
  them one by one in the registration list if they should not come.
- Inviting an organization whose invitation was revoked reopens that invitation (same row,
  history kept) with a new link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.text import clean_name
from meetings.models import Meeting

from .. import notifications
from ..models import AgencyInvitation, Organization, Registration
from ..phone import normalize_phone
from . import registration as registration_services

State = AgencyInvitation.State
ACTIVE = Registration.ACTIVE_STATES
# Statuses in which organizers may still invite agencies and remind them.
INVITING_STATUSES = (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED)
BULK_MAX_LINES = 200


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


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
    return Registration.objects.filter(invitation=invitation, state__in=ACTIVE).count()


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
) -> AgencyInvitation:
    """Invite an organization with a number of seats and email its focal point a private link."""
    meeting = _lock(meeting)
    if reason := inviting_closed_reason(meeting):
        raise ValidationError(reason)
    errors = _quota_errors(quota)
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
    invitation.invited_by = actor if getattr(actor, "is_authenticated", False) else None
    if existing is not None:
        # Reopening: a fresh link (the revoked one stays dead), counted as a new invitation.
        invitation.state = State.INVITED
        invitation.token_version += 1
        invitation.invited_at = timezone.now()
        invitation.responded_at = None
        invitation.reminded_at = None
        invitation.reminder_count = 0
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
    notifications.invitation(invitation)
    return invitation


def _quota_below_active_message(active: int) -> str:
    return _(
        "%(count)d delegates are nominated already; the quota cannot be lower. "
        "Ask the focal point to withdraw some first."
    ) % {"count": active}


@transaction.atomic
def update_quota(invitation: AgencyInvitation, *, actor, quota: int) -> AgencyInvitation:
    """Change an agency's number of seats; never below the delegates it has nominated."""
    _lock(invitation.meeting)
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
    meeting = _lock(meeting)
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
        notifications.invitation(invitation, reminder=True)
        reminded += 1
    return reminded


# Bulk invitations: "acronym-or-name;email;quota[;focal point name]" per line ------------------


@dataclass
class BulkLineError:
    line: int
    text: str
    message: str


@dataclass
class BulkReport:
    created: list[AgencyInvitation] = field(default_factory=list)
    errors: list[BulkLineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _BulkLine:
    line: int
    text: str
    organization: Organization
    email: str
    quota: int
    name: str


def _find_organization(name: str) -> tuple[Organization | None, str]:
    matches = list(
        Organization.objects.filter(Q(name__iexact=name) | Q(acronym__iexact=name)).order_by("id")[:3]
    )
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


def invite_many(meeting: Meeting, text: str, *, actor, language: str = "id") -> BulkReport:
    """Invite several organizations from pasted lines: all of them, or none when a line is wrong."""
    report = BulkReport()
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        report.errors.append(BulkLineError(0, "", _("Paste at least one line.")))
        return report
    if len(lines) > BULK_MAX_LINES:
        report.errors.append(
            BulkLineError(0, "", _("At most %(max)d lines at once.") % {"max": BULK_MAX_LINES})
        )
        return report
    if reason := inviting_closed_reason(meeting):
        report.errors.append(BulkLineError(0, "", reason))
        return report
    seen: dict[int, int] = {}
    parsed = []
    for number, line in lines:
        result = _parse_bulk_line(number, line, meeting, seen)
        if isinstance(result, str):
            report.errors.append(BulkLineError(number, line, result))
        else:
            parsed.append(result)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for item in parsed:
                try:
                    report.created.append(
                        invite(
                            meeting,
                            actor=actor,
                            organization=item.organization,
                            quota=item.quota,
                            focal_point_email=item.email,
                            focal_point_name=item.name,
                            language=language,
                        )
                    )
                except ValidationError as exc:
                    report.errors.append(BulkLineError(item.line, item.text, " ".join(exc.messages)))
            if report.errors:
                raise _RollBack
    except _RollBack:
        report.created = []
    return report


class _RollBack(Exception):
    pass


# Focal point's side -------------------------------------------------------------------------


def _locked_open_invitation(invitation: AgencyInvitation) -> tuple[Meeting, AgencyInvitation]:
    meeting = _lock(invitation.meeting)
    invitation = (
        AgencyInvitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    invitation.meeting = meeting
    if invitation.state == State.REVOKED:
        raise ValidationError(_("This invitation has been revoked."))
    if reason := nomination_closed_reason(meeting):
        raise ValidationError(reason)
    return meeting, invitation


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
) -> Registration:
    """Register one delegate of the agency, within its quota.

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
    existing = Registration.objects.select_for_update().filter(meeting=meeting, email=email).first()
    if existing is not None and existing.is_active:
        if existing.invitation_id == invitation.pk:
            raise ValidationError({"email": _("This person is already one of your delegates.")})
        if existing.invitation_id is not None:
            raise ValidationError({"email": _("This person has already been nominated by another agency.")})
        # Registered on the public form already: the seat they hold now counts toward the quota.
        existing.invitation = invitation
        existing.save(update_fields=["invitation", "updated_at"])
        audit.record(existing, "registration.attached_to_invitation", actor, invitation=invitation.pk)
        registration = existing
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
        if outcome.result == "existing":
            # A registration the organizers declined: only they can reverse that.
            raise ValidationError(
                {"email": _("This email cannot be nominated; please contact the organizers.")}
            )
        registration = outcome.registration
    mark_responded(invitation, actor=actor)
    audit.record(invitation, "invitation.nominated", actor, registration=registration.code)
    return registration


def mark_responded(invitation: AgencyInvitation, *, actor=None) -> AgencyInvitation:
    """The agency has answered (its first nomination); later calls change nothing."""
    if invitation.state == State.INVITED:
        invitation.state = State.RESPONDED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["state", "responded_at"])
        audit.record(invitation, "invitation.responded", actor)
    return invitation


def _own_active(invitation: AgencyInvitation, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.invitation_id != invitation.pk:
        raise ValidationError(_("This delegate does not belong to your agency."))
    if not registration.is_active:
        raise ValidationError(_("This delegate has been withdrawn already."))
    return registration


def _cancel(registration: Registration, *, actor) -> Registration:
    try:
        return registration_services.cancel(registration, actor=actor)
    except registration_services.RegistrationError as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def replace_delegate(
    invitation: AgencyInvitation,
    registration: Registration,
    *,
    full_name: str,
    email: str,
    mode: str,
    position: str = "",
    phone: str = "",
    language: str = "id",
    authorised: bool = False,
    actor=None,
) -> Registration:
    """Cancel one delegate and nominate another in their place, both or neither.

    The freed seat goes to the waiting list first (as any cancellation's does), so the new
    delegate is confirmed only if a seat is still free; capacity rules are never bypassed.
    """
    _locked_open_invitation(invitation)
    registration = _own_active(invitation, registration)
    if not authorised:
        raise ValidationError(
            {"authorised": _("Please confirm that you are authorised to submit your delegates' data.")}
        )
    _cancel(registration, actor=actor)
    audit.record(invitation, "invitation.delegate_replaced", actor, old_registration=registration.code)
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
def withdraw_delegate(
    invitation: AgencyInvitation, registration: Registration, *, actor=None
) -> Registration:
    """The focal point withdraws a delegate: their registration is cancelled and they are told."""
    _locked_open_invitation(invitation)
    registration = _own_active(invitation, registration)
    registration = _cancel(registration, actor=actor)
    audit.record(invitation, "invitation.delegate_withdrawn", actor, registration=registration.code)
    return registration
