"""The API's state changes (creating and revoking tokens) and what a token's user may read.

Visibility is the web UI's, built from the apps' own querysets and predicates:

- meetings: the public ones (published, held, closed, cancelled) for everyone, and the ones the
  user organizes or takes the minutes of (drafts included), as `Meeting.objects.staffed_by`;
- days and agenda: those of the visible meetings;
- recommendations: on a meeting the user is staff of, those of the latest version of the minutes
  (drafts included, as the registry shows its organizers); elsewhere only approved minutes: the
  registry's set for analysts (policy.permissions.visible_recommendations), the recommendations
  addressed to the user's organizations as a verified focal point, and those of minutes published
  to the public page. Follow-up state is given where the web UI shows it (the registry and the
  focal point's pages), not for what the user sees only through the public minutes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core import audit
from meetings.models import AgendaItem, Meeting, MeetingDay
from minutes.models import Minutes, Recommendation
from policy.permissions import addressed_to_focal_point, focal_points_of
from policy.permissions import visible_recommendations as registry_recommendations

from .models import SECRET_PREFIX, ApiToken, digest_of

# How often the "last used" time of a token is written (not on every request).
TOUCH_EVERY = timedelta(minutes=1)
MAX_TOKENS_PER_USER = 20


class TooManyTokens(Exception):
    pass


# Tokens --------------------------------------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_token(user, *, name: str, actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored nor shown again."""
    # One user's tokens are created one at a time (the limit holds under concurrent submits).
    get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.api_tokens.active().count() >= MAX_TOKENS_PER_USER:
        raise TooManyTokens
    secret = new_secret()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=secret[: len(SECRET_PREFIX) + 6], digest=digest_of(secret)
    )
    audit.record(token, "api.token_created", actor=actor or user, name=token.name, prefix=token.prefix)
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> bool:
    """Revokes the token at once; False if it already was."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(token, "api.token_revoked", actor=actor, name=token.name, prefix=token.prefix)
    return True


def authenticate(secret: str) -> ApiToken | None:
    """The active token of an active user with this secret, or None (unknown, revoked, inactive)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        # Bookkeeping, not a change of state: one UPDATE, no audit entry.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# What a user may read ------------------------------------------------------------------------


def staffed_meeting_ids(user) -> QuerySet:
    return Meeting.objects.staffed_by(user).values("pk")


def visible_meetings(user) -> QuerySet[Meeting]:
    if not user.is_authenticated or not user.is_active:
        return Meeting.objects.none()
    return Meeting.objects.filter(Q(status__in=Meeting.PUBLIC_STATUSES) | Q(pk__in=staffed_meeting_ids(user)))


def visible_days(user) -> QuerySet[MeetingDay]:
    return MeetingDay.objects.filter(meeting__in=visible_meetings(user).values("pk"))


def visible_agenda_items(user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(day__meeting__in=visible_meetings(user).values("pk"))


def _latest_version():
    return ~Exists(
        Minutes.objects.filter(meeting=OuterRef("minutes__meeting"), version__gt=OuterRef("minutes__version"))
    )


def _public_minutes() -> Q:
    return Q(
        minutes__state=Minutes.State.APPROVED,
        minutes__audience=Minutes.Audience.PUBLIC,
        minutes__meeting__status__in=Meeting.PUBLIC_STATUSES,
    )


def tracked_recommendations(user) -> QuerySet[Recommendation]:
    """Those whose follow-up the user sees in the web UI: the registry's, the staff's own
    meetings' and the ones addressed to the user's organizations as a focal point."""
    if not user.is_authenticated or not user.is_active:
        return Recommendation.objects.none()
    if user.is_superuser:
        return registry_recommendations(user)
    staffed = staffed_meeting_ids(user)
    query = Q(pk__in=registry_recommendations(user).exclude(minutes__meeting__in=staffed).values("pk"))
    query |= Q(
        pk__in=Recommendation.objects.filter(_latest_version(), minutes__meeting__in=staffed).values("pk")
    )
    for focal_point in focal_points_of(user):
        addressed = addressed_to_focal_point(focal_point).exclude(minutes__meeting__in=staffed)
        query |= Q(pk__in=addressed.values("pk"))
    return Recommendation.objects.filter(query)


def visible_recommendations(user) -> QuerySet[Recommendation]:
    """The tracked ones, and those of minutes published to the public page (other meetings)."""
    if not user.is_authenticated or not user.is_active:
        return Recommendation.objects.none()
    if user.is_superuser:
        return registry_recommendations(user)
    public = Recommendation.objects.filter(_public_minutes()).exclude(
        minutes__meeting__in=staffed_meeting_ids(user)
    )
    return Recommendation.objects.filter(
        Q(pk__in=tracked_recommendations(user).values("pk")) | Q(pk__in=public.values("pk"))
    )
