"""`manage.py zoom_check`: tries the Zoom credentials against the API and says what works."""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.conferencing import zoom_api

CREDENTIALS = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")


class Command(BaseCommand):
    help = (
        "Check the Zoom Server-to-Server OAuth credentials: fetch a token (and show its scopes), "
        "list the host's meetings, and say whether the webhook secret is set. Exits non-zero when "
        "a check fails."
    )

    def handle(self, *args, **options):
        missing = [name for name in CREDENTIALS if not getattr(settings, name, "")]
        if missing:
            if len(missing) < len(CREDENTIALS):
                self.stdout.write(
                    _("Zoom is only partly configured: %(names)s not set.") % {"names": ", ".join(missing)}
                )
            self.stdout.write(
                _(
                    "Zoom is not configured: online rooms use the manual provider (a join link "
                    "entered by hand). Set %(names)s to create Zoom meetings."
                )
                % {"names": ", ".join(CREDENTIALS)}
            )
            self.webhook_secret()
            return
        self.stdout.write(
            _("Zoom API %(api)s, tokens from %(oauth)s")
            % {"api": settings.ZOOM_API_BASE_URL, "oauth": settings.ZOOM_OAUTH_URL}
        )
        failed = 0
        token = self.check_token()
        if token is None:
            failed += 1
            self.report(None, _("the host's meetings"), _("not tried without a token"))
        elif not self.check_meetings():
            failed += 1
        self.webhook_secret()
        if failed:
            raise CommandError(
                ngettext("%(count)d Zoom check failed.", "%(count)d Zoom checks failed.", failed)
                % {"count": failed}
            )
        self.stdout.write(self.style.SUCCESS(_("Every Zoom check passed.")))

    def report(self, ok: bool | None, what: str, detail: str) -> None:
        if ok is None:
            label = self.style.WARNING(_("SKIPPED"))
        else:
            label = self.style.SUCCESS(_("OK")) if ok else self.style.ERROR(_("FAILED"))
        self.stdout.write(f"{label:<8} {what}: {detail}")

    def check_token(self) -> str | None:
        # The token request is made here rather than through zoom_api.fetch_token, which keeps
        # only the token and its lifetime: the scopes it was granted are what one wants to see.
        what = _("access token")
        try:
            response = requests.post(
                settings.ZOOM_OAUTH_URL,
                data={"grant_type": "account_credentials", "account_id": settings.ZOOM_ACCOUNT_ID},
                auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
                timeout=settings.ZOOM_TIMEOUT_SECONDS,
            )
        except requests.RequestException as exc:
            self.report(False, what, _("no answer from Zoom (%(error)s)") % {"error": exc.__class__.__name__})
            return None
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        token = body.get("access_token")
        if response.status_code != 200 or not token:
            message = body.get("reason") or body.get("message") or body.get("error") or response.reason
            self.report(False, what, f"Zoom {response.status_code}: {message}")
            return None
        lifetime = int(body.get("expires_in") or 3600)
        scopes = str(body.get("scope") or "").split()
        detail = _("received, valid for %(seconds)d s") % {"seconds": lifetime}
        if scopes:
            detail += "; " + _("scopes: %(scopes)s") % {"scopes": " ".join(scopes)}
        self.report(True, what, detail)
        if scopes and not any("recording" in scope for scope in scopes):
            self.stdout.write(
                "         "
                + _("No recording scope: transcripts from Zoom's cloud recordings cannot be fetched.")
            )
        # Shared with the application as zoom_api keeps it, so the next call reuses this token.
        cache.set(zoom_api.TOKEN_CACHE_KEY, token, max(60, lifetime - zoom_api.TOKEN_MARGIN_SECONDS))
        return token

    def check_meetings(self) -> bool:
        host = settings.ZOOM_HOST_USER or "me"
        what = _("meetings of the host “%(host)s”") % {"host": host}
        try:
            api = zoom_api.ZoomApi(retries=0)
            response = api.call("meeting", "list", ok=(200,), user_id=api.host, page_size=30)
        except zoom_api.ZoomError as error:
            self.report(False, what, str(error))
            return False
        try:
            total = int(response.json().get("total_records") or 0)
        except (ValueError, AttributeError):
            total = 0
        self.report(
            True,
            what,
            ngettext("%(count)d meeting listed", "%(count)d meetings listed", total) % {"count": total},
        )
        return True

    def webhook_secret(self) -> None:
        if settings.ZOOM_WEBHOOK_SECRET:
            self.stdout.write(_("ZOOM_WEBHOOK_SECRET is set: Zoom's webhooks can be verified."))
        else:
            self.stdout.write(
                _(
                    "ZOOM_WEBHOOK_SECRET is not set: Zoom's webhooks (attendance, meeting ended, "
                    "transcripts) cannot be verified."
                )
            )
