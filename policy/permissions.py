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
