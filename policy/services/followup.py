"""Changing what became of a recommendation: follow-up notes with evidence, due dates, merges.

Every change is one transaction that locks the tracking row (two focal points saving at once
are applied one after the other, each checked against the state the other left), writes the
audit log and, for a focal point's change, tells the meeting's organizers.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.uploads import CheckedFile
from minutes.models import Recommendation

from ..models import OPEN_STATES, FocalPoint, FollowUp, State, Tracking

# Where a recommendation may go from each state. Staying in an open state records a progress
# note. Leaving a closed state (reopening) is for staff only.
NEXT = {
    State.PROPOSED: {State.PROPOSED, State.ACCEPTED, State.REJECTED, State.SUPERSEDED},
    State.ACCEPTED: {State.ACCEPTED, State.IN_PROGRESS, State.IMPLEMENTED, State.REJECTED, State.SUPERSEDED},
    State.IN_PROGRESS: {State.IN_PROGRESS, State.IMPLEMENTED, State.REJECTED, State.SUPERSEDED},
    State.IMPLEMENTED: set(),
    State.REJECTED: set(),
    State.SUPERSEDED: set(),
}
REOPEN = {State.ACCEPTED, State.IN_PROGRESS}


def allowed_states(current: str, *, staff: bool) -> list[str]:
    """The states a change may choose, in the order of the choices."""
    allowed = set(NEXT[State(current)])
    if staff and current not in OPEN_STATES:
        allowed |= REOPEN
    return [s for s in State.values if s in allowed]


def tracking_for(key, *, lock: bool = False) -> Tracking:
    """The recommendation's tracking row (made on first use), or the row it was merged into."""
    try:
        with transaction.atomic():
            tracking, _created = Tracking.objects.get_or_create(key=key)
    except IntegrityError:  # made by a concurrent first change
        tracking = Tracking.objects.get(key=key)
    if tracking.merged_into_id:
        tracking = Tracking.objects.get(pk=tracking.merged_into_id)
    if lock:
        tracking = Tracking.objects.select_for_update().get(pk=tracking.pk)
    return tracking


def _author(user, focal_point: FocalPoint | None) -> str:
    if focal_point is not None:
        org = focal_point.organization
        return f"{focal_point.name}, {org.acronym or org.name}"[:300]
    return (user.full_name or user.email)[:300]


@transaction.atomic
def record_follow_up(
    recommendation: Recommendation,
    *,
    state: str,
    note: str,
    happened_on: date,
    evidence_url: str = "",
    evidence: tuple | None = None,
    user=None,
    focal_point: FocalPoint | None = None,
    staff: bool = False,
) -> FollowUp:
    """Record one change. `evidence` is (uploaded file, CheckedFile) already validated by the form;
    the caller has checked who may change this recommendation (`staff` or `focal_point`)."""
    tracking = tracking_for(recommendation.key, lock=True)
    if state not in allowed_states(tracking.state, staff=staff):
        raise ValidationError(
            _("A recommendation that is “%(current)s” cannot become “%(state)s”.")
            % {"current": tracking.get_state_display(), "state": State(state).label}
        )
    if happened_on > timezone.localdate():
        raise ValidationError(_("The date of a change cannot be in the future."))
    if not note.strip():
        raise ValidationError(_("Say what happened in the note."))
    entry = FollowUp(
        tracking=tracking,
        state=state,
        previous_state=tracking.state,
        happened_on=happened_on,
        note=note.strip(),
        evidence_url=evidence_url,
        by_user=user if getattr(user, "is_authenticated", False) else None,
        by_focal_point=focal_point,
        by_name=_author(user, focal_point),
    )
    if evidence is not None:
        upload, checked = evidence
        assert isinstance(checked, CheckedFile)
        entry.evidence_name = checked.display_name
        entry.evidence_type = checked.mime
        entry.evidence_size = checked.size
        # Saved inside the transaction: a failure later rolls the row back; the orphan file
        # (random name, never served) is left for the storage, not for the reader.
        entry.evidence_file.save(checked.display_name, upload, save=False)
    entry.save()
    tracking.state = state
    tracking.updated_at = timezone.now()
    tracking.save(update_fields=["state", "updated_at"])
    audit.record(
        tracking,
        "policy.follow_up",
        actor=user,
        state=state,
        previous=entry.previous_state,
        by=entry.by_name,
        evidence=bool(evidence or evidence_url),
    )
    if focal_point is not None:
        from ..notifications import notify_follow_up_by_focal_point

        notify_follow_up_by_focal_point(entry, recommendation)
    return entry


@transaction.atomic
def set_due(recommendation: Recommendation, due_on: date | None, *, user) -> Tracking:
    tracking = tracking_for(recommendation.key, lock=True)
    previous = tracking.due_on
    tracking.due_on = due_on
    tracking.updated_at = timezone.now()
    tracking.save(update_fields=["due_on", "updated_at"])
    audit.record(
        tracking,
        "policy.due_set",
        actor=user,
        due=due_on.isoformat() if due_on else "",
        previous=previous.isoformat() if previous else "",
    )
    return tracking


@transaction.atomic
def merge(primary: Recommendation, others: list[Recommendation], *, user) -> Tracking:
    """Mark `others` as the same recommendation as `primary` (made at other meetings). Their own
    history stays theirs; from now on they share the primary's state, due date and changes."""
    meetings = {primary.minutes.meeting_id}
    for other in others:
        if other.minutes.meeting_id in meetings:
            raise ValidationError(_("Choose recommendations of different meetings: one per meeting."))
        meetings.add(other.minutes.meeting_id)
    target = tracking_for(primary.key, lock=True)
    merged = []
    for other in others:
        tracking = tracking_for(other.key, lock=True)
        if tracking.pk == target.pk:
            continue
        # Whatever was merged into the other one follows it to the new target.
        Tracking.objects.filter(merged_into=tracking).update(merged_into=target)
        tracking.merged_into = target
        tracking.merged_by = user
        tracking.merged_at = timezone.now()
        tracking.save(update_fields=["merged_into", "merged_by", "merged_at"])
        merged.append(str(tracking.key))
    if not merged:
        raise ValidationError(_("These recommendations are marked as the same already."))
    audit.record(target, "policy.merged", actor=user, keys=merged)
    return target


@transaction.atomic
def unmerge(recommendation: Recommendation, *, user) -> Tracking:
    tracking, _created = Tracking.objects.select_for_update().get_or_create(key=recommendation.key)
    if tracking.merged_into_id is None:
        raise ValidationError(_("This recommendation is not marked as the same as another one."))
    target = tracking.merged_into
    tracking.merged_into = None
    tracking.save(update_fields=["merged_into"])
    audit.record(target, "policy.unmerged", actor=user, key=str(tracking.key))
    return tracking
