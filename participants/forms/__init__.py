"""Forms of the participants app, one module per area: public, invitations, registrations,
checkin, reminders (the organizer's own message)."""
