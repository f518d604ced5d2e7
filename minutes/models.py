"""The record of a meeting: minutes (one row per version), their sections, points made,
recommendations and action items, every saved revision, and transcripts imported as drafts.

Texts a secretary writes (`summary`, `conclusions`, a point's `text`, ...) are stored as the
small markup of `minutes.richtext` (paragraphs, **bold**, *italic*, bulleted and numbered
lists), never as HTML; pages and Word documents both render from that source.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, Person
from meetings.models import AgendaItem, Meeting, MeetingDay
from participants.models import Registration


class MinutesQuerySet(models.QuerySet):
    def current(self):
        """Per meeting, the version being worked on or last approved (not superseded)."""
        return self.exclude(state=Minutes.State.SUPERSEDED)


class Minutes(models.Model):
    """One version of a meeting's minutes. Version 1 is prepared from the agenda; a correction
    after approval copies the approved version into version N+1 (the approved one stays intact
    and becomes `superseded` when the correction is approved)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    class Audience(models.TextChoices):
        STAFF = "staff", _("Organizers and secretaries only")
        PARTICIPANTS = "participants", _("Confirmed participants")
        PUBLIC = "public", _("Everyone (public page)")

    class Signer(models.TextChoices):
        CHAIR = "chair", _("Chair (Pimpinan Sidang/Rapat)")
        RECORDER = "recorder", _("Recorder (Pencatat)")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes_versions"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # Heading fields of the Notula.
    invitation_reference = models.CharField(
        _("invitation letter (number and date)"), max_length=300, blank=True
    )
    chair_name = models.CharField(_("chair (Ketua)"), max_length=200, blank=True)
    secretary_name = models.CharField(_("secretary (Sekretaris)"), max_length=200, blank=True)
    recorder_name = models.CharField(_("recorder (Pencatat)"), max_length=200, blank=True)
    # Signature block.
    signed_by = models.CharField(_("signed by"), max_length=10, choices=Signer.choices, default=Signer.CHAIR)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    signed_place = models.CharField(_("place of signing"), max_length=100, blank=True)
    signed_on = models.DateField(_("date of signing"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # Workflow.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    audience = models.CharField(
        _("published to"), max_length=12, choices=Audience.choices, default=Audience.STAFF
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="unique_minutes_version"),
            # At most one version of a meeting is open (draft or submitted) at a time.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(state__in=["draft", "submitted"]),
                name="one_open_minutes_version",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} — v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.state in (self.State.APPROVED, self.State.SUPERSEDED)


class Section(models.Model):
    """A part of the minutes: the opening (Kata Pembukaan), one per agenda item, the closing."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening remarks (Kata Pembukaan)")
        ITEM = "item", _("Agenda item")
        CLOSING = "closing", _("Closing")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ITEM)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minutes_sections",
    )
    day = models.ForeignKey(
        MeetingDay, verbose_name=_("day"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    # What the agenda said when the section was prepared, kept so a locked version does not
    # change when the agenda does: start and end ("09.00"), speakers and moderators as
    # [{"role": "speaker", "name": ..., "position": ..., "organization": ..., "person_id": ...}].
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    roles = models.JSONField(_("speakers and moderator"), default=list, blank=True)
    summary = models.TextField(_("discussion summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["minutes", "order", "id"]

    def __str__(self):
        return self.title


class Point(models.Model):
    """Something said in a section: who said it and what."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Typed")
        TRANSCRIPT = "transcript", _("From a transcript")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="points"
    )
    # Who: a person of the directory (a speaker), a registered participant, or only a name.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("participant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    speaker_name = models.CharField(_("speaker"), max_length=300, blank=True)
    speaker_affiliation = models.CharField(_("position and agency"), max_length=400, blank=True)
    text = models.TextField(_("what was said"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.MANUAL)
    # The secretary's mark that the news article may quote the point (with the speaker's name).
    quotable = models.BooleanField(_("may be quoted in the news article"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("point")
        verbose_name_plural = _("points")
        ordering = ["section", "order", "id"]

    def __str__(self):
        return f"{self.speaker_name}: {self.text[:60]}"


class Theme(models.Model):
    """A theme tag of recommendations ("pengawasan", "pelindungan", ...), shared by all meetings."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Recommendation(models.Model):
    class Instrument(models.TextChoices):
        REGULATION = "regulation", _("Regulation (peraturan)")
        DECISION = "decision", _("Decision (keputusan)")
        SOP = "sop", _("SOP or process flow")
        PROGRAMME = "programme", _("Programme")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="recommendations"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("from agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    # The same recommendation across versions of the minutes (a correction copies it).
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    text = models.TextField(_("recommendation"))
    rationale = models.TextField(_("rationale"), blank=True)
    addressed_to = models.ManyToManyField(
        Organization, verbose_name=_("addressed to"), blank=True, related_name="recommendations"
    )
    instrument = models.CharField(
        _("instrument"), max_length=12, choices=Instrument.choices, default=Instrument.OTHER
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="recommendations"
    )
    proposed_by_person = models.ForeignKey(
        Person,
        verbose_name=_("proposed by (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_by_organization = models.ForeignKey(
        Organization,
        verbose_name=_("proposed by (agency)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["minutes", "order", "id"]

    def __str__(self):
        return self.text[:80]


class ActionItem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="actions"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("from agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    text = models.TextField(_("what"))
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("owner (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_organization = models.ForeignKey(
        Organization,
        verbose_name=_("owner (agency)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["minutes", "order", "id"]

    def __str__(self):
        return self.text[:80]


class Revision(models.Model):
    """One save of one part of the minutes (the heading, a section, a point, a recommendation,
    an action item): who, when, and the part's fields after the save. A part's `revision` field
    is the number of its last Revision; a save based on an older number is refused."""

    class Kind(models.TextChoices):
        HEADING = "heading", _("Heading")
        SECTION = "section", _("Section")
        POINT = "point", _("Point")
        RECOMMENDATION = "recommendation", _("Recommendation")
        ACTION = "action", _("Action item")

    class Change(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(_("part"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    number = models.PositiveIntegerField(_("revision"))
    change = models.CharField(_("change"), max_length=8, choices=Change.choices, default=Change.CHANGED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["minutes", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "kind", "object_id", "number"], name="unique_minutes_revision"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} r{self.number}"


class TranscriptImport(models.Model):
    """A transcript file uploaded for a version of the minutes; its cues become DraftPoints."""

    class Format(models.TextChoices):
        VTT = "vtt", "WebVTT"
        SRT = "srt", "SRT"
        PLAIN = "plain", _("Plain text (Name: text)")

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="transcripts"
    )
    day = models.ForeignKey(MeetingDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    digest = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    recording_started_at = models.DateTimeField(_("recording started"))
    cue_count = models.PositiveIntegerField(_("cues"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["minutes", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "digest"], name="unique_transcript_file"),
        ]

    def __str__(self):
        return self.filename


class DraftPoint(models.Model):
    """Consecutive cues of one speaker, placed on a section by time: offered to the secretary,
    who accepts (it becomes a Point), edits, merges or discards it. Nothing enters the minutes
    unaccepted."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DISCARDED = "discarded", _("Discarded")
        MERGED = "merged", _("Merged into another")

    transcript = models.ForeignKey(
        TranscriptImport, verbose_name=_("transcript"), on_delete=models.CASCADE, related_name="drafts"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
    )
    # Identity of the cues it came from (start, end, speaker, text), so a re-import of the same
    # content under another file name adds nothing twice.
    fingerprint = models.CharField(max_length=64)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speaker_label = models.CharField(_("speaker as in the transcript"), max_length=300, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("participant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    cue_count = models.PositiveIntegerField(_("cues"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    point = models.ForeignKey(
        Point, verbose_name=_("point"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("draft point")
        verbose_name_plural = _("draft points")
        ordering = ["transcript", "starts_at", "id"]
        indexes = [models.Index(fields=["fingerprint"], name="minutes_draft_fingerprint")]

    def __str__(self):
        return f"{self.speaker_label}: {self.text[:60]}"


class ZoomTranscript(models.Model):
    """A cloud transcript Zoom made of the meeting's recording, fetched after the meeting and
    offered to the secretaries; importing it runs the transcript import (`TranscriptImport`)
    with `recording_start` as the time origin of its cues. `text` stays empty until a download
    succeeds; `error` says why the last one did not."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="zoom_transcripts"
    )
    zoom_file_id = models.CharField(_("Zoom file id"), max_length=128, unique=True)
    zoom_meeting_uuid = models.CharField(_("Zoom meeting instance"), max_length=128, blank=True)
    recording_start = models.DateTimeField(_("recording started"))
    recording_end = models.DateTimeField(_("recording ended"), null=True, blank=True)
    download_url = models.URLField(_("download link"), max_length=2000, blank=True)
    text = models.TextField(_("transcript"), blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    fetched_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    error = models.TextField(_("last download error"), blank=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    transcript = models.ForeignKey(
        TranscriptImport,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Zoom transcript")
        verbose_name_plural = _("Zoom transcripts")
        ordering = ["meeting", "recording_start", "id"]

    def __str__(self):
        return f"Zoom {self.zoom_file_id}"

    @property
    def downloaded(self) -> bool:
        return self.fetched_at is not None


# Invitation letters (Surat Undangan) ----------------------------------------------------------

DEFAULT_LETTER_PATTERN = "{seq}/UND/{unit}/{month_roman}/{year}"


class LetterNumbering(models.Model):
    """How one organization numbers its letters: a pattern with {seq} (the running number of the
    year), {unit} (the unit's code), {month_roman}, {month} and {year} of the letter's date."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="letter_numbering",
    )
    pattern = models.CharField(_("numbering pattern"), max_length=200, default=DEFAULT_LETTER_PATTERN)
    unit_code = models.CharField(_("unit code"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter numbering")
        verbose_name_plural = _("letter numberings")

    def __str__(self):
        return f"{self.organization}: {self.pattern}"


class LetterCounter(models.Model):
    """The running number of an organization's letters in one year: the last one given. Taken
    with SELECT ... FOR UPDATE, so two letters drafted at once never get the same number."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="unique_letter_counter"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year}: {self.last}"


class InvitationLetter(models.Model):
    """A Surat Undangan of a meeting: to one invited agency, or to all of them with the list of
    addressees attached. Numbered when drafted by the organizing host agency's numbering; the
    number can be edited until the letter is sent, then the letter is locked."""

    class Addressing(models.TextChoices):
        AGENCY = "agency", _("One letter per invited agency")
        LIST = "list", _("One letter, the list of addressees attached")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitation_letters"
    )
    # Whose numbering the number follows (the organizing host agency when it was drafted).
    organization = models.ForeignKey(
        Organization, verbose_name=_("numbered by"), on_delete=models.PROTECT, related_name="+"
    )
    addressing = models.CharField(
        _("addressed"), max_length=8, choices=Addressing.choices, default=Addressing.AGENCY
    )
    # The agency a per-agency letter goes to (its invitation carries the letter).
    invitation = models.ForeignKey(
        "participants.AgencyInvitation",
        verbose_name=_("agency invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who the letter is addressed to, as written after "Yth." (one line per addressee).
    addressees = models.JSONField(_("addressees"), default=list, blank=True)
    number = models.CharField(_("number"), max_length=120)
    letter_date = models.DateField(_("date of the letter"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    sifat = models.CharField(_("nature (Sifat)"), max_length=60, default="Biasa")
    lampiran = models.CharField(_("enclosures (Lampiran)"), max_length=120, blank=True, default="-")
    hal = models.CharField(_("subject (Hal)"), max_length=300)
    opening = models.TextField(_("opening paragraph"), blank=True)
    closing = models.TextField(_("closing paragraph"), blank=True)
    signer_name = models.CharField(_("signing official"), max_length=200, blank=True)
    signer_position = models.CharField(_("position of the signing official"), max_length=300, blank=True)
    signer_nip = models.CharField(_("NIP of the signing official"), max_length=30, blank=True)
    tembusan = models.JSONField(_("copies to (Tembusan)"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    # Raised by every save; an edit based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation letter")
        verbose_name_plural = _("invitation letters")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="unique_letter_number"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT


class LetterNumber(models.Model):
    """Every number an organization gave a letter, kept when the letter is deleted or its number
    edited: a number in this register is never given again."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("year"))
    # The counter's number; empty for a number typed by hand.
    sequence = models.PositiveIntegerField(_("running number"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=120)
    letter = models.ForeignKey(
        InvitationLetter,
        verbose_name=_("letter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="numbers",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting_title = models.CharField(_("meeting"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("given"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("letter number")
        verbose_name_plural = _("letter numbers")
        ordering = ["organization", "year", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="unique_issued_letter_number"),
            models.UniqueConstraint(
                fields=["organization", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="unique_letter_sequence",
            ),
        ]

    def __str__(self):
        return self.number


class ActivityReport(models.Model):
    """The Laporan Kegiatan of a meeting: what the staff changed of the drafted sections.

    A section not in `sections` is drafted afresh from the meeting and its approved minutes each
    time it is shown or exported (so a correction of the minutes reaches it); an edited one keeps
    the text the staff saved until they reset it to the draft."""

    SECTION_KEYS = (
        "latar_belakang",
        "maksud_tujuan",
        "ruang_lingkup",
        "waktu_tempat",
        "peserta",
        "narasumber",
        "hasil",
        "kesimpulan",
        "rekomendasi",
        "penutup",
    )

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="activity_report"
    )
    # {section key: the saved text (minutes.richtext markup)}.
    sections = models.JSONField(_("edited sections"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")

    def __str__(self):
        return f"{self.meeting}"


class NewsArticle(models.Model):
    """The news article (berita kegiatan) of a meeting, drafted then edited by its organizers.
    `body` holds paragraphs separated by blank lines; a paragraph opening with a quotation mark
    is a quotation."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="news_article"
    )
    headline = models.CharField(_("headline"), max_length=300)
    dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    lead = models.TextField(_("lead paragraph"), blank=True)
    body = models.TextField(_("body"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def __str__(self):
        return self.headline

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
