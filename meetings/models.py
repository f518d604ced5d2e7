"""The meeting itself: Meeting, its days, agenda items, host agencies, speakers and moderators, online room."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.links import Urls
from core.timezones import TIMEZONE_CHOICES, zone_label
from directory.models import Organization, Person

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_meeting_code() -> str:
    """Public code: 8 characters from an unambiguous alphabet (31^8 ≈ 8.5e11)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


# Functions (queryset, **options) -> queryset registered by apps above meetings: see with_counts.
_COUNTS: list = []


def add_counts(annotate):
    """Register a function that annotates a queryset of meetings with counts (a decorator)."""
    _COUNTS.append(annotate)
    return annotate


class MeetingQuerySet(models.QuerySet):
    def lock(self, pk: int, *, with_room: bool = False, **annotations) -> "Meeting":
        """The meeting's row, locked until the transaction ends (SELECT ... FOR UPDATE): every
        service that changes its days, seats, registrations or reminders takes it first.
        `with_room` reads the online room (if any) in the same query, without locking it;
        `annotations` (subqueries) are read in the same query too."""
        if not (with_room or annotations):
            return self.select_for_update().get(pk=pk)
        queryset = self.select_for_update(of=("self",)).annotate(**annotations)
        return (queryset.select_related("online_room") if with_room else queryset).get(pk=pk)

    def with_counts(self, **options):
        """Annotated with the counts the apps above this one registered with `add_counts`
        (per meeting: confirmed, waiting, ...); `options` go to every one of them."""
        queryset = self
        for annotate in _COUNTS:
            queryset = annotate(queryset, **options)
        return queryset

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


class MeetingSeries(models.Model):
    """The same meeting held for several regional units, each copy in its own time zone with its
    own registrations, room and minutes (see meetings.copying.create_series)."""

    title = models.CharField(_("title"), max_length=300)
    source = models.ForeignKey(
        "Meeting",
        verbose_name=_("template meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="series_made",
    )
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizers"),
        related_name="organized_series",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @cached_property
    def urls(self) -> "SeriesUrls":
        return SeriesUrls(self)


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
    # A copy remembers its template; a series meeting its series and the regional unit it is for.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    regional_unit = models.ForeignKey(
        Organization,
        verbose_name=_("regional unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="series_meetings",
    )
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


class ExtensibleUrls(Urls):
    """A `urls` helper that the apps above this one extend with their pages, by URL name (`add`)."""

    _more: dict[str, str]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._more = {}

    @classmethod
    def add(cls, **url_names: str) -> None:
        cls._more.update(url_names)

    def _r(self, name: str) -> str:
        raise NotImplementedError

    def __getattr__(self, name: str) -> str:
        try:
            url_name = type(self)._more[name]
        except KeyError:
            raise AttributeError(name) from None
        return self._r(url_name)


class MeetingUrls(ExtensibleUrls):
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
    hosts = property(lambda self: self._r("meetings:hosts"))
    copy = property(lambda self: self._r("meetings:copy"))
    create_series = property(lambda self: self._r("meetings:create_series"))


class SeriesUrls(ExtensibleUrls):
    """Where a series' pages live (policy adds its page: `series.urls.page`)."""

    def __init__(self, series: MeetingSeries):
        self._pk = series.pk

    def _r(self, name: str) -> str:
        return reverse(name, kwargs={"pk": self._pk})


class DayUrls(ExtensibleUrls):
    """Where a meeting day's pages live: its agenda forms here, check-in and attendance (participants)."""

    def __init__(self, day: "MeetingDay"):
        self._day = day

    def _r(self, name: str) -> str:
        # The meeting's code is read only when a link is asked for (days listed from
        # `meeting.days` know their meeting without a query).
        return reverse(name, kwargs={"code": self._day.meeting.code, "day_id": self._day.pk})

    edit = property(lambda self: self._r("meetings:day_edit"))
    delete = property(lambda self: self._r("meetings:day_delete"))
    item_create = property(lambda self: self._r("meetings:item_create"))


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

    @cached_property
    def urls(self) -> DayUrls:
        return DayUrls(self)

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
    # Zoom: the organizer's choices (waiting_room, join_before_host, mute_upon_entry,
    # auto_recording, alternative_hosts), and what Zoom holds: per day ("YYYY-MM-DD") the
    # occurrence id, start (UTC) and duration, so a change patches only the days that moved.
    settings = models.JSONField(_("room settings"), default=dict, blank=True)
    remote = models.JSONField(_("provider state"), default=dict, blank=True)
    # Written (and committed) before a create is sent: a create that timed out is found again by
    # this marker at the start of the Zoom meeting's agenda instead of being made twice.
    attempt = models.CharField(_("create attempt"), max_length=40, blank=True)
    # A worker syncing the room holds it until then (no database lock is held while Zoom answers).
    leased_until = models.DateTimeField(_("sync in progress until"), null=True, blank=True)

    class Meta:
        verbose_name = _("online room")
        verbose_name_plural = _("online rooms")

    def __str__(self):
        return f"{self.get_provider_display()}: {self.meeting}"


class MeetingHost(models.Model):
    """An agency hosting a meeting (the organizer unit, or a co-host)."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        CO_HOST = "co_host", _("Co-host")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="hosts"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="hosted",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("host agency")
        verbose_name_plural = _("host agencies")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organization"], name="unique_meeting_host")
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()}"


class AgendaRole(models.Model):
    """A speaker (narasumber) or moderator of an agenda item."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="roles"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="agenda_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agenda role")
        verbose_name_plural = _("agenda roles")
        ordering = ["role", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "person", "role"], name="unique_agenda_role")
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"


class ZoomWebhookEvent(models.Model):
    """One signed delivery of Zoom's webhook, stored as it came and handled later by a task.

    `digest` (SHA-256 of the signed timestamp and the raw body) is unique: the same delivery
    played back a second time finds its row and changes nothing.
    """

    event = models.CharField(_("event"), max_length=100, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    timestamp = models.BigIntegerField(_("signature timestamp"))  # x-zm-request-timestamp, Unix seconds
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Zoom webhook event")
        verbose_name_plural = _("Zoom webhook events")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.event} ({self.received_at:%Y-%m-%d %H:%M:%S})" if self.received_at else self.event
