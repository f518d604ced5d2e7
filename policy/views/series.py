"""Meeting series: the list of those the user sees, and each series' figures across its meetings."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.db.models import Count, Max, Min
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from accounts.roles import never_cached

from ..permissions import may_use_registry
from ..services import series as series_figures


class SeriesAccessMixin(AccessMixin):
    """Signed-in users only; the series shown are those `visible_series` gives (personal: never cached)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return never_cached(super().dispatch(request, *args, **kwargs))


class SeriesListView(SeriesAccessMixin, ListView):
    """Organizers (their series) and analysts (every series), as the statistics page."""

    template_name = "policy/series/list.html"
    context_object_name = "series_list"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_use_registry(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            series_figures.visible_series(self.request.user)
            .annotate(
                meeting_count=Count("meetings"),
                first=Min("meetings__starts_on"),
                last=Max("meetings__ends_on"),
            )
            .order_by("-first", "-pk")
        )


class SeriesView(SeriesAccessMixin, TemplateView):
    """One series' figures; a series the user may not see is not found (404), so nobody learns
    of another organizer's series."""

    template_name = "policy/series/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = get_object_or_404(series_figures.visible_series(self.request.user), pk=self.kwargs["pk"])
        context.update(
            series=series,
            figures=series_figures.figures(self.request.user, series),
            registration_states=series_figures.REGISTRATION_STATES,
            follow_up_states=series_figures.FOLLOW_UP_STATES,
        )
        return context
