"""The organizer's registration screens: list, filters, bulk actions, exports, typed organizations.

Organizers and secretaries see the list and export it; only organizers change registrations.
The list runs a fixed number of queries whatever the number of registrations: the page itself
(organizations joined), the paginator's count, one grouped count for the state/mode matrix, and
one distinct query for the organization filter.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage
from django.db.models import Count
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from core.forms import add_service_errors
from core.text import is_id, query_text
from directory.models import Organization
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff, is_organizer

from .. import exports
from ..forms.registrations import (
    AddOrganizationForm,
    BulkActionForm,
    LinkOrganizationForm,
    RegistrationFilterForm,
    RowActionForm,
)
from ..models import Registration
from ..services import bulk
from ..services.registration import capacity, match_organization

PAGE_SIZE = 50
# Reasons listed in the summary of a bulk action before "and n more".
MAX_REASONS = 10


def list_url(meeting) -> str:
    return reverse("participants:registrations", kwargs={"code": meeting.code})


def typed_url(meeting) -> str:
    return reverse("participants:typed_organizations", kwargs={"code": meeting.code})


def _back_to_list(request, meeting):
    """The list with the filters (and page) the organizer came from."""
    query = request.GET.urlencode()
    return redirect(f"{list_url(meeting)}?{query}" if query else list_url(meeting))


def filter_form(request, meeting) -> tuple[RegistrationFilterForm, int]:
    """The filter form, with the organizations present in the meeting's registrations (one query).

    Also returns how many typed organization names wait to be confirmed.
    """
    present = (
        Registration.objects.filter(meeting=meeting)
        .values_list("organization_id", "organization__name", "organization__acronym", "organization_name")
        .distinct()
        .order_by()
    )
    organizations, typed = {}, set()
    for org_id, name, acronym, typed_name in present:
        if org_id is None:
            typed.add(typed_name)
        else:
            organizations[org_id] = f"{acronym} — {name}" if acronym else name
    choices = sorted(organizations.items(), key=lambda item: item[1].lower())
    form = RegistrationFilterForm(request.GET or None, organizations=choices, has_typed=bool(typed))
    return form, len(typed - {""})


def count_matrix(meeting) -> dict:
    """Registrations per state and mode over the whole meeting (one grouped query)."""
    cells = {
        (row["state"], row["mode"]): row["n"]
        for row in Registration.objects.filter(meeting=meeting)
        .values("state", "mode")
        .annotate(n=Count("id"))
        .order_by()
    }
    present_modes = {mode for _state, mode in cells}
    modes = [
        m
        for m in Registration.Mode
        if m in present_modes
        or (m == Registration.Mode.ONSITE and meeting.has_onsite)
        or (m == Registration.Mode.ONLINE and meeting.has_online)
    ]
    rows = []
    for state in Registration.State:
        counts = [cells.get((state, mode), 0) for mode in modes]
        rows.append({"state": state, "label": state.label, "counts": counts, "total": sum(counts)})
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(modes))]
    return {
        "modes": [{"value": m, "label": m.label, "capacity": capacity(meeting, m)} for m in modes],
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
    }


class RegistrationListView(MeetingPermissionMixin, ListView):
    permission = staticmethod(is_meeting_staff)
    template_name = "participants/registrations/list.html"
    context_object_name = "registrations"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filter_form, self.typed_count = filter_form(self.request, self.meeting)
        qs = Registration.objects.filter(meeting=self.meeting).select_related("organization")
        return self.filter_form.apply(qs).order_by("created_at", "id")

    def paginate_queryset(self, queryset, page_size):
        # After a bulk action the page the organizer was on may no longer exist: show the last.
        paginator = self.get_paginator(queryset, page_size)
        try:
            page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        except InvalidPage:  # pragma: no cover - get_page never raises for a bad number
            raise Http404 from None
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.request.GET.copy()
        filters.pop("page", None)
        can_change = is_organizer(self.request.user, self.meeting)
        page = context["page_obj"]
        # One reverse() for the page rather than one per button: the list is rendered often.
        action_url = reverse("participants:registration_action", kwargs={"code": self.meeting.code, "pk": 0})
        action_url = action_url.replace("/0/", "/%d/")
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        context.update(
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters),
            filter_query=filters.urlencode(),
            matrix=count_matrix(self.meeting),
            typed_count=self.typed_count,
            can_change=can_change,
            rows=[
                {
                    "registration": r,
                    "number": n,
                    "actions": bulk.actions_for(r) if can_change else [],
                    "action_url": action_url % r.pk + suffix,
                }
                for n, r in enumerate(context["registrations"], start=page.start_index())
            ],
        )
        context.setdefault("bulk_form", BulkActionForm() if can_change else None)
        context["selected_ids"] = set(getattr(context["bulk_form"], "cleaned_ids", ()))
        return context

    def post(self, request, *args, **kwargs):
        """A bulk action on the selected registrations."""
        if not is_organizer(request.user, self.meeting):
            raise PermissionDenied
        form = BulkActionForm(request.POST)
        if not form.is_valid():
            form.cleaned_ids = _posted_ids(request)
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(bulk_form=form))
        report = bulk.apply_bulk(
            self.meeting, form.cleaned_data["action"], form.cleaned_data["ids"], actor=request.user
        )
        _report_bulk(request, report)
        return _back_to_list(request, self.meeting)


def _posted_ids(request) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if is_id(v)]


def _report_bulk(request, report: bulk.BulkReport) -> None:
    done = len(report.done)
    skipped = len(report.refused) + report.not_found
    summary = ngettext("%(n)d registration changed", "%(n)d registrations changed", done) % {"n": done}
    if skipped:
        summary += "; " + ngettext("%(n)d skipped", "%(n)d skipped", skipped) % {"n": skipped}
        reasons = [
            _("%(name)s (%(code)s): %(reason)s")
            % {"name": c.registration.full_name, "code": c.registration.code, "reason": c.message}
            for c in report.refused
        ]
        if report.not_found:
            reasons.append(
                ngettext(
                    "%(n)d selected registration is not part of this meeting",
                    "%(n)d selected registrations are not part of this meeting",
                    report.not_found,
                )
                % {"n": report.not_found}
            )
        more = len(reasons) - MAX_REASONS
        reasons = reasons[:MAX_REASONS]
        if more > 0:
            reasons.append(ngettext("%(n)d more", "%(n)d more", more) % {"n": more})
        summary += ": " + "; ".join(reasons)
    summary += "."
    level = messages.SUCCESS if done and not skipped else messages.WARNING if done else messages.ERROR
    messages.add_message(request, level, summary)


class RegistrationActionView(MeetingPermissionMixin, View):
    """One row's action (approve, decline, move to the waiting list, cancel)."""

    http_method_names = ["post"]

    def post(self, request, code, pk):
        registration = get_object_or_404(Registration, pk=pk, meeting=self.meeting)
        form = RowActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an action."))
            return _back_to_list(request, self.meeting)
        change = bulk.change_state(registration, form.cleaned_data["action"], actor=request.user)
        if change.done:
            messages.success(
                request,
                _("%(name)s (%(code)s) is now: %(state)s.")
                % {"name": registration.full_name, "code": registration.code, "state": change.message},
            )
        else:
            messages.error(
                request,
                _("%(name)s (%(code)s) was not changed: %(reason)s.")
                % {"name": registration.full_name, "code": registration.code, "reason": change.message},
            )
        return _back_to_list(request, self.meeting)


class RegistrationExportView(MeetingPermissionMixin, View):
    """The participant list with the current filters, as CSV or Excel."""

    permission = staticmethod(is_meeting_staff)
    formats = {
        "csv": ("text/csv; charset=utf-8", exports.to_csv),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    }

    def get(self, request, code, fmt):
        if fmt not in self.formats:
            raise Http404
        content_type, build = self.formats[fmt]
        form, _typed = filter_form(request, self.meeting)
        registrations = form.apply(Registration.objects.filter(meeting=self.meeting))
        response = HttpResponse(build(self.meeting, registrations), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(self.meeting, fmt)}"'
        response["Cache-Control"] = "private, no-store"
        return response


# Organizations typed by registrants ---------------------------------------------------------


class TypedOrganizationListView(MeetingPermissionMixin, TemplateView):
    template_name = "participants/registrations/organizations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["typed"] = [
            {**row, "url": resolve_url(self.meeting, row["organization_name"])}
            for row in bulk.typed_organizations(self.meeting)
        ]
        return context


def resolve_url(meeting, typed_name: str) -> str:
    query = QueryDict(mutable=True)
    query["name"] = typed_name
    url = reverse("participants:typed_organization_resolve", kwargs={"code": meeting.code})
    return f"{url}?{query.urlencode()}"


class TypedOrganizationResolveView(MeetingPermissionMixin, TemplateView):
    """One typed name: link it to a directory organization, or add it to the directory."""

    template_name = "participants/registrations/resolve.html"

    def dispatch(self, request, *args, **kwargs):
        self.typed_name = query_text(request.GET.get("name", ""))
        return super().dispatch(request, *args, **kwargs)

    def load_registrations(self):
        """The meeting's registrations that typed this name; 404 once none is left."""
        self.typed_registrations = list(
            Registration.objects.filter(
                meeting=self.meeting, organization__isnull=True, organization_name=self.typed_name
            ).order_by("created_at", "id")
        )
        if not self.typed_name or not self.typed_registrations:
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("link_form", LinkOrganizationForm(initial=self._suggestion()))
        context.setdefault("add_form", AddOrganizationForm(initial={"name": self.typed_name}))
        context.update(typed_name=self.typed_name, registrations=self.typed_registrations)
        return context

    def _suggestion(self) -> dict:
        match = match_organization(self.typed_name)
        return {"organization": match.pk} if match else {}

    def get(self, request, *args, **kwargs):
        self.load_registrations()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load_registrations()
        action = request.POST.get("action")
        if action == "link":
            form = LinkOrganizationForm(request.POST)
            if form.is_valid():
                organization = form.cleaned_data["organization"]
                try:
                    n = bulk.link_typed_organization(
                        self.meeting, self.typed_name, organization, actor=request.user
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return self._done(organization, n)
            return self.render_to_response(self.get_context_data(link_form=form))
        if action == "create":
            form = AddOrganizationForm(request.POST, instance=Organization())
            if form.is_valid():
                try:
                    organization, n = bulk.add_typed_organization(
                        self.meeting, self.typed_name, form.instance, actor=request.user
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return self._done(organization, n)
            return self.render_to_response(self.get_context_data(add_form=form))
        raise Http404

    def _done(self, organization, n):
        messages.success(
            self.request,
            ngettext(
                "“%(typed)s” is now %(org)s on %(n)d registration.",
                "“%(typed)s” is now %(org)s on %(n)d registrations.",
                n,
            )
            % {"typed": self.typed_name, "org": organization, "n": n},
        )
        return redirect(typed_url(self.meeting))
