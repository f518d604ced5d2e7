"""The meeting pages: organizer list, create/edit, overview, staff, online room, lifecycle, public page."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from core import audit

from .. import services
from ..conferencing import zoom, zoom_api
from ..forms.meeting import (
    CancelForm,
    DayFormSet,
    MeetingFilterForm,
    MeetingForm,
    OnlineRoomForm,
    StaffForm,
    ZoomRoomForm,
    add_service_errors,
)
from ..models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost
from ..panels import agenda_item_panels, public_page_panels
from ..permissions import (
    MeetingPermissionMixin,
    OrganizerRequiredMixin,
    is_meeting_staff,
)

__all__ = [
    "CancelView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingStaffView",
    "MarkHeldView",
    "MeetingUpdateView",
    "OnlineRoomView",
    "RoomHostLinkView",
    "RoomRetryView",
    "ZoomRoomView",
    "PublicMeetingView",
    "TransitionView",
]

# Lifecycle buttons on the overview: (verb, label, Bootstrap style), in the order shown.
LIFECYCLE_ACTIONS = [
    ("publish", gettext_lazy("Publish"), "success"),
    ("unpublish", gettext_lazy("Back to draft"), "outline-secondary"),
    ("mark_held", gettext_lazy("Mark as held…"), "outline-primary"),
    ("reopen", gettext_lazy("Reopen (not held yet)"), "outline-secondary"),
    ("close", gettext_lazy("Close"), "outline-dark"),
]
# Actions that ask first: their button is a link to a confirmation page.
CONFIRMED_ACTIONS = {"mark_held"}

SUCCESS_MESSAGES = {
    "publish": gettext_lazy("The meeting is published."),
    "unpublish": gettext_lazy("The meeting is a draft again and no longer public."),
    "mark_held": gettext_lazy("The meeting is marked as held."),
    "reopen": gettext_lazy("The meeting is published again; registration and check-in are open as before."),
    "close": gettext_lazy("The meeting is closed."),
}


def _allowed(verb: str, meeting: Meeting) -> bool:
    return meeting.status in services.TRANSITIONS[verb][0]


# ?sort= keys of the meeting list and what they order by; "-key" reverses.
SORTS = {
    "title": ("title",),
    "kind": ("kind", "title"),
    "date": ("starts_on",),
    "days": ("day_count", "starts_on"),
    "status": ("status", "starts_on"),
    "confirmed": ("confirmed", "starts_on"),
    "waiting": ("waiting", "starts_on"),
}
DEFAULT_SORT = "-date"


class MeetingListView(OrganizerRequiredMixin, ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = MeetingFilterForm(self.request.GET or None)
        queryset = (
            Meeting.objects.managed_by(self.request.user)
            .annotate(day_count=Count("days", distinct=True))
            .with_counts()
        )
        if self.filter_form.is_bound:
            queryset = self.filter_form.filter(queryset)
        self.sort = self.request.GET.get("sort", DEFAULT_SORT)
        descending = self.sort.startswith("-")
        fields = SORTS.get(self.sort.removeprefix("-"))
        if fields is None:
            self.sort, descending, fields = DEFAULT_SORT, True, SORTS["date"]
        order = [
            F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields
        ]
        return queryset.order_by(*order, "-id" if descending else "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sort"] = self.sort
        context["sort_columns"] = sort_columns(self.sort)
        context["filter_form"] = self.filter_form
        context["filtered"] = self.filter_form.is_bound and any(
            v for k, v in self.request.GET.items() if k != "page"
        )
        return context


def sort_columns(current: str) -> dict:
    """Per sortable column: the ?sort= value its header links to and its aria-sort state."""
    columns = {}
    for key in SORTS:
        if current == key:
            columns[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            columns[key] = {"next": key, "aria": "descending"}
        else:
            # Counts and dates read best largest or latest first.
            first = key if key in {"title", "kind", "status"} else f"-{key}"
            columns[key] = {"next": first, "aria": "none"}
    return columns


class MeetingCreateView(OrganizerRequiredMixin, TemplateView):
    template_name = "meetings/meeting_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(form=MeetingForm(), formset=DayFormSet(prefix="days"))
        )

    def post(self, request, *args, **kwargs):
        form = MeetingForm(request.POST)
        formset = DayFormSet(request.POST, prefix="days")
        if form.is_valid() and formset.is_valid():
            days = formset.days()
            last = days[-1]
            if form.check_window(last["date"], last["end_time"]):
                try:
                    meeting = services.create_meeting(actor=request.user, days=days, **form.service_fields())
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("The meeting “%(title)s” was created as a draft.") % {"title": meeting.title},
                    )
                    return redirect(meeting.urls.detail)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["creating"] = True
        return context


class MeetingUpdateView(MeetingPermissionMixin, FormView):
    template_name = "meetings/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A separate instance: ModelForm validation writes to it, the service saves the real one.
        kwargs["instance"] = Meeting.objects.get(pk=self.meeting.pk)
        last = self.meeting.days.order_by("-date").first()
        kwargs["last_day"] = (last.date, last.end_time) if last else None
        return kwargs

    def form_valid(self, form):
        try:
            changed = services.update_meeting(self.meeting, actor=self.request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, _("The meeting was saved."))
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect(self.meeting.urls.detail)


class MeetingDetailView(MeetingPermissionMixin, TemplateView):
    template_name = "meetings/meeting_detail.html"
    permission = staticmethod(is_meeting_staff)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        context["days"] = meeting.days.annotate(item_count=Count("items"))
        context["online_room"] = getattr(meeting, "online_room", None) if meeting.has_online else None
        context["hosts"] = meeting.hosts.select_related("organization")
        if context["user_is_organizer"]:
            context["actions"] = [
                (verb, label, style, getattr(meeting.urls, verb), verb in CONFIRMED_ACTIONS)
                for verb, label, style in LIFECYCLE_ACTIONS
                if _allowed(verb, meeting)
            ]
            context["can_cancel"] = _allowed("cancel", meeting)
            context["audit_entries"] = audit.entries_for(meeting)[:15]
        context["organizers"] = meeting.organizers.all()
        context["secretaries"] = meeting.secretaries.all()
        return context


class MeetingStaffView(MeetingPermissionMixin, FormView):
    template_name = "meetings/meeting_staff.html"
    form_class = StaffForm

    def get_initial(self):
        return {
            "organizers": list(self.meeting.organizers.all()),
            "secretaries": list(self.meeting.secretaries.all()),
        }

    def form_valid(self, form):
        try:
            services.set_staff(
                self.meeting,
                actor=self.request.user,
                organizers=form.cleaned_data["organizers"],
                secretaries=form.cleaned_data["secretaries"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting's staff was saved."))
        if is_meeting_staff(self.request.user, self.meeting):
            return redirect(self.meeting.urls.detail)
        # Someone who removed themselves can no longer see the meeting.
        return redirect("meetings:list")


# "Start the meeting as host" posts to Sinergi, which redirects to Zoom's start URL: a browser
# applies the page's form-action to that redirect too, so this page lets forms lead to Zoom.
ZOOM_FORM_ACTION = {"form-action": ["https://*.zoom.us"]}


@method_decorator(csp_update(ZOOM_FORM_ACTION), name="dispatch")
class OnlineRoomView(MeetingPermissionMixin, FormView):
    template_name = "meetings/online_room.html"
    form_class = OnlineRoomForm

    def get(self, request, *args, **kwargs):
        if not self.meeting.has_online:
            return self._on_site_only()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.meeting.has_online:
            return self._on_site_only()
        return super().post(request, *args, **kwargs)

    def _on_site_only(self):
        messages.error(self.request, _("This meeting is on-site only; it has no online room."))
        return redirect(self.meeting.urls.detail)

    def get_room(self):
        return getattr(self.meeting, "online_room", None)

    def get_initial(self):
        room = self.get_room()
        if room is None:
            return {}
        return {
            "join_url": room.join_url,
            "passcode": room.passcode,
            "instructions": room.instructions,
            "open_to_public": room.open_to_public,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        room = self.get_room()
        context["room"] = room
        context["zoom_configured"] = zoom_api.configured()
        if context["zoom_configured"] and "zoom_form" not in context:
            context["zoom_form"] = ZoomRoomForm(initial=zoom_initial(room), prefix="zoom")
        return context

    def form_valid(self, form):
        try:
            services.set_manual_room(self.meeting, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The online room was saved."))
        return redirect(self.meeting.urls.detail)


def zoom_initial(room) -> dict:
    chosen = {**zoom.DEFAULT_SETTINGS}
    if room is not None and room.provider == room.Provider.ZOOM:
        chosen.update(room.settings or {})
        chosen["open_to_public"] = room.open_to_public
    return chosen


class ZoomRoomView(OnlineRoomView):
    """POST only: make (or change) the meeting's Zoom room; the page shows the manual form too."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.meeting.has_online:
            return self._on_site_only()
        self.object = None
        form = ZoomRoomForm(request.POST, prefix="zoom")
        if form.is_valid():
            try:
                services.use_zoom_room(
                    self.meeting,
                    actor=request.user,
                    settings=form.settings(),
                    passcode=form.cleaned_data["passcode"],
                    open_to_public=form.cleaned_data["open_to_public"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The Zoom room is being prepared; this page shows when it is ready.")
                )
                return redirect(self.meeting.urls.online_room)
        manual = OnlineRoomForm(initial=self.get_initial())
        return self.render_to_response(self.get_context_data(form=manual, zoom_form=form))


class RoomRetryView(MeetingPermissionMixin, View):
    """POST only: try the Zoom room's sync again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if services.retry_online_room(self.meeting, actor=request.user):
            messages.success(request, _("Sinergi is trying Zoom again; this page shows the outcome."))
        else:
            messages.error(request, _("This meeting has no Zoom room to try again."))
        return redirect(self.meeting.urls.online_room)


class RoomHostLinkView(MeetingPermissionMixin, View):
    """POST only: fetch a fresh start link from Zoom (they expire) and go there; never stored."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        room = getattr(self.meeting, "online_room", None)
        if room is None or room.provider != room.Provider.ZOOM or not room.provider_id:
            messages.error(request, _("This meeting has no Zoom room yet."))
            return redirect(self.meeting.urls.online_room)
        if not zoom_api.configured():
            messages.error(
                request,
                _("Zoom is not connected to this installation: ask the administrator for the Zoom settings."),
            )
            return redirect(self.meeting.urls.online_room)
        try:
            url = zoom.ZoomRoom().host_url(room)
        except zoom_api.ZoomError as error:
            messages.error(request, _("Zoom did not give a host link: %(error)s") % {"error": error})
            return redirect(self.meeting.urls.online_room)
        audit.record(self.meeting, "meeting.host_link_fetched", request.user)
        response = HttpResponseRedirect(url)
        response["Referrer-Policy"] = "no-referrer"
        return response


class TransitionView(MeetingPermissionMixin, View):
    """POST only: publish, unpublish, reopen or close (`verb` is set in urls.py)."""

    http_method_names = ["post"]
    verb: str | None = None

    def post(self, request, *args, **kwargs):
        if self.verb not in SUCCESS_MESSAGES:
            raise Http404
        try:
            getattr(services, self.verb)(self.meeting, actor=request.user)
        except services.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(SUCCESS_MESSAGES[self.verb]))
        return HttpResponseRedirect(self.meeting.urls.detail)


class MarkHeldView(MeetingPermissionMixin, TemplateView):
    """GET asks for confirmation (or says why not yet); POST marks the meeting as held."""

    template_name = "meetings/meeting_mark_held.html"

    def get(self, request, *args, **kwargs):
        if not _allowed("mark_held", self.meeting):
            messages.error(request, _("Only a published meeting can be marked as held."))
            return redirect(self.meeting.urls.detail)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["not_started"] = services.not_started_reason(self.meeting)
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.mark_held(self.meeting, actor=request.user)
        except services.TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(SUCCESS_MESSAGES["mark_held"]))
        return HttpResponseRedirect(self.meeting.urls.detail)


class CancelView(MeetingPermissionMixin, FormView):
    """GET shows a confirmation page asking for the reason; POST cancels."""

    template_name = "meetings/meeting_cancel.html"
    form_class = CancelForm

    def get(self, request, *args, **kwargs):
        if not _allowed("cancel", self.meeting):
            messages.error(request, _("This meeting can no longer be cancelled."))
            return redirect(self.meeting.urls.detail)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.cancel(self.meeting, actor=self.request.user, reason=form.cleaned_data["reason"])
        except services.TransitionError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, _("The meeting is cancelled."))
        return redirect(self.meeting.urls.detail)


def _when(days: list[MeetingDay]) -> list[dict]:
    """The dates in one line when consecutive days share their hours, else one line per day."""
    same_hours = len({(d.start_time, d.end_time) for d in days}) == 1
    consecutive = all((b.date - a.date).days == 1 for a, b in zip(days, days[1:], strict=False))
    if len(days) > 1 and same_hours and consecutive:
        first, last = days[0], days[-1]
        return [{"date": first.date, "until": last.date, "start": first.start_time, "end": first.end_time}]
    return [{"date": d.date, "until": None, "start": d.start_time, "end": d.end_time} for d in days]


class PublicMeetingView(DetailView):
    """The meeting's public page. A fixed number of queries, however long the agenda."""

    template_name = "meetings/public.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.select_related("online_room").prefetch_related(
            Prefetch(
                "hosts", queryset=MeetingHost.objects.select_related("organization").order_by("order", "id")
            ),
            Prefetch("days", queryset=MeetingDay.objects.order_by("date")),
            Prefetch("days__items", queryset=AgendaItem.objects.order_by("start_time", "order", "id")),
            Prefetch(
                "days__items__roles",
                queryset=AgendaRole.objects.select_related("person__organization").order_by("order", "id"),
            ),
        )

    def get_object(self, queryset=None):
        meeting = get_object_or_404(self.get_queryset(), code=self.kwargs["code"])
        self.preview = False
        if not meeting.is_public:
            # Drafts exist only for their staff, and only when they ask for a preview.
            if self.request.GET.get("preview") == "1" and is_meeting_staff(self.request.user, meeting):
                self.preview = True
            else:
                raise Http404
        return meeting

    def _staffed_by_visitor(self, meeting: Meeting) -> bool:
        # One query, and none for anonymous visitors.
        user = self.request.user
        return user.is_authenticated and Meeting.objects.staffed_by(user).filter(pk=meeting.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        under_items = agenda_item_panels(self.request, meeting)
        for day in meeting.days.all():
            for item in day.items.all():
                roles = list(item.roles.all())
                item.speakers = [r for r in roles if r.role == "speaker"]
                item.moderators = [r for r in roles if r.role == "moderator"]
                item.panels = under_items.get(item.pk, [])
        context["preview"] = self.preview
        context["panels"] = public_page_panels(self.request, meeting)
        context["when"] = _when(list(meeting.days.all()))
        room = getattr(meeting, "online_room", None) if meeting.has_online else None
        context["online_room"] = room
        context["show_join"] = meeting.status == Meeting.Status.PUBLISHED or self.preview
        # A private room's link goes to confirmed online participants by email and on their
        # private page; on this page only the meeting's staff see it.
        context["join_visible"] = bool(
            context["show_join"]
            and room
            and room.join_url
            and (room.open_to_public or self.preview or self._staffed_by_visitor(meeting))
        )
        return context
