"""The meeting's documentation photos page (Dokumentasi): upload a day's photos, a grid per day of
the web copies, edit a photo's caption, day, order and whether it goes into the report, delete a
photo, download its original.

Only the meeting's organizers and secretaries (and site administrators) come here: anyone else
signed in gets 404 (MeetingPermissionMixin), for the page and for every photo, web copy and
original alike. The images on the page come from `photo_web`, which checks the same permission
before serving (a redirect to a signed URL on an object store).
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from core.storage import serve
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff

from ..models import DocumentationPhoto
from ..photo_forms import PhotoForm, UploadForm
from ..services import photos as services


def page_url(meeting) -> str:
    return reverse("materials:photos", kwargs={"code": meeting.code})


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class StaffMixin(MeetingPermissionMixin):
    permission = staticmethod(is_meeting_staff)

    def get_photo(self) -> DocumentationPhoto:
        photo = get_object_or_404(
            DocumentationPhoto.objects.select_related("day"), meeting=self.meeting, pk=self.kwargs["pk"]
        )
        photo.meeting = self.meeting
        return photo


class PhotosView(StaffMixin, TemplateView):
    template_name = "materials/photos/index.html"

    def get_context_data(self, upload_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        days = services.by_day(self.meeting)
        context.update(
            days=days,
            count=sum(len(photos) for _day, photos in days),
            chosen=sum(1 for _day, photos in days for p in photos if p.in_report),
            upload_form=upload_form or UploadForm(meeting=self.meeting),
            max_per_upload=services.MAX_PER_UPLOAD,
        )
        return context


class UploadView(StaffMixin, View):
    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES, meeting=self.meeting)
        if form.is_valid():
            try:
                added = services.add_photos(
                    self.meeting, day=form.cleaned_data["day"], uploads=form.uploads(), actor=request.user
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d photo was added.", "%(count)d photos were added.", len(added))
                    % {"count": len(added)},
                )
                return redirect(page_url(self.meeting))
        page = PhotosView(request=request, kwargs=kwargs)
        page.meeting = self.meeting
        return page.render_to_response(page.get_context_data(upload_form=form), status=400)


class EditView(StaffMixin, TemplateView):
    template_name = "materials/photos/edit.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        photo = self.photo
        context.update(photo=photo, form=form or PhotoForm(meeting=self.meeting, photo=photo))
        return context

    def get(self, request, *args, **kwargs):
        self.photo = self.get_photo()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.photo = self.get_photo()
        form = PhotoForm(request.POST, meeting=self.meeting, photo=self.photo)
        if form.is_valid():
            try:
                services.change_photo(self.photo, actor=request.user, **form.changes())
            except ValidationError as exc:
                self.photo.refresh_from_db()
                _form_errors(form, exc)
            else:
                messages.success(request, _("The photo was saved."))
                return redirect(page_url(self.meeting))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReportView(StaffMixin, View):
    """The grid's quick switch: `in_report=1` chooses the photo for the report, anything else
    takes it out."""

    def post(self, request, *args, **kwargs):
        photo = self.get_photo()
        chosen = request.POST.get("in_report") == "1"
        services.set_in_report(photo, chosen, actor=request.user)
        if chosen:
            messages.success(request, _("The photo goes into the activity report and the news article."))
        else:
            messages.success(request, _("The photo no longer goes into the report and the news article."))
        return redirect(f"{page_url(self.meeting)}#day-{photo.day_id}")


class DeleteView(StaffMixin, TemplateView):
    template_name = "materials/photos/delete.html"

    def get(self, request, *args, **kwargs):
        self.photo = self.get_photo()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "photo": self.photo}

    def post(self, request, *args, **kwargs):
        photo = self.get_photo()
        services.delete_photo(photo, actor=request.user)
        messages.success(request, _("The photo was deleted."))
        return redirect(page_url(self.meeting))


def _stem(photo: DocumentationPhoto) -> str:
    return os.path.splitext(photo.display_name)[0] or "foto"


class WebCopyView(StaffMixin, View):
    """The web copy, shown inline in the grid (and opened in a tab)."""

    def get(self, request, *args, **kwargs):
        photo = self.get_photo()
        if not photo.web:
            raise Http404
        return serve(photo.web, filename=f"{_stem(photo)}.jpg", content_type="image/jpeg", inline=True)


class OriginalView(StaffMixin, View):
    """The original as uploaded (its EXIF included: the place and the camera), for staff only,
    as a download."""

    def get(self, request, *args, **kwargs):
        photo = self.get_photo()
        return serve(photo.original, filename=photo.display_name or "foto", content_type=photo.mime)


def register() -> None:
    """The page on the meetings' `urls` helper (called by MaterialsConfig.ready)."""
    from meetings.models import MeetingUrls

    MeetingUrls.add(photos="materials:photos")
