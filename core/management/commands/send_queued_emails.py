"""Queue failed emails again (after the mail server was down, say), and emails whose worker died."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core.mail import requeue_failed, requeue_stuck
from core.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "Queue every failed outgoing email for another attempt by the task worker, and every email "
        "queued or being sent for longer than SINERGI_EMAIL_STUCK_AFTER_SECONDS (its worker died)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stuck-after",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Take emails queued or sending for longer than this for stuck "
            "(default SINERGI_EMAIL_STUCK_AFTER_SECONDS). 0 when no worker runs at all.",
        )

    def handle(self, *args, stuck_after=None, **options):
        if stuck_after is not None and stuck_after < 0:
            raise CommandError("--stuck-after must be 0 or more.")
        failed = requeue_failed(OutgoingEmail.objects.all())
        stuck = requeue_stuck(None if stuck_after is None else timedelta(seconds=stuck_after))
        self.stdout.write(f"{failed} failed emails queued again.")
        self.stdout.write(f"{stuck} stuck emails queued again.")
