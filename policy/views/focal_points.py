"""Managing focal points (analysts and administrators): the list by organization, adding one
(their link is emailed), sending the link again, revoking it (a new one is sent), removing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import never_cached
from core.forms import add_service_errors

from .. import permissions
from ..forms.followup import FocalPointForm
from ..models import FocalPoint
from ..services import focal_points as services


class ManagersOnly(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may_manage_focal_points(request.user):
            raise PermissionDenied
        return never_cached(super().dispatch(request, *args, **kwargs))


class FocalPointListView(ManagersOnly, TemplateView):
    template_name = "policy/focal_points.html"

    def get_context_data(self, form=None, **kwargs):
        rows = (
            FocalPoint.objects.filter(active=True)
            .select_related("organization")
            .annotate(changes=Count("follow_ups"))
            .order_by("organization__name", "name")
        )
        return {"focal_points": rows, "form": form or FocalPointForm()}

    def post(self, request, *args, **kwargs):
        form = FocalPointForm(request.POST)
        if form.is_valid():
            try:
                services.add_focal_point(
                    organization=form.cleaned_data["organization"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s was added; their private link is on its way.")
                    % {"name": form.cleaned_data["name"]},
                )
                return HttpResponseRedirect(reverse("policy:focal_points"))
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class FocalPointAction(ManagersOnly, View):
    def post(self, request, pk):
        focal_point = get_object_or_404(FocalPoint.objects.filter(Q(active=True)), pk=pk)
        self.act(focal_point)
        return HttpResponseRedirect(reverse("policy:focal_points"))


class SendLinkView(FocalPointAction):
    def act(self, focal_point):
        services.send_link(focal_point, user=self.request.user)
        messages.success(self.request, _("The link was sent to %(email)s.") % {"email": focal_point.email})


class RevokeLinkView(FocalPointAction):
    def act(self, focal_point):
        services.revoke_link(focal_point, user=self.request.user)
        messages.success(
            self.request,
            _("The old link no longer works; a new one was sent to %(email)s.")
            % {"email": focal_point.email},
        )


class RemoveView(FocalPointAction):
    def act(self, focal_point):
        services.remove_focal_point(focal_point, user=self.request.user)
        messages.success(self.request, _("%(name)s is no longer a focal point.") % {"name": focal_point.name})
