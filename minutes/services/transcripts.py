"""Importing a transcript as draft points, and the secretary's review: accept (as it is or
edited), merge several into one point, discard. Nothing enters the minutes unaccepted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import record
from directory.models import Person
from meetings.models import Meeting, MeetingDay
from participants.models import Registration

from .. import richtext
from ..models import DraftPoint, Minutes, Point, Section, TranscriptImport
from ..transcripts import matching, parsing, placement
from .points import add_point

BATCH_SIZE = 500


@dataclass
class ImportResult:
    transcript: TranscriptImport
    created: int
    skipped: int  # groups already imported from another file
    already_imported: bool = False  # the very same file was imported before


def _open_minutes(minutes: Minutes) -> Minutes:
    """The minutes re-read under the meeting's lock; refused unless a draft."""
    Meeting.objects.lock(minutes.meeting_id)
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes.pk)
    if minutes.state != Minutes.State.DRAFT:
        raise ValidationError(_("These minutes are not a draft any more: they cannot be changed."))
    return minutes


def candidates(minutes: Minutes, sections: list[Section]) -> list[matching.Candidate]:
    """The agenda's speakers and moderators (from the sections' snapshots) and the registrants."""
    person_ids = {role["person_id"] for s in sections for role in s.roles if role.get("person_id")}
    people = [
        matching.Candidate(
            p.full_name,
            person_id=p.pk,
            agencies=matching.agency_forms(
                *((p.organization.name, p.organization.acronym) if p.organization_id else ())
            ),
        )
        for p in Person.objects.filter(pk__in=person_ids).select_related("organization").order_by("pk")
    ]
    registrants = [
        matching.Candidate(
            r.full_name,
            registration_id=r.pk,
            agencies=matching.agency_forms(
                r.organization_name,
                *((r.organization.name, r.organization.acronym) if r.organization_id else ()),
            ),
        )
        for r in Registration.objects.filter(meeting_id=minutes.meeting_id)
        .exclude(state__in=(Registration.State.CANCELLED, Registration.State.DECLINED))
        .select_related("organization")
        .order_by("pk")
    ]
    return matching.merge_candidates(people, registrants)


def read_upload(file, limit: int = parsing.MAX_BYTES) -> bytes:
    """The file's bytes, reading at most one byte past the limit (so a huge file is not read)."""
    if getattr(file, "size", None) is not None and file.size > limit:
        raise ValidationError(
            _("The file is larger than %(size)d MB: split it into several files.")
            % {"size": limit // (1024 * 1024)},
            code="too_large",
        )
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(size)d MB: split it into several files.")
            % {"size": limit // (1024 * 1024)},
            code="too_large",
        )
    return data


def import_transcript(
    minutes: Minutes,
    file,
    *,
    author,
    day: MeetingDay | None = None,
    recording_started_at: datetime | None = None,
    format: str | None = None,
    section: Section | None = None,
) -> ImportResult:
    """Read the file, place its cues on the agenda and offer them as draft points.

    `recording_started_at` defaults to the day's start (the first day's when no day is given);
    `section`, when given (always for plain text), receives every cue. A malformed file raises
    ValidationError and changes nothing; the same file twice, or the same cues in another file,
    add nothing twice.
    """
    data = read_upload(file)
    digest = hashlib.sha256(data).hexdigest()
    parsed = parsing.parse(data, format or None)
    filename = (getattr(file, "name", "") or "transcript")[-255:]
    with transaction.atomic():
        minutes = _open_minutes(minutes)
        existing = TranscriptImport.objects.filter(minutes=minutes, digest=digest).first()
        if existing is not None:
            return ImportResult(existing, 0, 0, already_imported=True)
        meeting = minutes.meeting
        if day is None:
            day = MeetingDay.objects.filter(meeting=meeting).order_by("date").first()
            if day is None:
                raise ValidationError(_("The meeting has no days yet: add them to the agenda first."))
        elif day.meeting_id != meeting.pk:
            raise ValidationError({"day": _("This day is not one of the meeting's.")})
        day.meeting = meeting
        started = recording_started_at or day.starts_at()
        sections = list(Section.objects.filter(minutes=minutes).order_by("order", "id"))
        if section is not None and section.minutes_id != minutes.pk:
            raise ValidationError({"section": _("This section is not part of these minutes.")})
        if parsed.format == parsing.PLAIN and section is None:
            raise ValidationError(
                {"section": _("A plain text transcript has no times: choose the agenda item it belongs to.")}
            )
        slots = [placement.Slot(s.pk, s.kind, s.starts_at, s.ends_at) for s in sections]
        groups = placement.group(
            parsed.cues, slots, started, section=section.pk if section is not None else None
        )
        known = set(
            DraftPoint.objects.filter(transcript__minutes=minutes).values_list("fingerprint", flat=True)
        )
        matcher = matching.Matcher(candidates(minutes, sections))
        transcript = TranscriptImport.objects.create(
            minutes=minutes,
            day=day,
            filename=filename,
            digest=digest,
            format=parsed.format,
            recording_started_at=started,
            cue_count=len(parsed.cues),
            uploaded_by=author if getattr(author, "is_authenticated", False) else None,
        )
        drafts, skipped = [], 0
        for g in groups:
            fingerprint = g.fingerprint
            if fingerprint in known:
                skipped += 1
                continue
            known.add(fingerprint)
            found = matcher.match(g.speaker) if g.speaker else None
            drafts.append(
                DraftPoint(
                    transcript=transcript,
                    section_id=g.section,
                    fingerprint=fingerprint,
                    starts_at=g.starts_at,
                    ends_at=g.ends_at,
                    speaker_label=g.speaker[:300],
                    person_id=found.person_id if found else None,
                    registration_id=found.registration_id if found else None,
                    text=g.text,
                    cue_count=g.cue_count,
                )
            )
        DraftPoint.objects.bulk_create(drafts, batch_size=BATCH_SIZE)
        record(
            minutes,
            "minutes.transcript_imported",
            author,
            filename=filename,
            cues=len(parsed.cues),
            drafts=len(drafts),
            skipped=skipped,
        )
        return ImportResult(transcript, len(drafts), skipped)


def _pending(draft: DraftPoint) -> DraftPoint:
    """The draft re-read under the meeting's lock (the caller holds it); refused unless pending."""
    draft = DraftPoint.objects.select_related("transcript", "section", "person", "registration").get(
        pk=draft.pk
    )
    if draft.state != DraftPoint.State.PENDING:
        raise ValidationError(_("This draft was already reviewed."))
    if draft.section is None:
        raise ValidationError({"section": _("Choose the agenda item this belongs to.")})
    return draft


def _point_from(draft: DraftPoint, *, author, text: str) -> Point:
    return add_point(
        draft.section,
        author=author,
        text=text,
        person=draft.person,
        registration=draft.registration,
        speaker_name=draft.speaker_label,
        source=Point.Source.TRANSCRIPT,
    )


def update_draft(draft: DraftPoint, *, author, text: str, section: Section | None = None) -> DraftPoint:
    """Correct a draft's text (and its section) before accepting it."""
    text = richtext.clean(text)
    if not text:
        raise ValidationError({"text": _("Write what was said.")})
    with transaction.atomic():
        minutes = _open_minutes(draft.transcript.minutes)
        draft = DraftPoint.objects.get(pk=draft.pk)
        if draft.state != DraftPoint.State.PENDING:
            raise ValidationError(_("This draft was already reviewed."))
        if section is not None:
            if section.minutes_id != minutes.pk:
                raise ValidationError({"section": _("This section is not part of these minutes.")})
            draft.section = section
        draft.text = text
        draft.save(update_fields=["text", "section"])
        record(minutes, "minutes.draft_edited", author, draft=draft.pk, speaker=draft.speaker_label)
        return draft


def accept_draft(draft: DraftPoint, *, author, text: str | None = None) -> Point:
    """The draft becomes a point at the end of its section (with `text` when edited)."""
    with transaction.atomic():
        minutes = _open_minutes(draft.transcript.minutes)
        draft = _pending(draft)
        point = _point_from(draft, author=author, text=draft.text if text is None else text)
        draft.state, draft.point = DraftPoint.State.ACCEPTED, point
        if text is not None:
            draft.text = point.text
        draft.save(update_fields=["state", "point", "text"])
        record(
            minutes,
            "minutes.draft_accepted",
            author,
            point=point.pk,
            section=draft.section.title,
            speaker=point.speaker_name,
        )
        return point


def merge_drafts(drafts: list[DraftPoint], *, author, text: str | None = None) -> Point:
    """Several drafts of one section become one point, in their order, under the first's speaker.

    A draft by another speaker keeps its speaker as a bold prefix of its paragraph.
    """
    if len(drafts) < 2:
        raise ValidationError(_("Choose at least two drafts to merge."))
    with transaction.atomic():
        minutes = _open_minutes(drafts[0].transcript.minutes)
        chosen = sorted((_pending(d) for d in drafts), key=lambda d: (d.starts_at, d.pk))
        if any(d.transcript.minutes_id != minutes.pk for d in chosen):
            raise ValidationError(_("These drafts are not all from these minutes."))
        if len({d.section_id for d in chosen}) > 1:
            raise ValidationError(_("Only drafts of the same agenda item can be merged."))
        first = chosen[0]
        if text is None:
            paragraphs = []
            for d in chosen:
                same = (d.person_id, d.registration_id, d.speaker_label) == (
                    first.person_id,
                    first.registration_id,
                    first.speaker_label,
                )
                label = (
                    d.person.full_name
                    if d.person
                    else d.registration.full_name
                    if d.registration
                    else d.speaker_label
                )
                paragraphs.append(d.text if same or not label else f"**{label}**: {d.text}")
            text = "\n\n".join(paragraphs)
        point = _point_from(first, author=author, text=text)
        first.state, first.point = DraftPoint.State.ACCEPTED, point
        first.save(update_fields=["state", "point"])
        DraftPoint.objects.filter(pk__in=[d.pk for d in chosen[1:]]).update(
            state=DraftPoint.State.MERGED, point=point
        )
        record(
            minutes,
            "minutes.drafts_merged",
            author,
            point=point.pk,
            count=len(chosen),
            section=first.section.title,
        )
        return point


def discard_draft(draft: DraftPoint, *, author) -> DraftPoint:
    with transaction.atomic():
        minutes = _open_minutes(draft.transcript.minutes)
        draft = DraftPoint.objects.get(pk=draft.pk)
        if draft.state != DraftPoint.State.PENDING:
            raise ValidationError(_("This draft was already reviewed."))
        draft.state = DraftPoint.State.DISCARDED
        draft.save(update_fields=["state"])
        record(minutes, "minutes.draft_discarded", author, draft=draft.pk, speaker=draft.speaker_label)
        return draft
