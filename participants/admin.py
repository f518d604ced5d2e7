"""Admin of the participants app, read-only.

Invitations, registrations and attendance change only on the organizer screens (linked from
each page), through services that lock the meeting, keep the seat counts and quotas, write the
audit log and email the people concerned.
"""

from django.contrib import admin
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import AgencyInvitation, Attendance, Nomination, Registration


@admin.register(AgencyInvitation)
class AgencyInvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "organization",
        "meeting",
        "quota",
        "focal_point_email",
        "state",
        "invited_at",
        "responded_at",
    ]
    list_filter = ["state"]
    list_select_related = ["organization", "meeting"]
    search_fields = ["organization__name", "organization__acronym", "focal_point_email", "meeting__title"]
    fields = [
        "meeting",
        "organization",
        "quota",
        "focal_point_name",
        "focal_point_email",
        "language",
        "state",
        "invited_at",
        "responded_at",
        "nomination_deadline",
        "reminded_at",
        "reminder_count",
        "token_version",
    ]

    def organizer_url(self, obj):
        return obj.meeting.urls.invitations


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "email", "invitation", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["invitation__organization", "invitation__meeting"]
    search_fields = ["full_name", "email", "invitation__organization__name"]
    fields = [
        "invitation",
        "registration",
        "full_name",
        "position",
        "email",
        "phone",
        "mode",
        "language",
        "state",
        "created_at",
        "accepted_at",
        "withdrawn_at",
    ]

    def organizer_url(self, obj):
        return obj.invitation.meeting.urls.invitations


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "full_name",
        "organization_label",
        "mode",
        "state",
        "source",
        "meeting",
        "created_at",
    ]
    list_filter = ["state", "mode", "source"]
    list_select_related = ["organization", "meeting"]
    search_fields = [
        "code",
        "full_name",
        "email",
        "organization__name",
        "organization_name",
        "meeting__title",
    ]
    exclude = ["personal_join_url"]

    @admin.display(description=_("organization"))
    def organization_label(self, obj):
        return obj.organization_display

    def organizer_url(self, obj):
        return f"{obj.meeting.urls.registrations}?{urlencode({'q': obj.code})}"


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["registration", "day", "how", "first_seen_at", "last_left_at", "minutes"]
    list_filter = ["how"]
    list_select_related = ["registration", "day"]
    search_fields = ["registration__full_name", "registration__code"]

    def organizer_url(self, obj):
        return obj.day.meeting.urls.attendance
