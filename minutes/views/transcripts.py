"""Transcript pages: upload a file, review its draft points per section (accept, edit, merge,
discard). The meeting's organizers and secretaries only; changes only on a draft version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from core import ratelimit
from core.forms import add_service_errors
from core.text import is_id
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff

from ..forms.transcripts import DraftEditForm, UploadForm
from ..models import DraftPoint, Minutes, TranscriptImport, ZoomTranscript
from ..permissions import can_edit
from ..services import transcripts as service
from ..services import zoom_transcripts
from ..services.preparation import prepare_minutes
from ..transcripts.parsing import MAX_BYTES

UPLOADS_PER_MINUTE = 10
# The multipart envelope around the file (boundaries, the other fields) stays well under this.
ENVELOPE_BYTES = 64 * 1024


def transcripts_url(meeting) -> str:
    return reverse("minutes:transcripts", kwargs={"code": meeting.code})


def review_url(transcript: TranscriptImport, meeting) -> str:
    return reverse("minutes:transcript_review", kwargs={"code": meeting.code, "pk": transcript.pk})


def edit_url(draft: DraftPoint, meeting) -> str:
    return reverse(
        "minutes:draft_edit", kwargs={"code": meeting.code, "pk": draft.transcript_id, "draft_id": draft.pk}
    )


class TranscriptMixin(MeetingPermissionMixin):
    permission = staticmethod(is_meeting_staff)

    def current_minutes(self) -> Minutes | None:
        return Minutes.objects.filter(meeting=self.meeting).order_by("-version").first()

    def require_edit(self, minutes: Minutes | None) -> None:
        if minutes is None or not can_edit(self.request.user, minutes):
            raise PermissionDenied


class TranscriptsView(TranscriptMixin, TemplateView):
    """The imports of the meeting's current minutes and the upload form."""

    template_name = "minutes/transcripts/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = kwargs.get("minutes") or self.current_minutes()
        editable = minutes is None or can_edit(self.request.user, minutes)
        imports = []
        if minutes is not None:
            imports = list(
                minutes.transcripts.select_related("uploaded_by", "day").annotate(
                    pending=Count("drafts", filter=Q(drafts__state=DraftPoint.State.PENDING)),
                    total=Count("drafts"),
                )
            )
            for transcript in imports:
                transcript.review_url = review_url(transcript, self.meeting)
        offered = list(zoom_transcripts.offered_transcripts(self.meeting).select_related("transcript"))
        for row in offered:
            row.recording_start_local = localtime(row.recording_start, self.meeting.tz)
            row.import_url = reverse(
                "minutes:zoom_transcript_import", kwargs={"code": self.meeting.code, "pk": row.pk}
            )
            current = (
                row.transcript is not None and minutes is not None and row.transcript.minutes_id == minutes.pk
            )
            row.review_url = review_url(row.transcript, self.meeting) if current else ""
        has_days = self.meeting.days.exists()
        if editable and has_days and "form" not in context:
            context["form"] = UploadForm(meeting=self.meeting, minutes=minutes)
        context.update(
            minutes=minutes,
            has_days=has_days,
            imports=imports,
            zoom_transcripts=offered,
            editable=editable,
            transcripts_url=transcripts_url(self.meeting),
        )
        return context

    def post(self, request, *args, **kwargs):
        # Refused from the declared length, before Django reads the body into a file.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BYTES + ENVELOPE_BYTES:
            context = {"meeting": self.meeting, "transcripts_url": transcripts_url(self.meeting)}
            return render(request, "minutes/transcripts/too_large.html", context, status=413)
        minutes = self.current_minutes()
        if minutes is not None:
            self.require_edit(minutes)
        form = UploadForm(request.POST, request.FILES, meeting=self.meeting, minutes=minutes)
        if not ratelimit.allow(
            request, f"minutes-transcript:{request.user.pk}", UPLOADS_PER_MINUTE, fail_closed=False
        ):
            form.is_valid()
            form.add_error(None, _("Too many uploads in a minute: wait a moment and try again."))
            return self.render_to_response(self.get_context_data(form=form, minutes=minutes), status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The first upload prepares the minutes; a refused file leaves them unprepared.
                with transaction.atomic():
                    target = minutes or prepare_minutes(self.meeting, author=request.user)
                    self.require_edit(target)
                    result = service.import_transcript(
                        target,
                        data["file"],
                        author=request.user,
                        day=data["day"],
                        recording_started_at=form.recording_started_at(),
                        format=data["format"] or None,
                        section=data["section"],
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if result.already_imported:
                    messages.info(request, _("This file was already imported: nothing was added."))
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d draft point to review.",
                            "%(count)d draft points to review.",
                            result.created,
                        )
                        % {"count": result.created}
                        + (
                            " "
                            + ngettext(
                                "%(count)d was already imported from another file.",
                                "%(count)d were already imported from another file.",
                                result.skipped,
                            )
                            % {"count": result.skipped}
                            if result.skipped
                            else ""
                        ),
                    )
                return redirect(review_url(result.transcript, self.meeting))
        return self.render_to_response(self.get_context_data(form=form, minutes=minutes))


class ZoomTranscriptImportView(TranscriptMixin, View):
    """Import a transcript offered from Zoom into the current minutes (POST), then review it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        offered = get_object_or_404(
            ZoomTranscript.objects.defer("text"), pk=self.kwargs["pk"], meeting=self.meeting
        )
        minutes = self.current_minutes()
        if minutes is None:
            minutes = prepare_minutes(self.meeting, author=request.user)
        self.require_edit(minutes)
        try:
            result = zoom_transcripts.import_offered(offered, minutes, author=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(transcripts_url(self.meeting))
        if result.already_imported:
            messages.info(request, _("This transcript was already imported: nothing was added."))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d draft point to review.", "%(count)d draft points to review.", result.created
                )
                % {"count": result.created},
            )
        return redirect(review_url(result.transcript, self.meeting))


def _label(draft: DraftPoint) -> str:
    if draft.person_id:
        return draft.person.full_name
    if draft.registration_id:
        return draft.registration.full_name
    return ""


def decorate(draft: DraftPoint, meeting, editable: bool) -> DraftPoint:
    local = localtime(draft.starts_at, meeting.tz)
    draft.time_label = local.strftime("%H.%M.%S")
    draft.match_label = _label(draft)
    draft.edit_url = edit_url(draft, meeting)
    draft.editable = editable and draft.state == DraftPoint.State.PENDING
    return draft


class TranscriptReviewView(TranscriptMixin, TemplateView):
    """One import's drafts grouped by section; POST accepts, discards or merges."""

    template_name = "minutes/transcripts/review.html"

    def get_transcript(self) -> TranscriptImport:
        return get_object_or_404(
            TranscriptImport.objects.select_related("minutes"),
            pk=self.kwargs["pk"],
            minutes__meeting=self.meeting,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transcript = kwargs.get("transcript") or self.get_transcript()
        minutes = transcript.minutes
        editable = can_edit(self.request.user, minutes)
        drafts = list(transcript.drafts.select_related("person", "registration").order_by("starts_at", "id"))
        sections = list(minutes.sections.order_by("order", "id"))
        by_section: dict[int | None, list] = {}
        for draft in drafts:
            by_section.setdefault(draft.section_id, []).append(decorate(draft, self.meeting, editable))
        groups = [(s, by_section[s.pk]) for s in sections if s.pk in by_section]
        if None in by_section:
            groups.append((None, by_section[None]))
        context.update(
            transcript=transcript,
            minutes=minutes,
            groups=groups,
            editable=editable,
            pending=sum(1 for d in drafts if d.state == DraftPoint.State.PENDING),
            transcripts_url=transcripts_url(self.meeting),
            review_url=review_url(transcript, self.meeting),
            recording_start=localtime(transcript.recording_started_at, self.meeting.tz),
        )
        return context

    def post(self, request, *args, **kwargs):
        transcript = self.get_transcript()
        self.require_edit(transcript.minutes)
        drafts = transcript.drafts
        try:
            if "accept" in request.POST:
                draft = get_object_or_404(drafts, pk=_int(request.POST["accept"]))
                service.accept_draft(draft, author=request.user)
                notice = _("The draft was added to the minutes.")
            elif "discard" in request.POST:
                draft = get_object_or_404(drafts, pk=_int(request.POST["discard"]))
                service.discard_draft(draft, author=request.user)
                notice = _("The draft was discarded.")
            elif "merge" in request.POST:
                ids = [_int(v) for v in request.POST.getlist("drafts")]
                chosen = list(drafts.filter(pk__in=ids).select_related("transcript"))
                draft = None
                service.merge_drafts(chosen, author=request.user)
                notice = ngettext(
                    "%(count)d draft was merged into one point of the minutes.",
                    "%(count)d drafts were merged into one point of the minutes.",
                    len(chosen),
                ) % {"count": len(chosen)}
            else:
                return redirect(review_url(transcript, self.meeting))
        except ValidationError as exc:
            if request.headers.get("HX-Request"):
                return HttpResponse(" ".join(exc.messages), status=409)
            messages.error(request, " ".join(exc.messages))
            return redirect(review_url(transcript, self.meeting))
        if request.headers.get("HX-Request") and draft is not None:
            draft = DraftPoint.objects.select_related("person", "registration").get(pk=draft.pk)
            return render(
                request,
                "minutes/transcripts/_draft.html",
                {"draft": decorate(draft, self.meeting, True), "editable": True, "meeting": self.meeting},
            )
        messages.success(request, notice)
        return redirect(review_url(transcript, self.meeting))


def _int(value) -> int:
    """A posted row id, or 0 (no row) for anything else: "²", "9" * 30, a missing value."""
    return int(value) if is_id(value) else 0


class DraftEditView(TranscriptMixin, TemplateView):
    """Correct a draft's text and agenda item; save it for later or accept it at once."""

    template_name = "minutes/transcripts/edit.html"

    def get_draft(self) -> DraftPoint:
        return get_object_or_404(
            DraftPoint.objects.select_related("transcript__minutes", "person", "registration", "section"),
            pk=self.kwargs["draft_id"],
            transcript_id=self.kwargs["pk"],
            transcript__minutes__meeting=self.meeting,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = kwargs.get("draft") or self.get_draft()
        minutes = draft.transcript.minutes
        if "form" not in context:
            context["form"] = DraftEditForm(
                initial={"text": draft.text, "section": draft.section_id}, minutes=minutes
            )
        context.update(
            draft=decorate(draft, self.meeting, can_edit(self.request.user, minutes)),
            review_url=review_url(draft.transcript, self.meeting),
        )
        return context

    def get(self, request, *args, **kwargs):
        draft = self.get_draft()
        self.require_edit(draft.transcript.minutes)
        return self.render_to_response(self.get_context_data(draft=draft))

    def post(self, request, *args, **kwargs):
        draft = self.get_draft()
        minutes = draft.transcript.minutes
        self.require_edit(minutes)
        form = DraftEditForm(request.POST, minutes=minutes)
        if form.is_valid():
            try:
                draft = service.update_draft(
                    draft,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    section=form.cleaned_data["section"],
                )
                if "accept" in request.POST:
                    service.accept_draft(draft, author=request.user)
                    messages.success(request, _("The draft was added to the minutes."))
                else:
                    messages.success(request, _("The draft was saved; it still waits for review."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(review_url(draft.transcript, self.meeting))
        return self.render_to_response(self.get_context_data(draft=draft, form=form))
