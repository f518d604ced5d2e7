"""Participation URLs: registration, agency invitations, registrations, check-in, reminders, feeds."""

from .views import checkin, feeds, invitations, public, registrations, reminders

app_name = "participants"
urlpatterns = public.urlpatterns + invitations.urlpatterns + registrations.urlpatterns + checkin.urlpatterns
urlpatterns += reminders.urlpatterns
urlpatterns += feeds.urlpatterns
