"""Calendar subscription feeds: a user's personal feed behind a revocable token, and the public feed.

Personal feed (`/calendar/u/<user id>/<token>.ics`): the meetings a user organizes or serves as
secretary (drafts included, as TENTATIVE), and the public ones (published, held, closed,
cancelled) they speak at, moderate or are registered for (an active registration under their
account or their email address), from a year back onwards. It carries only public links: a
feed URL is often handed to a calendar service, so personal join links stay in the person's own
invitation email. Public feed (`/calendar/public.ics`): the next 100 published (or cancelled)
meetings by start. Both answer If-None-Match / If-Modified-Since with 304.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import services as account_services
from core.tokens import check_token
from meetings import calendar
from meetings.models import AgendaRole, Meeting
from meetings.views.calendar import calendar_response

from ..models import Registration

PUBLIC_FEED_SIZE = 100
# A personal feed keeps meetings that ended up to a year ago; older ones drop out of it.
PERSONAL_FEED_PAST_DAYS = 366


def _registrations_of(user):
    return Registration.objects.filter(Q(user=user) | Q(email=user.email.lower()))


def related_meetings(user):
    """Meetings the user staffs, speaks or moderates at, or is registered for; `staffed` annotated.

    Status is not filtered here: the caller keeps drafts for staff only.
    """
    organizes = Meeting.organizers.through.objects.filter(meeting=OuterRef("pk"), user=user)
    assists = Meeting.secretaries.through.objects.filter(meeting=OuterRef("pk"), user=user)
    speaks = AgendaRole.objects.filter(person__user=user).values("agenda_item__day__meeting_id")
    registered = _registrations_of(user).filter(state__in=Registration.ACTIVE_STATES).values("meeting_id")
    since = timezone.localdate() - timedelta(days=PERSONAL_FEED_PAST_DAYS)
    return (
        Meeting.objects.annotate(staffed=Exists(organizes) | Exists(assists))
        .filter(Q(staffed=True) | Q(pk__in=speaks) | Q(pk__in=registered))
        .filter(starts_on__isnull=False, ends_on__gte=since)
        .order_by("starts_on", "id")
    )


@require_GET
def personal_feed(request, user_id: int, token: str):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not check_token("calendar", user.pk, user.calendar_token_version, token):
        raise Http404
    rows = list(
        calendar.with_changed_at(related_meetings(user)).values_list(*calendar.VALIDATOR_FIELDS, "staffed")
    )
    shown, hidden = [], []
    for *row, staffed in rows:
        (shown if staffed or row[4] in Meeting.PUBLIC_STATUSES else hidden).append(row)
    etag, last_modified = calendar.validators(shown, extra=f"user:{user.pk}")
    # Leaving the feed is a change too (a registration cancelled, a meeting back to draft): its
    # time counts for If-Modified-Since, so clients that send only that still refetch.
    left = _registrations_of(user).aggregate(latest=Max("updated_at"))["latest"]
    hidden_changed = calendar.validators(hidden)[1]
    candidates = [t for t in (last_modified, left, hidden_changed) if t]
    last_modified = max(candidates) if candidates else None

    def body():
        meetings = Meeting.objects.filter(pk__in=[row[0] for row in shown]).order_by("starts_on", "id")
        name = _("Sinergi — %(name)s") % {"name": user.get_full_name()}
        return calendar.feed_ics(calendar.load(meetings), name=name)

    return calendar_response(
        request, etag=etag, last_modified=last_modified, cache_control="private, max-age=300", body=body
    )


def public_feed_meetings():
    statuses = [Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED]
    return Meeting.objects.filter(status__in=statuses, ends_on__gte=timezone.localdate()).order_by(
        "starts_on", "id"
    )[:PUBLIC_FEED_SIZE]


@require_GET
def public_feed(request):
    rows = list(calendar.with_changed_at(public_feed_meetings()).values_list(*calendar.VALIDATOR_FIELDS))
    etag, last_modified = calendar.validators(rows, extra="public")

    def body():
        meetings = Meeting.objects.filter(pk__in=[row[0] for row in rows]).order_by("starts_on", "id")
        return calendar.feed_ics(calendar.load(meetings), name=_("Sinergi — upcoming meetings"))

    return calendar_response(
        request, etag=etag, last_modified=last_modified, cache_control="public, max-age=300", body=body
    )


@login_required
@require_POST
def reset_feed(request):
    account_services.reset_calendar_token(request.user, actor=request.user)
    messages.success(request, _("Your calendar link has been reset. The old link no longer works."))
    return redirect(reverse("accounts:profile") + "#calendar-feed")
