"""Admin of the participants app: the directory saves through its services, the rest is read-only.

Host agencies, agenda roles, invitations, registrations and attendance change only on the
organizer screens (linked from each page), through services that lock the meeting, keep the
seat counts and quotas, write the audit log and email the people concerned. Nothing is deleted
here: an organization's deletion would silently unlink registrations, and no service deletes
directory entries.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.admin import ReadOnlyAdmin

from . import services
from .forms.directory import OrganizationValidationMixin
from .models import (
    AgencyInvitation,
    AgendaRole,
    Attendance,
    MeetingHost,
    Nomination,
    Organization,
    Person,
    Registration,
)


class OrganizationAdminForm(OrganizationValidationMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "parent", "timezone"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "acronym", "kind", "parent", "timezone"]
    list_filter = ["kind", "timezone"]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        services.save_organization(obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "organization", "email", "phone"]
    list_filter = ["organization__kind"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "position", "email", "organization__name", "organization__acronym"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        services.save_person(obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingHost)
class MeetingHostAdmin(ReadOnlyAdmin):
    list_display = ["organization", "role", "meeting", "order"]
    list_filter = ["role"]
    list_select_related = ["organization", "meeting"]
    search_fields = ["organization__name", "organization__acronym", "meeting__title", "meeting__code"]

    def organizer_url(self, obj):
        return obj.meeting.urls.hosts


@admin.register(AgendaRole)
class AgendaRoleAdmin(ReadOnlyAdmin):
    list_display = ["person", "role", "agenda_item", "meeting", "order"]
    list_filter = ["role"]
    list_select_related = ["person", "agenda_item__day__meeting"]
    search_fields = ["person__full_name", "agenda_item__title", "agenda_item__day__meeting__title"]

    @admin.display(description=_("meeting"), ordering="agenda_item__day__meeting__title")
    def meeting(self, obj):
        return obj.agenda_item.day.meeting

    def organizer_url(self, obj):
        return reverse(
            "participants:agenda_roles",
            kwargs={"code": obj.agenda_item.day.meeting.code, "item_id": obj.agenda_item_id},
        )


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
