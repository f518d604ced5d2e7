"""Registrations: placing a person on a seat, the waiting list or the approval queue, and back.

Every function that can change who holds a seat locks the meeting's row first. That one lock
serialises seat decisions per meeting on PostgreSQL (SELECT ... FOR UPDATE) and SQLite (the
write transaction), so concurrent submits never overbook and two cancellations at once promote
two different people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.text import clean_name
from directory.models import Organization
from meetings.models import Meeting

from .. import notifications
from ..models import AgencyInvitation, Registration

State = Registration.State
Mode = Registration.Mode


class RegistrationError(Exception):
    """A registration that cannot be made or changed; the message is for the person."""


@dataclass
class Outcome:
    registration: Registration
    # "confirmed", "waitlisted", "pending", or "existing" (the email was registered already)
    result: str


def capacity(meeting: Meeting, mode: str) -> int | None:
    """Seats for a mode; None means unlimited, 0 means the meeting has no such part."""
    if mode == Mode.ONSITE:
        return meeting.capacity_onsite if meeting.has_onsite else 0
    return meeting.capacity_online if meeting.has_online else 0


def allowed_modes(meeting: Meeting) -> list[str]:
    return [m for m in (Mode.ONSITE, Mode.ONLINE) if capacity(meeting, m) != 0]


def confirmed_counts(meeting: Meeting) -> dict[str, int]:
    rows = (
        Registration.objects.filter(meeting=meeting, state=State.CONFIRMED)
        .values("mode")
        .annotate(n=Count("id"))
    )
    counts = {Mode.ONSITE: 0, Mode.ONLINE: 0}
    counts.update({row["mode"]: row["n"] for row in rows})
    return counts


def full_modes(meeting: Meeting) -> frozenset[str]:
    """The modes whose seats are all taken right now (a new registration would wait)."""
    counts = confirmed_counts(meeting)
    return frozenset(
        mode
        for mode in allowed_modes(meeting)
        if (limit := capacity(meeting, mode)) is not None and counts.get(mode, 0) >= limit
    )


def _has_seat(meeting: Meeting, mode: str, *, ignoring: Registration | None = None) -> bool:
    limit = capacity(meeting, mode)
    if limit is None:
        return True
    taken = Registration.objects.filter(meeting=meeting, mode=mode, state=State.CONFIRMED)
    if ignoring is not None:
        taken = taken.exclude(pk=ignoring.pk)
    return taken.count() < limit


def waiting_position(registration: Registration) -> int | None:
    """1 for the next person to get a seat of their mode, 2 for the one after; None if not waiting."""
    if registration.state != State.WAITLISTED:
        return None
    waiting = Registration.objects.filter(
        meeting_id=registration.meeting_id, mode=registration.mode, state=State.WAITLISTED
    )
    # The order promote_waiting follows: first waiting first, ties by id.
    if registration.waitlisted_at is None:
        ahead = waiting.filter(id__lt=registration.id)
    else:
        ahead = waiting.filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, id__lt=registration.id)
        )
    return ahead.count() + 1


def registration_closed_reason(meeting: Meeting, now=None) -> str | None:
    """Why the public form refuses registrations now, or None when it is open."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting has been cancelled.")
    if meeting.status != Meeting.Status.PUBLISHED:
        return _("Registration is not open for this meeting.")
    if meeting.registration_opens_at and now < meeting.registration_opens_at:
        return _("Registration has not opened yet.")
    if meeting.registration_closes_at and now >= meeting.registration_closes_at:
        return _("Registration has closed.")
    if _has_ended(meeting, now):
        return _("This meeting has ended.")
    return None


def _has_ended(meeting: Meeting, now) -> bool:
    """Whether the meeting's last day is over. The services keep `ends_on` (the last day's date)
    with the days, under the meeting's lock: only on that day itself are the hours read."""
    if meeting.ends_on is not None:
        today = now.astimezone(meeting.tz).date()
        if today != meeting.ends_on:
            return today > meeting.ends_on
    # days.all() uses the public page's prefetch when there is one (no extra query there).
    last = max(meeting.days.all(), key=lambda day: day.date, default=None)
    return bool(last and now >= last.ends_at())


def _place(
    meeting: Meeting, registration: Registration, *, moderated: bool, over_capacity: bool, counts=None
) -> str:
    """Decide the state of a new or reactivated registration (the meeting is locked); `counts`
    are its mode's _seat_counts when the caller has them."""
    now = timezone.now()
    if moderated:
        registration.state = State.PENDING
    elif over_capacity or _seat_for(meeting, registration, registration.mode, counts=counts):
        registration.state = State.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.state = State.WAITLISTED
        registration.waitlisted_at = now
    return registration.state


def match_organization(name: str) -> Organization | None:
    """The directory's organization with this exact name or acronym (case-insensitive)."""
    name = name.strip()
    if not name:
        return None
    return Organization.objects.named(name).first()


def _match(name: str) -> Subquery:
    """match_organization's choice as a subquery (its id, or NULL)."""
    return Subquery(Organization.objects.named(name.strip()).values("pk")[:1])


def _notify_already_registered(registration: Registration) -> bool:
    """Email the person about their registration, unless one such email went out recently.

    Anyone can type a victim's address into the public form as often as they like; the answer
    on the page never changes, and the person hears about it once per interval. Runs with the
    meeting locked, so two submissions at once cannot both send.
    """
    now = timezone.now()
    interval = timedelta(minutes=settings.SINERGI_DUPLICATE_NOTICE_INTERVAL_MINUTES)
    last = registration.duplicate_notice_at
    if last is not None and now - last < interval:
        return False
    registration.duplicate_notice_at = now
    registration.save(update_fields=["duplicate_notice_at"])
    notifications.notify_already_registered(registration)
    return True


@transaction.atomic
def register(
    meeting: Meeting,
    *,
    full_name: str,
    email: str,
    mode: str,
    position: str = "",
    organization: Organization | None = None,
    organization_name: str = "",
    phone: str = "",
    language: str = "id",
    consent: bool = False,
    public_listing: bool = False,
    user=None,
    source: str = Registration.Source.PUBLIC,
    invitation: AgencyInvitation | None = None,
    actor=None,
    check_window: bool = True,
    over_capacity: bool = False,
) -> Outcome:
    """Register a person for a meeting, or tell them (by email) that they already are.

    A second registration with the same email creates nothing: the person gets an email about
    the registration they have, and the caller gets result "existing" (the public form answers
    the same either way, so it reveals nothing about who registered). `over_capacity` confirms
    even when the mode is full: an organizer admitting a walk-in at the door.
    """
    email = email.strip().lower()
    full_name, organization_name = clean_name(full_name), clean_name(organization_name)
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's name.")})
    # One query takes the lock and reads what the registration needs besides the meeting: the
    # room (the confirmation waits for a Zoom link or not) and the typed organization's match
    # in the directory.
    typed = organization is None and organization_name
    meeting = Meeting.objects.lock(
        meeting.pk,
        with_room=True,
        **({"matched_organization": _match(organization_name)} if typed else {}),
    )
    if check_window:
        reason = registration_closed_reason(meeting)
        if reason:
            raise RegistrationError(reason)
    if mode not in allowed_modes(meeting):
        raise ValidationError({"mode": _("This meeting has no such attendance mode.")})
    if source == Registration.Source.PUBLIC and not consent:
        raise ValidationError({"consent": _("Please agree to the processing of your personal data.")})
    # One query for whether the email is registered and, for a new registration, its seat.
    found = Registration.objects.filter(meeting=meeting).aggregate(
        existing=Max("pk", filter=Q(email=email)), **_seat_counts(mode, Q())
    )
    existing = None
    if found["existing"] is not None:
        existing = Registration.objects.get(pk=found["existing"])
        existing.meeting = meeting
    # An organizer's decline stands: registering again must not undo it.
    if existing is not None and (existing.is_active or existing.state == State.DECLINED):
        notified = _notify_already_registered(existing)
        audit.record(existing, "registration.duplicate_attempt", actor, notified=notified)
        return Outcome(existing, "existing")

    registration = existing or Registration(meeting=meeting, email=email)
    registration.full_name = full_name
    registration.position = clean_name(position)
    if typed:
        registration.organization_id = meeting.matched_organization  # loaded when first used
    else:
        registration.organization = organization
    registration.organization_name = "" if registration.organization_id else organization_name
    registration.phone = phone
    registration.mode = mode
    registration.language = language
    registration.consent_at = timezone.now() if consent else registration.consent_at
    registration.public_listing = public_listing
    registration.user = user if getattr(user, "is_authenticated", False) else registration.user
    registration.source = source
    registration.invitation = invitation
    registration.cancelled_at = None
    moderated = meeting.moderation and source == Registration.Source.PUBLIC
    result = _place(
        meeting,
        registration,
        moderated=moderated,
        over_capacity=over_capacity,
        counts=None if existing else found,
    )
    if existing is not None:
        # Whoever held the old link must not control the new registration.
        registration.token_version += 1
    # Field checks only: the meeting is locked and the email looked up above, so the foreign-key
    # and uniqueness queries of a full validation would only repeat what is known.
    registration.full_clean(
        exclude=["state", "code", "meeting", "organization", "invitation", "user"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        # No savepoint of its own: the error leaves this function, whose transaction (or
        # savepoint, when a caller's transaction is open) rolls back.
        registration.save()
    except IntegrityError as err:
        # The same email raced in on another connection; the meeting lock makes this rare.
        raise RegistrationError(_("Please try again.")) from err
    audit.record(
        registration,
        "registration.reactivated" if existing else "registration.created",
        actor,
        state=result,
        mode=mode,
        source=source,
        **({"over_capacity": True} if over_capacity else {}),
    )
    notifications.notify_registration_changed(registration)
    return Outcome(registration, result)


def promote_waiting(
    meeting: Meeting,
    mode: str,
    *,
    actor=None,
    exclude: Registration | None = None,
    ahead_of: Registration | None = None,
) -> list[Registration]:
    """Fill free seats of a mode from its waiting list, first come first served.

    `ahead_of` limits the promotion to the people before that registration in the queue (all
    who wait, when it is not waiting in that mode itself). Call with the meeting locked (inside
    another service).
    """
    promoted = []
    waiting = Registration.objects.select_for_update().filter(
        meeting=meeting, mode=mode, state=State.WAITLISTED
    )
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    if ahead_of is not None:
        waiting = waiting.filter(_ahead_of(ahead_of, mode))
    while _has_seat(meeting, mode):
        nxt = waiting.order_by("waitlisted_at", "id").first()
        if nxt is None:
            break
        nxt.state = State.CONFIRMED
        nxt.confirmed_at = timezone.now()
        nxt.save(update_fields=["state", "confirmed_at", "updated_at"])
        audit.record(nxt, "registration.promoted", actor, mode=mode)
        notifications.notify_promoted(nxt)
        promoted.append(nxt)
    return promoted


def _seat_counts(mode: str, ahead: Q) -> dict:
    """Aggregates over registrations: the seats of `mode` taken, and those waiting for one
    `ahead` (a Q of _ahead_of)."""
    return {
        "taken": Count("pk", filter=Q(mode=mode, state=State.CONFIRMED)),
        "waiting": Count("pk", filter=Q(mode=mode, state=State.WAITLISTED) & ahead),
    }


def _seat_for(meeting: Meeting, registration: Registration, mode: str, *, counts=None) -> bool:
    """Whether `registration` may take a seat of `mode` now, after those waiting ahead of it.

    A free seat belongs to the waiting list first, whatever left it free (a raised capacity,
    a change made outside the services): promote those ahead, then see what is left. Call with
    the meeting locked. `counts`: the _seat_counts of `registration` (the others of the mode).
    """
    limit = capacity(meeting, mode)
    if counts is None:
        # One query in the usual case (nobody waiting ahead): the seats taken and the queue ahead.
        others = Registration.objects.filter(meeting=meeting)
        if registration.pk is not None:
            others = others.exclude(pk=registration.pk)
        counts = others.aggregate(**_seat_counts(mode, _ahead_of(registration, mode)))
    if limit is not None and counts["taken"] >= limit:
        return False
    if not counts["waiting"]:
        return True
    promote_waiting(meeting, mode, ahead_of=registration)
    return _has_seat(meeting, mode, ignoring=registration)


def _ahead_of(registration: Registration, mode: str) -> Q:
    """Who waits for a seat of `mode` before `registration` (everyone waiting, when it does not
    wait in that mode itself); the order promote_waiting follows."""
    if registration.pk is None:
        return Q()
    ahead = ~Q(pk=registration.pk)
    if registration.state == State.WAITLISTED and registration.mode == mode and registration.waitlisted_at:
        ahead &= Q(waitlisted_at__lt=registration.waitlisted_at) | Q(
            waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk
        )
    return ahead


def promote_all_waiting(meeting: Meeting, *, actor=None) -> list[Registration]:
    """After the meeting's mode or capacities changed: fill every mode's free seats in order.

    Only a published meeting takes people in; a held or closed one keeps its lists as they are.
    Call with the meeting locked (the meetings service holds the lock when it signals).
    """
    if meeting.status != Meeting.Status.PUBLISHED:
        return []
    promoted = []
    for mode in allowed_modes(meeting):
        promoted += promote_waiting(meeting, mode, actor=actor)
    return promoted


def _set_state(registration: Registration, state: str, *, actor, action: str, **data) -> Registration:
    """Change a registration's state with the meeting locked, then refill freed seats."""
    meeting = Meeting.objects.lock(registration.meeting.pk)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    old_state, old_mode = registration.state, registration.mode
    now = timezone.now()
    registration.state = state
    if state == State.CONFIRMED:
        registration.confirmed_at = now
    elif state == State.WAITLISTED:
        registration.waitlisted_at = now
    elif state == State.CANCELLED:
        registration.cancelled_at = now
    registration.save()
    audit.record(registration, action, actor, old_state=old_state, new_state=state, **data)
    if old_state == State.CONFIRMED and state != State.CONFIRMED:
        # Someone moved to the waiting list does not take back the seat they just left.
        promote_waiting(meeting, old_mode, actor=actor, exclude=registration)
    return registration


def _locked(registration: Registration) -> Registration:
    """The registration as it is now, with its meeting and itself locked.

    Checks of the state must read it under the lock: a double click sends two requests with the
    same stale copy, and only the first may act.
    """
    Meeting.objects.lock(registration.meeting.pk)
    return Registration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def cancel(registration: Registration, *, actor=None) -> Registration:
    """The person (through their link) or an organizer cancels a registration."""
    registration = _locked(registration)
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."))
    registration = _set_state(registration, State.CANCELLED, actor=actor, action="registration.cancelled")
    notifications.notify_registration_changed(registration)
    return registration


@transaction.atomic
def decline(registration: Registration, *, actor) -> Registration:
    registration = _locked(registration)
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."))
    registration = _set_state(registration, State.DECLINED, actor=actor, action="registration.declined")
    notifications.notify_registration_changed(registration)
    return registration


@transaction.atomic
def approve(registration: Registration, *, actor) -> Registration:
    """Approve a pending (or waiting, or declined) registration: a seat if one is free, else the list."""
    meeting = Meeting.objects.lock(registration.meeting.pk)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state == State.CONFIRMED:
        return registration
    if registration.state == State.CANCELLED:
        raise RegistrationError(_("A cancelled registration cannot be approved."))
    old_state = registration.state
    new_state = State.CONFIRMED if _seat_for(meeting, registration, registration.mode) else State.WAITLISTED
    if new_state == old_state:
        return registration
    registration = _set_state(registration, new_state, actor=actor, action="registration.approved")
    notifications.notify_registration_changed(registration)
    return registration


@transaction.atomic
def move_to_waitlist(registration: Registration, *, actor) -> Registration:
    registration = _locked(registration)
    if registration.state in (State.WAITLISTED, State.CANCELLED):
        raise RegistrationError(_("This registration cannot be moved to the waiting list."))
    registration = _set_state(registration, State.WAITLISTED, actor=actor, action="registration.waitlisted")
    notifications.notify_registration_changed(registration)
    return registration


@transaction.atomic
def change_mode(registration: Registration, mode: str, *, actor=None) -> Registration:
    """Switch between on-site and online; a confirmed person keeps a seat only if one is free."""
    meeting = Meeting.objects.lock(registration.meeting.pk)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if mode == registration.mode:
        return registration
    if mode not in allowed_modes(meeting):
        raise ValidationError({"mode": _("This meeting has no such attendance mode.")})
    if not registration.is_active:
        raise RegistrationError(_("This registration is no longer active."))
    old_mode = registration.mode
    if registration.state == State.CONFIRMED and not _seat_for(meeting, registration, mode):
        raise RegistrationError(
            _("There is no free seat for %(mode)s attendance; your registration is unchanged.")
            % {"mode": Mode(mode).label.lower()}
        )
    registration.mode = mode
    if registration.state == State.WAITLISTED:
        # The end of the new mode's queue: everyone already waiting there goes first.
        registration.waitlisted_at = timezone.now()
        if _seat_for(meeting, registration, mode):
            registration.state = State.CONFIRMED
            registration.confirmed_at = timezone.now()
    registration.save()
    audit.record(registration, "registration.mode_changed", actor, old_mode=old_mode, new_mode=mode)
    promote_waiting(meeting, old_mode, actor=actor)
    notifications.notify_registration_changed(registration, changed_mode=True)
    return registration


@transaction.atomic
def set_public_listing(registration: Registration, listed: bool, *, actor=None) -> Registration:
    registration = _locked(registration)
    if listed and not registration.is_active:
        # The public list shows confirmed people only; a cancelled registration has nothing to show.
        raise RegistrationError(_("This registration is no longer active."))
    registration.public_listing = listed
    registration.save(update_fields=["public_listing", "updated_at"])
    audit.record(registration, "registration.public_listing", actor, listed=listed)
    return registration


# A person may correct their details while the meeting is ahead or just held (the attendance
# list is drawn up afterwards), not once it is closed or cancelled.
CORRECTABLE_MEETING_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)
CORRECTABLE_FIELDS = ("full_name", "position", "phone")


def can_correct_details(registration: Registration) -> bool:
    return registration.is_active and registration.meeting.status in CORRECTABLE_MEETING_STATUSES


@transaction.atomic
def correct_details(registration: Registration, *, actor=None, **fields: str) -> list[str]:
    """The person corrects their name, position or phone; returns the fields that changed.

    The email address is not among them: it is where the private link goes, and changing it
    would hand the registration to another mailbox.
    """
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not correctable: {sorted(unknown)}")
    registration = _locked(registration)
    if not can_correct_details(registration):
        raise RegistrationError(_("Your registration cannot be changed."))
    if "full_name" in fields and not fields["full_name"].strip():
        raise ValidationError({"full_name": _("Enter your name.")})
    changes = {}
    for name, value in fields.items():
        old = getattr(registration, name)
        if old != value:
            changes[name] = [old, value]
            setattr(registration, name, value)
    if not changes:
        return []
    others = [f.name for f in Registration._meta.fields if f.name not in changes]
    registration.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    registration.save(update_fields=[*changes, "updated_at"])
    audit.record(registration, "registration.details_corrected", actor, changes=changes)
    return list(changes)


@transaction.atomic
def revoke_link(registration: Registration, *, actor=None) -> Registration:
    """Invalidate the person's private link and send them a new one."""
    registration.token_version += 1
    registration.save(update_fields=["token_version", "updated_at"])
    audit.record(registration, "registration.link_revoked", actor)
    notifications.notify_new_link(registration)
    return registration
