"""Public registration (no account needed) and the person's private registration page."""

from __future__ import annotations

import base64
from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core import ratelimit
from core.forms import add_service_errors
from core.text import query_text
from core.timezones import other_zone
from directory.models import Organization
from meetings.models import Meeting

from .. import links, notifications
from ..forms.public import ChangeModeForm, DetailsForm, PublicListingForm, RegistrationForm
from ..models import Registration
from ..panels import private_page_panels
from ..services import registration as registration_services

# The sent page shows the address the person typed; it travels in a signed cookie, never the URL.
SENT_COOKIE = "sinergi_registration_sent"
SENT_COOKIE_SECONDS = 600
SUGGESTIONS_MIN_CHARS = 2
SUGGESTIONS_LIMIT = 10


def _no_store(response):
    """Pages with personal data: never kept by browsers or shared caches."""
    response["Cache-Control"] = "private, no-store"
    return response


def _public_meeting(code: str) -> Meeting:
    """A meeting the public may see; drafts do not exist for the public (404)."""
    return get_object_or_404(Meeting.objects.visible_to_public(), code=code)


def _rate_limited(request, meeting: Meeting | None = None):
    return _no_store(ratelimit.refused(request, meeting=meeting))


def _days(meeting: Meeting) -> list:
    return list(meeting.days.order_by("date"))


class RegistrationFormView(View):
    template_name = "participants/public/register.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = _public_meeting(kwargs["code"])
        return _no_store(super().dispatch(request, *args, **kwargs))

    def make_form(self, data=None) -> RegistrationForm:
        initial = {}
        user = self.request.user
        if user.is_authenticated:
            initial = {"full_name": user.full_name, "email": user.email, "position": user.position}
        form = RegistrationForm(
            data,
            initial=initial,
            modes=registration_services.allowed_modes(self.meeting),
            # A submitted form is labelled only if it is shown again (see post).
            full_modes=registration_services.full_modes(self.meeting) if data is None else frozenset(),
        )
        form.fields["organization_name"].widget.attrs.update(
            {
                "hx-get": reverse("participants:organization_suggestions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#organization-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        return form

    def render(self, *, form=None, reason=None):
        return render(
            self.request,
            self.template_name,
            {"meeting": self.meeting, "days": _days(self.meeting), "form": form, "reason": reason},
        )

    def get(self, request, *args, **kwargs):
        reason = registration_services.registration_closed_reason(self.meeting)
        if reason:
            return self.render(reason=reason)
        return self.render(form=self.make_form())

    def post(self, request, *args, **kwargs):
        if not ratelimit.allow(request, "register"):
            return _rate_limited(request, self.meeting)
        reason = registration_services.registration_closed_reason(self.meeting)
        if reason:
            return self.render(reason=reason)
        if request.POST.get("website", "").strip():
            # A bot filled the honeypot: answer exactly as for a real registration, keep nothing.
            return self.sent(request.POST.get("email", ""))
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration_services.register(
                    self.meeting,
                    full_name=data["full_name"],
                    email=data["email"],
                    mode=data["mode"],
                    position=data["position"],
                    organization_name=data["organization_name"],
                    phone=data["phone"],
                    language=request.LANGUAGE_CODE,
                    consent=data["consent"],
                    public_listing=data["public_listing"],
                    user=request.user,
                    source=Registration.Source.PUBLIC,
                    actor=request.user,
                )
            except registration_services.RegistrationError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Confirmed, waiting, pending or already registered: the same answer, so the page
                # never tells who has registered; the email says what applies.
                return self.sent(data["email"])
        form.show_full(registration_services.full_modes(self.meeting))
        return self.render(form=form)

    def sent(self, email: str) -> HttpResponseRedirect:
        response = redirect("participants:register_sent", code=self.meeting.code)
        # A signed, short-lived, HttpOnly cookie rather than the session: registering creates no
        # session row, which keeps a burst of registrations cheap.
        response.set_signed_cookie(
            SENT_COOKIE,
            # Percent-encoded: a cookie is Latin-1 at most, an address may be internationalised.
            f"{self.meeting.code}:{quote(email.strip().lower()[:254], safe='@')}",
            salt=SENT_COOKIE,
            max_age=SENT_COOKIE_SECONDS,
            path=reverse("participants:register_sent", kwargs={"code": self.meeting.code}),
            secure=self.request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response


class RegistrationSentView(View):
    def get(self, request, code):
        meeting = _public_meeting(code)
        value = request.get_signed_cookie(SENT_COOKIE, "", salt=SENT_COOKIE, max_age=SENT_COOKIE_SECONDS)
        sent_code, _sep, email = value.partition(":")
        email = unquote(email) if sent_code == meeting.code else ""
        return _no_store(
            render(request, "participants/public/register_sent.html", {"meeting": meeting, "email": email})
        )


class OrganizationSuggestionsView(View):
    """Directory names for the registration form's datalist (organizations are not personal data)."""

    def get(self, request):
        q = query_text(request.GET.get("q") or request.GET.get("organization_name") or "")
        organizations = []
        if len(q) >= SUGGESTIONS_MIN_CHARS:
            organizations = list(
                Organization.objects.filter(Q(name__icontains=q) | Q(acronym__icontains=q))
                .only("name", "acronym")
                .order_by("name", "pk")[:SUGGESTIONS_LIMIT]
            )
        return render(
            request, "participants/public/organization_options.html", {"organizations": organizations}
        )


class PrivacyView(TemplateView):
    template_name = "privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purge_after_days"] = settings.SINERGI_PURGE_AFTER_DAYS
        return context


def registration_data(registration: Registration) -> dict:
    """Everything stored about the person for this registration (their right of access)."""

    def iso(value):
        return value.isoformat() if value else None

    meeting = registration.meeting
    attendances = registration.attendances.select_related("day").order_by("day__date", "first_seen_at")
    return {
        "meeting": {"code": meeting.code, "title": meeting.title},
        "registration_code": registration.code,
        "full_name": registration.full_name,
        "position": registration.position,
        "organization": registration.organization.name
        if registration.organization_id
        else registration.organization_name,
        "email": registration.email,
        "phone": registration.phone,
        "mode": registration.mode,
        "state": registration.state,
        "source": registration.source,
        "language": registration.language,
        "public_listing": registration.public_listing,
        "personal_join_url": registration.personal_join_url,
        "consent_at": iso(registration.consent_at),
        "created_at": iso(registration.created_at),
        "updated_at": iso(registration.updated_at),
        "confirmed_at": iso(registration.confirmed_at),
        "waitlisted_at": iso(registration.waitlisted_at),
        "cancelled_at": iso(registration.cancelled_at),
        "attendance": [
            {
                "date": attendance.day.date.isoformat(),
                "how": attendance.how,
                "first_seen_at": iso(attendance.first_seen_at),
                "last_left_at": iso(attendance.last_left_at),
                "minutes": attendance.minutes,
            }
            for attendance in attendances
        ],
    }


class RegistrationManageView(View):
    """The person's own page behind their private link: see, switch mode, cancel, get the data."""

    template_name = "participants/public/manage.html"

    def dispatch(self, request, *args, **kwargs):
        # A wrong, tampered or revoked token answers exactly like an unknown code.
        self.registration = links.registration_for_token(kwargs["code"], kwargs["token"])
        if self.registration is None:
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return _no_store(response)

    @property
    def meeting(self) -> Meeting:
        return self.registration.meeting

    def can_change(self) -> bool:
        """Changes are possible while the registration is active and the meeting is still ahead."""
        if not self.registration.is_active or self.meeting.status != Meeting.Status.PUBLISHED:
            return False
        days = _days(self.meeting)
        return not days or timezone.now() < days[-1].ends_at()

    def get(self, request, *args, **kwargs):
        return self.render(confirm_cancel=request.GET.get("cancel") == "1")

    def details_form(self, data=None) -> DetailsForm | None:
        if not registration_services.can_correct_details(self.registration):
            return None
        registration = self.registration
        initial = {field: getattr(registration, field) for field in registration_services.CORRECTABLE_FIELDS}
        return DetailsForm(data, initial=initial)

    def render(self, *, confirm_cancel: bool = False, details_form=None):
        registration, meeting = self.registration, self.meeting
        days = _days(meeting)
        can_change = self.can_change()
        modes = registration_services.allowed_modes(meeting)
        qr = None
        # The QR code is for the registration desk: people attending online have no use for it.
        if (
            registration.state == Registration.State.CONFIRMED
            and registration.mode == Registration.Mode.ONSITE
        ):
            qr = "data:image/png;base64," + base64.b64encode(notifications.qr_png(registration.code)).decode()
        return render(
            self.request,
            self.template_name,
            {
                "details_form": details_form or self.details_form(),
                "editing_details": details_form is not None,
                "waiting_position": registration_services.waiting_position(registration),
                "registration": registration,
                "meeting": meeting,
                "days": days,
                "other_tz": other_zone(meeting.timezone, registration.organization),
                "online_room": getattr(meeting, "online_room", None) if meeting.has_online else None,
                "qr_data_uri": qr,
                "can_change": can_change,
                "other_modes": [m for m in modes if m != registration.mode] if can_change else [],
                "confirm_cancel": confirm_cancel and can_change,
                "mode_labels": dict(Registration.Mode.choices),
                "panels": private_page_panels(self.request, registration, self.kwargs["token"]),
            },
        )

    def post(self, request, *args, **kwargs):
        if not ratelimit.allow(request, "registration-manage"):
            return _rate_limited(request, self.meeting)
        handler = {
            "mode": self.change_mode,
            "details": self.correct_details,
            "cancel": self.cancel,
            "listing": self.set_listing,
            "data": self.download_data,
            "renew": self.renew_link,
        }.get(request.POST.get("action"))
        if handler is None:
            return self.back()
        return handler(request)

    def back(self) -> HttpResponseRedirect:
        return redirect(self.registration.urls.private)

    def change_mode(self, request):
        form = ChangeModeForm(request.POST, modes=registration_services.allowed_modes(self.meeting))
        if not self.can_change() or not form.is_valid():
            messages.error(request, _("Your registration cannot be changed."))
            return self.back()
        try:
            registration_services.change_mode(self.registration, form.cleaned_data["mode"])
        except registration_services.RegistrationError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your attendance has been changed. We have sent you an email."))
        return self.back()

    def cancel(self, request):
        if not self.can_change():
            messages.error(request, _("Your registration cannot be changed."))
            return self.back()
        try:
            registration_services.cancel(self.registration)
        except registration_services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your registration has been cancelled."))
        return self.back()

    def correct_details(self, request):
        form = self.details_form(request.POST)
        if form is None:
            messages.error(request, _("Your registration cannot be changed."))
            return self.back()
        if not form.is_valid():
            return self.render(details_form=form)
        try:
            changed = registration_services.correct_details(self.registration, **form.cleaned_data)
        except registration_services.RegistrationError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(details_form=form)
        else:
            if changed:
                messages.success(request, _("Your details have been corrected."))
            else:
                messages.info(request, _("Nothing was changed."))
        return self.back()

    def set_listing(self, request):
        form = PublicListingForm(request.POST)
        form.is_valid()
        listed = form.cleaned_data.get("listed", False)
        try:
            registration_services.set_public_listing(self.registration, listed)
        except registration_services.RegistrationError as error:
            messages.error(request, str(error))
            return self.back()
        if listed:
            messages.success(request, _("Your name is now shown on the public participant list."))
        else:
            messages.success(request, _("Your name is no longer shown on the public participant list."))
        return self.back()

    def download_data(self, request):
        response = JsonResponse(
            registration_data(self.registration), json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
        response["Content-Disposition"] = (
            f'attachment; filename="sinergi-registration-{self.registration.code}.json"'
        )
        return response

    def renew_link(self, request):
        registration = registration_services.revoke_link(self.registration)
        # This page's address has just stopped working; the new one goes only to the mailbox.
        return render(
            request,
            "participants/public/link_renewed.html",
            {"registration": registration, "meeting": self.meeting},
        )
