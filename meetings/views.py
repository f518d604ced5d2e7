"""Placeholder views (replaced while the foundation issue is built)."""

from django.views import View


class AgendaView(View):
    verb = None


class CancelView(View):
    verb = None


class DayCreateView(View):
    verb = None


class DayDeleteView(View):
    verb = None


class DayUpdateView(View):
    verb = None


class ItemCreateView(View):
    verb = None


class ItemDeleteView(View):
    verb = None


class ItemMoveView(View):
    verb = None


class ItemUpdateView(View):
    verb = None


class MeetingCreateView(View):
    verb = None


class MeetingDetailView(View):
    verb = None


class MeetingListView(View):
    verb = None


class MeetingStaffView(View):
    verb = None


class MeetingUpdateView(View):
    verb = None


class OnlineRoomView(View):
    verb = None


class PublicMeetingView(View):
    verb = None


class TransitionView(View):
    verb = None

