"""The statistics page for organizers and policy analysts: charts drawn on the server, each with
its table and a CSV of the same figures."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.mixins import AccessMixin
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from accounts.roles import never_cached
from core.forms import BootstrapFormMixin
from participants.exports import table_csv

from ..charts import bar_chart
from ..permissions import may_use_registry
from ..services.dashboard import FIGURES, Period, figures


class PeriodForm(BootstrapFormMixin, forms.Form):
    """?from=&until=: a GET form, always bound (no date is required)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are added by name.
        self.fields["from"] = forms.DateField(
            label=_("Meetings from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["until"] = forms.DateField(
            label=_("Meetings until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("until")
        if start and end and start > end:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    @property
    def period(self) -> Period:
        if not self.is_valid():
            return Period()
        return Period(self.cleaned_data.get("from"), self.cleaned_data.get("until"))


class StatisticsAccessMixin(AccessMixin):
    """Organizers, policy analysts and site administrators; figures are personal: never cached."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_use_registry(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        self.form = PeriodForm(request.GET)
        return never_cached(super().dispatch(request, *args, **kwargs))


class DashboardView(StatisticsAccessMixin, TemplateView):
    template_name = "policy/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = figures(self.request.user, self.form.period)
        for figure in shown:
            figure.svg = bar_chart(figure.chart) if figure.chart and figure.rows else ""
            figure.table = [
                (row, figure.links[index] if figure.links else "") for index, row in enumerate(figure.rows)
            ]
        period = self.form.period
        # The CSV links carry the period, so each file holds the table shown beside it.
        query = urlencode({k: v.isoformat() for k, v in (("from", period.start), ("until", period.end)) if v})
        context.update(
            form=self.form,
            figures=shown,
            query=query,
            filtered=bool(period.start or period.end),
        )
        return context


class ChartCsvView(StatisticsAccessMixin, View):
    def get(self, request, chart: str):
        build = FIGURES.get(chart)
        if build is None:
            raise Http404
        figure = build(request.user, self.form.period)
        response = HttpResponse(table_csv(figure.head, figure.rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{chart}.csv"'
        return response
