"""The meeting itself: Meeting, its days, agenda items, and its online room."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .timezones import TIMEZONE_CHOICES, zone_label

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_meeting_code() -> str:
    """Public code: 8 characters from an unambiguous alphabet (31^8 ≈ 8.5e11)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _count(rows: models.QuerySet, meeting_path: str):
    """A correlated COUNT of `rows` per meeting, 0 when there are none (no join, no GROUP BY)."""
    return Coalesce(
        Subquery(
            rows.order_by().values(meeting_path).annotate(n=Count("pk")).values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


class MeetingQuerySet(models.QuerySet):
    def with_participation_counts(self, *, checked_in_on=None):
        """Annotate registrations per state and mode, and optionally attendances on a date.

        Counted through the reverse relations by name: participants sits above meetings and
        cannot be imported here. The states and modes are participants' codes.
        """
        registration = Meeting._meta.get_field("registrations").related_model
        rows = registration.objects.filter(meeting=OuterRef("pk"))
        counts = {
            "confirmed_onsite": _count(rows.filter(state="confirmed", mode="onsite"), "meeting"),
            "confirmed_online": _count(rows.filter(state="confirmed", mode="online"), "meeting"),
            "confirmed": _count(rows.filter(state="confirmed"), "meeting"),
            "waiting": _count(rows.filter(state="waitlisted"), "meeting"),
            "pending": _count(rows.filter(state="pending"), "meeting"),
        }
        if checked_in_on is not None:
            attendance = registration._meta.get_field("attendances").related_model
            present = attendance.objects.filter(registration__meeting=OuterRef("pk"), day__date=checked_in_on)
            counts["checked_in_today"] = _count(present, "registration__meeting")
        return self.annotate(**counts)

    def visible_to_public(self):
        return self.filter(status__in=Meeting.PUBLIC_STATUSES)

    def managed_by(self, user):
        """Meetings a user organizes (all meetings for site administrators)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organizers=user)

    def staffed_by(self, user):
        """Meetings a user organizes or serves as secretary."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(organizers=user) | Q(secretaries=user)).distinct()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FGD = "fgd", _("Focus Group Discussion")
        COORDINATION = "coordination", _("Coordination meeting")
        SOCIALIZATION = "socialization", _("Socialization")
        WEBINAR = "webinar", _("Webinar")
        OTHER = "other", _("Other")

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On-site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (on-site and online)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.HELD, Status.CLOSED, Status.CANCELLED)

    code = models.CharField(_("code"), max_length=16, unique=True, default=new_meeting_code)
    title = models.CharField(_("title"), max_length=300)
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FGD)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.HYBRID)
    description = models.TextField(_("description"), blank=True)
    background = models.TextField(_("background"), blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=40, choices=TIMEZONE_CHOICES, default="Asia/Jakarta"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    venue_room = models.CharField(_("room"), max_length=200, blank=True)
    capacity_onsite = models.PositiveIntegerField(_("on-site capacity"), null=True, blank=True)
    capacity_online = models.PositiveIntegerField(_("online capacity"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    moderation = models.BooleanField(
        _("moderate registrations"),
        default=False,
        help_text=_("New registrations wait for an organizer's approval."),
    )
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizers"),
        related_name="organized_meetings",
        blank=True,
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretaries"),
        related_name="secretary_meetings",
        blank=True,
    )
    calendar_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # Denormalised from the days so lists can sort and filter by date without a join.
    starts_on = models.DateField(_("starts on"), null=True, blank=True, db_index=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return self.urls.public

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def zone_label(self) -> str:
        return zone_label(self.timezone)

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_final(self) -> bool:
        """Closed or cancelled: the record stays as it is (the agenda can no longer change)."""
        return self.status in (self.Status.CLOSED, self.Status.CANCELLED)

    @property
    def has_onsite(self) -> bool:
        return self.mode in (self.Mode.ONSITE, self.Mode.HYBRID)

    @property
    def has_online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    @cached_property
    def urls(self) -> "MeetingUrls":
        return MeetingUrls(self)


class MeetingUrls:
    """Where a meeting lives, so templates and emails never rebuild paths by hand."""

    def __init__(self, meeting: Meeting):
        self._code = meeting.code

    def _r(self, name: str) -> str:
        return reverse(name, kwargs={"code": self._code})

    public = property(lambda self: self._r("meetings:public"))
    detail = property(lambda self: self._r("meetings:detail"))
    edit = property(lambda self: self._r("meetings:edit"))
    agenda = property(lambda self: self._r("meetings:agenda"))
    staff = property(lambda self: self._r("meetings:staff"))
    publish = property(lambda self: self._r("meetings:publish"))
    unpublish = property(lambda self: self._r("meetings:unpublish"))
    cancel = property(lambda self: self._r("meetings:cancel"))
    mark_held = property(lambda self: self._r("meetings:mark_held"))
    reopen = property(lambda self: self._r("meetings:reopen"))
    close = property(lambda self: self._r("meetings:close"))
    online_room = property(lambda self: self._r("meetings:online_room"))
    # Pages of the participants app (resolved by name, so this module imports nothing from it).
    hosts = property(lambda self: self._r("participants:hosts"))
    registrations = property(lambda self: self._r("participants:registrations"))
    invitations = property(lambda self: self._r("participants:invitations"))
    checkin = property(lambda self: self._r("participants:checkin_start"))
    attendance = property(lambda self: self._r("participants:attendance_summary"))
    register = property(lambda self: self._r("participants:register"))
    reminders = property(lambda self: self._r("participants:reminders"))


class MeetingDay(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("meeting day")
        verbose_name_plural = _("meeting days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="unique_meeting_day"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="day_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.meeting} — {self.date:%Y-%m-%d}"

    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=self.meeting.tz)

    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, tzinfo=self.meeting.tz)


class AgendaItem(models.Model):
    day = models.ForeignKey(MeetingDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="items")
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["day__date", "start_time", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="item_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.start_time:%H:%M} {self.title}"


class OnlineRoom(models.Model):
    """The meeting's online room; provider data kept apart from the meeting (as Indico does)."""

    class Provider(models.TextChoices):
        MANUAL = "manual", _("Link entered by hand")
        ZOOM = "zoom", _("Zoom")

    class State(models.TextChoices):
        READY = "ready", _("Ready")
        PENDING = "pending", _("Waiting for the provider")
        FAILED = "failed", _("Failed")
        DELETED = "deleted", _("Deleted")

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="online_room"
    )
    provider = models.CharField(
        _("provider"), max_length=20, choices=Provider.choices, default=Provider.MANUAL
    )
    provider_id = models.CharField(_("provider id"), max_length=64, blank=True)
    join_url = models.URLField(_("join link"), max_length=1000, blank=True)
    host_url = models.URLField(_("host link"), max_length=2000, blank=True)
    passcode = models.CharField(_("passcode"), max_length=20, blank=True)
    instructions = models.TextField(_("joining instructions"), blank=True)
    # Private by default: only confirmed online registrants, speakers and staff get the link, so
    # online capacity and moderation decide who joins. A webinar may open its room to everyone.
    open_to_public = models.BooleanField(
        _("open to the public"),
        default=False,
        help_text=_(
            "Show the join link on the public page and in the public calendars (a webinar). "
            "Otherwise only confirmed online participants, speakers and staff get it."
        ),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    last_synced_at = models.DateTimeField(_("last synchronised"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("online room")
        verbose_name_plural = _("online rooms")

    def __str__(self):
        return f"{self.get_provider_display()}: {self.meeting}"
