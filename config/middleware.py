"""Indonesian first (the language is Indonesian unless the person chose English); request ids."""

import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from config.logging import request_id_var

# fullmatch, not `$`: a `$` would let a trailing newline through.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Many officials' browsers and phones are set to English; Sinergi still answers in Indonesian
    until they pick English with the language switcher (which sets the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestIdMiddleware:
    """Gives every request an id: in each log line written while serving it, and in the response.

    The reverse proxy's X-Request-ID is kept when it is a sane token (1 to 64 of A-Z a-z 0-9 . _ -),
    so the proxy's access log and the application's lines share it; anything else (missing, too
    long, a newline meant to forge log lines) is replaced by a fresh uuid4 hex.
    """

    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = self.incoming_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed (request_finished), not reset on the way out: Django
        # logs 4xx and 5xx responses ("Not Found: /x") after the last middleware has returned.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[self.header] = request_id
        return response

    @staticmethod
    def incoming_id(request) -> str | None:
        value = request.META.get("HTTP_X_REQUEST_ID", "")
        return value if SANE_REQUEST_ID.fullmatch(value) else None


def forget_request_id(**kwargs):
    """Once a response is closed, lines logged in this thread belong to no request."""
    request_id_var.set(None)


request_finished.connect(forget_request_id, dispatch_uid="sinergi.forget_request_id")
