"""Name badges (tanda pengenal) and table tents for the on-site participants: an A4 print sheet
(HTML with print CSS, static/css/badges.css), 8 badges or 2 table tents per page. Each badge
carries the check-in QR code (the registration code, as the confirmation email and the private
page show it) for the desk's scanner."""

from __future__ import annotations

import base64

from django.views.generic import TemplateView

from meetings.permissions import MeetingPermissionMixin, is_meeting_staff

from .. import notifications
from ..models import Registration

PER_PAGE = {"badge": 8, "tent": 2}


def on_site(meeting) -> list[Registration]:
    """Confirmed on-site registrations by organization, then name."""
    people = list(
        Registration.objects.filter(
            meeting=meeting, state=Registration.State.CONFIRMED, mode=Registration.Mode.ONSITE
        ).select_related("organization")
    )
    people.sort(key=lambda r: (r.organization_display.casefold(), r.full_name.casefold(), r.pk))
    return people


def pages(items: list, per_page: int) -> list[list]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)]


class BadgeSheetView(MeetingPermissionMixin, TemplateView):
    """`?kind=badge` (default) or `?kind=tent`."""

    permission = staticmethod(is_meeting_staff)
    template_name = "participants/badges/sheet.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind")
        kind = kind if kind in PER_PAGE else "badge"
        people = on_site(self.meeting)
        if kind == "badge":
            for person in people:
                png = notifications.qr_png(person.code)
                person.qr_data_uri = "data:image/png;base64," + base64.b64encode(png).decode()
        context.update(kind=kind, pages=pages(people, PER_PAGE[kind]), count=len(people))
        return context
