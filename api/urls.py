"""Every URL of the API app: the token pages for signed-in users and the API itself, /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import docs, pages, views

app_name = "api"

router = SimpleRouter()
router.register("v1/meetings", views.MeetingViewSet, basename="meeting")
router.register("v1/days", views.DayViewSet, basename="day")
router.register("v1/recommendations", views.RecommendationViewSet, basename="recommendation")

urlpatterns = [
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/new/", pages.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("v1/schema/", docs.SchemaView.as_view(), name="schema"),
    path("v1/docs/", docs.DocsView.as_view(), name="docs"),
    *router.urls,
]
