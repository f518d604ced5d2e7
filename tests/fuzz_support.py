"""Hypothesis strategies and checks shared by the fuzz and hostile-text tests."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from contextlib import contextmanager

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.http import QueryDict
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Strings that break naive escaping, header building, calendar folding or spreadsheet cells.
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "a\r\nBcc: victim@example.test",
    "\x00\x07\x1b[31m",
    "\u202eevil\u202c",
    '=HYPERLINK("http://x")',
    "+cmd",
    "-1+1",
    "@SUM(1)",
    "\tTAB",
]

# Every Unicode category but surrogates, which cannot be encoded in a request at all.
CHARACTERS = st.characters(exclude_categories=("Cs",))

# The tables a request could change: every model of the project, allauth's addresses and the
# task queue (a queued email is a change too).
WATCHED_APPS = (
    "accounts",
    "core",
    "directory",
    "meetings",
    "participants",
    "materials",
    "minutes",
    "policy",
    "account",
    "django_tasks_database",
)

# Half the examples of the default profile per test keeps the two files near a minute and a
# half with `-n 2`; HYPOTHESIS_PROFILE=thorough still scales every test up.
_profile = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
EXAMPLES = max(10, _profile.max_examples // 2)


def fuzz(max_examples: int = EXAMPLES):
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Texts a view might take for a number: digits of other scripts ("²".isdigit() is true, int()
# refuses it), numbers too long for a database integer or for int() itself, signs and spaces.
NUMBERISH = st.one_of(
    st.sampled_from(["²", "١٢", "৭", "0", "-1", " 7", "1e3", "9" * 20, "9" * 5000]),
    st.integers().map(str),
    st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=4),
)


def texts() -> st.SearchStrategy[str]:
    """Any text: short arbitrary Unicode (control characters included), a hostile string, a
    number-like text, or a huge one (up to 100,000 characters)."""
    return st.one_of(
        st.text(CHARACTERS, max_size=40),
        st.sampled_from(HOSTILE),
        NUMBERISH,
        st.builds(
            lambda piece, n: piece * n, st.text(CHARACTERS, min_size=1, max_size=5), st.integers(2000, 20_000)
        ),
    )


def values() -> st.SearchStrategy:
    """One field's value: missing (None), any text, or the field repeated with several values."""
    return st.one_of(st.none(), texts(), st.lists(texts(), min_size=2, max_size=3))


def post_data(base: dict, **choices: st.SearchStrategy) -> st.SearchStrategy[dict]:
    """`base` with each field either kept (a valid value), replaced by any value, or dropped;
    `choices` give fields a strategy of their own (e.g. an action among the valid ones). A few
    unknown fields come along too."""
    fields = {key: st.one_of(st.just(value), values()) for key, value in base.items()}
    fields.update({key: st.one_of(strategy, values()) for key, strategy in choices.items()})
    extra = st.dictionaries(st.text(CHARACTERS, min_size=1, max_size=8), texts(), max_size=2)

    def build(parts):
        known, unknown = parts
        data = {k: v for k, v in unknown.items() if k not in known}
        data.update({k: v for k, v in known.items() if v is not None})
        return data

    return st.tuples(st.fixed_dictionaries(fields), extra).map(build)


def as_submitted(data: dict) -> QueryDict:
    """`data` as the server reads it from a posted form: a repeated field (a list) is several
    values of one name, and a form sees its last one, as the test client's post does."""
    submitted = QueryDict(mutable=True)
    for key, value in data.items():
        submitted.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return submitted


def _models(skip: Iterable[str] = ()):
    skipped = set(skip)
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in skipped:
                yield model


def snapshot(skip: Iterable[str] = ()) -> dict[str, list[dict]]:
    """Every row of every watched table ("app.Model" labels in `skip` left out)."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in _models(skip)}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def refused(response) -> bool:
    """The request was refused: an error status, or a page showing a bound form with errors."""
    if response.status_code >= 400:
        return True
    contexts = response.context
    if contexts is None:
        return False
    if not isinstance(contexts, list):
        contexts = [contexts]
    for context in contexts:
        for value in context.flatten().values():
            # Only forms the view validated (`_errors` set): never make the check validate one.
            if isinstance(value, BaseForm) and value.is_bound and value._errors:
                return True
            if (
                isinstance(value, BaseFormSet)
                and value.is_bound
                and value._errors is not None
                and (any(value._errors) or value._non_form_errors)
            ):
                return True
    return False


@contextmanager
def example():
    """One example's changes are rolled back afterwards (a savepoint), and rate counts forgotten,
    so each example starts from the fixture's data."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


def check(client, send, *, skip: Iterable[str] = (), allowed_when_refused: Iterable[str] = ()):
    """Send one request (`send()` returns the response); it must not be a server error, and a
    refused request must leave every watched table as it was.

    `skip` leaves tables out of the comparison altogether; `allowed_when_refused` are tables a
    refusal may legitimately write (a failed sign-in's audit entry). Returns the response and
    the labels of the tables that changed. The client's cookies are put back afterwards, so one
    example's cookies never reach the next."""
    cookies = copy.deepcopy(client.cookies)
    with example():
        before = snapshot(skip)
        response = send()
        after = snapshot(skip)
        assert response.status_code < 500, response.content[:2000]
        changed = changed_tables(before, after)
        if refused(response):
            assert [t for t in changed if t not in set(allowed_when_refused)] == [], (
                f"refused with {response.status_code} but changed {changed}"
            )
    client.cookies = cookies
    return response, changed
