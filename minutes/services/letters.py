"""Invitation letters (Surat Undangan): numbering, drafting, editing, sending and deleting.

A letter is numbered when it is drafted, by the numbering of the meeting's organizing host
agency (the agency whose letterhead the Notula carries): its pattern, and a running number per
year taken from the agency's counter row under SELECT ... FOR UPDATE, so letters drafted at the
same moment never share a number. Every number given is written to the register
(`LetterNumber`) and never given again, even when its letter is deleted or renumbered by hand.

The organizers of the meeting (and site administrators) do all of it; a sent letter is locked
and travels with the agency invitation emails (minutes.receivers).
"""

from __future__ import annotations

import string
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import record
from directory.models import Organization
from meetings.models import Meeting
from participants.models import AgencyInvitation

from .. import permissions
from ..documents.notula import organizing_unit
from ..models import (
    DEFAULT_LETTER_PATTERN,
    InvitationLetter,
    LetterCounter,
    LetterNumber,
    LetterNumbering,
)

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PLACEHOLDERS = ("seq", "unit", "month_roman", "month", "year")
NUMBER_MAX = InvitationLetter._meta.get_field("number").max_length
# Fields of a letter an organizer edits while it is a draft.
EDITABLE = (
    "number",
    "letter_date",
    "place",
    "sifat",
    "lampiran",
    "hal",
    "addressees",
    "opening",
    "closing",
    "signer_name",
    "signer_position",
    "signer_nip",
    "tembusan",
)


# Numbering -------------------------------------------------------------------------------------


def validate_pattern(pattern: str) -> str:
    """The pattern, stripped, or a ValidationError that says what is wrong with it."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError({"pattern": _("Enter a numbering pattern.")})
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        raise ValidationError({"pattern": _("Braces must enclose a placeholder, such as {seq}.")}) from None
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            {
                "pattern": _("Unknown placeholder %(names)s; use %(known)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "known": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
                }
            }
        )
    if "seq" not in fields:
        raise ValidationError({"pattern": _("The pattern needs the running number {seq}.")})
    try:
        sample = format_number(pattern, seq=1, unit="UNIT", on=date(2021, 9, 13))
    except (ValueError, TypeError, KeyError, IndexError):
        raise ValidationError(
            {"pattern": _("This pattern cannot be filled in; check its placeholders.")}
        ) from None
    if len(sample) > NUMBER_MAX - 10:
        raise ValidationError({"pattern": _("The pattern makes numbers too long.")})
    return pattern


def format_number(pattern: str, *, seq: int, unit: str, on: date) -> str:
    """The pattern filled in: `{seq}/UND/{unit}/{month_roman}/{year}` → `7/UND/DITPP/IX/2021`."""
    return pattern.format_map(
        {
            "seq": seq,
            "unit": unit,
            "month_roman": ROMAN_MONTHS[on.month - 1],
            "month": f"{on.month:02d}",
            "year": on.year,
        }
    )


def default_unit_code(organization: Organization) -> str:
    return (
        organization.acronym or "".join(w[0] for w in organization.name.split() if w[:1].isalpha())
    ).upper()[:60]


def numbering_for(organization: Organization) -> LetterNumbering:
    """The organization's numbering (unsaved defaults when it has none yet)."""
    numbering = LetterNumbering.objects.filter(organization=organization).first()
    if numbering is None:
        numbering = LetterNumbering(
            organization=organization,
            pattern=DEFAULT_LETTER_PATTERN,
            unit_code=default_unit_code(organization),
        )
    return numbering


def last_given(organization: Organization, year: int) -> int:
    """The highest running number given in a year (the counter, or the register if higher)."""
    counter = (
        LetterCounter.objects.filter(organization=organization, year=year)
        .values_list("last", flat=True)
        .first()
    )
    register = (
        LetterNumber.objects.filter(organization=organization, year=year).aggregate(m=Max("sequence"))["m"]
        or 0
    )
    return max(counter or 0, register)


def _counter(organization: Organization, year: int) -> LetterCounter:
    """The counter row of the year, locked until the transaction ends. Created first if missing
    (INSERT ... ON CONFLICT DO NOTHING: two first letters of a year do not collide)."""
    LetterCounter.objects.bulk_create(
        [LetterCounter(organization=organization, year=year)], ignore_conflicts=True
    )
    return LetterCounter.objects.select_for_update().get(organization=organization, year=year)


def _taken(organization: Organization, number: str, *, except_letter: int | None = None) -> bool:
    letters = InvitationLetter.objects.filter(organization=organization, number=number)
    if except_letter is not None:
        letters = letters.exclude(pk=except_letter)
    return letters.exists() or LetterNumber.objects.filter(organization=organization, number=number).exists()


def _next_number(organization: Organization, on: date) -> tuple[int, str]:
    """The next running number of the year and the number it makes, under the counter's lock.
    A number typed by hand that the pattern would make again is skipped."""
    counter = _counter(organization, on.year)
    numbering = numbering_for(organization)
    seq = max(counter.last, last_given(organization, on.year))
    while True:
        seq += 1
        number = format_number(numbering.pattern, seq=seq, unit=numbering.unit_code, on=on)
        if not _taken(organization, number):
            break
    counter.last = seq
    counter.save(update_fields=["last"])
    return seq, number


def save_numbering(
    meeting: Meeting,
    *,
    by,
    pattern: str,
    unit_code: str,
    year: int | None = None,
    next_sequence: int | None = None,
) -> LetterNumbering:
    """Set the pattern and unit code of the meeting's organizing host agency; `next_sequence`
    makes the year's counter go on from there (a register kept on paper until now), never back
    to a number given already."""
    if not permissions.can_manage(by, meeting):
        raise PermissionDenied
    organization = organizing_unit(meeting)
    if organization is None:
        raise ValidationError(
            _(
                "Add the organizing host agency to the meeting first: its letterhead and numbering make the letter."
            )
        )
    pattern = validate_pattern(pattern)
    unit_code = " ".join((unit_code or "").split())[:60]
    with transaction.atomic():
        numbering = numbering_for(organization)
        changed = {}
        if numbering.pk is None or numbering.pattern != pattern or numbering.unit_code != unit_code:
            changed = {"pattern": pattern, "unit_code": unit_code}
        numbering.pattern, numbering.unit_code = pattern, unit_code
        numbering.save()
        if next_sequence is not None:
            year = year or timezone.localdate().year
            counter = _counter(organization, year)
            given = max(counter.last, last_given(organization, year))
            if next_sequence <= given:
                raise ValidationError(
                    {
                        "next_sequence": _(
                            "Number %(given)s has been given in %(year)s already: the next one is at least %(next)s."
                        )
                        % {"given": given, "year": year, "next": given + 1}
                    }
                )
            counter.last = next_sequence - 1
            counter.save(update_fields=["last"])
            changed |= {"year": year, "next_sequence": next_sequence}
        if changed:
            record(
                numbering, "minutes.letter_numbering_changed", by, organization=organization.name, **changed
            )
        return numbering


# Letters ---------------------------------------------------------------------------------------


def _lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [" ".join(str(v).split())[:300] for v in value or [] if str(v).strip()][:200]


def active_invitations(meeting: Meeting):
    return (
        AgencyInvitation.objects.filter(meeting=meeting)
        .exclude(state=AgencyInvitation.State.REVOKED)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def default_texts(meeting: Meeting) -> dict:
    """What a new letter says until the organizer writes otherwise (in the active language)."""
    kind = meeting.get_kind_display()
    return {
        "hal": _("Invitation to the %(kind)s") % {"kind": kind},
        "opening": _(
            "We have the honour to invite you, or an official you appoint, to attend the %(kind)s "
            "“%(title)s”, to be held on:"
        )
        % {"kind": kind, "title": meeting.title},
        "closing": _(
            "To confirm attendance, please nominate your delegates through the link sent to your agency. "
            "Thank you for your attention and your attendance."
        ),
    }


def _previous(meeting: Meeting) -> InvitationLetter | None:
    return InvitationLetter.objects.filter(meeting=meeting).order_by("-pk").first()


@transaction.atomic
def draft_letters(
    meeting: Meeting,
    *,
    by,
    addressing: str,
    invitations: list[AgencyInvitation] | None = None,
    letter_date: date | None = None,
) -> list[InvitationLetter]:
    """Draft the meeting's letters, each numbered: one per invited agency that has none yet (or
    per agency of `invitations`), or one letter addressed to every invited agency."""
    meeting = Meeting.objects.lock(meeting.pk)
    if not permissions.can_manage(by, meeting):
        raise PermissionDenied
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled: no invitation letters are drafted for it."))
    if addressing not in InvitationLetter.Addressing.values:
        raise ValidationError({"addressing": _("Choose how the letters are addressed.")})
    organization = organizing_unit(meeting)
    if organization is None:
        raise ValidationError(
            _(
                "Add the organizing host agency to the meeting first: its letterhead and numbering make the letter."
            )
        )
    invited = list(active_invitations(meeting))
    if not invited:
        raise ValidationError(_("Invite agencies first: the letters are addressed to the invited agencies."))
    on = letter_date or timezone.localtime(timezone.now(), meeting.tz).date()
    previous = _previous(meeting)
    common = {
        "meeting": meeting,
        "organization": organization,
        "letter_date": on,
        "place": previous.place if previous else settings.SINERGI_LETTER_PLACE,
        "sifat": previous.sifat if previous else "Biasa",
        "signer_name": previous.signer_name if previous else "",
        "signer_position": previous.signer_position if previous else "",
        "signer_nip": previous.signer_nip if previous else "",
        "tembusan": list(previous.tembusan) if previous else [],
        "created_by": by if getattr(by, "is_authenticated", False) else None,
        **default_texts(meeting),
    }
    if previous is not None:
        common.update(hal=previous.hal, opening=previous.opening, closing=previous.closing)
    if addressing == InvitationLetter.Addressing.LIST:
        targets = [None]
    else:
        wanted = {i.pk for i in invitations} if invitations is not None else None
        lettered = set(
            InvitationLetter.objects.filter(meeting=meeting, invitation__isnull=False).values_list(
                "invitation_id", flat=True
            )
        )
        targets = [i for i in invited if (wanted is None or i.pk in wanted) and i.pk not in lettered]
        if not targets:
            raise ValidationError(_("Every invited agency you chose has its letter already."))
    letters = []
    for invitation in targets:
        seq, number = _next_number(organization, on)
        if invitation is None:
            fields = {
                "addressing": InvitationLetter.Addressing.LIST,
                "addressees": [i.organization.name for i in invited],
                "lampiran": _("1 (one) sheet"),
            }
        else:
            fields = {
                "addressing": InvitationLetter.Addressing.AGENCY,
                "invitation": invitation,
                "addressees": [invitation.organization.name],
                "lampiran": "-",
            }
        letter = InvitationLetter.objects.create(number=number, **common, **fields)
        LetterNumber.objects.create(
            organization=organization,
            year=on.year,
            sequence=seq,
            number=number,
            letter=letter,
            meeting=meeting,
            meeting_title=meeting.title[:300],
            issued_by=common["created_by"],
        )
        record(
            letter,
            "minutes.letter_drafted",
            by,
            number=number,
            addressees=", ".join(fields["addressees"])[:300],
        )
        letters.append(letter)
    return letters


def _locked_letter(letter: InvitationLetter, by) -> InvitationLetter:
    Meeting.objects.lock(letter.meeting_id)
    letter = (
        InvitationLetter.objects.select_for_update()
        .select_related("meeting", "organization")
        .get(pk=letter.pk)
    )
    if not permissions.can_manage(by, letter.meeting):
        raise PermissionDenied
    return letter


def _expect_draft(letter: InvitationLetter) -> None:
    if letter.state != InvitationLetter.State.DRAFT:
        raise ValidationError(_("This letter has been sent: it can no longer change."))


def update_letter(letter: InvitationLetter, *, by, version: int, **fields) -> InvitationLetter:
    """Save an organizer's edit of a draft; an edit of an older version is refused."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        letter = _locked_letter(letter, by)
        _expect_draft(letter)
        if version != letter.version:
            raise ValidationError(
                _(
                    "Someone saved this letter meanwhile; reload it to see their change, then make yours again."
                )
            )
        errors = {}
        if "addressees" in fields:
            fields["addressees"] = _lines(fields["addressees"])
            if not fields["addressees"]:
                errors["addressees"] = _("Name at least one addressee.")
        if "tembusan" in fields:
            fields["tembusan"] = _lines(fields["tembusan"])
        for name in ("place", "sifat", "lampiran", "hal", "signer_name", "signer_position", "signer_nip"):
            if name in fields:
                fields[name] = " ".join((fields[name] or "").split())
        if "hal" in fields and not fields["hal"]:
            errors["hal"] = _("Say what the letter is about.")
        renumbered = None
        if "number" in fields:
            number = " ".join((fields["number"] or "").split())
            fields["number"] = number
            if not number:
                errors["number"] = _("The letter needs a number.")
            elif len(number) > NUMBER_MAX:
                errors["number"] = _("The number is too long.")
            elif number != letter.number:
                if _taken(letter.organization, number, except_letter=letter.pk):
                    errors["number"] = _("This number has been given to another letter already.")
                else:
                    renumbered = number
        if errors:
            raise ValidationError(errors)
        changed = [name for name, value in fields.items() if getattr(letter, name) != value]
        if not changed:
            return letter
        for name, value in fields.items():
            setattr(letter, name, value)
        letter.version += 1
        letter.save()
        if renumbered:
            LetterNumber.objects.create(
                organization=letter.organization,
                year=letter.letter_date.year,
                number=renumbered,
                letter=letter,
                meeting=letter.meeting,
                meeting_title=letter.meeting.title[:300],
                issued_by=by if getattr(by, "is_authenticated", False) else None,
                note=_("typed by hand"),
            )
        record(letter, "minutes.letter_changed", by, number=letter.number, fields=changed)
        return letter


def send_letter(letter: InvitationLetter, *, by, email_agencies: bool = True) -> int:
    """The letter is final: its number and date are fixed, it is locked, it goes with the
    invitation emails from now on; with `email_agencies`, the invitation email is sent again now
    to the agencies it is addressed to, carrying it. Returns how many emails were queued."""
    from participants.notifications import notify_invitation

    with transaction.atomic():
        letter = _locked_letter(letter, by)
        _expect_draft(letter)
        errors = {}
        if not letter.signer_name:
            errors["signer_name"] = _("Name the signing official before sending the letter.")
        if not letter.signer_position:
            errors["signer_position"] = _("Give the signing official's position before sending the letter.")
        if not letter.addressees:
            errors["addressees"] = _("Name at least one addressee.")
        if errors:
            raise ValidationError(errors)
        letter.state = InvitationLetter.State.SENT
        letter.sent_at = timezone.now()
        letter.sent_by = by if getattr(by, "is_authenticated", False) else None
        letter.version += 1
        letter.save(update_fields=["state", "sent_at", "sent_by", "version"])
        queued = 0
        if email_agencies:
            if letter.addressing == InvitationLetter.Addressing.AGENCY:
                targets = [i for i in active_invitations(letter.meeting) if i.pk == letter.invitation_id]
            else:
                targets = list(active_invitations(letter.meeting))
            for invitation in targets:
                notify_invitation(invitation)
                queued += 1
        record(letter, "minutes.letter_sent", by, number=letter.number, emails=queued)
        return queued


def delete_letter(letter: InvitationLetter, *, by) -> None:
    """A draft goes; its number stays in the register and is never given again."""
    with transaction.atomic():
        letter = _locked_letter(letter, by)
        _expect_draft(letter)
        LetterNumber.objects.filter(letter=letter).update(note=_("letter deleted"))
        record(letter.meeting, "minutes.letter_deleted", by, number=letter.number)
        letter.delete()


# Reading ---------------------------------------------------------------------------------------


def sent_letter_for(invitation: AgencyInvitation) -> InvitationLetter | None:
    """The letter an agency's invitation email carries: its own sent letter, else the meeting's
    sent letter to all the invited agencies (the latest)."""
    sent = InvitationLetter.objects.filter(
        meeting_id=invitation.meeting_id, state=InvitationLetter.State.SENT
    )
    own = (
        sent.filter(addressing=InvitationLetter.Addressing.AGENCY, invitation=invitation)
        .order_by("-pk")
        .first()
    )
    return own or sent.filter(addressing=InvitationLetter.Addressing.LIST).order_by("-pk").first()


def reference_text(meeting: Meeting) -> str:
    """The sent letters' numbers and dates as the Notula's "Surat Undangan" field writes them:
    "B.1520/DITPP-ASAF/IX/2021 tanggal 13 September 2021" (numbers of one date together)."""
    letters = InvitationLetter.objects.filter(meeting=meeting, state=InvitationLetter.State.SENT).order_by(
        "letter_date", "pk"
    )
    by_date: dict[date, list[str]] = {}
    for number, on in letters.values_list("number", "letter_date"):
        by_date.setdefault(on, []).append(number)
    return "; ".join(
        _("%(number)s dated %(date)s")
        % {"number": ", ".join(numbers), "date": formats.date_format(on, "j F Y")}
        for on, numbers in by_date.items()
    )
