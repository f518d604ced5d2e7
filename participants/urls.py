"""Every URL of the participants app, in one namespace: registration, invitations, check-in, reminders, feeds."""

from django.urls import path

from .views import (
    badges,
    certificates,
    checkin,
    feeds,
    invitations,
    public,
    registrations,
    reminders,
    zoom_attendance,
)

app_name = "participants"

urlpatterns = [
    # Public registration and the person's private page
    path("m/<str:code>/register/", public.RegistrationFormView.as_view(), name="register"),
    path("m/<str:code>/register/sent/", public.RegistrationSentView.as_view(), name="register_sent"),
    path(
        "register/organizations/",
        public.OrganizationSuggestionsView.as_view(),
        name="organization_suggestions",
    ),
    path("r/<str:code>/<str:token>/", public.RegistrationManageView.as_view(), name="registration_manage"),
    path("privacy/", public.PrivacyView.as_view(), name="privacy"),
    # Agency invitations: the focal point's private pages, the organizer's table
    path(
        "nomination/<int:pk>/<str:token>/",
        invitations.NominationAcceptView.as_view(),
        name="nomination_accept",
    ),
    path(
        "invitation/<int:pk>/<str:token>/",
        invitations.InvitationRespondView.as_view(),
        name="invitation_respond",
    ),
    path(
        "invitation/<int:pk>/<str:token>/delegates/<int:nomination_id>/replace/",
        invitations.DelegateReplaceView.as_view(),
        name="invitation_replace",
    ),
    path(
        "invitation/<int:pk>/<str:token>/delegates/<int:nomination_id>/withdraw/",
        invitations.DelegateWithdrawView.as_view(),
        name="invitation_withdraw",
    ),
    path("meetings/<str:code>/invitations/", invitations.InvitationListView.as_view(), name="invitations"),
    path(
        "meetings/<str:code>/invitations/bulk/",
        invitations.InvitationBulkView.as_view(),
        name="invitations_bulk",
    ),
    path(
        "meetings/<str:code>/invitations/remind/",
        invitations.InvitationRemindView.as_view(),
        name="invitations_remind",
    ),
    path(
        "meetings/<str:code>/invitations/<int:pk>/quota/",
        invitations.InvitationQuotaView.as_view(),
        name="invitation_quota",
    ),
    path(
        "meetings/<str:code>/invitations/<int:pk>/deadline/",
        invitations.InvitationDeadlineView.as_view(),
        name="invitation_deadline",
    ),
    path(
        "meetings/<str:code>/invitations/<int:pk>/revoke/",
        invitations.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "meetings/<str:code>/invitations/<int:pk>/remind/",
        invitations.InvitationRemindView.as_view(),
        name="invitation_remind",
    ),
    # The organizer's registration screens
    path(
        "meetings/<str:code>/registrations/",
        registrations.RegistrationListView.as_view(),
        name="registrations",
    ),
    path(
        "meetings/<str:code>/registrations/export.<str:fmt>",
        registrations.RegistrationExportView.as_view(),
        name="registrations_export",
    ),
    path(
        "meetings/<str:code>/registrations/<int:pk>/action/",
        registrations.RegistrationActionView.as_view(),
        name="registration_action",
    ),
    path(
        "meetings/<str:code>/registrations/organizations/",
        registrations.TypedOrganizationListView.as_view(),
        name="typed_organizations",
    ),
    path(
        "meetings/<str:code>/registrations/organizations/resolve/",
        registrations.TypedOrganizationResolveView.as_view(),
        name="typed_organization_resolve",
    ),
    # Check-in and attendance
    path("meetings/<str:code>/checkin/", checkin.CheckInStartView.as_view(), name="checkin_start"),
    path("meetings/<str:code>/checkin/<int:day_id>/", checkin.CheckInView.as_view(), name="checkin"),
    path(
        "meetings/<str:code>/checkin/<int:day_id>/search/",
        checkin.CheckInSearchView.as_view(),
        name="checkin_search",
    ),
    path(
        "meetings/<str:code>/checkin/<int:day_id>/walk-in/",
        checkin.WalkInView.as_view(),
        name="checkin_walk_in",
    ),
    path(
        "meetings/<str:code>/checkin/<int:day_id>/registrations/<int:registration_id>/",
        checkin.CheckInRegistrationView.as_view(),
        name="checkin_registration",
    ),
    path(
        "meetings/<str:code>/checkin/<int:day_id>/attendance/<int:attendance_id>/undo/",
        checkin.UndoCheckInView.as_view(),
        name="checkin_undo",
    ),
    path(
        "meetings/<str:code>/attendance/", checkin.AttendanceSummaryView.as_view(), name="attendance_summary"
    ),
    path(
        "meetings/<str:code>/attendance/<int:day_id>/online/",
        checkin.OnlineAttendanceView.as_view(),
        name="online_attendance",
    ),
    path(
        "meetings/<str:code>/attendance/zoom/",
        zoom_attendance.ZoomAttendanceView.as_view(),
        name="zoom_attendance",
    ),
    path(
        "meetings/<str:code>/attendance/zoom/match/",
        zoom_attendance.ZoomMatchView.as_view(),
        name="zoom_attendance_match",
    ),
    path(
        "meetings/<str:code>/attendance/zoom/import/",
        zoom_attendance.ZoomImportView.as_view(),
        name="zoom_attendance_import",
    ),
    # Name badges and table tents; the public check of a certificate of attendance
    path("meetings/<str:code>/badges/", badges.BadgeSheetView.as_view(), name="badges"),
    path("certificate/<str:code>/", certificates.verify, name="certificate_verify"),
    # Reminders and the organizer's own messages
    path("meetings/<str:code>/reminders/", reminders.RemindersView.as_view(), name="reminders"),
    path(
        "meetings/<str:code>/reminders/audience/",
        reminders.AudienceCountView.as_view(),
        name="reminders_audience",
    ),
    # Calendar feeds
    path("calendar/u/<int:user_id>/<str:token>.ics", feeds.personal_feed, name="calendar_feed"),
    path("calendar/public.ics", feeds.public_feed, name="public_feed"),
    path("calendar/reset/", feeds.reset_feed, name="calendar_feed_reset"),
]
