"""Writing and reading the audit log; services call `record` inside their transaction.

The log is read as sentences in the reader's language ("Rina Suryani published the meeting").
Each app tells what its own actions mean: its `audit_sentences` module, imported when the app
is ready, registers one function per action with `@sentence(...)`. An action nobody described
still reads as a generic sentence. Values in the details are user data: `say` escapes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext

from .models import AuditEntry

# What a sentence function receives: the entry and the name of who acted (the site's name when
# nobody did: a task, a command).
Sentence = Callable[[AuditEntry, str], SafeString]
_SENTENCES: dict[str, Sentence] = {}
VALUE_CHARS = 80


def record(obj: models.Model, action: str, actor=None, **data) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        data=data,
    )


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


# Scrubbing personal data out of entries (the purge of a meeting's participants) ----------------

PURGED = "[purged]"
EMAIL_ADDRESS = r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[a-z]{2,}"


def _scrub_value(value, pattern: re.Pattern, keep_keys: frozenset | None):
    if isinstance(value, str):
        return pattern.sub(PURGED, value)
    if isinstance(value, list):
        return [_scrub_value(item, pattern, None) for item in value]
    if isinstance(value, dict):
        return {
            key: (
                _scrub_value(item, pattern, None)
                if keep_keys is None or key in keep_keys or item is None or isinstance(item, (bool, int))
                else PURGED
            )
            for key, item in value.items()
        }
    return value


def scrub(
    entries: models.QuerySet,
    *,
    values: Iterable[str] = (),
    keep_keys: Iterable[str] | None = None,
    addresses: bool = True,
    dry_run: bool = False,
) -> int:
    """Remove personal data from audit entries for good; returns how many entries changed (or
    would change, with `dry_run`).

    Every occurrence of `values` (names, emails, phone numbers; whole words, any case) and, with
    `addresses`, every email address becomes "[purged]" in the details and the object's name.
    With `keep_keys`, the details keep only those keys' values (and numbers, flags and empty
    values): whatever else an entry recorded about the person goes, even what a later version of
    a service adds.
    """
    words = sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)
    alternatives = [rf"(?<!\w){re.escape(word)}(?!\w)" for word in words]
    if addresses:
        alternatives.append(EMAIL_ADDRESS)
    if not alternatives:
        alternatives.append(r"(?!)")  # matches nothing
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    keep = None if keep_keys is None else frozenset(keep_keys)
    changed = 0
    for entry in entries.only("pk", "object_repr", "data").iterator():
        data = _scrub_value(entry.data, pattern, keep)
        object_repr = pattern.sub(PURGED, entry.object_repr)
        if data != entry.data or object_repr != entry.object_repr:
            if not dry_run:
                AuditEntry.objects.filter(pk=entry.pk).update(data=data, object_repr=object_repr)
            changed += 1
    return changed


# Reading the log as sentences -------------------------------------------------------------------


def sentence(*actions: str) -> Callable[[Sentence], Sentence]:
    """Register the function that tells what these actions did (a decorator)."""

    def register(tell: Sentence) -> Sentence:
        for action in actions:
            _SENTENCES[action] = tell
        return tell

    return register


def sentences(
    texts: Mapping[str, Callable[[], str]],
    formatters: Mapping[str, Callable] | None = None,
    without_actor: Mapping[str, Callable[[], str]] | None = None,
) -> None:
    """Register sentences filled from the entry alone: %(actor)s, %(subject)s (what the entry is
    about) and its details by name, each detail through its formatter where there is one.

    Texts are functions so that they are translated when read, in the reader's language; an
    action in `without_actor` has its own text for entries nobody signed in made.
    """
    formatters = formatters or {}
    without_actor = without_actor or {}

    def tell(entry: AuditEntry, who: str) -> SafeString:
        text = without_actor.get(entry.action) if entry.actor is None else None
        values = {name: formatters[name](v) if name in formatters else v for name, v in entry.data.items()}
        return say((text or texts[entry.action])(), **{"actor": who, "subject": entry.object_repr, **values})

    for action in texts:
        _SENTENCES[action] = tell


def described_actions() -> set[str]:
    return set(_SENTENCES)


def say(text: str, **values) -> SafeString:
    """A translated sentence (with %(name)s placeholders) filled with escaped values."""
    escaped = {
        # Numbers stay numbers for %(count)d placeholders; everything else is user data.
        name: value if isinstance(value, int | float) else conditional_escape(value)
        for name, value in values.items()
    }
    return mark_safe(text % escaped)  # noqa: S308


def join(parts: Iterable[SafeString], separator: str = "; ") -> SafeString:
    return mark_safe(conditional_escape(separator).join(conditional_escape(part) for part in parts))  # noqa: S308


def actor_name(entry: AuditEntry) -> str:
    return entry.actor.get_full_name() if entry.actor is not None else settings.SINERGI_SITE_NAME


def describe(entry: AuditEntry) -> SafeString:
    """What the entry records, as a sentence in the active language."""
    who = actor_name(entry)
    tell = _SENTENCES.get(entry.action)
    if tell is not None:
        try:
            return tell(entry, who)
        except (KeyError, TypeError, ValueError, AttributeError):
            # Details of another shape (an entry older than its sentence): say it generically.
            pass
    return say(
        gettext("%(actor)s made a change to “%(subject)s” (%(action)s)"),
        actor=who,
        subject=entry.object_repr,
        action=entry.action.replace(".", ": ", 1).replace("_", " "),
    )


def moment_text(raw: str) -> str:
    """A stored moment in the site's zone: “Monday, 21 September 2031 09:00 WIB”."""
    moment = localtime(parse_datetime(raw))
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} {moment.tzname()}"


def value_text(field: models.Field | None, raw) -> str:
    """A stored value as a reader expects it: choice labels, local dates and times, on/off."""
    if raw is None or raw == "" or raw == "None":
        return gettext("(empty)")
    raw = str(raw)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(field, models.BooleanField):
        return gettext("on") if raw == "True" else gettext("off")
    if isinstance(field, models.DateTimeField) and parse_datetime(raw):
        return moment_text(raw)
    if isinstance(field, models.DateField) and (day := parse_date(raw)):
        return formats.date_format(day, "DATE_FORMAT")
    if isinstance(field, models.TimeField) and (clock := parse_time(raw)):
        return formats.time_format(clock, "TIME_FORMAT")
    return Truncator(raw).chars(VALUE_CHARS)


def changes_text(
    model: type[models.Model], changes: Mapping[str, Iterable], labels: Mapping[str, str] | None = None
) -> SafeString:
    """“the venue from “A” to “B”; the description” for {field: (old, new)} of a model."""
    labels = labels or {}
    parts = []
    for name, (old, new) in changes.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        label = labels.get(name) or (field.verbose_name if field is not None else name.replace("_", " "))
        if isinstance(field, models.TextField):
            # Long texts: that they changed is enough for the log.
            parts.append(say(gettext("the %(field)s"), field=label))
        else:
            parts.append(
                say(
                    gettext("the %(field)s from “%(old)s” to “%(new)s”"),
                    field=label,
                    old=value_text(field, old),
                    new=value_text(field, new),
                )
            )
    if not parts:
        raise ValueError("no changes to tell")
    return join(parts)
