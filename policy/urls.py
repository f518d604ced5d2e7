"""Every URL of the policy app (included at the site root by config/urls.py)."""

from django.urls import path

from .views import briefs, dashboard, focal_points, followup, registry, series

app_name = "policy"

urlpatterns = [
    path("recommendations/", registry.RegistryView.as_view(), name="registry"),
    # Follow-up, by staff (organizers, analysts) and focal points signed in with their account.
    path("recommendations/<uuid:key>/", followup.RecommendationView.as_view(), name="recommendation"),
    path("recommendations/merge/", followup.MergeView.as_view(), name="merge"),
    path("recommendations/<uuid:key>/unmerge/", followup.UnmergeView.as_view(), name="unmerge"),
    path("recommendations/<uuid:key>/due/", followup.DueView.as_view(), name="due"),
    path("follow-up/evidence/<int:pk>/", followup.EvidenceView.as_view(), name="evidence"),
    path("follow-up/mine/", followup.MineView.as_view(), name="mine"),
    # The focal point's private link (no account needed; raising the token version revokes it).
    path("follow-up/<int:pk>/<str:token>/", followup.FocalPointView.as_view(), name="focal_point"),
    path(
        "follow-up/<int:pk>/<str:token>/<uuid:key>/",
        followup.FocalPointRecommendationView.as_view(),
        name="focal_point_recommendation",
    ),
    path(
        "follow-up/<int:pk>/<str:token>/evidence/<int:evidence>/",
        followup.FocalPointEvidenceView.as_view(),
        name="focal_point_evidence",
    ),
    # Focal points, managed by analysts and administrators.
    path("focal-points/", focal_points.FocalPointListView.as_view(), name="focal_points"),
    path("focal-points/<int:pk>/send/", focal_points.SendLinkView.as_view(), name="focal_point_send"),
    path("focal-points/<int:pk>/revoke/", focal_points.RevokeLinkView.as_view(), name="focal_point_revoke"),
    path("focal-points/<int:pk>/remove/", focal_points.RemoveView.as_view(), name="focal_point_remove"),
    # Policy-input documents.
    path("policy-input/", briefs.BriefListView.as_view(), name="briefs"),
    path("policy-input/new/", briefs.BriefCreateView.as_view(), name="brief_create"),
    path("policy-input/<int:pk>/", briefs.BriefEditView.as_view(), name="brief"),
    path("policy-input/<int:pk>/versions/", briefs.BriefVersionsView.as_view(), name="brief_versions"),
    path("policy-input/<int:pk>/document.docx", briefs.BriefDocumentView.as_view(), name="brief_document"),
    # Figures across meetings, for organizers and analysts.
    path("statistics/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("statistics/<str:chart>.csv", dashboard.ChartCsvView.as_view(), name="dashboard_csv"),
    # Meeting series: the same meeting for several regional units, figures across its meetings.
    path("series/", series.SeriesListView.as_view(), name="series_list"),
    path("series/<int:pk>/", series.SeriesView.as_view(), name="series"),
]
