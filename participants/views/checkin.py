"""On-site check-in per meeting day, walk-ins, and the attendance summary."""

urlpatterns = []
