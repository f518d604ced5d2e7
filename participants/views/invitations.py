"""Agency invitations: the organizer's table and the focal point's private nomination page."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors
from core.links import PrivateLinkMixin
from meetings.permissions import MeetingPermissionMixin, is_meeting_staff, is_organizer

from .. import links
from ..forms.invitations import (
    BULK_EXAMPLE,
    BulkInvitationForm,
    DeadlineForm,
    InvitationForm,
    NominationForm,
    QuotaForm,
)
from ..models import AgencyInvitation, Nomination, Registration
from ..services import invitations
from ..services.registration import allowed_modes

ACTIVE = Registration.ACTIVE_STATES
State = Registration.State


# Organizer's side ---------------------------------------------------------------------------


def invitations_url(meeting) -> str:
    return reverse("participants:invitations", kwargs={"code": meeting.code})


def submit(form, service, *args, **kwargs):
    """What `service(*args, **kwargs, **form.cleaned_data)` returns if the form is valid, else None.

    A ValidationError from the service is shown on the form (next to its field, or above it), so
    None means: render the form again with its errors. The services called here return an object.
    """
    if not form.is_valid():
        return None
    try:
        return service(*args, **kwargs, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def invitation_rows(meeting):
    """The meeting's invitations with their delegates counted per state, in one query."""
    regs = "registrations"
    return (
        AgencyInvitation.objects.filter(meeting=meeting)
        .select_related("organization__parent")
        .annotate(
            nominated=Count(regs, filter=Q(registrations__state__in=ACTIVE)),
            confirmed=Count(regs, filter=Q(registrations__state=State.CONFIRMED)),
            waiting=Count(regs, filter=Q(registrations__state=State.WAITLISTED)),
            pending=Count(regs, filter=Q(registrations__state=State.PENDING)),
            # People registered already whom the focal point nominated: they hold a quota seat
            # while the organizers' counts above cannot include them yet.
            asked=Subquery(
                Nomination.objects.filter(invitation=OuterRef("pk"), state=Nomination.State.ASKED)
                .values("invitation")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("organization__name", "pk")
    )


class InvitationListView(MeetingPermissionMixin, TemplateView):
    """The table per agency; organizers invite, change quotas, remind and revoke; secretaries look."""

    permission = staticmethod(is_meeting_staff)
    template_name = "participants/invitations/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(invitation_rows(self.meeting))
        for row in rows:
            row.meeting = self.meeting  # for the rows' links, without a query each
        if context["user_is_organizer"]:
            # Organizers may pass a focal point their current link again (a lost email).
            for row in rows:
                row.link = (
                    row.urls.absolute.focal_point if row.state != AgencyInvitation.State.REVOKED else ""
                )
        live = [row for row in rows if row.state != AgencyInvitation.State.REVOKED]
        context.update(
            invitations=rows,
            totals={
                "quota": sum(row.quota for row in live),
                "nominated": sum(row.nominated for row in rows),
                "confirmed": sum(row.confirmed for row in rows),
                "waiting": sum(row.waiting for row in rows),
                "responded": sum(1 for row in live if row.state == AgencyInvitation.State.RESPONDED),
                "invited": len(live),
            },
            not_responded=sum(1 for row in rows if row.state == AgencyInvitation.State.INVITED),
            capacity_warning=invitations.capacity_warning(self.meeting),
            closed_reason=invitations.inviting_closed_reason(self.meeting),
        )
        if context["user_is_organizer"] and not context["closed_reason"]:
            context.setdefault("form", InvitationForm(meeting_timezone=self.meeting.timezone))
        return context

    def post(self, request, *args, **kwargs):
        if not is_organizer(request.user, self.meeting):
            raise PermissionDenied
        form = InvitationForm(request.POST, meeting_timezone=self.meeting.timezone)
        invitation = submit(form, invitations.invite, self.meeting, actor=request.user)
        if invitation is None:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(org)s invited; the focal point has been emailed.") % {"org": invitation.organization},
        )
        return redirect(invitations_url(self.meeting))


class InvitationBulkView(MeetingPermissionMixin, TemplateView):
    template_name = "participants/invitations/bulk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", BulkInvitationForm(meeting_timezone=self.meeting.timezone))
        context["closed_reason"] = invitations.inviting_closed_reason(self.meeting)
        context["example"] = BULK_EXAMPLE
        context["capacity_warning"] = invitations.capacity_warning(self.meeting)
        return context

    def post(self, request, *args, **kwargs):
        form = BulkInvitationForm(request.POST, meeting_timezone=self.meeting.timezone)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        report = invitations.invite_many(
            self.meeting,
            form.cleaned_data["lines"],
            actor=request.user,
            language=form.cleaned_data["language"],
            nomination_deadline=form.cleaned_data["nomination_deadline"],
        )
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(
            request,
            _("%(count)d organizations invited; their focal points have been emailed.")
            % {"count": len(report.done)},
        )
        return redirect(invitations_url(self.meeting))


class InvitationObjectMixin(MeetingPermissionMixin):
    """An invitation of the meeting in the URL (another meeting's id is a 404)."""

    def get_invitation(self) -> AgencyInvitation:
        return get_object_or_404(
            AgencyInvitation.objects.select_related("organization", "meeting"),
            pk=self.kwargs["pk"],
            meeting=self.meeting,
        )


class InvitationPageMixin(InvitationObjectMixin):
    """A page about one invitation (quota, deadline, revoke): opened on GET, shown with its counts."""

    def get(self, request, *args, **kwargs):
        self.invitation = self.get_invitation()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        context["nominated"] = invitations.active_count(self.invitation)
        return context


class InvitationQuotaView(InvitationPageMixin, TemplateView):
    template_name = "participants/invitations/quota.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", QuotaForm(initial={"quota": self.invitation.quota}))
        return context

    def post(self, request, *args, **kwargs):
        self.invitation = self.get_invitation()
        form = QuotaForm(request.POST)
        if submit(form, invitations.update_quota, self.invitation, actor=request.user) is None:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(org)s now has %(quota)d seats.")
            % {"org": self.invitation.organization, "quota": form.cleaned_data["quota"]},
        )
        return redirect(invitations_url(self.meeting))


class InvitationDeadlineView(InvitationPageMixin, TemplateView):
    """Set, extend or remove one agency's nomination deadline."""

    template_name = "participants/invitations/deadline.html"

    def form(self, data=None) -> DeadlineForm:
        deadline = self.invitation.nomination_deadline
        initial = {}
        if deadline:
            local = timezone.localtime(deadline, ZoneInfo(self.meeting.timezone))
            initial["nomination_deadline"] = local.replace(tzinfo=None)
        return DeadlineForm(data, initial=initial, meeting_timezone=self.meeting.timezone)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        return context

    def post(self, request, *args, **kwargs):
        self.invitation = self.get_invitation()
        form = self.form(request.POST)
        if submit(form, invitations.set_deadline, self.invitation, actor=request.user) is None:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request, _("The nomination deadline of %(org)s is saved.") % {"org": self.invitation.organization}
        )
        return redirect(invitations_url(self.meeting))


class InvitationRevokeView(InvitationPageMixin, TemplateView):
    template_name = "participants/invitations/revoke.html"

    def post(self, request, *args, **kwargs):
        invitation = self.get_invitation()
        try:
            invitations.revoke(invitation, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The invitation of %(org)s is revoked; its link no longer works.")
                % {"org": invitation.organization},
            )
        return redirect(invitations_url(self.meeting))


class InvitationRemindView(InvitationObjectMixin, View):
    """POST: remind every agency that has not responded, or (with a pk in the URL) just one."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        target = [self.get_invitation()] if "pk" in self.kwargs else self.meeting
        try:
            count = invitations.remind(target, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if count:
                messages.success(request, _("Reminders sent: %(count)d.") % {"count": count})
            else:
                messages.info(request, _("No reminder sent: every agency has responded or been revoked."))
        return redirect(invitations_url(self.meeting))


# Focal point's side -------------------------------------------------------------------------


class FocalPointMixin(PrivateLinkMixin):
    """Opens the invitation of a private link; a wrong, tampered or revoked link is a 404.

    The pages carry personal data behind a secret URL: never cached, never indexed, and the URL
    is not sent as a referrer to other sites. "same-origin", not "no-referrer": under
    no-referrer Chromium sends `Origin: null` with the page's own forms, and Django's CSRF check
    refuses every submit.
    """

    rate_scope = "nomination"

    def open_link(self, pk, token, **kwargs) -> bool:
        self.invitation = links.invitation_for_token(pk, token)
        self.meeting = self.invitation.meeting if self.invitation else None
        return self.invitation is not None

    @property
    def page_url(self) -> str:
        return self.invitation.urls.focal_point

    def nomination_form(self, data=None):
        return NominationForm(
            data, modes=allowed_modes(self.meeting), initial={"language": self.invitation.language}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        used = invitations.active_count(self.invitation)
        context.update(
            invitation=self.invitation,
            meeting=self.meeting,
            organization=self.invitation.organization,
            days=list(self.meeting.days.order_by("date")),
            seats_used=used,
            seats_left=max(self.invitation.quota - used, 0),
            closed_reason=invitations.invitation_closed_reason(self.invitation),
            page_url=self.page_url,
        )
        return context

    def get_delegate(self) -> Nomination:
        # Only this invitation's own nominations that hold a seat: any other id is a 404.
        nomination = get_object_or_404(
            Nomination.objects.select_related("registration"),
            pk=self.kwargs["nomination_id"],
            invitation=self.invitation,
        )
        if not nomination.holds_seat:
            raise Http404
        return nomination


def nominated_message(nomination: Nomination) -> str:
    # The same words whoever the address belongs to: the page must not tell who is registered.
    return _("%(name)s is nominated; an email is on its way to %(email)s.") % {
        "name": nomination.full_name,
        "email": nomination.email,
    }


class InvitationRespondView(FocalPointMixin, TemplateView):
    template_name = "participants/invitations/respond.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delegates"] = list(
            Nomination.objects.filter(invitation=self.invitation)
            .select_related("registration")
            .order_by("created_at", "pk")
        )
        for delegate in context["delegates"]:
            delegate.invitation = self.invitation  # for the rows' links, without a query each
        if context["seats_left"] and not context["closed_reason"]:
            context.setdefault("form", self.nomination_form())
        return context

    def post(self, request, *args, **kwargs):
        form = self.nomination_form(request.POST)
        nomination = submit(form, invitations.nominate, self.invitation)
        if nomination is not None:
            messages.success(request, nominated_message(nomination))
            return redirect(self.page_url)
        context = self.get_context_data()
        if "form" in context:
            context["form"] = form
        else:
            # The seats ran out (or nominations closed) meanwhile: say why; the form is gone.
            context["errors"] = form.non_field_errors()
        return self.render_to_response(context)


class DelegateReplaceView(FocalPointMixin, TemplateView):
    template_name = "participants/invitations/replace.html"

    def get(self, request, *args, **kwargs):
        self.delegate = self.get_delegate()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delegate"] = self.delegate
        if not context["closed_reason"]:
            context.setdefault("form", self.nomination_form())
        return context

    def post(self, request, *args, **kwargs):
        self.delegate = self.get_delegate()
        form = self.nomination_form(request.POST)
        nomination = submit(form, invitations.replace_delegate, self.invitation, self.delegate)
        if nomination is None:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(old)s is withdrawn.") % {"old": self.delegate.full_name}
            + " "
            + nominated_message(nomination),
        )
        return redirect(self.page_url)


class DelegateWithdrawView(FocalPointMixin, TemplateView):
    template_name = "participants/invitations/withdraw.html"

    def get(self, request, *args, **kwargs):
        self.delegate = self.get_delegate()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delegate"] = self.delegate
        return context

    def post(self, request, *args, **kwargs):
        delegate = self.get_delegate()
        try:
            invitations.withdraw_delegate(self.invitation, delegate)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is withdrawn.") % {"name": delegate.full_name})
        return redirect(self.page_url)


class NominationAcceptView(PrivateLinkMixin, TemplateView):
    """The page a registered person opens from a nomination email, to count as the agency's delegate."""

    template_name = "participants/invitations/accept.html"

    rate_scope = "nomination-accept"

    def open_link(self, pk, token, **kwargs) -> bool:
        self.nomination = links.nomination_for_token(pk, token)
        self.meeting = self.nomination.invitation.meeting if self.nomination else None
        return self.nomination is not None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.nomination.invitation
        context.update(
            nomination=self.nomination,
            organization=invitation.organization,
            meeting=invitation.meeting,
            days=list(invitation.meeting.days.order_by("date")),
            closed_reason=invitations.acceptance_closed_reason(self.nomination),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            registration = invitations.accept_nomination(self.nomination)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.nomination.urls.accept)
        messages.success(
            request,
            _("Thank you: you are now counted as a delegate of %(org)s.")
            % {"org": self.nomination.invitation.organization.name},
        )
        return redirect(registration.urls.private)
