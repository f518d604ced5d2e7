"""The staff's "Materi" page of a meeting: materials by agenda item, the upload form (a file or a
link), changes and deletions, downloads, and the speakers' upload links (make, copy, revoke).

The meeting's organizers and secretaries (and site administrators) use it; anyone else gets 404
(MeetingPermissionMixin).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors
from core.storage import serve
from meetings.permissions import MeetingPermissionMixin

from .. import permissions
from ..forms import MaterialEditForm, MaterialForm, UploadLinkForm, agenda_items
from ..models import Material, UploadLink
from ..services import materials as services
from ..services import upload_links
from .listing import grouped


def page_url(meeting) -> str:
    return reverse("materials:materials", kwargs={"code": meeting.code})


class StaffMixin(MeetingPermissionMixin):
    permission = staticmethod(permissions.can_manage)

    def get_material(self) -> Material:
        return get_object_or_404(
            Material.objects.select_related("agenda_item__day", "upload_link"),
            meeting=self.meeting,
            pk=self.kwargs["pk"],
        )


def save_material(form: MaterialForm, meeting, *, item, actor=None, upload_link=None) -> Material | None:
    """The form's file or link through the service; a refusal goes next to its field."""
    data = form.cleaned_data
    try:
        if data.get("file"):
            return services.add_file(
                meeting,
                upload=data["file"],
                checked=form.checked,
                title=data.get("title", ""),
                agenda_item=item,
                visibility=data["visibility"],
                actor=actor,
                upload_link=upload_link,
            )
        return services.add_link(
            meeting,
            url=data["url"],
            title=data.get("title", ""),
            agenda_item=item,
            visibility=data["visibility"],
            actor=actor,
            upload_link=upload_link,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


class MaterialsView(StaffMixin, TemplateView):
    template_name = "materials/materials.html"

    def get_context_data(self, form=None, link_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        items = list(agenda_items(meeting))
        materials = list(
            Material.objects.filter(meeting=meeting)
            .select_related("agenda_item__day", "upload_link", "uploaded_by")
            .order_by("order", "id")
        )
        for material in materials:
            material.download_url = (
                reverse("materials:material_download", kwargs={"code": meeting.code, "pk": material.pk})
                if material.is_file
                else material.url
            )
        links = list(
            UploadLink.objects.filter(meeting=meeting).select_related("agenda_item__day").order_by("-id")
        )
        for link in links:
            # Staff may pass a speaker their current link again (a lost email), as focal points'.
            link.link = link.urls.absolute.page if link.is_active else ""
        context.update(
            groups=grouped(materials, items),
            form=form or MaterialForm(meeting=meeting),
            link_form=link_form or UploadLinkForm(meeting=meeting),
            upload_links=links,
            has_ended=permissions.has_ended(meeting),
        )
        return context


class AddView(StaffMixin, View):
    def post(self, request, *args, **kwargs):
        form = MaterialForm(request.POST, request.FILES, meeting=self.meeting)
        material = None
        if form.is_valid():
            material = save_material(
                form, self.meeting, item=form.cleaned_data.get("agenda_item"), actor=request.user
            )
        if material is None:
            page = MaterialsView(request=request, kwargs=kwargs)
            page.meeting = self.meeting
            return page.render_to_response(page.get_context_data(form=form), status=400)
        messages.success(request, _("“%(title)s” was added.") % {"title": material.title})
        return redirect(page_url(self.meeting))


class EditView(StaffMixin, TemplateView):
    template_name = "materials/material_edit.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        material = self.get_material()
        context.update(
            material=material,
            form=form
            or MaterialEditForm(
                meeting=self.meeting,
                initial={
                    "title": material.title,
                    "agenda_item": material.agenda_item_id,
                    "visibility": material.visibility,
                    "order": material.order,
                },
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        material = self.get_material()
        form = MaterialEditForm(request.POST, meeting=self.meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update(
                    material,
                    title=data["title"],
                    visibility=data["visibility"],
                    agenda_item=data.get("agenda_item"),
                    order=data["order"],
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The material was saved."))
                return redirect(page_url(self.meeting))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DeleteView(StaffMixin, View):
    def post(self, request, *args, **kwargs):
        material = self.get_material()
        services.delete(material, actor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": material.title})
        return redirect(page_url(self.meeting))


class DownloadView(StaffMixin, View):
    def get(self, request, *args, **kwargs):
        material = self.get_material()
        if not material.is_file or not material.file:
            raise Http404
        return serve(material.file, filename=material.display_name, content_type=material.mime)


class UploadLinkCreateView(StaffMixin, View):
    def post(self, request, *args, **kwargs):
        form = UploadLinkForm(request.POST, meeting=self.meeting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                link = upload_links.create(
                    self.meeting,
                    agenda_item=data.get("agenda_item"),
                    actor=request.user,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    send=data.get("send", False),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if data.get("send"):
                    text = _("The upload link for %(name)s is being sent to %(email)s.")
                else:
                    text = _("The upload link for %(name)s is ready: copy it from the list below.")
                messages.success(request, text % {"name": link.name, "email": link.email})
                return redirect(page_url(self.meeting) + "#upload-links")
        page = MaterialsView(request=request, kwargs=kwargs)
        page.meeting = self.meeting
        return page.render_to_response(page.get_context_data(link_form=form), status=400)


class UploadLinkRevokeView(StaffMixin, View):
    def post(self, request, *args, **kwargs):
        link = get_object_or_404(UploadLink, meeting=self.meeting, pk=kwargs["pk"])
        upload_links.revoke(link, actor=request.user)
        messages.success(request, _("The upload link of %(name)s no longer works.") % {"name": link.name})
        return redirect(page_url(self.meeting) + "#upload-links")
