from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policy.services.digest import schedule_digest, send_digest


class Command(BaseCommand):
    help = "Queue this week's follow-up digests (once per person and week) and plan the weekly task."

    def handle(self, *args, **options):
        count = send_digest()
        schedule_digest(after_this_week=True)
        self.stdout.write(_("%(count)d follow-up digest(s) queued.") % {"count": count})
