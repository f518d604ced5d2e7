"""The organizer's certificate page (settings, template, issue, send, revoke, download) and the
participant's download through their private link.

Only the meeting's organizers (and site administrators) manage certificates: a secretary gets
403, anyone else 404 (MeetingPermissionMixin). A participant gets their own valid certificate
only, through their private-link token; a revoked one is gone for them (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.text import is_id
from meetings.permissions import MeetingPermissionMixin
from participants.links import registration_for_token
from participants.models import Certificate
from participants.services import certificates as certificate_services

from .. import permissions
from ..documents import certificate as certificate_document
from ..forms.certificates import RevokeForm, SettingsForm, TemplateForm
from ..services import certificates as sending
from .documents import docx_response


def _language(request) -> str:
    lang = request.GET.get("lang") or (get_language() or "id")[:2]
    return lang if lang in certificate_document.LANGUAGES else "id"


def page_url(meeting) -> str:
    return reverse("minutes:certificates", kwargs={"code": meeting.code})


class OrganizerMixin(MeetingPermissionMixin):
    permission = staticmethod(permissions.can_manage)


class CertificatesView(OrganizerMixin, TemplateView):
    template_name = "minutes/certificates/index.html"

    def get_context_data(self, settings_form=None, template_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        settings = certificate_services.settings_for(meeting)
        eligible = list(
            certificate_services.eligible(meeting, settings.min_online_minutes).annotate(
                has_certificate=Exists(Certificate.objects.filter(registration=OuterRef("pk")))
            )
        )
        certificates = list(certificate_services.of_meeting(meeting))
        for certificate in certificates:
            certificate.meeting = meeting
        context.update(
            settings=settings,
            settings_form=settings_form
            or SettingsForm(
                initial={
                    "min_online_minutes": settings.min_online_minutes,
                    "signer_name": settings.signer_name,
                    "signer_position": settings.signer_position,
                }
            ),
            template_form=template_form or TemplateForm(),
            eligible=eligible,
            waiting=[r for r in eligible if not r.has_certificate],
            certificates=certificates,
            valid_count=sum(1 for c in certificates if not c.is_revoked),
            revoke_form=RevokeForm(),
        )
        return context


class SettingsView(OrganizerMixin, View):
    def post(self, request, *args, **kwargs):
        form = SettingsForm(request.POST)
        if not form.is_valid():
            page = CertificatesView(request=request, kwargs=kwargs)
            page.meeting = self.meeting
            return page.render_to_response(page.get_context_data(settings_form=form), status=400)
        certificate_services.save_settings(self.meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The certificate settings were saved."))
        return redirect(page_url(self.meeting))


class TemplateUploadView(OrganizerMixin, View):
    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "remove":
            certificate_services.set_template(self.meeting, actor=request.user, data=b"", name="")
            messages.success(request, _("The built-in certificate layout is used again."))
            return redirect(page_url(self.meeting))
        form = TemplateForm(request.POST, request.FILES)
        if not form.is_valid():
            page = CertificatesView(request=request, kwargs=kwargs)
            page.meeting = self.meeting
            return page.render_to_response(page.get_context_data(template_form=form), status=400)
        upload = form.cleaned_data["file"]
        name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        certificate_services.set_template(
            self.meeting, actor=request.user, data=form.template_bytes, name=name
        )
        messages.success(request, _("The template was saved; new downloads and emails use it."))
        return redirect(page_url(self.meeting))


class IssueView(OrganizerMixin, View):
    def post(self, request, *args, **kwargs):
        issued = certificate_services.issue_all(self.meeting, actor=request.user)
        if issued.created:
            count = len(issued.created)
            messages.success(
                request,
                ngettext("%(count)d certificate was issued.", "%(count)d certificates were issued.", count)
                % {"count": count},
            )
        else:
            messages.info(request, _("Every eligible participant has a certificate already."))
        return redirect(page_url(self.meeting))


class SendView(OrganizerMixin, View):
    """All valid certificates, or the one `certificate` posted."""

    def post(self, request, *args, **kwargs):
        one = request.POST.get("certificate", "")
        if one and not is_id(one):
            raise Http404
        count = sending.send(self.meeting, actor=request.user, ids=[int(one)] if one else None)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d certificate is being sent by email.",
                    "%(count)d certificates are being sent by email.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("There is no valid certificate to send."))
        return redirect(page_url(self.meeting))


class RevokeView(OrganizerMixin, View):
    def post(self, request, *args, **kwargs):
        certificate = get_object_or_404(Certificate, meeting=self.meeting, pk=kwargs["pk"])
        form = RevokeForm(request.POST)
        try:
            if not form.is_valid():
                raise certificate_services.CertificateError(_("Say why the certificate is revoked."))
            certificate_services.revoke(certificate, actor=request.user, reason=form.cleaned_data["reason"])
        except certificate_services.CertificateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Certificate %(number)s was revoked.") % {"number": certificate.number}
            )
        return redirect(page_url(self.meeting))


class DownloadView(OrganizerMixin, View):
    def get(self, request, *args, **kwargs):
        certificate = get_object_or_404(
            Certificate.objects.select_related("registration__organization"),
            meeting=self.meeting,
            pk=kwargs["pk"],
        )
        certificate.meeting = self.meeting
        data = certificate_document.render(certificate, language=_language(request))
        return docx_response(data, certificate_document.filename(certificate))


def participant_certificate(request, code: str, token: str):
    """The holder's own valid certificate, through their private link."""
    registration = registration_for_token(code, token)
    if registration is None:
        raise Http404
    certificate = certificate_services.for_registration(registration)
    if certificate is None:
        raise Http404
    certificate.registration = registration
    try:
        data = certificate_document.render(certificate, language=_language(request))
    except ValidationError as exc:  # a stored template that no longer opens
        raise Http404 from exc
    return docx_response(data, certificate_document.filename(certificate))


def register() -> None:
    """The certificate pages on the meetings' `urls` helpers and the certificate link on the
    participant's private page (called by MinutesConfig.ready)."""
    from meetings.models import MeetingUrls
    from participants.panels import add_private_page_panel

    MeetingUrls.add(certificates="minutes:certificates", badges="participants:badges")
    add_private_page_panel(_private_panel)


def _private_panel(request, registration, token):
    certificate = certificate_services.for_registration(registration)
    if certificate is None:
        return None
    return (
        "minutes/certificates/_private_panel.html",
        {
            "certificate": certificate,
            "download_url": reverse(
                "minutes:participant_certificate", kwargs={"code": registration.code, "token": token}
            ),
        },
    )
