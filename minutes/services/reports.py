"""The activity report (Laporan Kegiatan) and the news article (berita kegiatan) of a meeting,
drafted from the meeting and its APPROVED minutes only, then edited by the meeting's staff.

Nothing of a draft or submitted version of the minutes is ever read here, and the news article
quotes only the points the secretary marked quotable. Drafts are written in the language asked
for (the report's headings and texts in Indonesian or English).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from core import audit
from core.timezones import zone_label
from directory.models import Organization
from meetings.models import AgendaRole, Meeting, MeetingDay, MeetingHost, OnlineRoom
from participants.models import Attendance, Registration

from .. import richtext
from ..documents import daftar_hadir, notula
from ..models import ActivityReport, Minutes, NewsArticle, Point, Recommendation, Section

SECTION_TEXT_LIMIT = 50_000
# Cities a venue address may name, for the news article's dateline ("MAKASSAR – ").
CITIES = (
    "Jakarta",
    "Bandung",
    "Surabaya",
    "Semarang",
    "Yogyakarta",
    "Medan",
    "Makassar",
    "Denpasar",
    "Palembang",
    "Pontianak",
    "Banjarmasin",
    "Manado",
    "Kupang",
    "Mataram",
    "Jayapura",
    "Batam",
    "Padang",
    "Pekanbaru",
    "Bandar Lampung",
    "Serang",
)


class NoApprovedMinutes(Exception):
    """The meeting has no approved minutes yet: there is nothing to report from."""


def approved_minutes(meeting: Meeting) -> Minutes | None:
    """The latest approved version (a superseded one was replaced by a correction)."""
    minutes = (
        Minutes.objects.filter(meeting=meeting, state=Minutes.State.APPROVED).order_by("-version").first()
    )
    if minutes is not None:
        minutes.meeting = meeting
    return minutes


def _require_minutes(meeting: Meeting) -> Minutes:
    minutes = approved_minutes(meeting)
    if minutes is None:
        raise NoApprovedMinutes(
            _(
                "The minutes of this meeting are not approved yet: the report is drafted from approved minutes."
            )
        )
    return minutes


# What the meeting says ------------------------------------------------------------------------


def org_label(org: Organization) -> str:
    return f"{org.name} ({org.acronym})" if org.acronym else org.name


def _short(org: Organization) -> str:
    top = org
    while top.parent_id is not None:
        top = top.parent
    return top.acronym or top.name


def hosts(meeting: Meeting) -> tuple[list[Organization], list[Organization]]:
    rows = list(
        MeetingHost.objects.filter(meeting=meeting)
        .select_related("organization__parent__parent")
        .order_by("order", "id")
    )
    organizers = [h.organization for h in rows if h.role == MeetingHost.Role.ORGANIZER]
    others = [h.organization for h in rows if h.role != MeetingHost.Role.ORGANIZER]
    return organizers, others


def _organizer_phrase(org: Organization) -> str:
    """ "Badan ... (BP2MI) melalui Direktorat ..." for a unit of a larger agency."""
    if org.parent_id is None:
        return org_label(org)
    top = org.parent
    while top.parent_id is not None:
        top = top.parent
    return _("%(agency)s through the %(unit)s") % {"agency": org_label(top), "unit": org_label(org)}


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def days_of(meeting: Meeting) -> list[MeetingDay]:
    days = list(MeetingDay.objects.filter(meeting=meeting).order_by("date"))
    for day in days:
        day.meeting = meeting
    return days


def _other_zones(meeting: Meeting) -> list[str]:
    """The Indonesian zones of the participants' agencies other than the meeting's."""
    zones = set(
        Registration.objects.filter(meeting=meeting, state=Registration.State.CONFIRMED)
        .exclude(organization__isnull=True)
        .values_list("organization__timezone", flat=True)
    )
    own = zone_label(meeting.timezone)
    return sorted(
        {z for z in zones if z and zone_label(z) != own and zone_label(z) in ("WIB", "WITA", "WIT")},
        key=lambda z: ("WIB", "WITA", "WIT").index(zone_label(z)),
    )


def _hours_in(day: MeetingDay, zone: str) -> str:
    start = datetime.combine(day.date, day.start_time, tzinfo=day.meeting.tz).astimezone(ZoneInfo(zone))
    end = datetime.combine(day.date, day.end_time, tzinfo=day.meeting.tz).astimezone(ZoneInfo(zone))
    return (
        f"{formats.time_format(start, 'TIME_FORMAT')}–{formats.time_format(end, 'TIME_FORMAT')} "
        f"{zone_label(zone)}"
    )


def place_lines(meeting: Meeting) -> list[str]:
    lines = []
    if meeting.has_onsite:
        place = ", ".join(p for p in (meeting.venue_room, meeting.venue_name, meeting.venue_address) if p)
        if place:
            lines.append(_("Place: %(place)s") % {"place": place})
    if meeting.has_online:
        room = OnlineRoom.objects.filter(meeting=meeting).exclude(state=OnlineRoom.State.DELETED).first()
        if room is not None and room.provider == OnlineRoom.Provider.ZOOM:
            lines.append(_("Online: Zoom Meeting"))
        else:
            lines.append(_("Online: the meeting's online room"))
    return lines


@dataclass(frozen=True)
class AgencyCount:
    agency: str
    onsite: int
    online: int

    @property
    def total(self) -> int:
        return self.onsite + self.online


def participant_counts(meeting: Meeting) -> list[AgencyCount]:
    """The people who attended (any day), per agency: on-site when checked in on-site on any
    day, else online. From the attendance records, not the registrations."""
    kinds: dict[int, set[str]] = defaultdict(set)
    agency: dict[int, str] = {}
    for reg_id, how, org, typed in Attendance.objects.filter(registration__meeting=meeting).values_list(
        "registration_id", "how", "registration__organization__name", "registration__organization_name"
    ):
        kinds[reg_id].add(how)
        agency[reg_id] = org or typed or "-"
    onsite: Counter[str] = Counter()
    online: Counter[str] = Counter()
    for reg_id, hows in kinds.items():
        if Attendance.How.ONSITE in hows:
            onsite[agency[reg_id]] += 1
        else:
            online[agency[reg_id]] += 1
    names = sorted(set(onsite) | set(online), key=str.casefold)
    return [AgencyCount(name, onsite[name], online[name]) for name in names]


@dataclass(frozen=True)
class Role:
    name: str
    position: str
    organization: str
    role: str
    item: str

    @property
    def described(self) -> str:
        extra = ", ".join(p for p in (self.position, self.organization) if p)
        return f"{self.name} ({extra})" if extra else self.name


def agenda_roles(meeting: Meeting) -> list[Role]:
    """Speakers and moderators in agenda order, each person once per role."""
    seen = set()
    result = []
    for role in (
        AgendaRole.objects.filter(agenda_item__day__meeting=meeting)
        .select_related("person__organization", "agenda_item__day")
        .order_by("agenda_item__day__date", "agenda_item__start_time", "agenda_item__order", "order", "id")
    ):
        key = (role.person_id, role.role)
        if key in seen:
            continue
        seen.add(key)
        person = role.person
        org = person.organization.name if person.organization_id else ""
        result.append(Role(person.full_name, person.position, org, role.role, role.agenda_item.title))
    return result


# The activity report's sections -----------------------------------------------------------------


def section_titles() -> dict[str, str]:
    return {
        "latar_belakang": pgettext("activity report", "Background"),
        "maksud_tujuan": pgettext("activity report", "Purpose and objectives"),
        "ruang_lingkup": pgettext("activity report", "Scope"),
        "waktu_tempat": pgettext("activity report", "Time and place"),
        "peserta": pgettext("activity report", "Participants"),
        "narasumber": pgettext("activity report", "Speakers and moderator"),
        "hasil": pgettext("activity report", "Results"),
        "kesimpulan": pgettext("activity report", "Conclusions"),
        "rekomendasi": pgettext("activity report", "Recommendations"),
        "penutup": pgettext("activity report", "Closing"),
    }


def purpose_text(meeting: Meeting) -> str:
    subject = meeting.theme or meeting.title
    return _(
        "The %(kind)s is held to discuss “%(subject)s” with the agencies concerned, to build a "
        "shared understanding among them, and to produce conclusions and recommendations as input "
        "for policy."
    ) % {"kind": meeting.get_kind_display(), "subject": subject}


def _one_line(text: str) -> str:
    return " ".join(richtext.clean(text).split())


def flat(text: str) -> str:
    """A stored text as one line of words: list items run on after the sentence that opens them."""
    lines = [line.strip() for line in richtext.plain(text).split("\n")]
    return " ".join(" ".join(line.lstrip("•").split()) for line in lines if line)


def _sections_of(minutes: Minutes) -> list[Section]:
    return list(
        Section.objects.filter(minutes=minutes)
        .order_by("order", "id")
        .prefetch_related(Prefetch("points", queryset=Point.objects.order_by("order", "id")))
    )


def draft_sections(meeting: Meeting, minutes: Minutes, language: str = "id") -> dict[str, str]:
    """Every section's default text (minutes.richtext markup) in `language`."""
    with override(language):
        return _draft_sections(meeting, minutes)


def _draft_sections(meeting: Meeting, minutes: Minutes) -> dict[str, str]:
    days = days_of(meeting)
    sections = _sections_of(minutes)
    items = [s for s in sections if s.kind == Section.Kind.ITEM]
    texts: dict[str, str] = {}
    texts["latar_belakang"] = meeting.background or meeting.description or "-"
    texts["maksud_tujuan"] = purpose_text(meeting)
    scope = [_("The activity covers the following agenda items:"), ""]
    scope += [f"- {_one_line(s.title)}" for s in items] or ["- -"]
    texts["ruang_lingkup"] = "\n".join(scope)

    zones = _other_zones(meeting)
    when = [_("The activity was held on:"), ""]
    for day in days:
        line = f"- {daftar_hadir.day_text(day)}, {daftar_hadir.hours_text(day, meeting.timezone)}"
        if zones:
            line += " (" + "; ".join(_hours_in(day, z) for z in zones) + ")"
        when.append(line)
    if not days:
        when.append("- -")
    lines = place_lines(meeting)
    if lines:
        when += ["", "\n".join(lines)]
    texts["waktu_tempat"] = "\n".join(when)

    counts = participant_counts(meeting)
    onsite = sum(c.onsite for c in counts)
    online = sum(c.online for c in counts)
    texts["peserta"] = _(
        "The activity was attended by %(total)s participants from %(agencies)s agencies: "
        "%(onsite)s on-site and %(online)s online (the table below; the attendance lists are appended)."
    ) % {"total": onsite + online, "agencies": len(counts), "onsite": onsite, "online": online}

    roles = agenda_roles(meeting)
    speaker_lines = [f"- {r.described}: {_one_line(r.item)}" for r in roles if r.role == "speaker"]
    moderator_lines = [f"- {r.described}" for r in roles if r.role == "moderator"]
    people = [_("Speakers:"), ""] + (speaker_lines or ["- -"])
    if moderator_lines:
        people += ["", _("Moderator:"), ""] + moderator_lines
    texts["narasumber"] = "\n".join(people)

    results = []
    discussed = [s for s in items if s.summary or s.points.all()]
    for n, section in enumerate(discussed, 1):
        results.append(f"**{n}. {_one_line(section.title)}**")
        if section.summary:
            results.append(section.summary)
        for point in section.points.all():
            who = point.speaker_name or _("A participant")
            results.append(f"*{_one_line(who)}*: {flat(point.text)}")
    texts["hasil"] = "\n\n".join(results) or "-"

    concluded = [s for s in sections if s.conclusions]
    conclusions = []
    for section in concluded:
        conclusions.append(f"**{_one_line(section.title)}**")
        conclusions.append(section.conclusions)
    texts["kesimpulan"] = "\n\n".join(conclusions) or "-"

    recommendations = list(
        Recommendation.objects.filter(minutes=minutes)
        .order_by("order", "id")
        .prefetch_related("addressed_to")
    )
    lines = []
    for n, rec in enumerate(recommendations, 1):
        line = f"{n}. {_one_line(rec.text)}"
        addressed = [o.acronym or o.name for o in rec.addressed_to.all()]
        if addressed:
            line += " " + _("(addressed to %(agencies)s)") % {"agencies": ", ".join(addressed)}
        lines.append(line)
    texts["rekomendasi"] = "\n".join(lines) or "-"
    texts["penutup"] = _("This report of the “%(title)s” is submitted for information and follow-up.") % {
        "title": meeting.title
    }
    return texts


def report_for(meeting: Meeting) -> ActivityReport:
    """The meeting's report, unsaved when nobody has edited it yet. Raises NoApprovedMinutes."""
    _require_minutes(meeting)
    report = ActivityReport.objects.filter(meeting=meeting).first()
    if report is None:
        report = ActivityReport(meeting=meeting)
    report.meeting = meeting
    return report


def section_texts(report: ActivityReport, language: str = "id") -> dict[str, str]:
    """Each section's text: the saved one, else the draft."""
    minutes = _require_minutes(report.meeting)
    drafted = draft_sections(report.meeting, minutes, language)
    return {key: report.sections.get(key) or drafted[key] for key in ActivityReport.SECTION_KEYS}


def _check_key(key: str) -> None:
    if key not in ActivityReport.SECTION_KEYS:
        raise ValidationError(_("There is no such section in the report."))


@transaction.atomic
def save_section(report: ActivityReport, key: str, text: str, actor) -> ActivityReport:
    """The staff's text of one section (an empty text resets it to the draft)."""
    _check_key(key)
    _require_minutes(report.meeting)
    text = richtext.clean(text)
    if len(text) > SECTION_TEXT_LIMIT:
        raise ValidationError(
            _("The text is too long (at most %(limit)d characters).") % {"limit": SECTION_TEXT_LIMIT}
        )
    Meeting.objects.lock(report.meeting_id)
    report, _created = ActivityReport.objects.get_or_create(meeting=report.meeting)
    if text:
        report.sections[key] = text
    else:
        report.sections.pop(key, None)
    report.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    report.save()
    audit.record(report, "minutes.report_section_saved", actor, section=key, reset=not text)
    return report


def reset_section(report: ActivityReport, key: str, actor) -> ActivityReport:
    return save_section(report, key, "", actor)


# The news article -----------------------------------------------------------------------------


def dateline(meeting: Meeting) -> str:
    address = f"{meeting.venue_address} {meeting.venue_name}".casefold()
    city = next((c for c in CITIES if c.casefold() in address), "Jakarta")
    return f"{city.upper()} –"


def _quote(point: Point) -> str:
    words = flat(point.text).rstrip(" .")
    name = point.speaker_name or _("a participant")
    position = ""
    if point.person_id and point.person.position:
        position = point.person.position
    elif point.speaker_affiliation:
        position = point.speaker_affiliation
    if position:
        return _("“%(quote)s,” said %(name)s, %(position)s.") % {
            "quote": words,
            "name": name,
            "position": position,
        }
    return _("“%(quote)s,” said %(name)s.") % {"quote": words, "name": name}


def quotable_points(minutes: Minutes) -> list[Point]:
    return list(
        Point.objects.filter(section__minutes=minutes, quotable=True)
        .select_related("person")
        .order_by("section__order", "section_id", "order", "id")
    )


def draft_news_article(meeting: Meeting, language: str = "id") -> dict[str, str]:
    """headline, dateline, lead and body drafted from the meeting and its approved minutes."""
    minutes = _require_minutes(meeting)
    with override(language):
        organizers, others = hosts(meeting)
        short = list(dict.fromkeys([_short(o) for o in organizers + others]))
        headline = _("%(hosts)s hold the %(title)s") % {"hosts": _and(short), "title": meeting.title}
        days = days_of(meeting)
        who = _and([_organizer_phrase(o) for o in organizers]) or meeting.title
        together = _(", together with %(others)s,") % {"others": _and([org_label(o) for o in others])}
        lead = _("%(who)s%(together)s held the %(title)s on %(when)s.") % {
            "who": who,
            "together": together if others else "",
            "title": meeting.title,
            "when": notula.days_text(days),
        }
        if meeting.theme:
            lead += " " + _("Its theme was “%(theme)s”.") % {"theme": meeting.theme}
        body = [purpose_text(meeting)]
        body += [_quote(point) for point in quotable_points(minutes)]
        speakers = [r.described for r in agenda_roles(meeting) if r.role == "speaker"]
        if speakers:
            body.append(_("The speakers were %(speakers)s.") % {"speakers": _and(speakers)})
        counts = participant_counts(meeting)
        if counts:
            body.append(
                _("%(total)s participants from %(agencies)s agencies took part, on-site and online.")
                % {"total": sum(c.total for c in counts), "agencies": len(counts)}
            )
        recommendations = list(Recommendation.objects.filter(minutes=minutes).order_by("order", "id"))
        if recommendations:
            first = [flat(r.text) for r in recommendations[:3]]
            body.append(
                _("The %(kind)s produced %(count)s recommendations, among them: %(items)s.")
                % {
                    "kind": meeting.get_kind_display(),
                    "count": len(recommendations),
                    "items": "; ".join(t.rstrip(".") for t in first),
                }
            )
        # One line each: a title holding new lines must not split a paragraph in two.
        return {
            "headline": _one_line(headline)[:300],
            "dateline": dateline(meeting),
            "lead": _one_line(lead),
            "body": "\n\n".join(_one_line(p) for p in body),
        }


def article_for(meeting: Meeting) -> NewsArticle:
    """The saved article, else the draft (unsaved). Raises NoApprovedMinutes."""
    article = NewsArticle.objects.filter(meeting=meeting).first()
    if article is None:
        article = NewsArticle(meeting=meeting, **draft_news_article(meeting))
    article.meeting = meeting
    return article


ARTICLE_LIMITS = {"headline": 300, "dateline": 100, "lead": 5_000, "body": SECTION_TEXT_LIMIT}


@transaction.atomic
def save_news_article(meeting: Meeting, actor, **fields: str) -> NewsArticle:
    """The organizer's text of the article's fields (headline, dateline, lead, body)."""
    _require_minutes(meeting)
    Meeting.objects.lock(meeting.pk)
    article = article_for(meeting)
    changed = []
    for name, value in fields.items():
        if name not in ARTICLE_LIMITS:
            raise ValidationError(_("There is no such field in the article."))
        value = richtext.clean(value)
        if name in ("headline", "dateline"):
            value = " ".join(value.split())
        if len(value) > ARTICLE_LIMITS[name]:
            raise ValidationError(
                _("The text is too long (at most %(limit)d characters).") % {"limit": ARTICLE_LIMITS[name]}
            )
        if name == "headline" and not value:
            raise ValidationError(_("The article needs a headline."))
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed.append(name)
    if changed or article.pk is None:
        article.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        article.save()
        audit.record(article, "minutes.news_saved", actor, fields=", ".join(changed))
    return article


@transaction.atomic
def redraft_news_article(meeting: Meeting, actor) -> NewsArticle:
    """Back to the draft: the saved article is replaced by a fresh draft."""
    _require_minutes(meeting)
    Meeting.objects.lock(meeting.pk)
    NewsArticle.objects.filter(meeting=meeting).delete()
    article = NewsArticle.objects.create(meeting=meeting, **draft_news_article(meeting))
    article.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    article.save(update_fields=["updated_by"])
    audit.record(article, "minutes.news_redrafted", actor)
    return article
