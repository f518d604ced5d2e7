"""A meeting's host agencies and its agenda items' speakers and moderators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors

from .. import services
from ..forms.hosts import AgendaRoleForm, MeetingHostForm
from ..models import AgendaItem, AgendaRole, MeetingHost
from ..permissions import MeetingPermissionMixin, can_edit_agenda, is_meeting_staff

__all__ = ["AgendaRoleDeleteView", "AgendaRolesView", "HostDeleteView", "MeetingHostsView"]


# A meeting's host agencies ------------------------------------------------------------------


class MeetingHostsView(MeetingPermissionMixin, TemplateView):
    template_name = "meetings/meeting_hosts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hosts = list(self.meeting.hosts.select_related("organization__parent"))
        # The first host is usually the organizing unit, later ones co-hosts.
        role = MeetingHost.Role.CO_HOST if hosts else MeetingHost.Role.ORGANIZER
        context.setdefault("form", MeetingHostForm(initial={"role": role}))
        context["hosts"] = hosts
        return context

    def post(self, request, *args, **kwargs):
        form = MeetingHostForm(request.POST)
        if form.is_valid():
            try:
                host = services.add_host(self.meeting, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(org)s added as a host.") % {"org": host.organization})
                return redirect(self.meeting.urls.hosts)
        return self.render_to_response(self.get_context_data(form=form))


class HostDeleteView(MeetingPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, code, host_id):
        host = get_object_or_404(
            MeetingHost.objects.select_related("organization"), pk=host_id, meeting=self.meeting
        )
        services.remove_host(host, actor=request.user)
        messages.success(request, _("%(org)s is no longer a host.") % {"org": host.organization})
        return redirect(self.meeting.urls.hosts)


# Speakers and moderators of an agenda item --------------------------------------------------


class AgendaRolesView(MeetingPermissionMixin, TemplateView):
    """The item's speakers and moderators; staff may look, organizers change.

    Answers htmx with the fragment alone (the agenda editor swaps it in below the item's row),
    and a plain request with a full page.
    """

    permission = staticmethod(is_meeting_staff)

    def get_template_names(self):
        if self.request.htmx:
            return ["meetings/includes/agenda_roles.html"]
        return ["meetings/agenda_roles.html"]

    def get_item(self):
        return get_object_or_404(
            AgendaItem.objects.select_related("day"), pk=self.kwargs["item_id"], day__meeting=self.meeting
        )

    def get(self, request, *args, **kwargs):
        self.item = self.get_item()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(agenda_roles_context(self.item, self.meeting, self.request.user))
        if context["can_change"]:
            context.setdefault("form", AgendaRoleForm(item=self.item))
        return context

    def post(self, request, *args, **kwargs):
        self.item = self.get_item()
        if not can_edit_agenda(request.user, self.meeting):
            raise PermissionDenied
        form = AgendaRoleForm(request.POST, item=self.item)
        if form.is_valid():
            try:
                agenda_role = services.assign_agenda_role(self.item, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                message = _("%(person)s assigned as %(role)s.") % {
                    "person": agenda_role.person,
                    "role": agenda_role.get_role_display().lower(),
                }
                if request.htmx:
                    return self.render_to_response(
                        self.get_context_data(form=AgendaRoleForm(item=self.item), status_message=message)
                    )
                messages.success(request, message)
                return redirect(agenda_roles_url(self.meeting, self.item))
        return self.render_to_response(self.get_context_data(form=form))


def agenda_roles_url(meeting, item) -> str:
    return reverse("meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": item.pk})


def agenda_roles_context(item, meeting, user) -> dict:
    roles = list(item.roles.select_related("person__organization"))
    return {
        "item": item,
        "meeting": meeting,
        "speakers": [r for r in roles if r.role == AgendaRole.Role.SPEAKER],
        "moderators": [r for r in roles if r.role == AgendaRole.Role.MODERATOR],
        "can_change": can_edit_agenda(user, meeting),
        "roles_url": agenda_roles_url(meeting, item),
    }


class AgendaRoleDeleteView(MeetingPermissionMixin, View):
    http_method_names = ["post"]
    permission = staticmethod(can_edit_agenda)

    def post(self, request, code, role_id):
        agenda_role = get_object_or_404(
            AgendaRole.objects.select_related("agenda_item__day", "person"),
            pk=role_id,
            agenda_item__day__meeting=self.meeting,
        )
        item = agenda_role.agenda_item
        services.remove_agenda_role(agenda_role, actor=request.user)
        message = _("%(person)s removed.") % {"person": agenda_role.person}
        if request.htmx:
            context = agenda_roles_context(item, self.meeting, request.user)
            context.update(form=AgendaRoleForm(item=item), status_message=message)
            return TemplateResponse(request, "meetings/includes/agenda_roles.html", context)
        messages.success(request, message)
        return redirect(agenda_roles_url(self.meeting, item))
