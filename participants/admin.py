"""Admin for the directory, host agencies and agenda roles; saves go through the services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .forms.directory import OrganizationValidationMixin
from .models import AgendaRole, MeetingHost, Organization, Person


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
