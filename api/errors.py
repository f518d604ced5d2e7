"""Every error of the API as JSON: {"detail": "...", "errors": {...}} (errors only for bad input)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 page, logged
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"detail": str(data["detail"])}
    else:
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": _("The request is not valid."),
            "errors": {
                field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                for field, msgs in errors.items()
            },
        }
    return response
