"""Agency invitations: the organizer's table and the focal point's private nomination page."""

from django.urls import path
from django.views import View


class InvitationRespondView(View):
    """Placeholder (being built)."""


urlpatterns = [
    path("invitation/<int:pk>/<str:token>/", InvitationRespondView.as_view(), name="invitation_respond"),
]
