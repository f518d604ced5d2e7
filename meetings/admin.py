"""Admin for meetings, days, agenda items, hosts, agenda roles and online rooms: read-only, linked to the organizer screens.

A meeting's changes go through its services: they check the data, write the audit log, raise
the calendar sequence, email the registrants and re-plan the reminders, none of which the
admin's generic save does. The lifecycle actions (publish, close, ...) call those services.
"""

from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost, OnlineRoom, ZoomWebhookEvent


class MeetingDayInline(ReadOnlyInline, admin.TabularInline):
    model = MeetingDay
    fields = ("date", "start_time", "end_time")
    show_change_link = True


class AgendaItemInline(ReadOnlyInline, admin.TabularInline):
    model = AgendaItem
    fields = ("start_time", "end_time", "title", "order")


# A read-only admin still builds its (unused) form: links without a scheme are https, as in Django 6.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class OnlineRoomInline(ReadOnlyInline, admin.StackedInline):
    model = OnlineRoom
    formfield_overrides = URL_FIELDS
    fields = (
        "provider",
        "provider_id",
        "join_url",
        "passcode",
        "instructions",
        "open_to_public",
        "state",
        "last_synced_at",
        "last_error",
    )


def _lifecycle_action(verb: str, description):
    def action(modeladmin, request, queryset):
        done = 0
        for meeting in queryset:
            try:
                getattr(services, verb)(meeting, actor=request.user)
            except services.TransitionError as error:
                modeladmin.message_user(request, f"{meeting}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext("%(count)d meeting changed.", "%(count)d meetings changed.", done) % {"count": done},
                messages.SUCCESS,
            )

    action.__name__ = f"action_{verb}"
    action.short_description = description
    return action


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "code", "kind", "mode", "status", "starts_on", "ends_on")
    list_filter = ("status", "kind", "mode", "timezone", ("starts_on", admin.DateFieldListFilter))
    search_fields = ("title", "theme", "code", "venue_name")
    date_hierarchy = "starts_on"
    inlines = [MeetingDayInline, OnlineRoomInline]
    fieldsets = (
        (None, {"fields": ("title", "theme", "kind", "mode", "code", "status")}),
        (_("Description"), {"fields": ("description", "background")}),
        (
            _("Time and place"),
            {"fields": ("timezone", "starts_on", "ends_on", "venue_name", "venue_room", "venue_address")},
        ),
        (
            _("Registration"),
            {
                "fields": (
                    "capacity_onsite",
                    "capacity_online",
                    "registration_opens_at",
                    "registration_closes_at",
                    "moderation",
                )
            },
        ),
        (_("Staff"), {"fields": ("organizers", "secretaries")}),
        (
            _("Record"),
            {
                "fields": ("calendar_sequence", "created_by", "created_at", "updated_at"),
                "classes": ["collapse"],
            },
        ),
    )
    actions = [
        _lifecycle_action("publish", _("Publish selected meetings")),
        _lifecycle_action("unpublish", _("Return selected meetings to draft")),
        _lifecycle_action("mark_held", _("Mark selected meetings as held")),
        _lifecycle_action("close", _("Close selected meetings")),
        _lifecycle_action("cancel", _("Cancel selected meetings")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def organizer_url(self, obj):
        return obj.urls.edit


@admin.register(MeetingDay)
class MeetingDayAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "date", "start_time", "end_time")
    list_filter = (("date", admin.DateFieldListFilter),)
    search_fields = ("meeting__title", "meeting__code")
    date_hierarchy = "date"
    list_select_related = ("meeting",)
    inlines = [AgendaItemInline]

    def organizer_url(self, obj):
        return obj.meeting.urls.agenda


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "meeting", "day_date", "start_time", "end_time", "order")
    list_filter = (("day__date", admin.DateFieldListFilter),)
    search_fields = ("title", "description", "day__meeting__title", "day__meeting__code")
    list_select_related = ("day__meeting",)

    def organizer_url(self, obj):
        return obj.day.meeting.urls.agenda

    @admin.display(description=_("meeting"), ordering="day__meeting__title")
    def meeting(self, obj):
        return obj.day.meeting

    @admin.display(description=_("date"), ordering="day__date")
    def day_date(self, obj):
        return obj.day.date


@admin.register(OnlineRoom)
class OnlineRoomAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "provider", "state", "open_to_public", "provider_id", "last_synced_at")
    list_filter = ("provider", "state", "open_to_public")
    search_fields = ("meeting__title", "meeting__code", "provider_id", "join_url")
    list_select_related = ("meeting",)
    formfield_overrides = URL_FIELDS

    def organizer_url(self, obj):
        return obj.meeting.urls.online_room


@admin.register(ZoomWebhookEvent)
class ZoomWebhookEventAdmin(ReadOnlyAdmin):
    """Zoom's signed deliveries and what Sinergi did with each: for finding out why a room changed.
    Handled ones are deleted after ZOOM_WEBHOOK_KEEP_DAYS (their payloads name participants)."""

    list_display = ("received_at", "event", "processed_at", "outcome")
    list_filter = ("event",)
    search_fields = ("event", "outcome")
    date_hierarchy = "received_at"
    fields = ("event", "received_at", "processed_at", "outcome", "timestamp", "digest", "payload")


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
            "meetings:agenda_roles",
            kwargs={"code": obj.agenda_item.day.meeting.code, "item_id": obj.agenda_item_id},
        )
