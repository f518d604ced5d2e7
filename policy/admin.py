"""The policy app in the admin: read-only (changes go through the policy pages' services)."""

from django.contrib import admin
from django.urls import reverse

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import FocalPoint, FollowUp, PolicyBrief, PolicyBriefVersion, Tracking


class FollowUpInline(ReadOnlyInline, admin.TabularInline):
    model = FollowUp
    fields = ("happened_on", "previous_state", "state", "by_name", "note", "evidence_url", "evidence_name")
    readonly_fields = fields
    extra = 0


@admin.register(Tracking)
class TrackingAdmin(ReadOnlyAdmin):
    list_display = ("key", "state", "due_on", "merged_into", "updated_at")
    list_filter = ("state",)
    search_fields = ("key",)
    inlines = [FollowUpInline]

    def organizer_url(self, obj):
        return reverse("policy:recommendation", kwargs={"key": obj.key})


@admin.register(FocalPoint)
class FocalPointAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "email", "active", "link_sent_at")
    list_filter = ("active",)
    list_select_related = ("organization",)
    search_fields = ("name", "email", "organization__name", "organization__acronym")
    exclude = ("token_version",)

    def organizer_url(self, obj):
        return reverse("policy:focal_points")


class VersionInline(ReadOnlyInline, admin.TabularInline):
    model = PolicyBriefVersion
    fields = ("number", "title", "saved_by", "saved_at")
    readonly_fields = fields
    extra = 0


@admin.register(PolicyBrief)
class PolicyBriefAdmin(ReadOnlyAdmin):
    list_display = ("title", "language", "created_by", "updated_at")
    search_fields = ("title",)
    inlines = [VersionInline]

    def organizer_url(self, obj):
        return reverse("policy:brief", kwargs={"pk": obj.pk})
