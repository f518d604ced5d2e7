"""Admin of the directory: organizations and people, saved through the directory's services.

Nothing is deleted here: an organization's deletion would silently unlink registrations, and no
service deletes directory entries.
"""

from django import forms
from django.contrib import admin

from . import services
from .forms import OrganizationValidationMixin
from .models import Organization, Person


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
