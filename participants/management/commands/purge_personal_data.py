"""Purge the participants' personal data of meetings closed more than N days ago."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from participants.services import privacy


class Command(BaseCommand):
    help = (
        "Remove names, positions, emails, phones and links of the participants of closed meetings "
        "that ended more than --days days ago (default SINERGI_PURGE_AFTER_DAYS), from the "
        "registrations, invitations, outbox and audit log, keeping the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Age in days of the meeting's last day.")
        parser.add_argument("--dry-run", action="store_true", help="Only report what would be purged.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.SINERGI_PURGE_AFTER_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        verb = "would purge" if dry_run else "purged"
        total = 0
        for meeting in privacy.due_meetings(days):
            report = privacy.plan(meeting)
            if report.empty:
                continue
            if not dry_run:
                privacy.purge_meeting(meeting)
            total += report.registrations
            self.stdout.write(
                f"{meeting.code} “{meeting.title}” (ended {meeting.ends_on:%Y-%m-%d}): {verb} "
                f"{report.registrations} registrations, {report.invitations} invitations, "
                f"{report.emails} emails, {report.audit_entries} audit entries."
            )
        summary = f"{'Dry run: ' if dry_run else ''}{total} registrations {verb} (meetings closed and ended more than {days} days ago)."
        self.stdout.write(self.style.SUCCESS(summary))
