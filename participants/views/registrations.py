"""The organizer's registration screens: list, filters, bulk actions, exports."""

urlpatterns = []
