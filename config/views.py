"""Site-wide pages: the public home page and the signed-in dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from meetings.models import Meeting
from meetings.permissions import can_create_meeting
from policy.permissions import focal_points_of

PAST_ON_HOME = 6


def home(request):
    today = timezone.localdate()
    upcoming = Meeting.objects.filter(status=Meeting.Status.PUBLISHED, ends_on__gte=today).order_by(
        "starts_on", "id"
    )[:12]
    # The most recent past meetings however long ago (the 2021 FGD on a fresh install):
    # newcomers see what the site records, not only what is coming. Cancelled ones are left out.
    past = Meeting.objects.filter(
        status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD, Meeting.Status.CLOSED], ends_on__lt=today
    ).order_by("-ends_on", "-id")[:PAST_ON_HOME]
    return render(request, "home.html", {"upcoming": upcoming, "past": past})


@login_required
def dashboard(request):
    user = request.user
    staffed = (
        Meeting.objects.staffed_by(user)
        .with_counts(checked_in_on=timezone.localdate())
        .order_by("-starts_on", "-id")[:20]
    )
    return render(
        request,
        "dashboard.html",
        {
            "staffed": staffed,
            "can_create": can_create_meeting(user),
            "focal_point_of": [fp.organization for fp in focal_points_of(user)],
        },
    )
