"""Every state change of the participants app, one function per verb, one module per area.

registration (seats, waiting list, approval, cancellation), invitations (agency invitations and
nominations), bulk (organizer actions on many registrations), attendance (check-in, walk-ins,
online attendance), reminders and announcements (emails before a meeting, organizers' own
messages), privacy (purging personal data).
"""
