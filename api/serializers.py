"""What the API shows of each object: public facts of meetings and recommendations, never a
person's name, email, phone or a private link (registrations appear as counts only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory.models import Organization
from meetings.models import AgendaItem, Meeting, MeetingDay, MeetingHost
from minutes import richtext
from minutes.models import Minutes, Recommendation
from policy.models import State


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
        "example": "09:00",
        "description": "Local time (HH:MM) in the meeting's time zone.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time of the meeting's zone: JSON Schema's `time` would want an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", read_only=True, **kwargs)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "acronym"]


class HostSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer()

    class Meta:
        model = MeetingHost
        fields = ["organization", "role"]


class RegistrationCountsSerializer(serializers.Serializer):
    """Seats and confirmed registrations per mode; null capacity: no limit set."""

    capacity_onsite = serializers.IntegerField(allow_null=True)
    capacity_online = serializers.IntegerField(allow_null=True)
    confirmed_onsite = serializers.IntegerField(min_value=0)
    confirmed_online = serializers.IntegerField(min_value=0)


class DaySerializer(serializers.ModelSerializer):
    meeting = serializers.CharField(source="meeting.code", help_text=_("The meeting's code."))
    start_time = LocalTimeField()
    end_time = LocalTimeField()
    starts_at = serializers.DateTimeField(source="start_datetime")
    ends_at = serializers.DateTimeField(source="end_datetime")

    class Meta:
        model = MeetingDay
        fields = ["id", "meeting", "date", "start_time", "end_time", "starts_at", "ends_at"]

    def to_representation(self, instance):
        instance.start_datetime = instance.starts_at()
        instance.end_datetime = instance.ends_at()
        return super().to_representation(instance)


class MeetingSerializer(serializers.ModelSerializer):
    hosts = HostSerializer(many=True)
    registrations = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "code",
            "title",
            "theme",
            "kind",
            "mode",
            "status",
            "timezone",
            "starts_on",
            "ends_on",
            "venue_name",
            "hosts",
            "registrations",
            "public_url",
        ]

    @extend_schema_field(RegistrationCountsSerializer)
    def get_registrations(self, meeting: Meeting) -> dict:
        return {
            "capacity_onsite": meeting.capacity_onsite,
            "capacity_online": meeting.capacity_online,
            "confirmed_onsite": meeting.confirmed_onsite,
            "confirmed_online": meeting.confirmed_online,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_public_url(self, meeting: Meeting) -> str | None:
        """The public page (null for a draft: nobody outside its staff may see it)."""
        if not meeting.is_public:
            return None
        return self.context["request"].build_absolute_uri(meeting.urls.public)


class DayInMeetingSerializer(serializers.ModelSerializer):
    start_time = LocalTimeField()
    end_time = LocalTimeField()

    class Meta:
        model = MeetingDay
        fields = ["id", "date", "start_time", "end_time"]


class MeetingDetailSerializer(MeetingSerializer):
    days = DayInMeetingSerializer(many=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "description",
            "background",
            "venue_address",
            "venue_room",
            "registration_opens_at",
            "registration_closes_at",
            "days",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    start_time = LocalTimeField()
    end_time = LocalTimeField()

    class Meta:
        model = AgendaItem
        fields = ["id", "start_time", "end_time", "title", "description", "order"]


class AgendaDaySerializer(serializers.ModelSerializer):
    start_time = LocalTimeField()
    end_time = LocalTimeField()
    items = AgendaItemSerializer(many=True)

    class Meta:
        model = MeetingDay
        fields = ["id", "date", "start_time", "end_time", "items"]


class MeetingRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["code", "title"]


class FollowUpSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class RecommendationSerializer(serializers.ModelSerializer):
    key = serializers.UUIDField(help_text=_("Stable across versions of the minutes."))
    text = serializers.SerializerMethodField()
    rationale = serializers.SerializerMethodField()
    meeting = MeetingRefSerializer(source="minutes.meeting")
    minutes_version = serializers.IntegerField(source="minutes.version")
    minutes_state = serializers.ChoiceField(source="minutes.state", choices=Minutes.State.choices)
    addressed_to = OrganizationSerializer(many=True)
    proposed_by_organization = OrganizationSerializer(allow_null=True)
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    follow_up = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "key",
            "text",
            "rationale",
            "instrument",
            "priority",
            "themes",
            "meeting",
            "minutes_version",
            "minutes_state",
            "addressed_to",
            "proposed_by_organization",
            "follow_up",
        ]

    def get_text(self, rec: Recommendation) -> str:
        return richtext.plain(rec.text)

    def get_rationale(self, rec: Recommendation) -> str:
        return richtext.plain(rec.rationale)

    @extend_schema_field(FollowUpSerializer(allow_null=True))
    def get_follow_up(self, rec: Recommendation) -> dict | None:
        """Null where the user sees the recommendation only in the public minutes."""
        if rec.pk not in self.context["tracked"]:
            return None
        return {"state": rec.follow_state, "due_on": rec.follow_due, "overdue": rec.follow_overdue}
