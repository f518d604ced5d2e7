"""Queue failed emails again (after the mail server was down, say)."""

from django.core.management.base import BaseCommand

from accounts.mail import requeue_failed
from accounts.models import OutgoingEmail


class Command(BaseCommand):
    help = "Queue every failed outgoing email for another attempt by the task worker."

    def handle(self, *args, **options):
        count = requeue_failed(OutgoingEmail.objects.all())
        self.stdout.write(f"{count} failed emails queued again.")
