"""Policy-input documents: a selection of recommendations (by key), drafted into prose that the
analyst edits, each save a new version; and the groupings that the page and the Word document
both show (by theme, by addressee then instrument, the meetings as sources, provenance).

The recommendations are never stored with the document: they are read at render time through
what the reader may see (`policy.permissions.visible_recommendations`), so a document never
shows a recommendation its reader could not see in the registry.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from core import audit
from directory.models import Organization
from meetings.models import Meeting, MeetingDay
from minutes import richtext
from minutes.documents import daftar_hadir, notula
from minutes.models import Minutes, Recommendation, Section

from ..models import PolicyBrief, PolicyBriefVersion, State
from ..permissions import visible_recommendations
from .tracking import with_follow_up

LANGUAGES = ("id", "en")
TEXT_FIELDS = ("title", "summary", "background", "closing")
MAX_ADDRESSEES_IN_SUMMARY = 3


class StaleVersion(ValidationError):
    """Someone saved a newer version since the one the edit was based on."""

    def __init__(self, latest: PolicyBriefVersion):
        self.latest = latest
        super().__init__(
            _(
                "%(name)s saved version %(number)s at %(time)s while you were editing: your text "
                "was not saved. It is still in the form: compare it with the new version, then save again."
            )
            % {
                "name": str(latest.saved_by) if latest.saved_by else _("someone"),
                "number": latest.number,
                "time": formats.time_format(localtime(latest.saved_at), "TIME_FORMAT"),
            },
            code="stale",
        )


# --- which recommendations -------------------------------------------------------------------


def parse_keys(raw: Iterable[str]) -> tuple[list[str], list[str]]:
    """The well-formed keys (normalised, in order, without repeats) and the malformed ones."""
    keys, bad = [], []
    for value in raw:
        try:
            key = str(uuid.UUID(str(value).strip()))
        except (ValueError, AttributeError):
            bad.append(str(value))
            continue
        if key not in keys:
            keys.append(key)
    return keys, bad


def refused_keys(user, keys: Sequence[str]) -> list[str]:
    """The keys the user may not put in a document: unknown, malformed or not visible to them."""
    good, bad = parse_keys(keys)
    seen = {str(k) for k in visible_recommendations(user).filter(key__in=good).values_list("key", flat=True)}
    return bad + [k for k in good if k not in seen]


def recommendations(user, keys: Sequence[str]) -> list[Recommendation]:
    """The recommendations of these keys that the user may see, with their follow-up and all
    that the page and the document show, in a fixed number of queries; by meeting, then order."""
    good, _bad = parse_keys(keys)
    queryset = with_follow_up(visible_recommendations(user).filter(key__in=good))
    return load(queryset)


def load(queryset: QuerySet[Recommendation]) -> list[Recommendation]:
    days = Prefetch("minutes__meeting__days", queryset=MeetingDay.objects.order_by("date"))
    sections = Prefetch("minutes__sections", queryset=Section.objects.order_by("order", "id"))
    rows = (
        queryset.select_related(
            "minutes__meeting",
            "section__agenda_item",
            "proposed_by_person__organization",
            "proposed_by_organization",
        )
        .prefetch_related(
            Prefetch("addressed_to", queryset=Organization.objects.order_by("name")),
            "themes",
            days,
            sections,
        )
        .order_by("minutes__meeting__starts_on", "minutes__meeting_id", "order", "id")
    )
    result, seen = [], set()
    for rec in rows:
        # A key appears once (the version of the minutes the reader sees).
        if rec.key in seen:
            continue
        seen.add(rec.key)
        result.append(rec)
    return result


# --- groupings ---------------------------------------------------------------------------------


@dataclass
class ThemeGroup:
    slug: str  # "" for the recommendations without a theme
    name: str
    recommendations: list = field(default_factory=list)


@dataclass
class InstrumentGroup:
    instrument: str
    label: str
    recommendations: list = field(default_factory=list)


@dataclass
class AddresseeGroup:
    organization: Organization | None
    name: str
    instruments: list[InstrumentGroup] = field(default_factory=list)


@dataclass
class Source:
    meeting: Meeting
    days: str
    place: str
    speakers: list[str]
    recommendations: int


def number(recs: Sequence[Recommendation]) -> None:
    """Each recommendation's number in the appendix (`rec.number`), which the groupings cite."""
    for n, rec in enumerate(recs, 1):
        rec.number = n


def by_theme(recs: Sequence[Recommendation]) -> list[ThemeGroup]:
    """One group per theme (by name), a recommendation under each of its themes; those without a
    theme last."""
    groups: dict[str, ThemeGroup] = {}
    loose = ThemeGroup("", _("Other findings"))
    for rec in recs:
        themes = list(rec.themes.all())
        if not themes:
            loose.recommendations.append(rec)
        for theme in themes:
            groups.setdefault(theme.slug, ThemeGroup(theme.slug, theme.name)).recommendations.append(rec)
    result = sorted(groups.values(), key=lambda g: (g.name.casefold(), g.slug))
    if loose.recommendations:
        result.append(loose)
    return result


INSTRUMENT_ORDER = [value for value, _label in Recommendation.Instrument.choices]


def by_addressee(recs: Sequence[Recommendation]) -> list[AddresseeGroup]:
    """By addressee (by name; a recommendation under each of them; those addressed to nobody
    last), then by instrument in the order regulation, decision, SOP, programme, other."""
    labels = dict(Recommendation.Instrument.choices)
    groups: dict[int | None, AddresseeGroup] = {}
    for rec in recs:
        for org in list(rec.addressed_to.all()) or [None]:
            key = org.pk if org else None
            if key not in groups:
                groups[key] = AddresseeGroup(org, org.name if org else _("Not addressed to one agency"))
            group = groups[key]
            inst = next((i for i in group.instruments if i.instrument == rec.instrument), None)
            if inst is None:
                inst = InstrumentGroup(rec.instrument, str(labels.get(rec.instrument, rec.instrument)))
                group.instruments.append(inst)
            inst.recommendations.append(rec)
    for group in groups.values():
        group.instruments.sort(
            key=lambda i: INSTRUMENT_ORDER.index(i.instrument) if i.instrument in INSTRUMENT_ORDER else 99
        )
    return sorted(groups.values(), key=lambda g: (g.organization is None, g.name.casefold()))


def _role_line(role: dict) -> str:
    extra = ", ".join(p for p in (role.get("position", ""), role.get("organization", "")) if p)
    name = role.get("name", "")
    return f"{name} ({extra})" if extra and name else name


def speakers_of(sections: Iterable[Section]) -> list[str]:
    """The speakers (narasumber) named in these sections of the minutes, once each, in order."""
    names: list[str] = []
    for section in sections:
        for role in section.roles or []:
            if isinstance(role, dict) and role.get("role") == "speaker" and role.get("name"):
                line = _role_line(role)
                if line not in names:
                    names.append(line)
    return names


def sources(recs: Sequence[Recommendation]) -> list[Source]:
    """Each meeting the recommendations come from, in order: its date(s), place and speakers."""
    result: dict[int, Source] = {}
    for rec in recs:
        meeting = rec.minutes.meeting
        if meeting.pk in result:
            result[meeting.pk].recommendations += 1
            continue
        days = list(meeting.days.all())
        result[meeting.pk] = Source(
            meeting=meeting,
            days=notula.days_text(days),
            place=daftar_hadir.place_text(meeting) or "-",
            speakers=speakers_of(rec.minutes.sections.all()),
            recommendations=1,
        )
    return list(result.values())


def proposed_by(rec: Recommendation) -> str:
    """Who made the recommendation: the person who proposed it, else the speakers of its agenda
    item, else the agency that proposed it."""
    if rec.proposed_by_person_id:
        person = rec.proposed_by_person
        org = person.organization.name if person.organization_id else ""
        return f"{person.full_name} ({org})" if org else person.full_name
    if rec.section_id:
        names = speakers_of([rec.section])
        if names:
            return "; ".join(names)
    if rec.proposed_by_organization_id:
        return rec.proposed_by_organization.name
    return ""


def provenance(rec: Recommendation) -> list[str]:
    """Where a recommendation comes from, one line each: meeting, date(s), agenda item, speaker."""
    meeting = rec.minutes.meeting
    lines = [meeting.title, notula.days_text(list(meeting.days.all()))]
    if rec.section_id:
        lines.append(rec.section.title)
    who = proposed_by(rec)
    if who:
        lines.append(who)
    return lines


def follow_up_text(rec: Recommendation) -> str:
    """The follow-up state, its due date, and "overdue" when it is."""
    label = str(dict(State.choices).get(getattr(rec, "follow_state", State.PROPOSED), State.PROPOSED.label))
    due = getattr(rec, "follow_due", None)
    if due:
        label += "\n" + _("due %(date)s") % {"date": formats.date_format(due, "j F Y")}
    if getattr(rec, "follow_overdue", False):
        label += "\n" + _("overdue")
    return label


# --- drafting ----------------------------------------------------------------------------------


def draft_sections(recs: Sequence[Recommendation], language: str | None = None) -> dict:
    """The prose parts prefilled from the recommendations and their meetings (in `language`, else
    the active one): summary, background, findings ({theme slug or "": text}), closing."""
    if language:
        with override(language):
            return draft_sections(recs)
    meetings = []
    for rec in recs:
        if rec.minutes.meeting not in meetings:
            meetings.append(rec.minutes.meeting)
    counts = Counter(org.name for rec in recs for org in rec.addressed_to.all())
    main = [name for name, _n in counts.most_common(MAX_ADDRESSEES_IN_SUMMARY)]
    summary = _("This document brings together %(recommendations)s from %(meetings)s.") % {
        "recommendations": ngettext("%(count)d recommendation", "%(count)d recommendations", len(recs))
        % {"count": len(recs)},
        "meetings": ngettext("%(count)d meeting", "%(count)d meetings", len(meetings))
        % {"count": len(meetings)},
    }
    if main:
        summary += " " + _("They are addressed mainly to %(addressees)s.") % {"addressees": "; ".join(main)}
    background = []
    for meeting in meetings:
        days = notula.days_text(list(meeting.days.all()))
        head = f"{meeting.title} ({days})"
        if meeting.theme:
            head += ": " + _("theme “%(theme)s”.") % {"theme": meeting.theme}
        else:
            head += "."
        background.append(head)
        text = (meeting.background or meeting.description).strip()
        if text:
            background.append(text)
    findings = {}
    for group in by_theme(recs):
        parts = []
        for rec in group.recommendations:
            text = richtext.plain(rec.rationale).strip() or richtext.plain(rec.text).strip()
            if text and text not in parts:
                parts.append(text)
        findings[group.slug] = "\n\n".join(parts)
    closing = _(
        "These recommendations are submitted as input for drafting regulations, decisions and "
        "process flows. Their follow-up by the agencies addressed is tracked in %(site)s."
    ) % {"site": settings.SINERGI_SITE_NAME}
    return {
        "summary": summary,
        "background": "\n\n".join(background),
        "findings": findings,
        "closing": closing,
    }


# --- changes -----------------------------------------------------------------------------------


def create_brief(user, title: str, language: str, keys: Sequence[str]) -> PolicyBrief:
    """A new document of these recommendations with its first version drafted; every key must be
    one the user may see (else ValidationError, nothing created)."""
    good, _bad = parse_keys(keys)
    refused = refused_keys(user, keys)
    if refused or not good:
        raise ValidationError(
            _("%(count)d of the chosen recommendations are not available to you: nothing was created.")
            % {"count": len(refused)}
            if refused
            else _("Choose at least one recommendation."),
            code="keys",
        )
    if language not in LANGUAGES:
        language = "id"
    title = title.strip()
    with transaction.atomic():
        brief = PolicyBrief.objects.create(title=title, language=language, keys=good, created_by=user)
        # Every analyst reads the prose, so it is drafted only from what every analyst may see
        # (approved minutes): a site administrator's or an organizing analyst's draft minutes
        # stay out of it (they still show, at render time, to those who may see them).
        shared = [r for r in recommendations(user, good) if r.minutes.state == Minutes.State.APPROVED]
        draft = draft_sections(shared, language)
        PolicyBriefVersion.objects.create(brief=brief, number=1, title=title, saved_by=user, **draft)
        audit.record(brief, "policy.brief_created", actor=user, title=title, recommendations=len(good))
    return brief


def latest_version(brief: PolicyBrief) -> PolicyBriefVersion | None:
    return brief.versions.select_related("saved_by").order_by("-number").first()


def save_version(brief: PolicyBrief, user, based_on: int, data: dict) -> PolicyBriefVersion:
    """A new version (latest + 1) with `data` (title, summary, background, findings, closing);
    refused with StaleVersion when `based_on` is not the latest version any more."""
    with transaction.atomic():
        locked = PolicyBrief.objects.select_for_update().get(pk=brief.pk)
        latest = latest_version(locked)
        current = latest.number if latest else 0
        if based_on != current:
            raise StaleVersion(latest)
        findings = {str(k): str(v).replace("\r\n", "\n") for k, v in (data.get("findings") or {}).items()}
        texts = {name: str(data.get(name) or "").replace("\r\n", "\n").strip() for name in TEXT_FIELDS}
        version = PolicyBriefVersion.objects.create(
            brief=locked, number=current + 1, saved_by=user, findings=findings, **texts
        )
        locked.title = texts["title"]
        locked.save(update_fields=["title", "updated_at"])
        audit.record(locked, "policy.brief_saved", actor=user, version=version.number)
    brief.title, brief.updated_at = locked.title, locked.updated_at
    return version
