"""Template tags of participation: the public page's registration box, the personal calendar feed."""

from django import template
from django.urls import reverse

from core.links import absolute
from core.tokens import make_token
from meetings.models import Meeting

from ..models import Registration
from ..services import registration

register = template.Library()


@register.inclusion_tag("participants/public/registration_box.html")
def registration_box(meeting: Meeting) -> dict:
    """The public page's registration box: a Register button or why not, seats, the opt-in list.

    Two queries (confirmed counts, the opt-in list); the closed reason reads the page's
    prefetched days. Never an email, never anyone who did not opt in.
    """
    reason = registration.registration_closed_reason(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        return {"meeting": meeting, "reason": reason, "modes": [], "listed": []}
    counts = registration.confirmed_counts(meeting)
    modes = []
    for mode in registration.allowed_modes(meeting):
        limit = registration.capacity(meeting, mode)
        taken = counts.get(mode, 0)
        modes.append(
            {
                "mode": mode,
                "label": Registration.Mode(mode).label,
                "confirmed": taken,
                "capacity": limit,
                "left": None if limit is None else max(limit - taken, 0),
                "full": limit is not None and taken >= limit,
            }
        )
    listed = list(
        Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED, public_listing=True)
        .select_related("organization")
        .only("full_name", "organization_name", "organization__name", "organization__acronym")
        .order_by("full_name", "id")
    )
    return {
        "meeting": meeting,
        "reason": reason,
        "register_url": reverse("participants:register", kwargs={"code": meeting.code}),
        "modes": modes,
        "any_full": any(m["full"] for m in modes),
        "listed": listed,
    }


@register.simple_tag
def personal_feed_urls(user) -> dict:
    """The user's calendar feed as an https (or http in development) URL and as webcal://."""
    token = make_token("calendar", user.pk, user.calendar_token_version)
    url = absolute(reverse("participants:calendar_feed", kwargs={"user_id": user.pk, "token": token}))
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1]}
