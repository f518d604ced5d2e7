"""The minutes' approval: draft → submitted → approved (locked), a correction as a new version,
and publication of an approved version to the confirmed participants or the public page.

Secretaries and organizers submit; only an organizer (the chair) returns, approves, opens a
correction and publishes. Each transition is audit-logged and notifies those concerned.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from meetings.models import Meeting

from .. import permissions
from ..models import ActionItem, Minutes, Point, Recommendation, Revision, Section
from .revisions import FIELDS, snapshot

HEADING = FIELDS[Revision.Kind.HEADING]


def _locked(minutes: Minutes) -> Minutes:
    Meeting.objects.lock(minutes.meeting_id)
    return Minutes.objects.select_related("meeting").get(pk=minutes.pk)


def _expect(minutes: Minutes, state: str, message: str) -> None:
    if minutes.state != state:
        raise ValidationError(message)


def _reason(reason: str) -> str:
    ProhibitNullCharactersValidator()(reason)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give a reason."))
    return reason[:2000]


def _notify(verb: str, minutes: Minutes, *args) -> None:
    from .. import notifications

    getattr(notifications, f"notify_{verb}")(minutes, *args)


def submit(minutes: Minutes, *, by) -> Minutes:
    """The draft goes to the organizers for approval."""
    with transaction.atomic():
        minutes = _locked(minutes)
        if not permissions.is_staff_of(by, minutes.meeting):
            raise PermissionDenied
        _expect(minutes, Minutes.State.DRAFT, _("Only a draft can be submitted for approval."))
        minutes.state = Minutes.State.SUBMITTED
        minutes.submitted_by = by
        minutes.submitted_at = timezone.now()
        minutes.save(update_fields=["state", "submitted_by", "submitted_at"])
        record(minutes, "minutes.submitted", by, version=minutes.version)
        _notify("submitted", minutes)
        return minutes


def return_to_draft(minutes: Minutes, *, by, reason: str) -> Minutes:
    """The chair sends submitted minutes back to the secretaries, saying why."""
    with transaction.atomic():
        minutes = _locked(minutes)
        if not permissions.can_manage(by, minutes.meeting):
            raise PermissionDenied
        _expect(minutes, Minutes.State.SUBMITTED, _("Only submitted minutes can be returned."))
        reason = _reason(reason)
        minutes.state = Minutes.State.DRAFT
        minutes.save(update_fields=["state"])
        record(minutes, "minutes.returned", by, version=minutes.version, reason=reason)
        _notify("returned", minutes, reason, by)
        return minutes


def approve(minutes: Minutes, *, by, signed_on=None) -> Minutes:
    """The chair approves: the version is locked; an approved correction supersedes the version
    it corrects and takes over its publication."""
    with transaction.atomic():
        minutes = _locked(minutes)
        if not permissions.can_manage(by, minutes.meeting):
            raise PermissionDenied
        _expect(minutes, Minutes.State.SUBMITTED, _("Only submitted minutes can be approved."))
        now = timezone.now()
        previous = (
            Minutes.objects.filter(meeting=minutes.meeting, state=Minutes.State.APPROVED)
            .exclude(pk=minutes.pk)
            .order_by("-version")
            .first()
        )
        fields = ["state", "approved_by", "approved_at"]
        if previous is not None:
            minutes.audience = previous.audience
            minutes.published_at = previous.published_at
            fields += ["audience", "published_at"]
            Minutes.objects.filter(pk=previous.pk).update(state=Minutes.State.SUPERSEDED)
        if minutes.signed_on is None:
            minutes.signed_on = signed_on or timezone.localtime(now, minutes.meeting.tz).date()
            fields.append("signed_on")
        minutes.state = Minutes.State.APPROVED
        minutes.approved_by = by
        minutes.approved_at = now
        minutes.save(update_fields=fields)
        record(
            minutes,
            "minutes.approved",
            by,
            version=minutes.version,
            supersedes=previous.version if previous else None,
        )
        _notify("approved", minutes)
        if previous is not None and minutes.audience != Minutes.Audience.STAFF:
            _notify("published", minutes)
        return minutes


def _copy(approved: Minutes, draft: Minutes, *, author) -> None:
    """The approved version's parts into the new draft (same keys), each with a first revision."""
    user = author if getattr(author, "is_authenticated", False) else None
    sections = list(approved.sections.all())
    old_ids = [s.pk for s in sections]
    for section in sections:
        section.pk = None
        section.minutes = draft
        section.revision = 1
    Section.objects.bulk_create(sections)
    section_map = dict(zip(old_ids, (s.pk for s in sections), strict=True))

    points = list(Point.objects.filter(section__minutes=approved).order_by("section__order", "order", "id"))
    for point in points:
        point.pk = None
        point.section_id = section_map[point.section_id]
        point.revision = 1
    Point.objects.bulk_create(points)

    recommendations = list(approved.recommendations.prefetch_related("addressed_to", "themes"))
    many = [
        ([o.pk for o in rec.addressed_to.all()], [t.pk for t in rec.themes.all()]) for rec in recommendations
    ]
    for rec in recommendations:
        rec.pk = None
        rec.minutes = draft
        rec.section_id = section_map.get(rec.section_id)
        rec.revision = 1
    Recommendation.objects.bulk_create(recommendations)
    addressed = Recommendation.addressed_to.through
    themed = Recommendation.themes.through
    addressed.objects.bulk_create(
        addressed(recommendation_id=rec.pk, organization_id=org)
        for rec, (orgs, _themes) in zip(recommendations, many, strict=True)
        for org in orgs
    )
    themed.objects.bulk_create(
        themed(recommendation_id=rec.pk, theme_id=theme)
        for rec, (_orgs, themes) in zip(recommendations, many, strict=True)
        for theme in themes
    )

    actions = list(approved.actions.all())
    for action in actions:
        action.pk = None
        action.minutes = draft
        action.section_id = section_map.get(action.section_id)
        action.revision = 1
    ActionItem.objects.bulk_create(actions)

    def revision(obj, kind, data):
        return Revision(
            minutes=draft,
            kind=kind,
            object_id=obj.pk,
            number=1,
            change=Revision.Change.CREATED,
            author=user,
            data=data,
        )

    revisions = [revision(draft, Revision.Kind.HEADING, snapshot(draft))]
    revisions += [revision(s, Revision.Kind.SECTION, snapshot(s)) for s in sections]
    revisions += [revision(p, Revision.Kind.POINT, snapshot(p)) for p in points]
    for rec, (orgs, themes) in zip(recommendations, many, strict=True):
        data = {name: getattr(rec, name) for name in FIELDS[Revision.Kind.RECOMMENDATION][:-2]}
        data |= {"addressed_to": sorted(orgs), "themes": sorted(themes)}
        revisions.append(revision(rec, Revision.Kind.RECOMMENDATION, data))
    revisions += [revision(a, Revision.Kind.ACTION, snapshot(a)) for a in actions]
    Revision.objects.bulk_create(revisions)


def correct(minutes: Minutes, *, by, reason: str) -> Minutes:
    """A new draft version copying the approved one, to correct; the approved one stays intact
    (and exportable) until the correction is approved."""
    with transaction.atomic():
        approved = _locked(minutes)
        if not permissions.can_manage(by, approved.meeting):
            raise PermissionDenied
        _expect(approved, Minutes.State.APPROVED, _("Only approved minutes can be corrected."))
        reason = _reason(reason)
        if Minutes.objects.filter(
            meeting=approved.meeting, state__in=[Minutes.State.DRAFT, Minutes.State.SUBMITTED]
        ).exists():
            raise ValidationError(_("A correction of these minutes is already open."))
        last = Minutes.objects.filter(meeting=approved.meeting).order_by("-version").first()
        draft = Minutes.objects.create(
            meeting=approved.meeting,
            version=last.version + 1,
            correction_reason=reason,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            revision=1,
            **{name: getattr(approved, name) for name in HEADING},
        )
        _copy(approved, draft, author=by)
        record(draft, "minutes.correction_opened", by, version=draft.version, reason=reason)
        return draft


def publish(minutes: Minutes, *, by, audience: str) -> Minutes:
    """Approved minutes to the confirmed participants (private page and an email with the Notula)
    or to the public page as well."""
    if audience not in (Minutes.Audience.PARTICIPANTS, Minutes.Audience.PUBLIC):
        raise ValidationError(_("Choose to whom the minutes are published."))
    with transaction.atomic():
        minutes = _locked(minutes)
        if not permissions.can_manage(by, minutes.meeting):
            raise PermissionDenied
        _expect(minutes, Minutes.State.APPROVED, _("Only approved minutes can be published."))
        if minutes.audience == audience:
            return minutes
        minutes.audience = audience
        minutes.published_at = minutes.published_at or timezone.now()
        minutes.save(update_fields=["audience", "published_at"])
        record(minutes, "minutes.published", by, version=minutes.version, audience=audience)
        _notify("published", minutes)
        return minutes


def unpublish(minutes: Minutes, *, by) -> Minutes:
    with transaction.atomic():
        minutes = _locked(minutes)
        if not permissions.can_manage(by, minutes.meeting):
            raise PermissionDenied
        _expect(minutes, Minutes.State.APPROVED, _("Only approved minutes can be published."))
        if minutes.audience == Minutes.Audience.STAFF:
            return minutes
        minutes.audience = Minutes.Audience.STAFF
        minutes.save(update_fields=["audience"])
        record(minutes, "minutes.unpublished", by, version=minutes.version)
        return minutes
