"""The registry's filters (a GET form): which recommendations, in which order."""

from __future__ import annotations

from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from directory.models import Organization
from meetings.models import Meeting, MeetingDay
from minutes.models import Recommendation, Theme

from ..models import State, Tracking
from ..services.search import search
from ..services.tracking import with_follow_up

PRIORITY_RANK = Case(
    When(priority=Recommendation.Priority.HIGH, then=Value(0)),
    When(priority=Recommendation.Priority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
TIE = ("minutes__meeting_id", "order", "id")


class RegistryFilterForm(BootstrapFormMixin, forms.Form):
    SORTS = {
        "newest": (_("Newest meeting first"), ("-minutes__meeting__starts_on", *TIE)),
        "oldest": (_("Oldest meeting first"), ("minutes__meeting__starts_on", *TIE)),
        "priority": (_("Priority, high first"), ("priority_rank", "-minutes__meeting__starts_on", *TIE)),
        "due": (
            _("Follow-up due, soonest first"),
            (F("follow_due").asc(nulls_last=True), "-minutes__meeting__starts_on", *TIE),
        ),
    }

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    date_from = forms.DateField(
        label=_("Held from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Held until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    addressed_to = forms.ModelChoiceField(
        label=_("Addressed to"), queryset=Organization.objects.none(), required=False
    )
    instrument = forms.ChoiceField(
        label=_("Instrument"), choices=[("", _("All"))] + Recommendation.Instrument.choices, required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("All"))] + Recommendation.Priority.choices, required=False
    )
    state = forms.ChoiceField(label=_("Follow-up"), choices=[("", _("All"))] + State.choices, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, visible: QuerySet[Recommendation], **kwargs):
        super().__init__(*args, **kwargs)
        # Only meetings and agencies of recommendations the user may see: a choice list naming
        # another organizer's meeting would leak it.
        self.fields["meeting"].queryset = Meeting.objects.filter(
            pk__in=visible.values("minutes__meeting")
        ).order_by("-starts_on", "title")
        self.fields["addressed_to"].queryset = Organization.objects.filter(
            pk__in=visible.values("addressed_to")
        ).order_by("name")
        self.fields["sort"].choices = [(key, label) for key, (label, _order) in self.SORTS.items()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range comes before its start."))
        return data

    def apply(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        """The filtered, sorted recommendations; an invalid form filters by its valid fields only."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        if data.get("meeting"):
            queryset = queryset.filter(minutes__meeting=data["meeting"])
        if data.get("date_from") or data.get("date_to"):
            days = MeetingDay.objects.filter(meeting=OuterRef("minutes__meeting"))
            if data.get("date_from"):
                days = days.filter(date__gte=data["date_from"])
            if data.get("date_to"):
                days = days.filter(date__lte=data["date_to"])
            queryset = queryset.filter(Exists(days))
        if data.get("theme"):
            queryset = queryset.filter(themes=data["theme"])
        if data.get("addressed_to"):
            queryset = queryset.filter(addressed_to=data["addressed_to"])
        if data.get("instrument"):
            queryset = queryset.filter(instrument=data["instrument"])
        if data.get("priority"):
            queryset = queryset.filter(priority=data["priority"])
        if data.get("q"):
            queryset = search(queryset, data["q"])
        queryset = with_follow_up(queryset)
        if data.get("state"):
            queryset = queryset.filter(follow_state=data["state"])
        if data.get("overdue"):
            queryset = queryset.filter(follow_overdue=True)
        queryset = one_row_per_group(queryset)
        _label, order = self.SORTS.get(data.get("sort") or "newest", self.SORTS["newest"])
        return queryset.annotate(priority_rank=PRIORITY_RANK).order_by(*order)


def one_row_per_group(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Recommendations marked as the same appear once: a member merged into another is left out
    when that other one is in the same list (its row names both sources)."""
    merged_away = Tracking.objects.filter(
        merged_into__isnull=False, merged_into__key__in=queryset.values("key")
    ).values("key")
    return queryset.exclude(key__in=merged_away)
