"""Emails of the follow-up: `notify_*` functions queue them (core.mail.queue_email, ids only),
builders write them later in the worker from the current data, or drop them when they no longer
apply.

- link: a focal point's private link, sent by an analyst (again after a revocation);
- update: a focal point recorded a change: the meeting's organizers are told;
- digest (weekly): to each active focal point, the open and overdue recommendations addressed
  to their organization; to each organizer, the overdue ones of their meetings. One per person
  and week (the outbox key), nothing when there is nothing to say.

Staff accounts have no language of their own: their emails are written in Indonesian.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from core.links import absolute
from core.mail import Message, queue_email
from directory.models import Organization
from minutes import richtext
from minutes.models import Recommendation

from .models import OPEN_STATES, FocalPoint, FollowUp
from .services.tracking import with_follow_up

STAFF_LANGUAGE = "id"
DIGEST_ITEMS = 50


def _recommendation_url(key) -> str:
    return absolute(reverse("policy:recommendation", kwargs={"key": key}))


# A focal point's private link ------------------------------------------------------------------


def notify_focal_point_link(focal_point: FocalPoint) -> None:
    # Each send is its own email (a resend is asked for because the first one was lost).
    stamp = int(timezone.now().timestamp() * 1000)
    queue_email(
        key=f"policy-focal-link:{focal_point.pk}:{focal_point.token_version}:{stamp}",
        to=[focal_point.email],
        builder="policy.notifications.link_message",
        params={"focal_point_id": focal_point.pk, "version": focal_point.token_version},
        language=focal_point.language,
    )


def link_message(focal_point_id: int, version: int) -> Message | None:
    """Dropped when the link was revoked since (the new one has its own email) or the person removed."""
    focal_point = (
        FocalPoint.objects.select_related("organization")
        .filter(pk=focal_point_id, active=True, token_version=version)
        .first()
    )
    if focal_point is None:
        return None
    return Message(
        "policy/email/link",
        {"focal_point": focal_point, "url": focal_point.urls.absolute.private},
    )


# A focal point's change ------------------------------------------------------------------------


def notify_follow_up_by_focal_point(entry: FollowUp, recommendation: Recommendation) -> None:
    meeting = recommendation.minutes.meeting
    for user in meeting.organizers.filter(is_active=True).exclude(email="").order_by("pk"):
        queue_email(
            key=f"policy-follow-up:{entry.pk}:{user.pk}",
            to=[user.email],
            builder="policy.notifications.update_message",
            params={"follow_up_id": entry.pk, "recommendation_id": recommendation.pk, "user_id": user.pk},
            language=STAFF_LANGUAGE,
        )


def update_message(follow_up_id: int, recommendation_id: int, user_id: int) -> Message | None:
    from accounts.models import User

    entry = FollowUp.objects.filter(pk=follow_up_id).first()
    recommendation = (
        Recommendation.objects.select_related("minutes__meeting").filter(pk=recommendation_id).first()
    )
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if entry is None or recommendation is None or user is None:
        return None
    meeting = recommendation.minutes.meeting
    if not meeting.organizers.filter(pk=user.pk).exists():
        return None
    return Message(
        "policy/email/update",
        {
            "entry": entry,
            "meeting": meeting,
            "name": user.full_name or user.email,
            "text": richtext.plain(recommendation.text),
            "url": _recommendation_url(recommendation.key),
        },
    )


# The weekly digest -----------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday of the day's week: the digest's key."""
    return day - timedelta(days=day.weekday())


def notify_digest(on: date) -> int:
    """Queue this week's digests (once per person and week); returns how many were queued."""
    from accounts.models import User

    from .permissions import addressed_to_focal_point, in_force

    week = week_of(on).isoformat()
    queued = 0
    for focal_point in FocalPoint.objects.filter(active=True).order_by("pk"):
        rows = with_follow_up(addressed_to_focal_point(focal_point), on=on).filter(
            follow_state__in=OPEN_STATES
        )
        if not rows.exists():
            continue
        queued += bool(
            queue_email(
                key=f"policy-digest:{week}:focal:{focal_point.pk}",
                to=[focal_point.email],
                builder="policy.notifications.focal_point_digest_message",
                params={"focal_point_id": focal_point.pk, "on": on.isoformat()},
                language=focal_point.language,
            )
        )
    overdue = with_follow_up(in_force(), on=on).filter(follow_overdue=True)
    organizers = User.objects.filter(
        is_active=True, organized_meetings__in=overdue.values("minutes__meeting")
    ).exclude(email="")
    for user in organizers.distinct().order_by("pk"):
        queued += bool(
            queue_email(
                key=f"policy-digest:{week}:organizer:{user.pk}",
                to=[user.email],
                builder="policy.notifications.organizer_digest_message",
                params={"user_id": user.pk, "on": on.isoformat()},
                language=STAFF_LANGUAGE,
            )
        )
    return queued


def _rows(queryset) -> list[Recommendation]:
    """The first recommendations of a queryset annotated `with_follow_up`, ready for an email."""
    rows = list(
        queryset.select_related("minutes__meeting")
        .prefetch_related(Prefetch("addressed_to", queryset=Organization.objects.order_by("name")))
        .order_by("follow_due", "minutes__meeting__starts_on", "order", "pk")[:DIGEST_ITEMS]
    )
    for rec in rows:
        rec.plain = richtext.plain(rec.text)
        rec.url = _recommendation_url(rec.key)
    return rows


def focal_point_digest_message(focal_point_id: int, on: str) -> Message | None:
    from .permissions import addressed_to_focal_point

    day = date.fromisoformat(on)
    focal_point = (
        FocalPoint.objects.select_related("organization").filter(pk=focal_point_id, active=True).first()
    )
    if focal_point is None:
        return None
    mine = with_follow_up(addressed_to_focal_point(focal_point), on=day).filter(follow_state__in=OPEN_STATES)
    overdue = _rows(mine.filter(follow_overdue=True))
    open_rows = _rows(mine.filter(follow_overdue=False))
    if not overdue and not open_rows:
        return None
    return Message(
        "policy/email/digest_focal_point",
        {
            "focal_point": focal_point,
            "overdue": overdue,
            "open": open_rows,
            "total": mine.count(),
            "url": focal_point.urls.absolute.private,
        },
    )


def organizer_digest_message(user_id: int, on: str) -> Message | None:
    from accounts.models import User

    from .permissions import in_force

    day = date.fromisoformat(on)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    theirs = in_force().filter(minutes__meeting__in=user.organized_meetings.values("pk"))
    overdue = _rows(with_follow_up(theirs, on=day).filter(follow_overdue=True))
    if not overdue:
        return None
    return Message(
        "policy/email/digest_organizer",
        {
            "name": user.full_name or user.email,
            "overdue": overdue,
            "url": absolute(reverse("policy:registry")),
        },
    )
