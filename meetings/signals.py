"""Signals sent by meeting services, so higher apps can react without being imported here."""

from django.dispatch import Signal

# sender=Meeting, meeting=..., actor=..., old_status=..., new_status=...
meeting_status_changed = Signal()
# sender=Meeting, meeting=..., actor=... (days, times or venue changed after publishing)
meeting_schedule_changed = Signal()
