"""The minutes editor: one page per meeting where its secretaries and organizers record the
heading, each section's summary, conclusions and points, the recommendations and the action
items, saving in place (htmx, autosave) and safely when two of them write at once.

Every part is its own small form carrying the revision it was based on (`base`). A save answers
with the part's status ("Saved 10.42") and the new base (an out-of-band swap, so the text being
typed is never replaced); a save over a newer revision answers 409 with both versions side by
side and changes nothing; bad input answers 422 with the message. Without JavaScript the same
forms post normally and come back to the editor.

The page is rendered by hand-written fields (no form classes): with 60 sections a page of
Django form widgets takes several times longer, and the choices (people, agencies, sections) are
built once per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.text import is_id
from directory.models import Organization, Person
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff
from participants.models import Registration

from .. import permissions
from ..models import ActionItem, Minutes, Point, Recommendation, Section
from ..services import editing
from ..services import recommendations as rec_service
from ..services.points import add_point
from ..services.preparation import prepare_minutes
from ..services.revisions import FIELDS, KINDS, Conflict
from .workflow import workflow_flags


def editor_url(meeting) -> str:
    return reverse("minutes:editor", kwargs={"code": meeting.code})


def current_version(meeting) -> Minutes | None:
    """The version the editor shows: the open one, else the latest."""
    return Minutes.objects.filter(meeting=meeting).order_by("-version").first()


# Choices, built once per page ------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    hint: str = ""


def people_choices(minutes: Minutes, sections: list[Section]) -> list[Choice]:
    """Who may have spoken: the agenda's speakers and moderators, then the registrants."""
    seen: dict[int, Choice] = {}
    for section in sections:
        for role in section.roles:
            if role.get("person_id") and role["person_id"] not in seen:
                seen[role["person_id"]] = Choice(
                    f"p:{role['person_id']}", role["name"], role.get("organization", "")
                )
    registrants = (
        Registration.objects.filter(meeting_id=minutes.meeting_id)
        .exclude(state__in=(Registration.State.CANCELLED, Registration.State.DECLINED))
        .exclude(full_name="")
        .select_related("organization")
        .order_by("full_name", "pk")
    )
    people = list(seen.values())
    for registration in registrants:
        org = (
            registration.organization.name if registration.organization_id else registration.organization_name
        )
        people.append(Choice(f"r:{registration.pk}", registration.full_name, org))
    return people


def resolve_speaker(minutes: Minutes, who: str, name: str, people: list[Choice] | None = None):
    """(person, registration, name) from the picker's hidden id or, failing that, the typed name."""
    name = " ".join((name or "").split())
    if not who and name and people is not None:
        folded = name.casefold()
        who = next((c.value for c in people if c.label.casefold() == folded), "")
    kind, _sep, pk = (who or "").partition(":")
    if is_id(pk):
        if kind == "p":
            person = Person.objects.select_related("organization").filter(pk=int(pk)).first()
            if person is not None:
                return person, None, ""
        elif kind == "r":
            registration = (
                Registration.objects.select_related("organization")
                .filter(pk=int(pk), meeting_id=minutes.meeting_id)
                .first()
            )
            if registration is not None:
                return None, registration, ""
    return None, None, name


def _person(value: str) -> Person | None:
    kind, _sep, pk = (value or "").partition(":")
    if kind == "p" and is_id(pk):
        return Person.objects.filter(pk=int(pk)).first()
    return None


def _organization(value: str) -> Organization | None:
    if value and is_id(value):
        organization = Organization.objects.filter(pk=int(value)).first()
        if organization is None:
            raise ValidationError(_("Choose an agency from the list."))
        return organization
    return None


def _organizations(values: list[str]) -> list[Organization]:
    ids = {int(v) for v in values if is_id(v)}
    found = list(Organization.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(_("Choose agencies from the list."))
    return found


def _section_of(minutes: Minutes, value: str) -> Section | None:
    if value and is_id(value):
        section = Section.objects.filter(pk=int(value), minutes=minutes).first()
        if section is None:
            raise ValidationError(_("This agenda item is not part of these minutes."))
        return section
    return None


def _date(value: str, message: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(message) from None


def _base(request) -> int | None:
    """The revision the form was based on; "overwrite" is the newer one the person chose to replace."""
    value = request.POST.get("overwrite") or request.POST.get("base") or ""
    return int(value) if is_id(value) else None


def _text(request, name: str) -> str:
    value = request.POST.get(name, "")
    if "\x00" in value:
        raise ValidationError(_("Remove the invisible NUL character from this field."))
    return value


# The page --------------------------------------------------------------------------------------

PK_MARK = 987654321


def part_urls(meeting) -> dict[str, str]:
    """Each part's URL as a pattern to fill with its pk: one reverse per name and page, not one
    per part (a page of 60 sections has hundreds of parts)."""
    return {
        name: reverse(f"minutes:{name}", kwargs={"code": meeting.code, "pk": PK_MARK}).replace(
            str(PK_MARK), "{}"
        )
        for name in ("section", "point_add", "point", "recommendation", "action")
    }


def when_label(section: Section, meeting) -> str:
    """ "22 September 2031, 09.00–10.00 WIB" in the meeting's own zone (the agenda's hours)."""
    if section.starts_at is None:
        return ""
    start = timezone.localtime(section.starts_at, meeting.tz)
    label = f"{date_format(start, 'j F Y')}, {start:%H.%M}"
    if section.ends_at is not None:
        label += f"–{timezone.localtime(section.ends_at, meeting.tz):%H.%M}"
    return f"{label} {meeting.zone_label}"


def _options(choices) -> str:
    return "".join(format_html('<option value="{}">{}</option>', value, label) for value, label in choices)


def page_options(sections, organizations, people) -> dict[str, str]:
    """The choices of the recommendation and action forms, as HTML built once per page; the
    `options` template tag marks each form's chosen values (see minutes_tags)."""
    return {
        "sections": _options((s.pk, Truncator(s.title).chars(70)) for s in sections),
        "organizations": _options((o.pk, o.name) for o in organizations),
        "agencies": _options(
            (o.pk, f"{o.name} ({o.acronym})" if o.acronym else o.name) for o in organizations
        ),
        "speakers": _options((c.value, c.label) for c in people if c.value.startswith("p:")),
    }


def editor_context(meeting, minutes: Minutes | None, user) -> dict:
    """Everything the page shows, in a fixed number of queries whatever the number of sections."""
    context: dict = {"minutes": minutes, "editor_url": editor_url(meeting)}
    if minutes is None:
        return context
    minutes.meeting = meeting
    editable = permissions.can_edit(user, minutes)
    sections = list(
        minutes.sections.order_by("order", "id").prefetch_related(
            Prefetch("points", queryset=Point.objects.order_by("order", "id"))
        )
    )
    recommendations = list(
        minutes.recommendations.order_by("order", "id").prefetch_related("addressed_to", "themes")
    )
    actions = list(minutes.actions.order_by("order", "id"))
    people = people_choices(minutes, sections)
    labels = {c.value: c.label for c in people}
    for rec in recommendations:
        rec.chosen_agencies = {org.pk for org in rec.addressed_to.all()}
        rec.theme_text = ", ".join(theme.name for theme in rec.themes.all())
        rec.person_value = f"p:{rec.proposed_by_person_id}" if rec.proposed_by_person_id else ""
        rec.person_label = labels.get(rec.person_value, "")
    for action in actions:
        action.person_value = f"p:{action.owner_person_id}" if action.owner_person_id else ""
        action.person_label = labels.get(action.person_value, "")
    section_titles = {s.pk: s.title for s in sections}
    organizations = list(Organization.objects.order_by("name").only("pk", "name", "acronym"))
    url = part_urls(meeting)
    for section in sections:
        section.when = when_label(section, meeting)
        section.save_url = url["section"].format(section.pk)
        section.add_url = url["point_add"].format(section.pk)
    for rec in recommendations:
        rec.save_url = url["recommendation"].format(rec.pk)
        rec.prefix = f"r-{rec.pk}"
    for action in actions:
        action.save_url = url["action"].format(action.pk)
        action.prefix = f"a-{action.pk}"
    for section in sections:
        for point in section.points.all():
            if point.person_id:
                point.who = f"p:{point.person_id}"
            elif point.registration_id:
                point.who = f"r:{point.registration_id}"
            else:
                point.who = ""
            point.save_url = url["point"].format(point.pk)
    context.update(
        editable=editable,
        sections=sections,
        section_titles=section_titles,
        recommendations=recommendations,
        actions=actions,
        people=people,
        organizations=organizations,
        options=page_options(sections, organizations, people),
        instruments=Recommendation.Instrument.choices,
        priorities=Recommendation.Priority.choices,
        action_states=ActionItem.State.choices,
        signers=Minutes.Signer.choices,
        flags=workflow_flags(user, minutes),
        versions=list(
            Minutes.objects.filter(meeting=meeting).order_by("-version").only("pk", "version", "state")
        ),
    )
    return context


class EditorView(MeetingPermissionMixin, TemplateView):
    """The current version of the minutes, editable while it is a draft, read-only otherwise."""

    permission = staticmethod(is_meeting_staff)
    template_name = "minutes/editor/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.request.GET.get("version", "")
        if version:
            if not is_id(version):
                raise Http404
            minutes = get_object_or_404(Minutes, meeting=self.meeting, version=int(version))
        else:
            minutes = current_version(self.meeting)
        context.update(editor_context(self.meeting, minutes, self.request.user))
        context["can_prepare"] = minutes is None and self.meeting.days.exists()
        return context


class PrepareView(MeetingPermissionMixin, View):
    """POST: version 1 of the minutes from the agenda (does nothing when it exists)."""

    permission = staticmethod(is_meeting_staff)

    def post(self, request, *args, **kwargs):
        if not self.meeting.days.exists():
            messages.error(
                request, _("Add the meeting's days and agenda first: the minutes follow the agenda.")
            )
        else:
            prepare_minutes(self.meeting, author=request.user)
            messages.success(request, _("The minutes were prepared from the agenda."))
        return redirect(editor_url(self.meeting))


# Saving a part ---------------------------------------------------------------------------------


class PartView(MeetingPermissionMixin, View):
    """POST one part of the open version. Subclasses say which part and how its fields are read."""

    permission = staticmethod(is_meeting_staff)
    model: type = Minutes

    def open_version(self) -> Minutes:
        minutes = Minutes.objects.filter(meeting=self.meeting).order_by("-version").first()
        if minutes is None:
            raise Http404
        minutes.meeting = self.meeting
        if not permissions.can_edit(self.request.user, minutes):
            raise PermissionDenied
        return minutes

    def get_part(self, minutes: Minutes):
        raise NotImplementedError

    def part_id(self, obj) -> str:
        return f"{KINDS[type(obj)]}-{obj.pk}"

    def htmx(self) -> bool:
        return bool(self.request.headers.get("HX-Request"))

    def post(self, request, *args, **kwargs):
        minutes = self.open_version()
        obj = self.get_part(minutes)
        anchor = self.part_id(obj) if obj is not None else ""
        try:
            response = self.handle(minutes, obj)
        except Conflict as conflict:
            return self.conflict(obj, conflict)
        except ValidationError as exc:
            return self.invalid(minutes, obj, exc)
        if response is not None:
            return response
        return self.saved(obj, anchor)

    def handle(self, minutes: Minutes, obj):
        raise NotImplementedError

    def saved(self, obj, anchor: str):
        if not self.htmx():
            messages.success(self.request, _("Saved."))
            return redirect(f"{editor_url(self.meeting)}#{anchor}")
        obj.refresh_from_db(fields=["revision"])
        return render(
            self.request,
            "minutes/editor/_saved.html",
            {
                "part_id": self.part_id(obj),
                "revision": obj.revision,
                "saved_at": timezone.localtime(timezone.now(), self.meeting.tz),
            },
        )

    def conflict(self, obj, conflict: Conflict):
        fields = FIELDS[KINDS[type(obj)]]
        theirs = conflict.current.data if conflict.current else {}
        rows = [
            {
                "name": name,
                "label": _field_label(type(obj), name),
                "theirs": _shown(theirs.get(name)),
                "mine": _shown(conflict.mine.get(name)),
            }
            for name in fields
            if theirs.get(name) != conflict.mine.get(name) and name in conflict.mine
        ]
        context = {
            "meeting": self.meeting,
            "part_id": self.part_id(obj),
            "conflict": conflict,
            "rows": rows,
            "theirs_author": conflict.current.author if conflict.current else None,
            "theirs_at": conflict.current.created_at if conflict.current else None,
            "current": conflict.current.number if conflict.current else obj.revision,
            "editor_url": editor_url(self.meeting),
            "htmx": self.htmx(),
        }
        template = "minutes/editor/_conflict.html" if self.htmx() else "minutes/editor/conflict_page.html"
        response = render(self.request, template, context, status=409)
        return self.retarget(response, context["part_id"])

    def retarget(self, response, part_id: str):
        """Whatever the button aimed at, a conflict or a refusal is shown in the part's status."""
        if self.htmx():
            response["HX-Retarget"] = f"#status-{part_id}"
            response["HX-Reswap"] = "innerHTML"
        return response

    def invalid(self, minutes: Minutes, obj, exc: ValidationError):
        message = " ".join(exc.messages)
        if not self.htmx():
            messages.error(self.request, message)
            anchor = self.part_id(obj) if obj is not None else ""
            return redirect(f"{editor_url(self.meeting)}#{anchor}")
        part = self.request.POST.get("part", "")
        part_id = (
            part if part.replace("-", "").isalnum() else (self.part_id(obj) if obj is not None else "new")
        )
        response = render(
            self.request, "minutes/editor/_error.html", {"part_id": part_id, "message": message}, status=422
        )
        return self.retarget(response, part_id)


def _field_label(model, name: str) -> str:
    if name in ("addressed_to", "themes"):
        return str(model._meta.get_field(name).verbose_name)
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class HeadingView(PartView):
    def get_part(self, minutes):
        return minutes

    def handle(self, minutes, obj):
        fields = {
            name: _text(self.request, name)
            for name in editing.HEADING_TEXT_FIELDS
            if name in self.request.POST
        }
        if "signed_by" in self.request.POST:
            fields["signed_by"] = self.request.POST["signed_by"]
        if "signed_on" in self.request.POST:
            fields["signed_on"] = _date(self.request.POST["signed_on"], _("Enter a valid date of signing."))
        editing.update_heading(minutes, author=self.request.user, base=_base(self.request), **fields)


class SectionView(PartView):
    def get_part(self, minutes):
        return get_object_or_404(Section, pk=self.kwargs["pk"], minutes=minutes)

    def handle(self, minutes, obj):
        fields = {
            name: _text(self.request, name)
            for name in ("title", "summary", "conclusions")
            if name in self.request.POST
        }
        editing.update_section(obj, author=self.request.user, base=_base(self.request), **fields)


class PointAddView(PartView):
    """POST to a section: a new point at its end."""

    def get_part(self, minutes):
        return get_object_or_404(Section, pk=self.kwargs["pk"], minutes=minutes)

    def part_id(self, obj):
        return f"section-{obj.pk}"

    def handle(self, minutes, section):
        people = people_choices(minutes, [section])
        person, registration, name = resolve_speaker(
            minutes, self.request.POST.get("who", ""), _text(self.request, "speaker"), people
        )
        point = add_point(
            section,
            author=self.request.user,
            text=_text(self.request, "text"),
            person=person,
            registration=registration,
            speaker_name=name,
        )
        if not self.htmx():
            messages.success(self.request, _("The point was added."))
            return redirect(f"{editor_url(self.meeting)}#point-{point.pk}")
        page = editor_context(self.meeting, minutes, self.request.user)
        added = next(
            p for s in page["sections"] if s.pk == section.pk for p in s.points.all() if p.pk == point.pk
        )
        return render(
            self.request, "minutes/editor/_point.html", {**page, "point": added, "meeting": self.meeting}
        )


class PointView(PartView):
    """POST: save (autosave), `delete`, or `move=up|down`."""

    def get_part(self, minutes):
        return get_object_or_404(
            Point.objects.select_related("section"), pk=self.kwargs["pk"], section__minutes=minutes
        )

    def handle(self, minutes, point):
        request = self.request
        if "delete" in request.POST:
            editing.delete_point(point, author=request.user, base=_base(request))
            if self.htmx():
                return HttpResponse("")
            messages.success(request, _("The point was deleted."))
            return redirect(f"{editor_url(self.meeting)}#section-{point.section_id}")
        if request.POST.get("move") in ("up", "down"):
            editing.move_point(point, author=request.user, direction=request.POST["move"])
            if not self.htmx():
                return redirect(f"{editor_url(self.meeting)}#point-{point.pk}")
            section = Section.objects.get(pk=point.section_id)
            page = editor_context(self.meeting, minutes, request.user)
            section = next(s for s in page["sections"] if s.pk == section.pk)
            return render(
                request, "minutes/editor/_points.html", {**page, "section": section, "meeting": self.meeting}
            )
        people = people_choices(minutes, [point.section])
        person, registration, name = resolve_speaker(
            minutes, request.POST.get("who", ""), _text(request, "speaker"), people
        )
        editing.update_point(
            point,
            author=request.user,
            base=_base(request),
            text=_text(request, "text"),
            person=person,
            registration=registration,
            speaker_name=name,
            # A form without the box (an older page) leaves the mark alone.
            quotable=request.POST.get("quotable") == "1" if "quotable_shown" in request.POST else None,
        )


def _recommendation_fields(request, minutes: Minutes) -> dict:
    post = request.POST
    return {
        "text": _text(request, "text"),
        "rationale": _text(request, "rationale"),
        "instrument": post.get("instrument", Recommendation.Instrument.OTHER),
        "priority": post.get("priority", Recommendation.Priority.MEDIUM),
        "section": _section_of(minutes, post.get("section", "")),
        "addressed_to": _organizations(post.getlist("addressed_to")),
        "themes": [t for t in (part.strip() for part in _text(request, "themes").split(",")) if t],
        "proposed_by_person": _person(post.get("proposed_by_person", "")),
        "proposed_by_organization": _organization(post.get("proposed_by_organization", "")),
    }


def _action_fields(request, minutes: Minutes) -> dict:
    post = request.POST
    return {
        "text": _text(request, "text"),
        "owner_person": _person(post.get("owner_person", "")),
        "owner_organization": _organization(post.get("owner_organization", "")),
        "due_on": _date(post.get("due_on", ""), _("Enter a valid due date.")),
        "state": post.get("state", ActionItem.State.OPEN),
        "section": _section_of(minutes, post.get("section", "")),
    }


class RecommendationAddView(PartView):
    def get_part(self, minutes):
        return None

    def handle(self, minutes, obj):
        rec = rec_service.add_recommendation(
            minutes, author=self.request.user, **_recommendation_fields(self.request, minutes)
        )
        if not self.htmx():
            messages.success(self.request, _("The recommendation was added."))
            return redirect(f"{editor_url(self.meeting)}#recommendation-{rec.pk}")
        return self.one_recommendation(minutes, rec.pk)

    def one_recommendation(self, minutes, pk):
        page = editor_context(self.meeting, minutes, self.request.user)
        rec = next(r for r in page["recommendations"] if r.pk == pk)
        return render(
            self.request, "minutes/editor/_recommendation.html", {**page, "rec": rec, "meeting": self.meeting}
        )


class RecommendationView(RecommendationAddView):
    def get_part(self, minutes):
        return get_object_or_404(Recommendation, pk=self.kwargs["pk"], minutes=minutes)

    def handle(self, minutes, rec):
        if "delete" in self.request.POST:
            rec_service.delete_recommendation(rec, author=self.request.user, base=_base(self.request))
            if self.htmx():
                return HttpResponse("")
            messages.success(self.request, _("The recommendation was deleted."))
            return redirect(f"{editor_url(self.meeting)}#recommendations")
        rec_service.update_recommendation(
            rec,
            author=self.request.user,
            base=_base(self.request),
            **_recommendation_fields(self.request, minutes),
        )


class ActionAddView(PartView):
    def get_part(self, minutes):
        return None

    def handle(self, minutes, obj):
        action = rec_service.add_action(
            minutes, author=self.request.user, **_action_fields(self.request, minutes)
        )
        if not self.htmx():
            messages.success(self.request, _("The action item was added."))
            return redirect(f"{editor_url(self.meeting)}#action-{action.pk}")
        page = editor_context(self.meeting, minutes, self.request.user)
        action = next(a for a in page["actions"] if a.pk == action.pk)
        return render(
            self.request, "minutes/editor/_action.html", {**page, "action": action, "meeting": self.meeting}
        )


class ActionView(PartView):
    def get_part(self, minutes):
        return get_object_or_404(ActionItem, pk=self.kwargs["pk"], minutes=minutes)

    def handle(self, minutes, action):
        if "delete" in self.request.POST:
            rec_service.delete_action(action, author=self.request.user, base=_base(self.request))
            if self.htmx():
                return HttpResponse("")
            messages.success(self.request, _("The action item was deleted."))
            return redirect(f"{editor_url(self.meeting)}#actions")
        rec_service.update_action(
            action,
            author=self.request.user,
            base=_base(self.request),
            **_action_fields(self.request, minutes),
        )
