"""The history of a version of the minutes: every revision (who, when, which part) with what it
changed against the part's previous revision, word by word, newest first, paginated."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from core.text import is_id
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff

from ..models import ActionItem, Minutes, Point, Recommendation, Revision, Section
from .editor import _field_label, _shown

PER_PAGE = 50
MODELS = {
    Revision.Kind.HEADING: Minutes,
    Revision.Kind.SECTION: Section,
    Revision.Kind.POINT: Point,
    Revision.Kind.RECOMMENDATION: Recommendation,
    Revision.Kind.ACTION: ActionItem,
}
# Identifiers the diff leaves out: a person sees the names these ids stand for in other fields.
HIDDEN = {"person_id", "registration_id", "source", "section_id", "proposed_by_person_id"}
HIDDEN |= {"proposed_by_organization_id", "owner_person_id", "owner_organization_id"}


@dataclass
class Piece:
    op: str  # "same", "del", "ins"
    text: str


@dataclass
class FieldChange:
    label: str
    pieces: list[Piece]


def word_diff(old: str, new: str) -> list[Piece]:
    """The words removed and added between two texts (whitespace kept with each word)."""
    a, b = old.split(" "), new.split(" ")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(Piece("del", " ".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(Piece("ins", " ".join(b[j1:j2])))
    return pieces


def changes(kind: str, before: dict, after: dict) -> list[FieldChange]:
    model = MODELS[kind]
    result = []
    for name, value in after.items():
        if name in HIDDEN or before.get(name) == value:
            continue
        result.append(
            FieldChange(_field_label(model, name), word_diff(_shown(before.get(name)), _shown(value)))
        )
    return result


def _title(revision: Revision) -> str:
    data = revision.data
    text = data.get("title") or data.get("speaker_name") or data.get("text") or ""
    return " ".join(str(text).split())[:80]


class HistoryView(MeetingPermissionMixin, TemplateView):
    permission = staticmethod(is_meeting_staff)
    template_name = "minutes/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.request.GET.get("version", "")
        versions = Minutes.objects.filter(meeting=self.meeting)
        if version:
            if not is_id(version):
                raise Http404
            minutes = get_object_or_404(versions, version=int(version))
        else:
            minutes = versions.order_by("-version").first()
            if minutes is None:
                raise Http404
        revisions = (
            Revision.objects.filter(minutes=minutes).select_related("author").order_by("-created_at", "-id")
        )
        page = Paginator(revisions, PER_PAGE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        wanted = [Q(kind=r.kind, object_id=r.object_id, number=r.number - 1) for r in rows if r.number > 1]
        previous = {}
        if wanted:
            for old in Revision.objects.filter(reduce(or_, wanted), minutes=minutes).only(
                "kind", "object_id", "number", "data"
            ):
                previous[(old.kind, old.object_id, old.number)] = old.data
        for row in rows:
            before = previous.get((row.kind, row.object_id, row.number - 1), {})
            row.title = _title(row)
            if row.change == Revision.Change.DELETED:
                row.changes = []
            else:
                row.changes = changes(row.kind, before, row.data)
        context.update(
            minutes=minutes,
            page=page,
            rows=rows,
            editor_url=reverse("minutes:editor", kwargs={"code": self.meeting.code}),
        )
        return context
