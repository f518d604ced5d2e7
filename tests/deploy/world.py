"""The smoke test's starting point, built inside the cluster's own database by
`manage.py shell -c "from tests.deploy import world; world.build()"`: an organizer who can log
in and a draft hybrid meeting two days ahead with its registration open. Prints JSON."""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

PASSWORD = "smoke-pass-2026"
ORGANIZER = "penyelenggara@smoke.test"


def build() -> None:
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import User
    from meetings import services

    organizer = User.objects.create_user(
        ORGANIZER, PASSWORD, full_name="Penyelenggara Smoke", can_organize=True
    )
    EmailAddress.objects.create(user=organizer, email=ORGANIZER, verified=True, primary=True)
    zone = ZoneInfo("Asia/Jakarta")
    day = timezone.localtime(timezone.now(), zone).date() + timedelta(days=2)
    meeting = services.create_meeting(
        actor=organizer,
        title="Rapat Uji Skala Sinergi",
        theme="Uji beban pendaftaran",
        kind="coordination",
        mode="hybrid",
        timezone="Asia/Jakarta",
        venue_name="Kantor BP2MI",
        capacity_onsite=150,
        capacity_online=400,
        registration_opens_at=timezone.now() - timedelta(hours=1),
        registration_closes_at=datetime.combine(day - timedelta(days=1), time(16), tzinfo=zone),
        days=[{"date": day, "start_time": time(9), "end_time": time(12)}],
    )
    day_row = meeting.days.get()
    print(json.dumps({"code": meeting.code, "day_id": day_row.pk, "date": day.isoformat()}))
