"""The speaker's private upload page: no account, the link's token in the URL. It shows the agenda
slot and what came through this link, takes a file or a link, and deletes the speaker's own
uploads. A wrong, tampered or revoked link is a 404; the page is never cached nor indexed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.links import PrivateLinkMixin
from core.storage import serve

from ..forms import MaterialForm
from ..models import Material
from ..services import materials as services
from ..services.upload_links import link_for_token
from .materials import save_material


class SpeakerMixin(PrivateLinkMixin):
    rate_scope = "material-upload"

    def open_link(self, pk, token, **kwargs) -> bool:
        self.link = link_for_token(pk, token)
        self.meeting = self.link.meeting if self.link else None
        return self.link is not None

    @property
    def page_url(self) -> str:
        return self.link.urls.page

    def _kw(self, material: Material) -> dict:
        return {"pk": self.link.pk, "token": self.kwargs["token"], "material": material.pk}

    def own_material(self) -> Material:
        # Only what came through this very link: any other id is a 404.
        return get_object_or_404(
            Material, pk=self.kwargs["material"], upload_link=self.link, meeting=self.meeting
        )


class SpeakerUploadView(SpeakerMixin, TemplateView):
    template_name = "materials/speaker.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        materials = list(Material.objects.filter(upload_link=self.link).order_by("order", "id"))
        for material in materials:
            if material.is_file:
                material.download_url = reverse("materials:speaker_download", kwargs=self._kw(material))
            else:
                material.download_url = material.url
        context.update(
            link=self.link,
            meeting=self.meeting,
            item=self.link.agenda_item,
            materials=materials,
            form=form or MaterialForm(meeting=self.meeting, with_item=False),
            page_url=self.page_url,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = MaterialForm(request.POST, request.FILES, meeting=self.meeting, with_item=False)
        material = None
        if form.is_valid():
            material = save_material(form, self.meeting, item=self.link.agenda_item, upload_link=self.link)
        if material is None:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Thank you: “%(title)s” was uploaded.") % {"title": material.title})
        return redirect(self.page_url)


class SpeakerDeleteView(SpeakerMixin, View):
    def post(self, request, *args, **kwargs):
        material = self.own_material()
        services.delete(material, upload_link=self.link)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": material.title})
        return redirect(self.page_url)


class SpeakerDownloadView(SpeakerMixin, View):
    def get(self, request, *args, **kwargs):
        material = self.own_material()
        if not material.is_file or not material.file:
            raise Http404
        return serve(material.file, filename=material.display_name, content_type=material.mime)
