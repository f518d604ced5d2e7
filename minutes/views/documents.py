"""Downloads of the Word documents: the Notula (any version for the meeting's staff, the published
approved one for participants and the public) and the Daftar Hadir (staff only: personal data),
and the staff page that lists them."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views import View
from django.views.generic import TemplateView

from core.text import is_id
from meetings.models import Meeting, MeetingDay
from meetings.permissions import MeetingPermissionMixin
from participants.links import registration_for_token

from .. import permissions
from ..documents import daftar_hadir, notula
from ..documents.toolkit import DOCX_MIME
from ..models import Minutes


def _language(request) -> str:
    """The language asked for (?lang=id|en), else the page's own."""
    lang = request.GET.get("lang") or (get_language() or "id")[:2]
    return lang if lang in notula.LANGUAGES else "id"


def docx_response(data: bytes, filename: str, *, private: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_MIME)
    # The names are ASCII slugs (notula.filename), so no RFC 5987 encoding is needed.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def default_version(meeting: Meeting) -> Minutes | None:
    """What an export uses when no version is asked for: the latest approved version, else the
    one being worked on."""
    versions = Minutes.objects.filter(meeting=meeting).order_by("-version")
    return versions.filter(state=Minutes.State.APPROVED).first() or versions.first()


class DocumentsView(MeetingPermissionMixin, TemplateView):
    """The staff page: every version's Notula in both languages, each day's Daftar Hadir."""

    permission = staticmethod(permissions.is_staff_of)
    template_name = "minutes/documents.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(Minutes.objects.filter(meeting=self.meeting).order_by("-version"))
        days = list(MeetingDay.objects.filter(meeting=self.meeting).order_by("date"))
        for day in days:
            day.meeting = self.meeting
        default = default_version(self.meeting)
        context.update(
            versions=versions,
            default_version=default,
            days=days,
            published=permissions.published_version(self.meeting),
        )
        return context


class NotulaView(MeetingPermissionMixin, View):
    """`?lang=en&version=N&attendance=0`: any version for the staff; a draft says DRAFT."""

    permission = staticmethod(permissions.is_staff_of)

    def get(self, request, *args, **kwargs):
        version = request.GET.get("version", "")
        if version:
            if not is_id(version):
                raise Http404
            minutes = get_object_or_404(Minutes, meeting=self.meeting, version=int(version))
        else:
            minutes = default_version(self.meeting)
            if minutes is None:
                raise Http404
        minutes.meeting = self.meeting
        language = _language(request)
        with_attendance = request.GET.get("attendance", "1") != "0"
        data = notula.render(minutes, language=language, with_attendance=with_attendance, audience="staff")
        return docx_response(data, notula.filename(minutes, language))


class DaftarHadirView(MeetingPermissionMixin, View):
    """`?blank=1` for the list to print before the day (confirmed registrants, nothing ticked)."""

    permission = staticmethod(permissions.is_staff_of)

    def get(self, request, *args, **kwargs):
        day = get_object_or_404(MeetingDay, meeting=self.meeting, pk=kwargs["day_id"])
        day.meeting = self.meeting
        blank = request.GET.get("blank") == "1"
        language = _language(request)
        data = daftar_hadir.render(day, language=language, blank=blank)
        return docx_response(data, daftar_hadir.filename(day, language=language, blank=blank))


def _published_notula(request, minutes: Minutes | None, readable: bool, audience: str) -> HttpResponse:
    if minutes is None or not readable:
        raise Http404
    language = _language(request)
    # Outside the staff, no personal data: the agencies are named, not the people.
    data = notula.render(minutes, language=language, with_attendance=False, audience=audience)
    return docx_response(data, notula.filename(minutes, language))


def public_notula(request, code: str):
    """The approved Notula the organizer published to the public page."""
    meeting = get_object_or_404(Meeting.objects.visible_to_public(), code=code)
    minutes = permissions.published_version(meeting)
    readable = minutes is not None and permissions.readable_by_public(minutes)
    response = _published_notula(request, minutes, readable, "public")
    response["Cache-Control"] = "no-cache"
    return response


def participant_notula(request, code: str, token: str):
    """The approved Notula published to participants, through the person's private link."""
    registration = registration_for_token(code, token)
    if registration is None:
        raise Http404
    minutes = permissions.published_version(registration.meeting)
    readable = minutes is not None and permissions.readable_by_participant(minutes, registration)
    return _published_notula(request, minutes, readable, "participants")


def register_urls() -> None:
    """The documents' links on the meetings' `urls` helpers (called by MinutesConfig.ready)."""
    from meetings.models import DayUrls, MeetingUrls

    MeetingUrls.add(
        documents="minutes:documents",
        notula="minutes:notula",
        public_notula="minutes:public_notula",
    )
    DayUrls.add(daftar_hadir="minutes:daftar_hadir")
