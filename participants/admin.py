"""Admin for the directory, host agencies and agenda roles; saves go through the services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .forms.directory import OrganizationValidationMixin
from .models import AgencyInvitation, AgendaRole, Attendance, MeetingHost, Organization, Person, Registration


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


@admin.register(MeetingHost)
class MeetingHostAdmin(admin.ModelAdmin):
    list_display = ["organization", "role", "meeting", "order"]
    list_filter = ["role"]
    list_select_related = ["organization", "meeting"]
    search_fields = ["organization__name", "organization__acronym", "meeting__title", "meeting__code"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["meeting"]


@admin.register(AgendaRole)
class AgendaRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "agenda_item", "meeting", "order"]
    list_filter = ["role"]
    list_select_related = ["person", "agenda_item__day__meeting"]
    search_fields = ["person__full_name", "agenda_item__title", "agenda_item__day__meeting__title"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["agenda_item"]

    @admin.display(description=_("meeting"), ordering="agenda_item__day__meeting__title")
    def meeting(self, obj):
        return obj.agenda_item.day.meeting


class ReadOnlyStateAdmin(admin.ModelAdmin):
    """Seat and invitation states change only through the services (the organizer screens)."""

    def has_add_permission(self, request):
        return False


@admin.register(AgencyInvitation)
class AgencyInvitationAdmin(ReadOnlyStateAdmin):
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
    readonly_fields = ["meeting", "organization", "state", "token_version", "invited_at", "responded_at"]
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
        "reminded_at",
        "reminder_count",
        "token_version",
    ]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyStateAdmin):
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
    readonly_fields = [
        "meeting",
        "code",
        "mode",
        "state",
        "source",
        "invitation",
        "consent_at",
        "token_version",
        "created_at",
        "updated_at",
        "confirmed_at",
        "cancelled_at",
        "waitlisted_at",
    ]
    raw_id_fields = ["organization", "user"]
    exclude = ["personal_join_url"]

    @admin.display(description=_("organization"))
    def organization_label(self, obj):
        return obj.organization_display


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyStateAdmin):
    list_display = ["registration", "day", "how", "first_seen_at", "last_left_at", "minutes"]
    list_filter = ["how"]
    list_select_related = ["registration", "day"]
    search_fields = ["registration__full_name", "registration__code"]
    readonly_fields = [
        "registration",
        "day",
        "how",
        "first_seen_at",
        "last_left_at",
        "minutes",
        "recorded_by",
    ]
