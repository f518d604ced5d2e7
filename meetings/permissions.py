"""Named permission predicates for meetings; views check these, templates never decide access."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import OrganizerRequiredMixin, may_organize, never_cached  # noqa: F401 (re-exported)

from .models import Meeting

can_create_meeting = may_organize


def _staff_ids(meeting: Meeting, relation: str) -> set[int]:
    # Cached per meeting instance so one request asks the database once per relation.
    cache = meeting.__dict__.setdefault("_staff_cache", {})
    if relation not in cache:
        cache[relation] = set(getattr(meeting, relation).values_list("pk", flat=True))
    return cache[relation]


def is_organizer(user, meeting: Meeting) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.pk in _staff_ids(meeting, "organizers")


def is_secretary(user, meeting: Meeting) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk in _staff_ids(meeting, "secretaries")


def can_edit_agenda(user, meeting: Meeting) -> bool:
    """Organizers change the days and agenda until the meeting is closed or cancelled."""
    return is_organizer(user, meeting) and not meeting.is_final


def is_meeting_staff(user, meeting: Meeting) -> bool:
    """Organizer or secretary of this meeting: may see its internal pages."""
    return is_organizer(user, meeting) or is_secretary(user, meeting)


class MeetingPermissionMixin(AccessMixin):
    """Loads `self.meeting` from the URL's code and checks `permission` (a predicate).

    Anonymous users go to the login page. Users who are not staff of the meeting get 404, so
    nobody learns that another organizer's draft exists; staff lacking the permission (a
    secretary trying an organizer action) get 403.
    """

    permission = staticmethod(is_organizer)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = get_object_or_404(Meeting, code=kwargs["code"])
        if not is_meeting_staff(request.user, self.meeting):
            raise Http404
        if not self.permission(request.user, self.meeting):
            self.raise_exception = True
            return self.handle_no_permission()
        return never_cached(super().dispatch(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        context["user_is_organizer"] = is_organizer(self.request.user, self.meeting)
        return context
