"""Logs as one JSON object per line, each carrying the id of the request it was written during.

`RequestIdMiddleware` (config.middleware) stores the id in `request_id_var` for the time of a
request; `RequestIdFilter` copies it onto every record passing a handler, and `JsonFormatter`
writes the record. Outside a request (the task worker, commands) the id is null.

This module imports nothing of Django: the settings use `logging_config` while they load.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "sinergi_request_id", default=None
)


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id`: the id of the request being served, or None."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, exc_info (the traceback, or null)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "exc_info": self.formatException(record.exc_info) if record.exc_info else None,
        }
        # django.request and django.server name the response's status; the request object they
        # also attach is left out (it carries cookies and personal data).
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int):
            entry["status_code"] = status_code
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines (a traceback, a hostile value in a message): one line each.
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting: `json` (one object per line on stdout) or `text` (the message, stderr)."""
    if log_format not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', not {log_format!r}.")
    if log_format == "json":
        handler = {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    else:
        # As before this module existed: the bare message on stderr (development).
        handler = {"class": "logging.StreamHandler", "filters": ["request_id"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "config.logging.JsonFormatter"},
        },
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
