"""Copy a meeting as a template to new dates, and create a series of copies for regional units."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.forms import add_service_errors

from .. import copying
from ..forms.copy import CopyForm, SeriesForm
from ..permissions import MeetingPermissionMixin

__all__ = ["CopyMeetingView", "CreateSeriesView"]


class _TemplateFormView(MeetingPermissionMixin, FormView):
    """Organizers of the template (and site administrators) only: others get 404 (not staff)
    or 403 (a secretary)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_days"] = self.meeting.days.exists()
        return context


class CopyMeetingView(_TemplateFormView):
    template_name = "meetings/meeting_copy.html"
    form_class = CopyForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            copy = copying.copy_meeting(
                self.meeting,
                actor=self.request.user,
                first_date=data["first_date"],
                timezone=data["timezone"],
                title=data["title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The copy is a draft: check its details, then send its agency invitations and publish it."),
        )
        return redirect(copy.urls.detail)


class CreateSeriesView(_TemplateFormView):
    template_name = "meetings/meeting_series_create.html"
    form_class = SeriesForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            series = copying.create_series(
                self.meeting,
                actor=self.request.user,
                title=data["title"],
                first_date=data["first_date"],
                units=data["units"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The series is made: one draft meeting per regional unit."))
        return redirect(series.urls.page)
