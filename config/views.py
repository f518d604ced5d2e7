"""Site-wide pages: the public home page and the signed-in dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from meetings.models import Meeting
from meetings.permissions import can_create_meeting


def home(request):
    today = timezone.localdate()
    upcoming = Meeting.objects.filter(status=Meeting.Status.PUBLISHED, ends_on__gte=today).order_by(
        "starts_on", "id"
    )[:12]
    return render(request, "home.html", {"upcoming": upcoming})


@login_required
def dashboard(request):
    user = request.user
    staffed = (
        Meeting.objects.staffed_by(user)
        .with_participation_counts(checked_in_on=timezone.localdate())
        .order_by("-starts_on", "-id")[:20]
    )
    return render(
        request,
        "dashboard.html",
        {"staffed": staffed, "can_create": can_create_meeting(user)},
    )
