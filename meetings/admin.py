"""Admin for meetings, days, agenda items and online rooms.

Status changes go through the lifecycle actions (services, audit log), never by editing the field.
"""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import AgendaItem, Meeting, MeetingDay, OnlineRoom


class MeetingDayInline(admin.TabularInline):
    model = MeetingDay
    extra = 0
    fields = ("date", "start_time", "end_time")
    show_change_link = True


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("start_time", "end_time", "title", "order")


# Links without a scheme are taken as https (Django 6's default), not http.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class OnlineRoomInline(admin.StackedInline):
    model = OnlineRoom
    formfield_overrides = URL_FIELDS
    extra = 0
    can_delete = False
    fields = (
        "provider",
        "provider_id",
        "join_url",
        "passcode",
        "instructions",
        "state",
        "last_synced_at",
        "last_error",
    )
    readonly_fields = ("provider_id", "state", "last_synced_at", "last_error")


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
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "kind", "mode", "status", "starts_on", "ends_on")
    list_filter = ("status", "kind", "mode", "timezone", ("starts_on", admin.DateFieldListFilter))
    search_fields = ("title", "theme", "code", "venue_name")
    date_hierarchy = "starts_on"
    filter_horizontal = ("organizers", "secretaries")
    readonly_fields = (
        "code",
        "status",
        "starts_on",
        "ends_on",
        "calendar_sequence",
        "created_by",
        "created_at",
        "updated_at",
    )
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


@admin.register(MeetingDay)
class MeetingDayAdmin(admin.ModelAdmin):
    list_display = ("meeting", "date", "start_time", "end_time")
    list_filter = (("date", admin.DateFieldListFilter),)
    search_fields = ("meeting__title", "meeting__code")
    date_hierarchy = "date"
    list_select_related = ("meeting",)
    autocomplete_fields = ("meeting",)
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "day_date", "start_time", "end_time", "order")
    list_filter = (("day__date", admin.DateFieldListFilter),)
    search_fields = ("title", "description", "day__meeting__title", "day__meeting__code")
    list_select_related = ("day__meeting",)
    autocomplete_fields = ("day",)

    @admin.display(description=_("meeting"), ordering="day__meeting__title")
    def meeting(self, obj):
        return obj.day.meeting

    @admin.display(description=_("date"), ordering="day__date")
    def day_date(self, obj):
        return obj.day.date


@admin.register(OnlineRoom)
class OnlineRoomAdmin(admin.ModelAdmin):
    list_display = ("meeting", "provider", "state", "provider_id", "last_synced_at")
    list_filter = ("provider", "state")
    search_fields = ("meeting__title", "meeting__code", "provider_id", "join_url")
    list_select_related = ("meeting",)
    readonly_fields = ("last_synced_at", "last_error")
    autocomplete_fields = ("meeting",)
    formfield_overrides = URL_FIELDS
