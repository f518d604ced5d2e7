"""The Notula (minutes) in the official layout (../shared/reference/domain.md), in Indonesian or
English: letterhead, the heading fields, Kegiatan (Kata Pembukaan, Pembahasan per agenda item,
Keputusan with the recommendations and action items), the signature block, "Halaman X dari Y",
the Daftar Hadir of each day as an appendix, and the Daftar Materi (the speakers' materials the
document's readers may see) as another.

A version that is not approved says DRAFT at the top of every page. The data is read in a fixed
number of queries whatever the size of the minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from materials import permissions as material_permissions
from materials.models import Material
from meetings.models import Meeting, MeetingDay, MeetingHost
from participants.models import Registration

from ..models import ActionItem, Minutes, Point, Recommendation, Section
from . import daftar_hadir, toolkit
from .toolkit import Cell, Cm

LANGUAGES = ("id", "en")
FIELD_WIDTHS = [Cm(5.0), Cm(0.4), toolkit.TEXT_WIDTH - Cm(5.4)]
RECOMMENDATION_WIDTHS = [Cm(1.0), Cm(8.0), Cm(4.0), Cm(3.0)]
ACTION_WIDTHS = [Cm(1.0), Cm(7.8), Cm(4.4), Cm(2.8)]
MATERIAL_WIDTHS = [Cm(0.9), Cm(5.4), Cm(3.4), Cm(3.0), Cm(1.8), Cm(1.5)]
# Who reads a Notula, for its list of materials (materials.permissions): the meeting's staff,
# its participants (their private page, their email) or the public page.
MATERIAL_AUDIENCES = material_permissions.AUDIENCES


def organizing_unit(meeting: Meeting):
    """The meeting's organizing host agency (the first organizer host), or None."""
    hosts = list(
        MeetingHost.objects.filter(meeting=meeting)
        .select_related("organization__parent__parent")
        .order_by("order", "id")
    )
    for h in hosts:
        if h.role == MeetingHost.Role.ORGANIZER:
            return h.organization
    return hosts[0].organization if hosts else None


def add_letterhead(doc, meeting: Meeting) -> None:
    lines = toolkit.letterhead_lines(organizing_unit(meeting))
    if lines:
        toolkit.letterhead(doc, lines)


def _days(meeting: Meeting) -> list[MeetingDay]:
    days = list(MeetingDay.objects.filter(meeting=meeting).order_by("date"))
    for day in days:
        day.meeting = meeting
    return days


def days_text(days: list[MeetingDay]) -> str:
    """ "Senin, 20 September 2021", or "Senin, 20 September 2021 – Selasa, 21 September 2021"
    for consecutive days, else each day separated by a semicolon."""
    if not days:
        return "-"
    texts = [daftar_hadir.day_text(d) for d in days]
    if len(days) == 1:
        return texts[0]
    consecutive = all((b.date - a.date).days == 1 for a, b in zip(days, days[1:], strict=False))
    return f"{texts[0]} – {texts[-1]}" if consecutive else "; ".join(texts)


def hours_text(days: list[MeetingDay], timezone: str) -> str:
    """ "09.00–15.00 WIB", or one line per day when the days' hours differ."""
    hours = [daftar_hadir.hours_text(d, timezone) for d in days]
    if not hours:
        return "-"
    if len(set(hours)) == 1:
        return hours[0]
    return "\n".join(f"{daftar_hadir.day_text(d)}: {h}" for d, h in zip(days, hours, strict=True))


def _role_line(role: dict) -> str:
    extra = ", ".join(p for p in (role.get("position", ""), role.get("organization", "")) if p)
    return f"{role.get('name', '')} ({extra})" if extra else role.get("name", "")


def _load(minutes: Minutes):
    sections = list(
        Section.objects.filter(minutes=minutes)
        .order_by("order", "id")
        .prefetch_related(Prefetch("points", queryset=Point.objects.order_by("order", "id")))
    )
    recommendations = list(
        Recommendation.objects.filter(minutes=minutes)
        .order_by("order", "id")
        .prefetch_related("addressed_to")
    )
    actions = list(
        ActionItem.objects.filter(minutes=minutes)
        .order_by("order", "id")
        .select_related("owner_person__organization", "owner_organization")
    )
    return sections, recommendations, actions


def _agencies(meeting: Meeting) -> list[str]:
    """The agencies of the confirmed participants (what a Notula without the attendance list
    names: no person)."""
    names = set()
    for org, typed in Registration.objects.filter(
        meeting=meeting, state=Registration.State.CONFIRMED
    ).values_list("organization__name", "organization_name"):
        if org or typed:
            names.add(org or typed)
    return sorted(names, key=str.casefold)


def _owner(action: ActionItem) -> str:
    if action.owner_person_id:
        person = action.owner_person
        org = person.organization.name if person.organization_id else ""
        return f"{person.full_name} ({org})" if org else person.full_name
    if action.owner_organization_id:
        return action.owner_organization.name
    return "-"


def invitation_reference(minutes: Minutes) -> str:
    """The "Surat Undangan" field: what the secretary typed, else the number and date of the
    meeting's sent invitation letters (minutes.services.letters)."""
    if minutes.invitation_reference:
        return minutes.invitation_reference
    from ..services.letters import reference_text  # the services import this module

    return reference_text(minutes.meeting)


def _heading(doc, text: str, level: int = 1):
    p = toolkit.styled_paragraph(doc, f"Heading {level}")
    p.add_run(toolkit.safe(text))
    return p


def _material_type(material: Material) -> str:
    if material.kind == Material.Kind.LINK:
        return capfirst(_("link"))
    return {
        "application/pdf": "PDF",
        "image/png": "PNG",
        "image/jpeg": "JPEG",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    }.get(material.mime, material.mime or "-")


def _material_by(material: Material) -> str:
    if material.upload_link_id and material.upload_link.name:
        return material.upload_link.name
    if material.uploaded_by_id:
        return material.uploaded_by.full_name or "-"
    return "-"


def add_materials_appendix(doc, meeting: Meeting, audience: str) -> bool:
    """The list of the meeting's materials this audience may see, on a page of its own (nothing
    when there are none); returns whether it was added. The activity report uses it too."""
    materials = list(material_permissions.visible(meeting, audience).select_related("uploaded_by"))
    if not materials:
        return False
    toolkit.page_break(doc)
    toolkit.paragraph(doc, _("Appendix: list of materials"), bold=True)
    rows = []
    for n, material in enumerate(materials, 1):
        title = material.title
        if material.kind == Material.Kind.LINK:
            title = f"{title}\n{material.url}"
        elif material.display_name:
            title = f"{title}\n{material.display_name}"
        rows.append(
            [
                Cell(f"{n}.", align="right"),
                title,
                material.agenda_item.title if material.agenda_item_id else _("The meeting as a whole"),
                _material_by(material),
                _material_type(material),
                Cell(
                    filesizeformat(material.size) if material.kind == Material.Kind.FILE else "-",
                    align="right",
                ),
            ]
        )
    toolkit.data_table(
        doc,
        [_("No."), _("Title"), _("Agenda item"), _("Speaker or uploader"), _("Type"), _("Size")],
        rows,
        MATERIAL_WIDTHS,
    )
    return True


def render(
    minutes: Minutes, *, language: str = "id", with_attendance: bool = True, audience: str = "public"
) -> bytes:
    """The Notula of this version of the minutes as a .docx. `audience` chooses which materials
    its appendix lists (staff, participants, public: the least by default)."""
    if language not in LANGUAGES:
        language = "id"
    with override(language):
        return toolkit.to_bytes(
            build(minutes, language=language, with_attendance=with_attendance, audience=audience)
        )


def build(minutes: Minutes, *, language: str = "id", with_attendance: bool = True, audience: str = "public"):
    meeting = minutes.meeting
    days = _days(meeting)
    sections, recommendations, actions = _load(minutes)
    approved = minutes.state in (Minutes.State.APPROVED, Minutes.State.SUPERSEDED)
    signer_name = minutes.signer_name or (
        minutes.chair_name if minutes.signed_by == Minutes.Signer.CHAIR else minutes.recorder_name
    )
    doc = toolkit.new_document(
        title=_("Minutes") + f" — {meeting.title}",
        subject=meeting.theme or meeting.title,
        author=minutes.recorder_name or signer_name or settings.SINERGI_SITE_NAME,
        language=language,
        keywords=_("minutes, version %(version)s") % {"version": minutes.version},
    )
    if not approved:
        toolkit.draft_mark(
            doc,
            _("Version %(version)s, %(state)s: not approved")
            % {"version": minutes.version, "state": minutes.get_state_display().lower()},
        )
    add_letterhead(doc, meeting)
    toolkit.paragraph(doc, _("MINUTES"), style="Title")

    items = [s for s in sections if s.kind == Section.Kind.ITEM]
    agencies = [] if with_attendance else _agencies(meeting)
    if with_attendance:
        participants = _("attached (attendance list)")
    elif agencies:
        participants = agencies
    else:
        participants = "-"
    fields = [
        (_("Session/Meeting"), meeting.title, 0),
        (_("Day/Date"), days_text(days), 0),
        (_("Invitation letter"), invitation_reference(minutes) or "-", 0),
        (_("Time of the meeting"), hours_text(days, meeting.timezone), 0),
        (_("Agenda items"), [s.title for s in items] or "-", 0),
        (_("Chairing the meeting"), None, 0),
        (_("Chair"), minutes.chair_name or "-", 1),
        (_("Secretary"), minutes.secretary_name or "-", 1),
        (_("Recorder"), minutes.recorder_name or "-", 1),
        (_("Participants of the meeting"), participants, 0),
        (_("Proceedings"), "", 0),
    ]
    toolkit.fields_table(doc, fields, FIELD_WIDTHS)
    lists = toolkit.lists_for(doc)

    def section_body(section: Section, with_heading: bool, number: str = ""):
        if with_heading:
            title = f"{number} {section.title}" if number else section.title
            _heading(doc, title, 2)
        if section.kind == Section.Kind.ITEM and section.starts_at and section.ends_at:
            start = section.starts_at.astimezone(meeting.tz)
            end = section.ends_at.astimezone(meeting.tz)
            when = (
                f"{formats.date_format(start.date(), 'DATE_FORMAT')}, "
                f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')} "
                f"{meeting.zone_label}"
            )
            toolkit.paragraph(doc, when, italic=True)
        for role_kind, label in (
            ("speaker", _("Speakers")),
            ("moderator", _("Moderator")),
        ):
            names = [_role_line(r) for r in section.roles if r.get("role") == role_kind]
            if names:
                p = doc.add_paragraph()
                p.add_run(toolkit.safe(label) + ": ").bold = True
                p.add_run(toolkit.safe("; ".join(names)))
        for point in section.points.all():
            who = point.speaker_name or _("A participant")
            if point.speaker_affiliation:
                who = f"{who} ({point.speaker_affiliation})"
            toolkit.rich_text(doc, point.text, lead=f"{who}: ", lists=lists)
            lists.reset()
        if section.summary:
            toolkit.rich_text(doc, section.summary, lists=lists)
            lists.reset()

    opening = [s for s in sections if s.kind == Section.Kind.OPENING]
    closing = [s for s in sections if s.kind == Section.Kind.CLOSING]
    _heading(doc, "1. " + _("Opening remarks"))
    if any(s.summary or s.points.all() for s in opening):
        for section in opening:
            section_body(section, False)
    else:
        toolkit.paragraph(doc, "-")

    _heading(doc, "2. " + _("Discussion by agenda item"))
    if not items:
        toolkit.paragraph(doc, "-")
    for n, section in enumerate(items, 1):
        section_body(section, True, f"2.{n}")

    _heading(doc, "3. " + _("Decisions"))
    concluded = [s for s in sections if s.conclusions]
    sub = iter(range(1, 4))
    if concluded:
        _heading(doc, f"3.{next(sub)} " + _("Conclusions"), 2)
        for section in concluded:
            p = doc.add_paragraph()
            p.add_run(toolkit.safe(section.title)).bold = True
            toolkit.rich_text(doc, section.conclusions, lists=lists)
            lists.reset()
    _heading(doc, f"3.{next(sub)} " + _("Recommendations"), 2)
    if recommendations:
        instrument_labels = dict(Recommendation.Instrument.choices)
        toolkit.data_table(
            doc,
            [
                _("No."),
                _("Recommendation"),
                _("Addressed to"),
                _("Instrument"),
            ],
            (
                [
                    Cell(f"{n}.", align="right"),
                    Cell(rec.text, rich=True),
                    "\n".join(o.name for o in rec.addressed_to.all()) or "-",
                    str(instrument_labels.get(rec.instrument, rec.instrument)),
                ]
                for n, rec in enumerate(recommendations, 1)
            ),
            RECOMMENDATION_WIDTHS,
        )
    else:
        toolkit.paragraph(doc, "-")
    _heading(doc, f"3.{next(sub)} " + _("Follow-up"), 2)
    if actions:
        toolkit.data_table(
            doc,
            [
                _("No."),
                _("Follow-up action"),
                _("Person or agency responsible"),
                _("Deadline"),
            ],
            (
                [
                    Cell(f"{n}.", align="right"),
                    Cell(action.text, rich=True),
                    _owner(action),
                    formats.date_format(action.due_on, "j F Y") if action.due_on else "-",
                ]
                for n, action in enumerate(actions, 1)
            ),
            ACTION_WIDTHS,
        )
    else:
        toolkit.paragraph(doc, "-")
    if any(s.summary or s.points.all() for s in closing):
        _heading(doc, "4. " + _("Closing"))
        for section in closing:
            section_body(section, False)

    toolkit.paragraph(doc, "")
    signed_on = minutes.signed_on or (days[-1].date if days else None)
    place_date = ", ".join(
        p for p in (minutes.signed_place, formats.date_format(signed_on, "j F Y") if signed_on else "") if p
    )
    role = _("Chair of the meeting") if minutes.signed_by == Minutes.Signer.CHAIR else _("Recorder")
    before = [place_date, role + ","] if place_date else [role + ","]
    if minutes.signer_position:
        before.append(minutes.signer_position + ",")
    after = [f"NIP {minutes.signer_nip}"] if minutes.signer_nip else []
    toolkit.signature_block(doc, before, signer_name, after)

    if with_attendance and days:
        for day in days:
            toolkit.page_break(doc)
            toolkit.paragraph(doc, _("Appendix: attendance list"), bold=True)
            daftar_hadir.add_to(doc, day)
    add_materials_appendix(doc, meeting, audience if audience in MATERIAL_AUDIENCES else "public")
    toolkit.page_x_of_y_footer(
        doc,
        _("Page {page} of {pages}"),
        (_("Minutes") + f" — {meeting.title}")[:120],
    )
    return doc


def filename(minutes: Minutes, language: str = "id") -> str:
    """`notula-focus-group-discussion-pengawasan-p3mi-v1.docx` (`minutes-...-en` in English)."""
    base = "notula" if language == "id" else "minutes"
    title = slugify(minutes.meeting.title)[:60].strip("-") or "rapat"
    suffix = "" if minutes.state in (Minutes.State.APPROVED, Minutes.State.SUPERSEDED) else "-draft"
    return f"{base}-{title}-v{minutes.version}{suffix}{'-en' if language == 'en' else ''}.docx"
