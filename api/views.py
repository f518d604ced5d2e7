"""The read-only API: viewsets over what the token's user may see (api.services)."""

from __future__ import annotations

import re

from django.db.models import Prefetch
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from meetings.models import AgendaItem, MeetingHost
from policy.services.tracking import with_follow_up

from . import services
from .filters import CODE, DayFilter, MeetingFilter, RecommendationFilter
from .serializers import (
    AgendaDaySerializer,
    DaySerializer,
    ErrorSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    RecommendationSerializer,
)

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown or revoked one."),
}
LIST_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(ErrorSerializer, description="A filter's value is not valid."),
    404: OpenApiResponse(ErrorSerializer, description="No such page."),
}
DETAIL_ERRORS = {
    **ERRORS,
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not yours to see."),
}
CODE_RE = re.compile(CODE)
KEY_RE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


class ReadOnlyApiViewSet(viewsets.GenericViewSet):
    """What every view of the API shares: the user's data is never kept by a cache."""

    filter_class = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["Vary"] = "Authorization, Accept-Language"
        return response

    def filtered(self, queryset):
        form = self.filter_class(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        return form.apply(queryset)

    def paginated(self, queryset, serializer_class, **context):
        page = self.paginate_queryset(queryset)
        serializer = serializer_class(page, many=True, context=self.get_serializer_context() | context)
        return self.get_paginated_response(serializer.data)


def _meetings(user):
    return (
        services.visible_meetings(user)
        .with_counts()
        .prefetch_related(
            Prefetch(
                "hosts", queryset=MeetingHost.objects.select_related("organization").order_by("order", "id")
            )
        )
        .order_by("-starts_on", "-id")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Meetings",
        description="The meetings you may see: every public one, and the drafts you organize or take the minutes of.",
        parameters=[MeetingFilter],
        responses={200: MeetingSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="A meeting", responses={200: MeetingDetailSerializer, **DETAIL_ERRORS}),
    agenda=extend_schema(
        summary="A meeting's agenda, day by day",
        responses={200: AgendaDaySerializer(many=True), **DETAIL_ERRORS},
    ),
)
class MeetingViewSet(ReadOnlyApiViewSet):
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    serializer_class = MeetingSerializer
    filter_class = MeetingFilter

    def get_meeting(self, code: str, queryset=None):
        if not CODE_RE.match(code):
            raise NotFound
        meeting = (
            (queryset if queryset is not None else services.visible_meetings(self.request.user))
            .filter(code=code)
            .first()
        )
        if meeting is None:
            raise NotFound
        return meeting

    def list(self, request):
        return self.paginated(self.filtered(_meetings(request.user)), MeetingSerializer)

    def retrieve(self, request, code: str):
        meeting = self.get_meeting(code, _meetings(request.user).prefetch_related("days"))
        return Response(MeetingDetailSerializer(meeting, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["get"], pagination_class=None)
    def agenda(self, request, code: str):
        meeting = self.get_meeting(code)
        days = meeting.days.order_by("date").prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.order_by("start_time", "order", "id"))
        )
        return Response(AgendaDaySerializer(days, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Meeting days",
        description="The days of the meetings you may see, soonest first, with their times in the meeting's time zone.",
        parameters=[DayFilter],
        responses={200: DaySerializer(many=True), **LIST_ERRORS},
    ),
)
class DayViewSet(ReadOnlyApiViewSet):
    serializer_class = DaySerializer
    filter_class = DayFilter

    def list(self, request):
        days = (
            services.visible_days(request.user).select_related("meeting").order_by("date", "start_time", "id")
        )
        return self.paginated(self.filtered(days), DaySerializer)


@extend_schema_view(
    list=extend_schema(
        summary="Recommendations",
        description=(
            "The recommendations you may see, newest meeting first: approved minutes, and on meetings "
            "you are staff of the latest version (drafts included). `follow_up` is null where you see "
            "a recommendation only through the public minutes."
        ),
        parameters=[RecommendationFilter],
        responses={200: RecommendationSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A recommendation",
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH, description="The recommendation's key.")
        ],
        responses={200: RecommendationSerializer, **DETAIL_ERRORS},
    ),
)
class RecommendationViewSet(ReadOnlyApiViewSet):
    lookup_field = "key"
    lookup_value_regex = "[^/]+"
    serializer_class = RecommendationSerializer
    filter_class = RecommendationFilter

    def recommendations(self):
        return (
            with_follow_up(services.visible_recommendations(self.request.user))
            .select_related("minutes__meeting", "proposed_by_organization")
            .prefetch_related("addressed_to", "themes")
            .order_by("-minutes__meeting__starts_on", "minutes__meeting_id", "order", "id")
        )

    def tracked(self, rows) -> set[int]:
        pks = [row.pk for row in rows]
        return set(
            services.tracked_recommendations(self.request.user)
            .filter(pk__in=pks)
            .values_list("pk", flat=True)
        )

    def list(self, request):
        page = self.paginate_queryset(self.filtered(self.recommendations()))
        context = self.get_serializer_context() | {"tracked": self.tracked(page)}
        return self.get_paginated_response(RecommendationSerializer(page, many=True, context=context).data)

    def retrieve(self, request, key: str):
        if not KEY_RE.match(key):
            raise NotFound
        # One row per key: a correction's copy on staff's meetings, the approved one elsewhere.
        rec = self.recommendations().filter(key=key).order_by("-minutes__version").first()
        if rec is None:
            raise NotFound
        context = self.get_serializer_context() | {"tracked": self.tracked([rec])}
        return Response(RecommendationSerializer(rec, context=context).data)
