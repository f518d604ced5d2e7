"""Meeting URLs: organizer pages under /meetings/, the public page under /m/<code>/."""

from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("m/<str:code>/", views.PublicMeetingView.as_view(), name="public"),
    path("m/<str:code>/calendar.ics", views.MeetingCalendarView.as_view(), name="calendar"),
    path("meetings/", views.MeetingListView.as_view(), name="list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="create"),
    path("meetings/<str:code>/", views.MeetingDetailView.as_view(), name="detail"),
    path("meetings/<str:code>/edit/", views.MeetingUpdateView.as_view(), name="edit"),
    path("meetings/<str:code>/staff/", views.MeetingStaffView.as_view(), name="staff"),
    path("meetings/<str:code>/online-room/", views.OnlineRoomView.as_view(), name="online_room"),
    path("meetings/<str:code>/online-room/zoom/", views.ZoomRoomView.as_view(), name="zoom_room"),
    path("meetings/<str:code>/online-room/retry/", views.RoomRetryView.as_view(), name="room_retry"),
    path("meetings/<str:code>/online-room/host/", views.RoomHostLinkView.as_view(), name="room_host_link"),
    path("zoom/webhook/", views.ZoomWebhookView.as_view(), name="zoom_webhook"),
    path("meetings/<str:code>/publish/", views.TransitionView.as_view(verb="publish"), name="publish"),
    path("meetings/<str:code>/unpublish/", views.TransitionView.as_view(verb="unpublish"), name="unpublish"),
    path("meetings/<str:code>/held/", views.MarkHeldView.as_view(), name="mark_held"),
    path("meetings/<str:code>/reopen/", views.TransitionView.as_view(verb="reopen"), name="reopen"),
    path("meetings/<str:code>/close/", views.TransitionView.as_view(verb="close"), name="close"),
    path("meetings/<str:code>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("meetings/<str:code>/copy/", views.CopyMeetingView.as_view(), name="copy"),
    path("meetings/<str:code>/series/new/", views.CreateSeriesView.as_view(), name="create_series"),
    # Agenda editor (htmx fragments).
    path("meetings/<str:code>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("meetings/<str:code>/days/new/", views.DayCreateView.as_view(), name="day_create"),
    path("meetings/<str:code>/days/<int:day_id>/edit/", views.DayUpdateView.as_view(), name="day_edit"),
    path("meetings/<str:code>/days/<int:day_id>/delete/", views.DayDeleteView.as_view(), name="day_delete"),
    path(
        "meetings/<str:code>/days/<int:day_id>/items/new/", views.ItemCreateView.as_view(), name="item_create"
    ),
    path("meetings/<str:code>/items/<int:item_id>/edit/", views.ItemUpdateView.as_view(), name="item_edit"),
    path(
        "meetings/<str:code>/items/<int:item_id>/delete/", views.ItemDeleteView.as_view(), name="item_delete"
    ),
    path("meetings/<str:code>/items/<int:item_id>/move/", views.ItemMoveView.as_view(), name="item_move"),
    # Host agencies, speakers and moderators.
    path("meetings/<str:code>/hosts/", views.MeetingHostsView.as_view(), name="hosts"),
    path(
        "meetings/<str:code>/hosts/<int:host_id>/delete/",
        views.HostDeleteView.as_view(),
        name="host_delete",
    ),
    path(
        "meetings/<str:code>/items/<int:item_id>/roles/",
        views.AgendaRolesView.as_view(),
        name="agenda_roles",
    ),
    path(
        "meetings/<str:code>/roles/<int:role_id>/delete/",
        views.AgendaRoleDeleteView.as_view(),
        name="agenda_role_delete",
    ),
]
