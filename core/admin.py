"""Read-only admin base for every app, the audit log and the email queue.

A change that matters goes through a service (checks, audit log, calendar sequence, emails,
reminders), which the admin's generic save would bypass, so those admins only show the data and
link to the organizer screen that changes it.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import audit, mail
from .models import AuditEntry, OutgoingEmail


class ReadOnlyInline:
    """An inline that shows rows and changes none (mixed into Tabular/StackedInline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows the data; nobody adds, changes or deletes here, not even a superuser.

    `organizer_url(obj)` names the organizer screen where the object is changed through its
    service; the change page links to it first thing.
    """

    def organizer_url(self, obj) -> str | None:
        return None

    @admin.display(description=_("where to change it"))
    def organizer_screen(self, obj):
        return format_html('<a href="{}">{}</a>', self.organizer_url(obj), _("Open the organizer screen"))

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "organizer_screen"]

    def get_fieldsets(self, request, obj=None):
        rest = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "organizer_screen"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None or not self.organizer_url(obj):
            return rest
        explanation = _(
            "Changes are made on the organizer screens, where they are checked, written to the "
            "audit log and announced to the people concerned."
        )
        return [(None, {"fields": ["organizer_screen"], "description": explanation}), *rest]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The log is evidence: nobody adds, edits or deletes entries, not even a superuser."""

    list_display = ("created_at", "sentence", "action", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("action", "object_repr", "actor__email", "actor__full_name")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "content_type")
    readonly_fields = (
        *("created_at", "sentence", "actor", "action", "content_type", "object_id", "object_repr", "data"),
    )

    @admin.display(description=_("what happened"))
    def sentence(self, obj):
        return audit.describe(obj)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """The email queue: what was sent, what failed and why; failed ones can be sent again."""

    list_display = ("created_at", "subject", "recipients", "state", "attempts", "sent_at")
    list_filter = ("state",)
    search_fields = ("subject", "to", "key")
    date_hierarchy = "created_at"
    readonly_fields = (
        "key",
        "to",
        "reply_to",
        "builder",
        "language",
        "subject",
        "body_text",
        "state",
        "attempts",
        "last_error",
        "message_id",
        "created_at",
        "queued_at",
        "claimed_at",
        "sent_at",
    )
    exclude = ("body_html", "params")
    actions = ("send_again",)

    @admin.display(description=_("to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description=_("Send the selected failed emails again"))
    def send_again(self, request, queryset):
        count = mail.requeue_failed(queryset)
        self.message_user(request, _("%(count)d emails queued again.") % {"count": count})
