"""The editor's repeated parts (a section's form, a point, the form adding a point), rendered in
Python rather than by the template engine.

A page of 60 sections holds hundreds of these; through templates, they cost several times what
the rest of the page does (benchmarks/minutes_editor.py: a median of ~100 ms against a target of
50). Every value is escaped with `conditional_escape`; labels are translated once per language.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils import translation
from django.utils.html import conditional_escape as e
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import richtext

register = template.Library()

SECTION_FORM = """<form method="post" action="{url}" hx-post="{url}" hx-trigger="input delay:1200ms, submit" \
hx-target="#status-section-{pk}" hx-sync="this:queue last" data-autosave>{csrf}\
<input type="hidden" name="base" value="{revision}" id="base-section-{pk}">
<label class="form-label small" for="s-title-{pk}">{l_title}</label>\
<input class="form-control mb-2" id="s-title-{pk}" name="title" maxlength="300" required value="{title}">
<label class="form-label small" for="s-summary-{pk}">{l_summary}</label>\
<textarea class="form-control mb-2" id="s-summary-{pk}" name="summary" rows="3" \
aria-describedby="markup-help">{summary}</textarea>
<label class="form-label small" for="s-conclusions-{pk}">{l_conclusions}</label>\
<textarea class="form-control" id="s-conclusions-{pk}" name="conclusions" rows="2" \
aria-describedby="markup-help">{conclusions}</textarea>{status}</form>"""

ADD_POINT_FORM = """<form method="post" action="{url}" class="border-top pt-2 mt-2" hx-post="{url}" \
hx-target="#points-{pk}" hx-swap="beforeend" data-reset-on-success>{csrf}\
<input type="hidden" name="part" value="new-point-{pk}">
<div class="row g-2"><div class="col-md-4"><label class="form-label small" for="np-speaker-{pk}">{l_who}</label>\
<input class="form-control" id="np-speaker-{pk}" name="speaker" list="minutes-people" maxlength="300" \
autocomplete="off" data-picker-hidden="np-who-{pk}"><input type="hidden" name="who" id="np-who-{pk}"></div>
<div class="col-md-8"><label class="form-label small" for="np-text-{pk}">{l_said}</label>\
<textarea class="form-control" id="np-text-{pk}" name="text" rows="2" required \
aria-describedby="markup-help"></textarea></div></div>
<div id="status-new-point-{pk}" class="small" role="status" aria-live="polite"></div>\
<button class="btn btn-sm btn-outline-primary mt-2">{l_add}</button></form>"""

POINT_FORM = """<form method="post" action="{url}" hx-post="{url}" hx-trigger="input delay:1200ms, submit" \
hx-target="#status-point-{pk}" hx-sync="this:queue last" data-autosave>{csrf}\
<input type="hidden" name="base" value="{revision}" id="base-point-{pk}">
<div class="row g-2"><div class="col-md-4">\
<label class="form-label small visually-hidden" for="p-speaker-{pk}">{l_who}</label>\
<input class="form-control form-control-sm fw-semibold" id="p-speaker-{pk}" name="speaker" list="minutes-people" \
maxlength="300" autocomplete="off" value="{speaker}" data-picker-hidden="p-who-{pk}" placeholder="{l_who}">\
<input type="hidden" name="who" id="p-who-{pk}" value="{who}">{affiliation}</div>
<div class="col-md-8"><label class="form-label small visually-hidden" for="p-text-{pk}">{l_said}</label>\
<textarea class="form-control form-control-sm" id="p-text-{pk}" name="text" rows="2" required \
aria-describedby="markup-help">{text}</textarea></div></div>
<div class="d-flex flex-wrap gap-1 mt-1 align-items-center">\
<input type="hidden" name="quotable_shown" value="1">\
<div class="form-check form-check-inline small me-2"><input class="form-check-input" type="checkbox" \
name="quotable" value="1" id="p-quotable-{pk}"{quotable}><label class="form-check-label" \
for="p-quotable-{pk}">{l_quotable}</label></div>\
<button type="submit" class="btn btn-sm btn-outline-secondary" name="move" value="up" hx-vals='{{"move": "up"}}' \
hx-post="{url}" hx-target="#points-{section}" hx-swap="outerHTML" aria-label="{l_up}">↑</button>\
<button type="submit" class="btn btn-sm btn-outline-secondary" name="move" value="down" \
hx-vals='{{"move": "down"}}' hx-post="{url}" hx-target="#points-{section}" hx-swap="outerHTML" \
aria-label="{l_down}">↓</button>\
<button type="submit" class="btn btn-sm btn-outline-danger" name="delete" value="1" hx-vals='{{"delete": "1"}}' \
hx-post="{url}" hx-target="#point-{pk}" hx-swap="outerHTML" hx-confirm="{l_confirm}">{l_delete}</button>{badge}\
{status}</div></form>"""

POINT = (
    """<div class="minutes-point border-start border-3 ps-2 mb-2" id="point-{pk}" data-point>{body}</div>"""
)

STATUS = """<div class="small mt-1 minutes-status" id="status-{kind}-{pk}" role="status" aria-live="polite"></div>\
<noscript><button class="btn btn-sm btn-outline-primary mt-1">{l_save}</button></noscript>"""


@lru_cache(maxsize=8)
def labels(language: str) -> dict[str, str]:
    with translation.override(language):
        texts = {
            "l_who": _("Who"),
            "l_said": _("What was said"),
            "l_up": _("Move up"),
            "l_down": _("Move down"),
            "l_confirm": _("Delete this point?"),
            "l_delete": _("Delete"),
            "l_save": _("Save"),
            "l_transcript": _("from the transcript"),
            "l_title": _("Title"),
            "l_summary": _("Discussion summary"),
            "l_conclusions": _("Conclusions"),
            "l_add": _("Add the point"),
            "l_unnamed": _("Unnamed"),
            "l_points": _("Points"),
            "l_speaker": _("Speaker"),
            "l_moderator": _("Moderator"),
            "l_quotable": _("May be quoted in the news article"),
            "l_quoted": _("quotable"),
        }
    return {name: str(e(text)) for name, text in texts.items()}


def _labels() -> dict[str, str]:
    return labels(translation.get_language() or "id")


def _csrf(context) -> str:
    token = context.get("csrf_token")
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(str(token))}">' if token else ""


def _status(kind: str, pk: int, words: dict) -> str:
    return STATUS.format(kind=kind, pk=int(pk), l_save=words["l_save"])


@register.simple_tag(takes_context=True)
def section_form(context, section):
    words = _labels()
    return mark_safe(  # noqa: S308 (every value is escaped)
        SECTION_FORM.format(
            url=e(section.save_url),
            pk=int(section.pk),
            revision=int(section.revision),
            csrf=_csrf(context),
            title=e(section.title),
            summary=e(section.summary),
            conclusions=e(section.conclusions),
            status=_status("section", section.pk, words),
            **words,
        )
    )


@register.simple_tag(takes_context=True)
def add_point_form(context, section):
    return mark_safe(  # noqa: S308 (every value is escaped)
        ADD_POINT_FORM.format(url=e(section.add_url), pk=int(section.pk), csrf=_csrf(context), **_labels())
    )


@register.simple_tag(takes_context=True)
def point_block(context, point):
    """A point: its autosaved form while the minutes are editable, else what was said."""
    return mark_safe(_point(point, bool(context.get("editable")), _csrf(context), _labels()))  # noqa: S308


def _point(point, editable: bool, csrf: str, words: dict) -> str:
    affiliation = point.speaker_affiliation
    if editable:
        body = POINT_FORM.format(
            url=e(point.save_url),
            pk=int(point.pk),
            section=int(point.section_id),
            revision=int(point.revision),
            csrf=csrf,
            speaker=e(point.speaker_name),
            who=e(point.who),
            affiliation=f'<div class="small text-body-secondary">{e(affiliation)}</div>'
            if affiliation
            else "",
            text=e(point.text),
            quotable=" checked" if point.quotable else "",
            badge=(
                f'<span class="badge text-bg-light border">{words["l_transcript"]}</span>'
                if point.source == "transcript"
                else ""
            ),
            status=_status("point", point.pk, words),
            **words,
        )
    else:
        name = e(point.speaker_name) if point.speaker_name else words["l_unnamed"]
        extra = f' <span class="small text-body-secondary">({e(affiliation)})</span>' if affiliation else ""
        if point.quotable:
            extra += f' <span class="badge text-bg-light border">{words["l_quoted"]}</span>'
        body = f'<div><span class="fw-semibold">{name}</span>{extra}</div><div>{richtext.to_html(point.text)}</div>'
    return POINT.format(pk=int(point.pk), body=body)


SECTION_CARD = """<section class="card mb-3 minutes-section" id="section-{pk}" aria-labelledby="section-title-{pk}" \
data-section-kind="{kind}"><div class="card-body"><h3 class="h5 card-title" id="section-title-{pk}">{title}</h3>\
{when}{form}<h4 class="h6 mt-3">{l_points}</h4><div id="points-{pk}" class="minutes-points">{points}</div>\
{add}</div></section>"""


@register.simple_tag(takes_context=True)
def section_card(context, section):
    """An editable section: its agenda data, its form, its points and the form adding one."""
    words = _labels()
    csrf = _csrf(context)
    lines = [e(section.when)] if section.when else []
    for role in section.roles:
        label = words["l_moderator"] if role.get("role") == "moderator" else words["l_speaker"]
        organization = f" ({e(role['organization'])})" if role.get("organization") else ""
        lines.append(f'<span class="fw-semibold">{label}:</span> {e(role.get("name", ""))}{organization}')
    when = f'<p class="small text-body-secondary mb-2">{"<br>".join(lines)}</p>' if lines else ""
    return mark_safe(  # noqa: S308 (every value is escaped)
        SECTION_CARD.format(
            pk=int(section.pk),
            kind=e(section.kind),
            title=e(section.title),
            when=when,
            form=section_form(context, section),
            points="".join(_point(point, True, csrf, words) for point in section.points.all()),
            add=add_point_form(context, section),
            l_points=words["l_points"],
        )
    )


# Recommendation and action-item fields -----------------------------------------------------------


def _field(prefix: str, name: str, label: str, control: str, width: str = "col-12") -> str:
    return f'<div class="{width}"><label class="form-label small" for="{prefix}-{name}">{label}</label>{control}</div>'


def _textarea(prefix: str, name: str, value: str, *, required: bool = False) -> str:
    need = " required" if required else ""
    return (
        f'<textarea class="form-control" id="{prefix}-{name}" name="{name}" rows="2"{need} '
        f'aria-describedby="markup-help">{e(value)}</textarea>'
    )


def _select(
    prefix: str, name: str, options: str, chosen, *, blank: bool = True, multiple: bool = False
) -> str:
    from .minutes_tags import options as mark

    extra = ' multiple size="4"' if multiple else ""
    empty = '<option value="">—</option>' if blank else ""
    return f'<select class="form-select" id="{prefix}-{name}" name="{name}"{extra}>{empty}{mark(options, chosen)}</select>'


def _choices(pairs, chosen) -> str:
    return "".join(
        f'<option value="{e(value)}"{" selected" if value == chosen else ""}>{e(label)}</option>'
        for value, label in pairs
    )


@lru_cache(maxsize=8)
def field_labels(language: str) -> dict[str, str]:
    with translation.override(language):
        texts = {
            "text": _("Recommendation"),
            "rationale": _("Rationale"),
            "instrument": _("Instrument"),
            "priority": _("Priority"),
            "section": _("From agenda item"),
            "addressed_to": _("Addressed to"),
            "themes": _("Themes (separated by commas)"),
            "by_org": _("Proposed by (agency)"),
            "by_person": _("Proposed by (speaker)"),
            "what": _("What is to be done"),
            "owner_org": _("Owner (agency)"),
            "owner_person": _("Owner (person)"),
            "due": _("Due"),
            "state": _("State"),
        }
    return {name: str(e(text)) for name, text in texts.items()}


@register.simple_tag(takes_context=True)
def recommendation_fields(context, rec, prefix):
    """The fields of a recommendation (`rec` None: the form adding one)."""
    words = field_labels(translation.get_language() or "id")
    options = context["options"]
    get = (
        (lambda name, default="": getattr(rec, name, default))
        if rec is not None
        else (lambda name, default="": default)
    )
    html = [
        _field(prefix, "text", words["text"], _textarea(prefix, "text", get("text"), required=True)),
        _field(prefix, "rationale", words["rationale"], _textarea(prefix, "rationale", get("rationale"))),
        _field(
            prefix,
            "instrument",
            words["instrument"],
            f'<select class="form-select" id="{prefix}-instrument" name="instrument">'
            f"{_choices(context['instruments'], get('instrument', 'other'))}</select>",
            "col-md-4",
        ),
        _field(
            prefix,
            "priority",
            words["priority"],
            f'<select class="form-select" id="{prefix}-priority" name="priority">'
            f"{_choices(context['priorities'], get('priority', 'medium'))}</select>",
            "col-md-4",
        ),
        _field(
            prefix,
            "section",
            words["section"],
            _select(prefix, "section", options["sections"], get("section_id")),
            "col-md-4",
        ),
        _field(
            prefix,
            "addressed_to",
            words["addressed_to"],
            _select(
                prefix,
                "addressed_to",
                options["agencies"],
                get("chosen_agencies", set()),
                blank=False,
                multiple=True,
            ),
            "col-md-6",
        ),
        '<div class="col-md-6">',
        f'<label class="form-label small" for="{prefix}-themes">{words["themes"]}</label>'
        f'<input class="form-control mb-2" id="{prefix}-themes" name="themes" maxlength="1000" value="{e(get("theme_text"))}">',
        f'<label class="form-label small" for="{prefix}-proposed_by_organization">{words["by_org"]}</label>'
        + _select(
            prefix, "proposed_by_organization", options["organizations"], get("proposed_by_organization_id")
        ),
        f'<label class="form-label small" for="{prefix}-proposed_by_person">{words["by_person"]}</label>'
        + _select(prefix, "proposed_by_person", options["speakers"], get("person_value")),
        "</div>",
    ]
    return mark_safe('<div class="row g-2">' + "".join(html) + "</div>")  # noqa: S308 (values escaped)


@register.simple_tag(takes_context=True)
def action_fields(context, action, prefix):
    """The fields of an action item (`action` None: the form adding one)."""
    words = field_labels(translation.get_language() or "id")
    options = context["options"]
    get = (
        (lambda name, default="": getattr(action, name, default))
        if action is not None
        else (lambda name, default="": default)
    )
    due = get("due_on", None)
    html = [
        _field(prefix, "text", words["what"], _textarea(prefix, "text", get("text"), required=True)),
        _field(
            prefix,
            "owner_organization",
            words["owner_org"],
            _select(prefix, "owner_organization", options["organizations"], get("owner_organization_id")),
            "col-md-4",
        ),
        _field(
            prefix,
            "owner_person",
            words["owner_person"],
            _select(prefix, "owner_person", options["speakers"], get("person_value")),
            "col-md-4",
        ),
        _field(
            prefix,
            "due_on",
            words["due"],
            f'<input class="form-control" type="date" id="{prefix}-due_on" name="due_on" value="{due.isoformat() if due else ""}">',
            "col-md-2 col-6",
        ),
        _field(
            prefix,
            "state",
            words["state"],
            f'<select class="form-select" id="{prefix}-state" name="state">{_choices(context["action_states"], get("state", "open"))}</select>',
            "col-md-2 col-6",
        ),
        _field(
            prefix,
            "section",
            words["section"],
            _select(prefix, "section", options["sections"], get("section_id")),
        ),
    ]
    return mark_safe('<div class="row g-2">' + "".join(html) + "</div>")  # noqa: S308 (values escaped)
