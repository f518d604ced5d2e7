"""Signals participants sends to the apps above it (which it never imports)."""

from django.dispatch import Signal

# Sent by the agency invitation email's builder (participants.notifications.invitation_message)
# with `invitation`; each receiver returns a list of core.mail.Attachment to send with it (the
# meeting's invitation letter, from minutes) or nothing.
invitation_attachments = Signal()

# Sent by participants.services.privacy.purge_meeting, inside its transaction, with `meeting`:
# apps above remove what they hold of people for that meeting (speakers' upload links, ...).
meeting_purged = Signal()
