"""Following up a recommendation: its page (provenance, state, history, the change form), the
focal points' pages (through their account or their private link), evidence downloads, due
dates and merges.

Who may see a recommendation: whoever sees it in the registry, and the focal points of an
organization it is addressed to (approved minutes only). Anyone else gets a 404, whether the
recommendation exists or not. Who may change it: the meeting's organizers, analysts,
administrators ("staff": they also set due dates and reopen), and those focal points.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core import ratelimit
from core.forms import add_service_errors
from core.links import private_link_page
from core.tokens import check_token
from directory.models import Organization
from minutes import richtext
from minutes.models import Recommendation

from .. import permissions
from ..forms.followup import DueForm, FollowUpForm, MergeForm
from ..models import FocalPoint, FollowUp, State, Tracking
from ..services import followup as services
from ..services.tracking import with_follow_up


def _with_relations(queryset):
    return queryset.select_related(
        "minutes__meeting", "section", "proposed_by_person", "proposed_by_organization"
    ).prefetch_related(Prefetch("addressed_to", queryset=Organization.objects.order_by("name")), "themes")


def group_keys(key) -> list:
    """The keys of every recommendation marked as the same as this one (itself included)."""
    row = Tracking.objects.filter(key=key).only("pk", "merged_into_id").first()
    if row is None:
        return [key]
    root = row.merged_into_id or row.pk
    return list(Tracking.objects.filter(Q(pk=root) | Q(merged_into_id=root)).values_list("key", flat=True))


def history_of(key, visible_keys) -> list[FollowUp]:
    """The shared follow-up of the recommendation's group (its root row) and the history each
    member had before the merge, for the members the reader may see."""
    row = Tracking.objects.filter(key=key).only("pk", "merged_into_id").first()
    if row is None:
        return []
    root = row.merged_into_id or row.pk
    return list(
        FollowUp.objects.filter(Q(tracking_id=root) | Q(tracking__key__in=visible_keys))
        .select_related("tracking")
        .order_by("-happened_on", "-created_at", "-id")
    )


def entry_keys(entry: FollowUp) -> list:
    """Whoever sees one of these recommendations may read the entry: the whole group for the
    shared follow-up (a root row's entry), only its own recommendation for a member's history."""
    if entry.tracking.merged_into_id is None:
        return group_keys(entry.tracking.key)
    return [entry.tracking.key]


class RecommendationPage:
    """What the recommendation's page shows and accepts, for staff or a focal point.

    Subclasses set `self.focal_point` (or None) and `self.staff`, and say where evidence and
    the page itself live (`evidence_url`, `page_url`).
    """

    template_name = "policy/recommendation.html"
    focal_point: FocalPoint | None = None
    staff = False

    def find(self, key, visible) -> Recommendation:
        rec = with_follow_up(_with_relations(visible)).filter(key=key).order_by("-minutes__version").first()
        if rec is None:
            raise Http404
        return rec

    def evidence_url(self, entry: FollowUp) -> str:
        raise NotImplementedError

    def page_url(self) -> str:
        raise NotImplementedError

    def sources(self, rec, visible) -> list[Recommendation]:
        keys = [k for k in group_keys(rec.key) if k != rec.key]
        if not keys:
            return []
        return list(_with_relations(visible).filter(key__in=keys).order_by("minutes__meeting__starts_on"))

    def context(self, rec, visible, form=None) -> dict:
        tracking = Tracking.objects.filter(key=rec.key).select_related("merged_into").first()
        sources = self.sources(rec, visible)
        history = history_of(rec.key, [rec.key, *(s.key for s in sources)])
        for entry in history:
            entry.download_url = self.evidence_url(entry) if entry.evidence_file else ""
            entry.own = entry.tracking.key == rec.key
        rec.text_html = richtext.to_html(rec.text)
        rec.rationale_html = richtext.to_html(rec.rationale)
        allowed = self.staff or self.focal_point is not None
        if form is None and allowed:
            form = FollowUpForm(current=rec.follow_state, staff=self.staff)
        return {
            "rec": rec,
            "meeting": rec.minutes.meeting,
            "state_label": State(rec.follow_state).label,
            "tracking": tracking,
            "merged_into": tracking.merged_into if tracking and tracking.merged_into_id else None,
            "sources": sources,
            "history": history,
            "form": form if allowed else None,
            "due_form": DueForm(initial={"due_on": rec.follow_due}) if self.staff else None,
            "staff": self.staff,
            "focal_point": self.focal_point,
            "page_url": self.page_url(),
            "can_merge": self.staff and self.focal_point is None and permissions.may_merge(self.request.user),
        }

    def save(self, request, rec, visible):
        if not (self.staff or self.focal_point is not None):
            raise PermissionDenied
        form = FollowUpForm(request.POST, request.FILES, current=rec.follow_state, staff=self.staff)
        if form.is_valid():
            try:
                services.record_follow_up(
                    rec,
                    state=form.cleaned_data["state"],
                    note=form.cleaned_data["note"],
                    happened_on=form.cleaned_data["happened_on"],
                    evidence_url=form.cleaned_data["evidence_url"],
                    evidence=form.evidence(),
                    user=request.user,
                    focal_point=self.focal_point,
                    staff=self.staff,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The follow-up was recorded."))
                return HttpResponseRedirect(self.page_url())
        return render(request, self.template_name, self.context(rec, visible, form), status=400)


class RecommendationView(LoginRequiredMixin, RecommendationPage, View):
    """A recommendation for a signed-in user: staff, or a focal point through their account."""

    def setup_for(self, request, key):
        visible = permissions.visible_recommendations(request.user)
        rec = with_follow_up(_with_relations(visible)).filter(key=key).first()
        if rec is not None:
            self.staff = permissions.may_manage_follow_up(request.user, rec)
            # An organizer who is also a focal point acts as staff on their own meetings.
            if not self.staff:
                self.focal_point = permissions.answering_focal_point(request.user, rec)
            return rec, visible
        answering = permissions.focal_points_of(request.user)
        in_force = permissions.in_force().filter(addressed_to__in=answering.values("organization"))
        rec = self.find(key, in_force.distinct())
        self.focal_point = permissions.answering_focal_point(request.user, rec)
        return rec, in_force

    def get(self, request, key):
        rec, visible = self.setup_for(request, key)
        return private_link_page(render(request, self.template_name, self.context(rec, visible)))

    def post(self, request, key):
        rec, visible = self.setup_for(request, key)
        return private_link_page(self.save(request, rec, visible))

    def evidence_url(self, entry):
        return reverse("policy:evidence", kwargs={"pk": entry.pk})

    def page_url(self):
        return reverse("policy:recommendation", kwargs={"key": self.kwargs["key"]})


def _may_see_entry(user, entry: FollowUp) -> bool:
    keys = entry_keys(entry)
    if permissions.visible_recommendations(user).filter(key__in=keys).exists():
        return True
    answering = permissions.focal_points_of(user).values("organization")
    return permissions.in_force().filter(key__in=keys, addressed_to__in=answering).exists()


def evidence_response(entry: FollowUp):
    if not entry.evidence_file:
        raise Http404
    try:
        handle = entry.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Always a download, typed as checked at the upload; the browser never guesses.
    response = FileResponse(
        handle, as_attachment=True, filename=entry.evidence_name, content_type=entry.evidence_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class EvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        entry = FollowUp.objects.select_related("tracking").filter(pk=pk).first()
        if entry is None or not _may_see_entry(request.user, entry):
            raise Http404
        return private_link_page(evidence_response(entry))


class DueView(LoginRequiredMixin, View):
    def post(self, request, key):
        visible = permissions.visible_recommendations(request.user)
        rec = _with_relations(visible).filter(key=key).first()
        if rec is None:
            raise Http404
        if not permissions.may_manage_follow_up(request.user, rec):
            raise PermissionDenied
        form = DueForm(request.POST)
        if form.is_valid():
            services.set_due(rec, form.cleaned_data["due_on"], user=request.user)
            messages.success(request, _("The due date was saved."))
        else:
            messages.error(request, _("Give the date as YYYY-MM-DD."))
        return HttpResponseRedirect(reverse("policy:recommendation", kwargs={"key": key}))


class MergeView(LoginRequiredMixin, TemplateView):
    """Mark recommendations chosen on the registry as the same: a confirmation page (GET), then
    the merge (POST). Analysts and administrators only."""

    template_name = "policy/merge.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.may_merge(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def chosen(self, data) -> list[Recommendation]:
        keys = data.getlist("key")[:20]
        visible = permissions.visible_recommendations(self.request.user)
        valid = []
        for key in keys:
            try:
                valid.append(Recommendation._meta.get_field("key").to_python(key))
            except ValidationError:
                continue
        return list(
            _with_relations(visible).filter(key__in=valid).order_by("minutes__meeting__starts_on", "pk")
        )

    def get(self, request, *args, **kwargs):
        recs = self.chosen(request.GET)
        return private_link_page(self.render_to_response(self.page(recs, MergeForm(recommendations=recs))))

    def page(self, recs, form):
        for rec in recs:
            rec.plain = richtext.plain(rec.text)
        return {"recommendations": recs, "form": form, "enough": len(recs) >= 2}

    def post(self, request, *args, **kwargs):
        recs = self.chosen(request.POST)
        form = MergeForm(request.POST, recommendations=recs)
        if len(recs) < 2:
            form.add_error(None, _("Choose at least two recommendations you may see."))
        elif form.is_valid():
            primary = next(r for r in recs if str(r.key) == form.cleaned_data["primary"])
            others = [r for r in recs if r.pk != primary.pk]
            try:
                services.merge(primary, others, user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The recommendations are marked as the same."))
                return HttpResponseRedirect(reverse("policy:recommendation", kwargs={"key": primary.key}))
        response = self.render_to_response(self.page(recs, form))
        response.status_code = 400
        return private_link_page(response)


class UnmergeView(LoginRequiredMixin, View):
    def post(self, request, key):
        if not permissions.may_merge(request.user):
            raise PermissionDenied
        rec = permissions.visible_recommendations(request.user).filter(key=key).first()
        if rec is None:
            raise Http404
        try:
            services.unmerge(rec, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The recommendation has its own follow-up again."))
        return HttpResponseRedirect(reverse("policy:recommendation", kwargs={"key": key}))


# The focal points' lists -------------------------------------------------------------------------


def addressed_list(organizations, url_for) -> list[Recommendation]:
    """The recommendations in force addressed to these organizations, open first, then by due date."""
    rows = list(
        with_follow_up(
            _with_relations(permissions.in_force().filter(addressed_to__in=organizations).distinct())
        ).order_by("-follow_overdue", "follow_due", "-minutes__meeting__starts_on", "order", "pk")
    )
    for rec in rows:
        rec.plain = richtext.plain(rec.text)
        rec.state_label = State(rec.follow_state).label
        rec.url = url_for(rec)
    return rows


class MineView(LoginRequiredMixin, TemplateView):
    """For focal points with an account: what is addressed to their organizations."""

    template_name = "policy/focal_point.html"

    def get(self, request, *args, **kwargs):
        return private_link_page(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        answering = list(permissions.focal_points_of(self.request.user))
        organizations = [fp.organization for fp in answering]
        return {
            "organizations": organizations,
            "recommendations": addressed_list(
                [o.pk for o in organizations],
                lambda rec: reverse("policy:recommendation", kwargs={"key": rec.key}),
            ),
            "private_link": False,
        }


class FocalPointLinkMixin:
    """Opens the focal point of a private link; a wrong, tampered or revoked link is a 404."""

    def dispatch(self, request, *args, **kwargs):
        fp = FocalPoint.objects.select_related("organization").filter(pk=kwargs["pk"], active=True).first()
        if fp is None or not check_token("focal_point", fp.pk, fp.token_version, kwargs["token"]):
            raise Http404
        self.focal_point = fp
        if request.method == "POST" and not ratelimit.allow(request, "focal-point"):
            return private_link_page(ratelimit.refused(request))
        return private_link_page(super().dispatch(request, *args, **kwargs))

    def link(self, name: str, **kwargs) -> str:
        return reverse(
            f"policy:{name}", kwargs={"pk": self.focal_point.pk, "token": self.kwargs["token"], **kwargs}
        )


class FocalPointView(FocalPointLinkMixin, TemplateView):
    template_name = "policy/focal_point.html"

    def get_context_data(self, **kwargs):
        return {
            "organizations": [self.focal_point.organization],
            "focal_point": self.focal_point,
            "recommendations": addressed_list(
                [self.focal_point.organization_id],
                lambda rec: self.link("focal_point_recommendation", key=rec.key),
            ),
            "private_link": True,
        }


class FocalPointRecommendationView(FocalPointLinkMixin, RecommendationPage, View):
    def visible(self):
        return permissions.addressed_to_focal_point(self.focal_point)

    def get(self, request, pk, token, key):
        visible = self.visible()
        rec = self.find(key, visible)
        return render(request, self.template_name, self.context(rec, visible))

    def post(self, request, pk, token, key):
        visible = self.visible()
        rec = self.find(key, visible)
        return self.save(request, rec, visible)

    def evidence_url(self, entry):
        return self.link("focal_point_evidence", evidence=entry.pk)

    def page_url(self):
        return self.link("focal_point_recommendation", key=self.kwargs["key"])


class FocalPointEvidenceView(FocalPointLinkMixin, View):
    def get(self, request, pk, token, evidence):
        entry = FollowUp.objects.select_related("tracking").filter(pk=evidence).first()
        if entry is None:
            raise Http404
        keys = entry_keys(entry)
        if not permissions.addressed_to_focal_point(self.focal_point).filter(key__in=keys).exists():
            raise Http404
        return evidence_response(entry)
