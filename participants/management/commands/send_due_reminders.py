"""Send reminders that are due but whose task was lost (a safety net; run it from cron)."""

from django.core.management.base import BaseCommand

from participants.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send every scheduled reminder that is due now (the task worker normally does this)."

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(f"{count} due reminders looked at.")
