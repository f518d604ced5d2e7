"""The agenda editor: a meeting's days and agenda items, edited in place with htmx.

Every view works twice over. With htmx (`request.htmx`) it answers with the fragment to swap:
the day block (`#day-<id>`) for changes to items, the whole list of days (`#agenda-days`) for
changes to days, whose dates may reorder them. Without JavaScript the same forms post normally:
success redirects back to the agenda page, errors re-render the full page with the form in
place. Errors come from the services and are returned with status 200, because htmx does not
swap 4xx responses.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_errors
from core.text import is_id

from .. import services
from ..forms.agenda import AgendaItemForm, DayForm
from ..models import AgendaItem, MeetingDay
from ..permissions import MeetingPermissionMixin, can_edit_agenda, is_meeting_staff

__all__ = [
    "AgendaView",
    "DayCreateView",
    "DayDeleteView",
    "DayUpdateView",
    "ItemCreateView",
    "ItemDeleteView",
    "ItemMoveView",
    "ItemUpdateView",
]

DAYS_TEMPLATE = "meetings/agenda_days.html"
DAY_TEMPLATE = "meetings/agenda_day.html"
PAGE_TEMPLATE = "meetings/agenda.html"
CONFIRM_TEMPLATE = "meetings/agenda_confirm_delete.html"


class AgendaMixin(MeetingPermissionMixin):
    """Loads the agenda in a fixed number of queries and renders it in the editor's states.

    The editor's state is a set of forms and messages hung on the day and item objects before
    rendering (`day.edit_form`, `day.item_form`, `day.errors`, `item.form`), so one set of
    templates draws the page, a day, or the list of days.
    """

    permission = staticmethod(can_edit_agenda)

    def days(self, day_id: int | None = None) -> list[MeetingDay]:
        items = AgendaItem.objects.order_by("start_time", "order", "id").prefetch_related("roles__person")
        days = self.meeting.days.order_by("date").prefetch_related(Prefetch("items", queryset=items))
        if day_id is not None:
            days = days.filter(pk=day_id)
        return list(days)

    def get_day(self, day_id: int) -> MeetingDay:
        day = get_object_or_404(MeetingDay, pk=day_id, meeting=self.meeting)
        day.meeting = self.meeting
        return day

    def get_item(self, item_id: int) -> AgendaItem:
        item = get_object_or_404(
            AgendaItem.objects.select_related("day"), pk=item_id, day__meeting=self.meeting
        )
        item.day.meeting = self.meeting
        return item

    def agenda_url(self, day_id: int | None = None) -> str:
        url = self.meeting.urls.agenda
        return f"{url}#day-{day_id}" if day_id else url

    def render_agenda(
        self,
        fragment: str | None = None,
        *,
        day_id: int | None = None,
        new_day_form: DayForm | None = None,
        day_forms: dict[int, DayForm] | None = None,
        add_forms: dict[int, AgendaItemForm] | None = None,
        item_forms: dict[int, AgendaItemForm] | None = None,
        day_errors: dict[int, list[str]] | None = None,
        open_add: int | None = None,
    ) -> HttpResponse:
        """The full page, or with htmx the fragment named by `fragment` ("day" or "days")."""
        htmx = bool(self.request.htmx) and fragment is not None
        days = self.days(day_id if htmx and fragment == "day" else None)
        day_forms, add_forms = day_forms or {}, add_forms or {}
        item_forms, day_errors = item_forms or {}, day_errors or {}
        for day in days:
            day.edit_form = day_forms.get(day.pk)
            day.item_list = list(day.items.all())
            # Items follow one another: the next one most often starts where the last one ends.
            next_start = max((i.end_time for i in day.item_list), default=day.start_time)
            day.item_form = add_forms.get(day.pk) or AgendaItemForm(
                initial={"start_time": next_start}, auto_id=f"id_new-item-{day.pk}_%s"
            )
            day.add_open = day.pk == open_add or day.pk in add_forms
            day.errors = day_errors.get(day.pk, [])
            for index, item in enumerate(day.item_list):
                item.form = item_forms.get(item.pk)
                item.is_first, item.is_last = index == 0, index == len(day.item_list) - 1
        context = {
            "meeting": self.meeting,
            "days": days,
            "can_edit": can_edit_agenda(self.request.user, self.meeting),
            "new_day_form": new_day_form or DayForm(auto_id="id_new-day_%s"),
        }
        if htmx and fragment == "day":
            if not days:  # The day was removed meanwhile: swap in nothing.
                return self.respond(None, context)
            template, context["day"] = DAY_TEMPLATE, days[0]
        elif htmx:
            template = DAYS_TEMPLATE
        else:
            template = PAGE_TEMPLATE
        return self.respond(template, context)

    def respond(self, template: str | None, context: dict) -> HttpResponse:
        # The same URL answers with a fragment or a page depending on the HX-Request header.
        response = TemplateResponse(self.request, template, context) if template else HttpResponse("")
        patch_vary_headers(response, ("HX-Request",))
        return response

    def done(self, fragment: str, message: str, day_id: int | None = None, **state):
        """After a successful change: the fresh fragment for htmx, else back to the page."""
        if self.request.htmx:
            return self.render_agenda(fragment, day_id=day_id, **state)
        messages.success(self.request, message)
        response = HttpResponseRedirect(self.agenda_url(day_id))
        patch_vary_headers(response, ("HX-Request",))
        return response


class AgendaView(AgendaMixin, View):
    """The agenda page. Secretaries see it read-only; `?day=<id>` with htmx gives one day."""

    permission = staticmethod(is_meeting_staff)

    def get(self, request, *args, **kwargs):
        day_id = request.GET.get("day", "")
        if request.htmx and is_id(day_id):
            return self.render_agenda("day", day_id=int(day_id))
        return self.render_agenda("days")


class DayCreateView(AgendaMixin, View):
    def get(self, request, *args, **kwargs):
        # The form to add a day sits on the agenda page.
        return HttpResponseRedirect(self.agenda_url())

    def post(self, request, *args, **kwargs):
        form = DayForm(request.POST, auto_id="id_new-day_%s")
        if form.is_valid():
            try:
                day = services.add_day(self.meeting, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.done("days", _("The day was added."), day_id=day.pk)
        return self.render_agenda("days", new_day_form=form)


class DayUpdateView(AgendaMixin, View):
    def form(self, day: MeetingDay, data=None) -> DayForm:
        initial = {"date": day.date, "start_time": day.start_time, "end_time": day.end_time}
        return DayForm(data, initial=initial, auto_id=f"id_day-{day.pk}_%s")

    def get(self, request, *args, **kwargs):
        day = self.get_day(kwargs["day_id"])
        return self.render_agenda("day", day_id=day.pk, day_forms={day.pk: self.form(day)})

    def post(self, request, *args, **kwargs):
        day = self.get_day(kwargs["day_id"])
        form = self.form(day, request.POST)
        if form.is_valid():
            try:
                services.update_day(day, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.done("days", _("The day was changed."), day_id=day.pk)
        # The date may have moved the day among the others, so answer with the list of days.
        return self.render_agenda("days", day_forms={day.pk: form})


class DayDeleteView(AgendaMixin, View):
    def get(self, request, *args, **kwargs):
        # Without JavaScript (no hx-confirm) the delete link leads to this confirmation page.
        day = self.get_day(kwargs["day_id"])
        context = {"meeting": self.meeting, "day": day, "item_count": day.items.count()}
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    def post(self, request, *args, **kwargs):
        day = self.get_day(kwargs["day_id"])
        try:
            services.remove_day(day, actor=request.user)
        except ValidationError as error:
            return self.render_agenda("days", day_errors={day.pk: error.messages})
        return self.done("days", _("The day was removed."))


class ItemCreateView(AgendaMixin, View):
    def get(self, request, *args, **kwargs):
        day = self.get_day(kwargs["day_id"])
        return HttpResponseRedirect(self.agenda_url(day.pk))

    def post(self, request, *args, **kwargs):
        day = self.get_day(kwargs["day_id"])
        form = AgendaItemForm(request.POST, auto_id=f"id_new-item-{day.pk}_%s")
        if form.is_valid():
            try:
                services.add_agenda_item(day, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Keep the add form open: items are usually entered one after another.
                return self.done("day", _("The agenda item was added."), day_id=day.pk, open_add=day.pk)
        return self.render_agenda("day", day_id=day.pk, add_forms={day.pk: form})


class ItemUpdateView(AgendaMixin, View):
    def form(self, item: AgendaItem, data=None) -> AgendaItemForm:
        initial = {name: getattr(item, name) for name in AgendaItemForm.base_fields}
        return AgendaItemForm(data, initial=initial, auto_id=f"id_item-{item.pk}_%s")

    def get(self, request, *args, **kwargs):
        item = self.get_item(kwargs["item_id"])
        if request.htmx:
            # Only the row turns into a form; Cancel and Save swap the day back in.
            context = {"meeting": self.meeting, "day": item.day, "item": item, "form": self.form(item)}
            return self.respond("meetings/agenda_item_form.html", context)
        return self.render_agenda(item_forms={item.pk: self.form(item)})

    def post(self, request, *args, **kwargs):
        item = self.get_item(kwargs["item_id"])
        form = self.form(item, request.POST)
        if form.is_valid():
            try:
                services.update_agenda_item(item, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.done("day", _("The agenda item was changed."), day_id=item.day_id)
        return self.render_agenda("day", day_id=item.day_id, item_forms={item.pk: form})


class ItemDeleteView(AgendaMixin, View):
    def get(self, request, *args, **kwargs):
        item = self.get_item(kwargs["item_id"])
        context = {"meeting": self.meeting, "item": item, "day": item.day}
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    def post(self, request, *args, **kwargs):
        item = self.get_item(kwargs["item_id"])
        services.delete_agenda_item(item, actor=request.user)
        return self.done("day", _("The agenda item was deleted."), day_id=item.day_id)


class ItemMoveView(AgendaMixin, View):
    DIRECTIONS = {"up": -1, "down": 1}

    def post(self, request, *args, **kwargs):
        item = self.get_item(kwargs["item_id"])
        direction = self.DIRECTIONS.get(request.POST.get("direction", ""))
        if direction is None:
            return HttpResponseBadRequest(_("Choose to move the item up or down."))
        services.move_agenda_item(item, actor=request.user, direction=direction)
        return self.done("day", _("The agenda item was moved."), day_id=item.day_id)
