"""The speakers' materials and upload links in the admin: read-only (changes go through the
meeting's Materi page and its services, which check the files and write the audit log)."""

from django.contrib import admin
from django.urls import reverse

from core.admin import ReadOnlyAdmin

from .models import Material, UploadLink


@admin.register(Material)
class MaterialAdmin(ReadOnlyAdmin):
    list_display = ("title", "meeting", "agenda_item", "kind", "visibility", "size", "created_at")
    list_filter = ("kind", "visibility")
    list_select_related = ("meeting", "agenda_item")
    search_fields = ("title", "display_name", "meeting__title", "meeting__code")
    # The stored file is served only after a permission check: no admin link to it.
    exclude = ("file",)

    def organizer_url(self, obj):
        return reverse("materials:materials", kwargs={"code": obj.meeting.code})


@admin.register(UploadLink)
class UploadLinkAdmin(ReadOnlyAdmin):
    list_display = ("name", "meeting", "agenda_item", "revoked_at", "last_used_at", "created_at")
    list_select_related = ("meeting", "agenda_item")
    search_fields = ("name", "email", "meeting__title", "meeting__code")
    exclude = ("version",)

    def organizer_url(self, obj):
        return reverse("materials:materials", kwargs={"code": obj.meeting.code})
