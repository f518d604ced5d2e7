"""The query parameters of the lists: a date range and an organization (plus a few more), each
validated like a form, so a bad value is a 400 with a message and never reaches the database."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meetings.models import Meeting, MeetingDay, MeetingHost
from policy.models import State

# Database integers (PostgreSQL's integer): a larger id cannot exist, and must not overflow.
MAX_ID = 2**31 - 1
CODE = r"^[a-z0-9]{1,16}$"


class DateRangeFilter(serializers.Serializer):
    date_from = serializers.DateField(
        required=False, help_text=_("Only what takes place on or after this date (YYYY-MM-DD).")
    )
    date_to = serializers.DateField(
        required=False, help_text=_("Only what takes place on or before this date (YYYY-MM-DD).")
    )
    organization = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("The id of an organization.")
    )

    def validate(self, data):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"date_to": [_("The end of the range comes before its start.")]}
            )
        return data


class MeetingFilter(DateRangeFilter):
    status = serializers.ChoiceField(choices=Meeting.Status.choices, required=False)

    def apply(self, queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
        data = self.validated_data
        if data.get("date_from"):
            queryset = queryset.filter(ends_on__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(starts_on__lte=data["date_to"])
        if data.get("organization"):
            hosted = MeetingHost.objects.filter(meeting=OuterRef("pk"), organization_id=data["organization"])
            queryset = queryset.filter(Exists(hosted))
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


class DayFilter(DateRangeFilter):
    meeting = serializers.RegexField(CODE, required=False, help_text=_("A meeting's code."))

    def apply(self, queryset: QuerySet[MeetingDay]) -> QuerySet[MeetingDay]:
        data = self.validated_data
        if data.get("date_from"):
            queryset = queryset.filter(date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(date__lte=data["date_to"])
        if data.get("organization"):
            hosted = MeetingHost.objects.filter(
                meeting=OuterRef("meeting_id"), organization_id=data["organization"]
            )
            queryset = queryset.filter(Exists(hosted))
        if data.get("meeting"):
            queryset = queryset.filter(meeting__code=data["meeting"])
        return queryset


class RecommendationFilter(DateRangeFilter):
    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The id of an organization the recommendations are addressed to."),
    )
    meeting = serializers.RegexField(CODE, required=False, help_text=_("A meeting's code."))
    state = serializers.ChoiceField(choices=State.choices, required=False, help_text=_("Follow-up state."))

    def apply(self, queryset):
        data = self.validated_data
        if data.get("date_from") or data.get("date_to"):
            # As the registry: a meeting held (one of its days) within the range.
            days = MeetingDay.objects.filter(meeting=OuterRef("minutes__meeting"))
            if data.get("date_from"):
                days = days.filter(date__gte=data["date_from"])
            if data.get("date_to"):
                days = days.filter(date__lte=data["date_to"])
            queryset = queryset.filter(Exists(days))
        if data.get("organization"):
            queryset = queryset.filter(addressed_to=data["organization"])
        if data.get("meeting"):
            queryset = queryset.filter(minutes__meeting__code=data["meeting"])
        if data.get("state"):
            queryset = queryset.filter(follow_state=data["state"])
        return queryset
