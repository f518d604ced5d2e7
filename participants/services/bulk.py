"""Organizer actions on many registrations at once: state changes and confirming typed organizations.

State changes go through participants.services.registration one registration at a time, each in
its own transaction: the meeting's lock is then held for one decision at a time (public
registrations are not blocked for the whole batch), one refused registration does not undo the
others, and every change gets its own audit entry and email exactly as a single change would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from directory.models import Organization
from directory.services import save_organization
from meetings.models import Meeting

from ..models import Registration
from . import registration as reg

State = Registration.State


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    # The states from which the action makes sense; others are skipped with a reason.
    from_states: tuple[str, ...]
    bulk: bool = True
    # Bootstrap button style of the row button.
    style: str = "outline-danger"


ACTIONS = {
    a.name: a
    for a in (
        Action(
            "approve",
            gettext_lazy("Approve"),
            (State.PENDING, State.WAITLISTED, State.DECLINED),
            style="outline-success",
        ),
        Action("decline", gettext_lazy("Decline"), (State.PENDING, State.CONFIRMED, State.WAITLISTED)),
        Action(
            "waitlist",
            gettext_lazy("Move to the waiting list"),
            (State.PENDING, State.CONFIRMED),
            style="outline-secondary",
        ),
        Action(
            "cancel",
            gettext_lazy("Cancel"),
            (State.PENDING, State.CONFIRMED, State.WAITLISTED),
            bulk=False,
        ),
    )
}
BULK_ACTIONS = [a for a in ACTIONS.values() if a.bulk]


def actions_for(registration: Registration) -> list[Action]:
    """The row actions an organizer may take on a registration in its current state."""
    return [a for a in ACTIONS.values() if registration.state in a.from_states]


@dataclass
class Change:
    registration: Registration
    done: bool
    # For a change: the new state; for a skip: why, in the organizer's language.
    message: str


@dataclass
class BulkReport:
    """What an organizer's batch did: what was done, what was refused (each saying why), and how many
    of the ids asked for matched nothing. Bulk state changes and bulk invitations both report so."""

    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    not_found: int = 0

    @property
    def ok(self) -> bool:
        return not self.refused


def change_state(registration: Registration, action: str, *, actor) -> Change:
    """Apply one action to one registration through the registration services."""
    spec = ACTIONS[action]
    registration.refresh_from_db()
    before = registration.state
    if before not in spec.from_states:
        return Change(
            registration,
            False,
            _("not possible for a registration that is “%(state)s”")
            % {"state": registration.get_state_display()},
        )
    try:
        if action == "approve":
            registration = reg.approve(registration, actor=actor)
        elif action == "decline":
            registration = reg.decline(registration, actor=actor)
        elif action == "waitlist":
            registration = reg.move_to_waitlist(registration, actor=actor)
        else:
            registration = reg.cancel(registration, actor=actor)
    except reg.RegistrationError as exc:
        return Change(registration, False, str(exc))
    except ValidationError as exc:
        return Change(registration, False, " ".join(exc.messages))
    if registration.state == before:
        # approve() leaves a waiting registration where it is when no seat is free.
        return Change(registration, False, _("no free seat") if action == "approve" else _("unchanged"))
    return Change(registration, True, registration.get_state_display())


def apply_bulk(meeting: Meeting, action: str, ids: Iterable[int], *, actor) -> BulkReport:
    """Apply an action to the meeting's registrations among `ids`, oldest registration first.

    Ids of other meetings' registrations (or of none) are counted as not found and left alone.
    """
    if action not in ACTIONS or not ACTIONS[action].bulk:
        raise ValidationError({"action": _("Choose an action.")})
    wanted = set(ids)
    registrations = list(
        Registration.objects.filter(meeting=meeting, pk__in=wanted).order_by("created_at", "id")
    )
    report = BulkReport(not_found=len(wanted) - len(registrations))
    for registration in registrations:
        change = change_state(registration, action, actor=actor)
        (report.done if change.done else report.refused).append(change)
    return report


# Organizations typed by registrants ---------------------------------------------------------


def typed_organizations(meeting: Meeting) -> list[dict]:
    """Organization names typed by this meeting's registrants that are not linked to the directory,
    with the number of registrations each: [{"organization_name": ..., "n": ...}]."""
    return list(
        Registration.objects.filter(meeting=meeting, organization__isnull=True)
        .exclude(organization_name="")
        .values("organization_name")
        .annotate(n=Count("id"))
        .order_by("organization_name")
    )


def _typed(meeting: Meeting, typed_name: str):
    return Registration.objects.filter(
        meeting=meeting, organization__isnull=True, organization_name=typed_name
    )


@transaction.atomic
def link_typed_organization(meeting: Meeting, typed_name: str, organization: Organization, *, actor) -> int:
    """Point every registration of the meeting that typed `typed_name` at a directory organization.

    Returns the number of registrations changed.
    """
    registrations = list(_typed(meeting, typed_name).select_for_update().order_by("id"))
    if not registrations:
        raise ValidationError(_("No registration of this meeting has that organization name any more."))
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        organization=organization, organization_name="", updated_at=now
    )
    for registration in registrations:
        registration.organization = organization
        audit.record(
            registration,
            "registration.organization_linked",
            actor,
            typed=typed_name,
            organization=organization.pk,
            organization_name=str(organization),
        )
    return len(registrations)


@transaction.atomic
def add_typed_organization(
    meeting: Meeting, typed_name: str, organization: Organization, *, actor
) -> tuple[Organization, int]:
    """Add an unsaved organization to the directory, then link the registrations that typed it."""
    if not _typed(meeting, typed_name).exists():
        raise ValidationError(_("No registration of this meeting has that organization name any more."))
    organization = save_organization(organization, actor=actor)
    return organization, link_typed_organization(meeting, typed_name, organization, actor=actor)
