"""The public .ics download of a meeting: one VEVENT per day, optionally one per agenda item."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views import View

from .. import calendar
from ..models import Meeting

__all__ = ["MeetingCalendarView", "calendar_response"]

CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(request, *, etag: str, last_modified, cache_control: str, body, filename=None):
    """A calendar answer that honours If-None-Match / If-Modified-Since (304, no body).

    `body` is a callable, so a 304 costs only the validators, never the building of the file.
    """
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = cache_control
    conditional = get_conditional_response(
        request,
        etag=etag,
        last_modified=int(last_modified.timestamp()) if last_modified is not None else None,
        response=response,
    )
    if conditional is not response:
        return conditional
    response.content = body()
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MeetingCalendarView(View):
    """`/m/<code>/calendar.ics` (`?items=1` adds the agenda items); drafts do not exist (404)."""

    def get(self, request, code):
        found = calendar.load(Meeting.objects.visible_to_public().filter(code=code))
        if not found:
            raise Http404
        meeting = found[0]
        per_item = request.GET.get("items") == "1"
        row = [getattr(meeting, field) for field in calendar.VALIDATOR_FIELDS]
        etag, last_modified = calendar.validators([row], extra=f"meeting:items={per_item}")
        return calendar_response(
            request,
            etag=etag,
            last_modified=last_modified,
            cache_control="public, max-age=300",
            body=lambda: calendar.meeting_ics(meeting, per_item=per_item),
            filename=f"{meeting.code}.ics",
        )
