"""Who sees which recommendations in the registry; views ask these, templates never decide.

- A policy analyst sees the recommendations of every approved version of the minutes (the one
  in force: a superseded version's recommendations live on, copied, in its correction).
- An organizer sees those of the meetings they organize, in the latest version whatever its
  state (drafts included); a site administrator, those of every meeting.
- Everyone else sees none.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.roles import is_policy_analyst, may_organize
from minutes.models import Minutes, Recommendation


def may_use_registry(user) -> bool:
    """Whom the navigation offers the registry (the page itself is open to every signed-in user)."""
    return is_policy_analyst(user) or may_organize(user)


def visible_recommendations(user) -> QuerySet[Recommendation]:
    if not user.is_authenticated or not user.is_active:
        return Recommendation.objects.none()
    latest = ~Exists(
        Minutes.objects.filter(meeting=OuterRef("minutes__meeting"), version__gt=OuterRef("minutes__version"))
    )
    if user.is_superuser:
        return Recommendation.objects.filter(latest)
    organized = Q(minutes__meeting__in=user.organized_meetings.values("pk"))
    seen = organized & Q(latest)
    if is_policy_analyst(user):
        # On their own meetings an analyst who organizes sees the latest version only, not
        # the approved one beside its correction's draft.
        seen |= ~organized & Q(minutes__state=Minutes.State.APPROVED)
    return Recommendation.objects.filter(seen)


# Follow-up ---------------------------------------------------------------------------------------


def in_force() -> QuerySet[Recommendation]:
    """The recommendations of approved minutes: what focal points answer for."""
    return Recommendation.objects.filter(minutes__state=Minutes.State.APPROVED)


def focal_points_of(user) -> QuerySet:
    """The active focal points signed in as `user`: the same address, verified by allauth (an
    account someone opened with a focal point's address but never confirmed answers for nobody)."""
    from allauth.account.models import EmailAddress

    from .models import FocalPoint

    if not user.is_authenticated or not user.is_active:
        return FocalPoint.objects.none()
    verified = EmailAddress.objects.filter(user=user, verified=True).values("email")
    emails = [e.lower() for e in verified.values_list("email", flat=True)]
    if not emails:
        return FocalPoint.objects.none()
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    return FocalPoint.objects.filter(query, active=True).select_related("organization")


def addressed_to_focal_point(focal_point) -> QuerySet[Recommendation]:
    return in_force().filter(addressed_to=focal_point.organization_id)


def may_manage_follow_up(user, recommendation: Recommendation) -> bool:
    """Staff of the follow-up: the meeting's organizers, analysts (approved minutes) and
    administrators. They also set due dates and may reopen a closed recommendation."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    meeting_id = recommendation.minutes.meeting_id
    if user.organized_meetings.filter(pk=meeting_id).exists():
        return True
    return is_policy_analyst(user) and recommendation.minutes.state == Minutes.State.APPROVED


def answering_focal_point(user, recommendation: Recommendation):
    """The user's focal point for one of the recommendation's addressees (approved minutes), or None."""
    if recommendation.minutes.state != Minutes.State.APPROVED:
        return None
    addressed = recommendation.addressed_to.values("pk")
    return focal_points_of(user).filter(organization__in=addressed).first()


def may_merge(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or is_policy_analyst(user)))


def may_manage_focal_points(user) -> bool:
    return may_merge(user)


def may_compile(user) -> bool:
    """Who writes policy-input documents: analysts and administrators."""
    return may_merge(user)
