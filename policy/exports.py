"""The registry's recommendations as CSV or Excel, through the participants' export helpers
(quoted cells, formula prefixes neutralised, text kept as text in Excel)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from minutes import richtext
from minutes.models import Recommendation
from participants.exports import sheet_title, table_csv, table_xlsx

from .models import State


def header() -> list[str]:
    return [
        _("No"),
        _("Meeting"),
        _("Meeting date"),
        _("Agenda item"),
        _("Recommendation"),
        _("Rationale"),
        _("Addressed to"),
        _("Instrument"),
        _("Priority"),
        _("Themes"),
        _("Proposed by"),
        _("Minutes state"),
        _("Follow-up"),
        _("Follow-up due"),
        _("Overdue"),
    ]


def proposer(rec: Recommendation) -> str:
    names = [str(x) for x in (rec.proposed_by_person, rec.proposed_by_organization) if x is not None]
    return ", ".join(names)


def rows(recommendations: QuerySet[Recommendation]) -> Iterator[list]:
    for number, rec in enumerate(recommendations, start=1):
        meeting = rec.minutes.meeting
        yield [
            number,
            meeting.title,
            meeting.starts_on.isoformat() if meeting.starts_on else "",
            rec.section.title if rec.section else "",
            richtext.plain(rec.text),
            richtext.plain(rec.rationale),
            "; ".join(str(o) for o in rec.addressed_to.all()),
            rec.get_instrument_display(),
            rec.get_priority_display(),
            "; ".join(t.name for t in rec.themes.all()),
            proposer(rec),
            rec.minutes.get_state_display(),
            str(State(rec.follow_state).label),
            rec.follow_due.isoformat() if rec.follow_due else "",
            _("yes") if rec.follow_overdue else "",
        ]


def to_csv(recommendations: QuerySet[Recommendation]) -> bytes:
    return table_csv(header(), rows(recommendations))


def to_xlsx(recommendations: QuerySet[Recommendation]) -> bytes:
    return table_xlsx(sheet_title(_("Recommendations")), header(), rows(recommendations))
