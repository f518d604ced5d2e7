"""Who takes part: agency invitations and nominations, registrations, attendance, reminders,
announcements."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.links import Urls
from core.tokens import make_token
from directory.models import Organization
from meetings.models import Meeting, MeetingDay

REGISTRATION_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_registration_code() -> str:
    """Printed on badges and read aloud at the desk: 8 unambiguous characters."""
    import secrets

    return "".join(secrets.choice(REGISTRATION_CODE_ALPHABET) for _ in range(8))


# A nomination's link works while the nomination waits for its person (the service checks the
# state), so its token's version is fixed.
NOMINATION_TOKEN_VERSION = 1


class RowUrls(Urls):
    """Where a row people link to lives (`registration.urls.private`, `.absolute.private` in emails).

    Private links carry a token (core.tokens) of the row's kind, id and token version, made when a
    link is asked for: a revoked link is never handed out again.
    """

    kind = ""

    def __init__(self, row: models.Model):
        self._row = row

    @property
    def token(self) -> str:
        version = getattr(self._row, "token_version", NOMINATION_TOKEN_VERSION)
        return make_token(self.kind, self._row.pk, version)

    def _r(self, name: str, **kwargs) -> str:
        return reverse(f"participants:{name}", kwargs=kwargs)

    def _in_meeting(self, name: str) -> str:
        """An organizer's page about this row of the meeting (the row's meeting is read)."""
        return self._r(name, code=self._row.meeting.code, pk=self._row.pk)


class RegistrationUrls(RowUrls):
    kind = "registration"
    # The person's private page: see, change or cancel the registration.
    private = property(lambda self: self._r("registration_manage", code=self._row.code, token=self.token))
    # The organizer's row action (approve, decline, waiting list, cancel).
    action = property(lambda self: self._in_meeting("registration_action"))


class InvitationUrls(RowUrls):
    kind = "invitation"
    # The focal point's private page: nominate, replace and withdraw the agency's delegates.
    focal_point = property(lambda self: self._r("invitation_respond", pk=self._row.pk, token=self.token))
    quota = property(lambda self: self._in_meeting("invitation_quota"))
    deadline = property(lambda self: self._in_meeting("invitation_deadline"))
    revoke = property(lambda self: self._in_meeting("invitation_revoke"))
    remind = property(lambda self: self._in_meeting("invitation_remind"))


class NominationUrls(RowUrls):
    kind = "nomination"
    # The nominated person's link: accept counting as the agency's delegate.
    accept = property(lambda self: self._r("nomination_accept", pk=self._row.pk, token=self.token))

    def _focal_point(self, name: str) -> str:
        """A page about this delegate on the focal point's private page (the invitation is read)."""
        invitation = self._row.invitation
        return self._r(name, pk=invitation.pk, token=invitation.urls.token, nomination_id=self._row.pk)

    replace = property(lambda self: self._focal_point("invitation_replace"))
    withdraw = property(lambda self: self._focal_point("invitation_withdraw"))


class AgencyInvitation(models.Model):
    """An organization invited to a meeting with a number of seats, answered by a focal point."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        RESPONDED = "responded", _("Responded")
        REVOKED = "revoked", _("Revoked")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="invitations"
    )
    quota = models.PositiveIntegerField(_("seats"))
    focal_point_name = models.CharField(_("focal point"), max_length=200, blank=True)
    focal_point_email = models.EmailField(_("focal point email"))
    language = models.CharField(_("language"), max_length=10, default="id")
    # Part of the focal point's private link; raising it revokes every earlier link.
    token_version = models.PositiveIntegerField(default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.INVITED)
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminder_count = models.PositiveIntegerField(_("reminders sent"), default=0)
    # Per invitation, not per meeting: an organizer extends it for the one agency that asks.
    nomination_deadline = models.DateTimeField(_("nomination deadline"), null=True, blank=True)
    # The deadline the automatic reminder before it was sent for: one reminder per deadline.
    deadline_reminder_for = models.DateTimeField(null=True, blank=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("agency invitation")
        verbose_name_plural = _("agency invitations")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organization"], name="unique_agency_invitation")
        ]

    def __str__(self):
        return f"{self.organization} — {self.meeting}"

    @property
    def urls(self) -> InvitationUrls:
        return InvitationUrls(self)


class Registration(models.Model):
    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On-site")
        ONLINE = "online", _("Online")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        PUBLIC = "public", _("Online form")
        AGENCY = "agency", _("Agency nomination")
        WALK_IN = "walk_in", _("Walk-in")
        ORGANIZER = "organizer", _("Added by an organizer")

    ACTIVE_STATES = (State.PENDING, State.CONFIRMED, State.WAITLISTED)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    code = models.CharField(_("registration code"), max_length=12, unique=True, default=new_registration_code)
    full_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position (jabatan)"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    # What the person typed when their organization is not (yet) in the directory.
    organization_name = models.CharField(_("organization (as typed)"), max_length=300, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    mode = models.CharField(_("attendance mode"), max_length=10, choices=Mode.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, db_index=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.PUBLIC)
    invitation = models.ForeignKey(
        AgencyInvitation,
        verbose_name=_("agency invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    language = models.CharField(_("language"), max_length=10, default="id")
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    public_listing = models.BooleanField(_("show my name on the public participant list"), default=False)
    # Part of the person's private link; raising it revokes every earlier link.
    token_version = models.PositiveIntegerField(default=1)
    personal_join_url = models.URLField(_("personal join link"), max_length=1000, blank=True)
    # The person as a Zoom registrant of the meeting's room (their personal link is above);
    # blank when not registered at Zoom, or after the registrant was cancelled there.
    zoom_registrant_id = models.CharField(_("Zoom registrant id"), max_length=64, blank=True)
    # A registration email held until the personal Zoom link exists (its kind), sent by the
    # registrant sync with the link (participants.services.zoom_registrants).
    zoom_email_held = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Place in the waiting list: the time the person joined it.
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    # When the last "you are already registered" email was queued: repeated submissions of the
    # same address get at most one per SINERGI_DUPLICATE_NOTICE_INTERVAL_MINUTES (no email bombing).
    duplicate_notice_at = models.DateTimeField(_("last 'already registered' email"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="unique_registration_email"),
        ]
        indexes = [
            models.Index(fields=["meeting", "state", "mode"]),
            models.Index(fields=["meeting", "mode", "waitlisted_at"]),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    @property
    def urls(self) -> RegistrationUrls:
        return RegistrationUrls(self)

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def organization_display(self) -> str:
        if self.organization_id:
            org = self.organization
            return org.acronym or org.name
        return self.organization_name


class Nomination(models.Model):
    """One delegate as an agency's focal point typed them: what their page shows and changes.

    A nomination of an address with no active registration for the meeting creates one
    (REGISTERED). An address that is registered already (publicly, or by another agency) is
    never touched: the person is asked by email whether to count as the agency's delegate
    (ASKED, then ACCEPTED), and the focal point sees the same as for anyone else.
    """

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered by the nomination")
        ASKED = "asked", _("Asked to confirm")
        ACCEPTED = "accepted", _("Accepted by the person")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    invitation = models.ForeignKey(
        AgencyInvitation,
        verbose_name=_("agency invitation"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    # The registration the nomination created or (once the person accepted) counts; never shown
    # to the focal point beyond what they typed.
    registration = models.ForeignKey(
        "Registration",
        verbose_name=_("registration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    full_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position (jabatan)"), max_length=300, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    mode = models.CharField(_("attendance"), max_length=10)
    language = models.CharField(_("language"), max_length=10, default="id")
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.full_name} — {self.invitation}"

    @property
    def urls(self) -> NominationUrls:
        return NominationUrls(self)

    @property
    def holds_seat(self) -> bool:
        """Whether it takes one of the agency's seats (needs `registration` loaded)."""
        if self.state == self.State.ASKED:
            return True
        if self.state == self.State.WITHDRAWN or self.registration is None:
            return False
        return self.registration.is_active and self.registration.invitation_id == self.invitation_id

    def get_mode_display(self) -> str:
        return str(Registration.Mode(self.mode).label) if self.mode in Registration.Mode.values else self.mode


class Attendance(models.Model):
    """That a registered person attended one day of the meeting, how, and when."""

    class How(models.TextChoices):
        ONSITE = "onsite", _("On-site check-in")
        # Online attendance ticked by an organizer (until, and besides, Zoom's own reports).
        ONLINE = "online", _("Online (recorded by hand)")
        ZOOM = "zoom", _("Zoom")

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="attendances"
    )
    day = models.ForeignKey(
        MeetingDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="attendances"
    )
    how = models.CharField(_("how"), max_length=10, choices=How.choices, default=How.ONSITE)
    first_seen_at = models.DateTimeField(_("checked in / first joined"))
    last_left_at = models.DateTimeField(_("last left"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes online"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["day__date", "first_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day", "how"], name="unique_attendance"),
        ]

    def __str__(self):
        return f"{self.registration} — {self.day.date} ({self.get_how_display()})"


class Reminder(models.Model):
    """A reminder email to a meeting's confirmed registrants and speakers, due at one moment.

    Reminders are planned for one version of the schedule (the meeting's calendar sequence); a
    reschedule supersedes them and plans new ones, so a stale reminder never goes out.
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")
        SUPERSEDED = "superseded", _("Replaced by a new schedule")
        SKIPPED = "skipped", _("Not sent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reminders"
    )
    offset = models.CharField(_("when"), max_length=20)
    due_at = models.DateTimeField(_("due"))
    schedule_version = models.PositiveIntegerField(_("schedule version"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SCHEDULED)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "offset", "schedule_version"], name="unique_reminder_per_schedule"
            )
        ]

    def __str__(self):
        return f"{self.meeting} — {self.offset} ({self.get_state_display()})"


class Announcement(models.Model):
    """A message an organizer sent to all or some of a meeting's participants."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="announcements"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # Which registrations it went to: {"states": [...], "modes": [...], "organizations": [ids]}
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class ZoomAttendanceRow(models.Model):
    """One join of one participant as the meeting's Zoom participants report lists it.

    A person who joined three times has three rows; services.zoom_attendance merges a person's
    rows of a day into one Attendance (how=ZOOM). A row is known again in a later import by its
    participant key and join time, so importing a report twice changes nothing.
    """

    class MatchedBy(models.TextChoices):
        NONE = "", _("Not matched")
        REGISTRANT = "registrant", _("Zoom registrant id")
        EMAIL = "email", _("Email address")
        HAND = "hand", _("Matched by hand")
        NAME = "name", _("Name")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="zoom_rows"
    )
    # The meeting day of the join (its date in the meeting's zone); None when no day has that date.
    day = models.ForeignKey(
        MeetingDay,
        verbose_name=_("day"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zoom_rows",
    )
    # Zoom's uuid of the occurrence the report was asked for ("" when asked by the meeting id).
    instance = models.CharField(_("Zoom meeting instance"), max_length=100, blank=True)
    # Zoom's participant id (`id`, else `user_id`, else the name shown): with the join time, what
    # makes the row the same row in the next import.
    participant_key = models.CharField(_("Zoom participant"), max_length=300)
    join_time = models.DateTimeField(_("joined"))
    leave_time = models.DateTimeField(_("left"), null=True, blank=True)
    seconds = models.PositiveIntegerField(_("seconds in the meeting"), default=0)
    name = models.CharField(_("name shown in Zoom"), max_length=300, blank=True)
    email = models.CharField(_("email in Zoom"), max_length=254, blank=True)
    registrant_id = models.CharField(_("Zoom registrant id"), max_length=64, blank=True)
    # What a match by hand is remembered under (ZoomMatch.key): the email, else the name shown.
    match_key = models.CharField(max_length=320, editable=False)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zoom_rows",
    )
    matched_by = models.CharField(
        _("matched by"), max_length=12, choices=MatchedBy.choices, blank=True, default=MatchedBy.NONE
    )
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("Zoom participant row")
        verbose_name_plural = _("Zoom participant rows")
        ordering = ["join_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant_key", "join_time"], name="unique_zoom_attendance_row"
            )
        ]
        indexes = [models.Index(fields=["meeting", "match_key"])]

    def __str__(self):
        return f"{self.name} ({self.join_time:%Y-%m-%d %H:%M})"


class ZoomMatch(models.Model):
    """An organizer's match of a Zoom participant (by email, else by the name shown) to a
    registration, applied to every row with that key, in this import and in later ones."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="zoom_matches"
    )
    key = models.CharField(_("Zoom participant"), max_length=320)
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="zoom_matches"
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    matched_at = models.DateTimeField(_("matched"), auto_now=True)

    class Meta:
        verbose_name = _("Zoom participant matched by hand")
        verbose_name_plural = _("Zoom participants matched by hand")
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="unique_zoom_match")]

    def __str__(self):
        return f"{self.key} → {self.registration}"


def new_verification_code() -> str:
    """The secret in a certificate's QR link: 128 random bits, so nobody finds others by guessing."""
    import secrets

    return secrets.token_urlsafe(16)


class CertificateSettings(models.Model):
    """A meeting's certificates of attendance: who counts as attended online, the template, the
    signer. One row per meeting, made when an organizer first saves them (defaults until then)."""

    DEFAULT_MIN_ONLINE_MINUTES = 60

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="certificate_settings"
    )
    min_online_minutes = models.PositiveIntegerField(
        _("minimum minutes online"),
        default=DEFAULT_MIN_ONLINE_MINUTES,
        help_text=_("An online participant needs at least this many minutes in the Zoom room on one day."),
    )
    signer_name = models.CharField(_("signed by (name)"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)
    # The organizer's own .docx with placeholders ({{nama}}, ...); empty: the built-in layout.
    # Kept in the database: a template is small (the upload limit), and no file path to guard.
    template = models.BinaryField(_("certificate template"), blank=True, default=b"", editable=False)
    template_name = models.CharField(_("template file"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")

    def __str__(self):
        return f"{self.meeting}"

    @property
    def has_template(self) -> bool:
        return bool(self.template)


class CertificateUrls(RowUrls):
    kind = "certificate"
    # The public page the certificate's QR code opens.
    verify = property(lambda self: self._r("certificate_verify", code=self._row.verification_code))


class Certificate(models.Model):
    """A certificate of attendance issued to one registration; its number is never reused, and a
    revoked certificate stays (the verification page then says it is revoked)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="certificates"
    )
    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="certificate"
    )
    # The n-th certificate of the meeting: numbers count up and a revoked one keeps its own.
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("certificate number"), max_length=100, unique=True)
    verification_code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_verification_code, editable=False
    )
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_at = models.DateTimeField(_("last sent by email"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["meeting", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="unique_certificate_sequence"),
        ]

    def __str__(self):
        return self.number

    @property
    def urls(self) -> CertificateUrls:
        return CertificateUrls(self)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
