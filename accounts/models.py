"""The Sinergi user (email login) and the audit log shared by every app."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, can_organize=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    can_organize = models.BooleanField(
        _("may organize meetings"),
        default=False,
        help_text=_("Organizers create meetings and manage the directory of agencies and people."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Part of the personal calendar feed's secret link; raising it revokes the old link.
    calendar_token_version = models.PositiveIntegerField(default=1)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]


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
    records the result (see accounts.mail). A retried task finds it sent and does nothing.
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
