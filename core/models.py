"""Shared records: the audit log and the outgoing-email queue."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change someone made: who, when, to what, and the details."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutgoingEmail(models.Model):
    """An email queued by a service and written and sent by a background task, once per key.

    The service stores it here in the same transaction as the change that causes it; the task
    records the attempt (state "sending"), writes and sends it with no transaction open, then
    records the result (see core.mail). A retried task finds it sent and does nothing.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Dropped (its subject no longer exists)")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # What the email belongs to, e.g. "meeting:12", so a meeting's emails can be found (purged).
    group = models.CharField(_("group"), max_length=100, blank=True, db_index=True)
    to = models.JSONField(_("to"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    # What to write: a builder function (dotted path) and its JSON parameters. The message is
    # rendered by the task, outside the transaction that queued it, in `language`.
    builder = models.CharField(_("builder"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="id")
    # What was sent (filled in when it is sent).
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Set at the first attempt and sent with every attempt: a copy sent again after a worker died
    # between the server's acceptance and the record of it is recognisably the same message.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When it was last put on the task queue, and when the current (or last) attempt began:
    # an email queued or sending for too long lost its worker and is queued again.
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    claimed_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep for stuck emails reads only the few that are on their way.
            models.Index(
                fields=["queued_at"],
                name="outgoing_email_on_its_way",
                condition=Q(state__in=["queued", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.subject or self.builder} → {', '.join(self.to)}"
