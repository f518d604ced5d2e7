"""Placeholder (meeting views are being built)."""

from django.views import View

__all__ = ['CancelView', 'MeetingCreateView', 'MeetingDetailView', 'MeetingListView', 'MeetingStaffView', 'MeetingUpdateView', 'OnlineRoomView', 'PublicMeetingView', 'TransitionView']


class CancelView(View):
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
