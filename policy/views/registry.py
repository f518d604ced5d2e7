"""The recommendations registry: every recommendation the user may see, across meetings,
filtered, searched and sorted, a page at a time or exported whole as CSV or Excel."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views.generic import ListView

from accounts.roles import never_cached
from minutes import richtext

from .. import exports
from ..forms.registry import RegistryFilterForm
from ..models import State, Tracking
from ..permissions import may_compile, may_merge, visible_recommendations

PER_PAGE = 25
FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


def with_relations(queryset):
    """Everything a row shows, in a fixed number of queries whatever the number of rows."""
    return queryset.select_related(
        "minutes__meeting", "section", "proposed_by_person", "proposed_by_organization"
    ).prefetch_related("addressed_to", "themes")


def other_sources(rows, visible) -> dict:
    """For each row that others were marked the same as: those others the user may see (two
    queries whatever the number of rows)."""
    members = dict(
        Tracking.objects.filter(merged_into__key__in=[r.key for r in rows]).values_list(
            "key", "merged_into__key"
        )
    )
    if not members:
        return {}
    found: dict = {}
    others = visible.filter(key__in=members).select_related(
        "minutes__meeting", "section", "proposed_by_person", "proposed_by_organization"
    )
    for other in others.order_by("minutes__meeting__starts_on", "pk"):
        found.setdefault(members[other.key], []).append(other)
    return found


class RegistryView(LoginRequiredMixin, ListView):
    template_name = "policy/registry.html"
    context_object_name = "recommendations"
    paginate_by = PER_PAGE

    def dispatch(self, request, *args, **kwargs):
        # Drafts and personal names: never in a shared cache (anonymous users go to the login).
        return never_cached(super().dispatch(request, *args, **kwargs))

    def get(self, request, *args, **kwargs):
        visible = self.visible = visible_recommendations(request.user)
        # Always bound: no filter is required, so an empty query is a valid "everything".
        self.form = RegistryFilterForm(request.GET, visible=visible)
        self.filtered = with_relations(self.form.apply(visible))
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            content_type, build = FORMATS[fmt]
            response = HttpResponse(build(self.filtered), content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="recommendations.{fmt}"'
            response["Cache-Control"] = "private, no-store"
            return response
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filtered

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organized = set(user.organized_meetings.values_list("pk", flat=True))
        rows = list(context["recommendations"])
        sources = other_sources(rows, self.visible)
        for rec in rows:
            rec.sources = sources.get(rec.key, [])
            rec.state_label = State(rec.follow_state).label
            meeting = rec.minutes.meeting
            staff = user.is_superuser or meeting.pk in organized
            rec.text_html = richtext.to_html(rec.text)
            rec.rationale_plain = richtext.plain(rec.rationale)
            # Staff pages for the meeting's organizers; the public page for everyone else.
            rec.meeting_url = meeting.urls.detail if staff else meeting.urls.public
            if rec.section and rec.section.agenda_item_id:
                rec.item_url = (
                    f"{meeting.urls.agenda}#item-{rec.section.agenda_item_id}"
                    if staff
                    else meeting.urls.public
                )
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context.update(
            can_merge=may_merge(user),
            can_compile=may_compile(user),
            form=self.form,
            filter_query=query.urlencode(),
            filtered=bool(query),
        )
        return context
