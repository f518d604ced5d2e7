"""A search-as-you-type picker for directory organizations and people, instead of a <select>
that lists the whole directory.

The widget is a text input with a <datalist> that htmx fills from a search endpoint (a few
matches), and a hidden input with the chosen row's id that static/js/picker.js sets when the
text is one of the suggestions. Without JavaScript the text alone is enough: an exact name (or
an unambiguous acronym) is looked up on submit.
"""

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.text import clean_name, is_id

from .models import Organization, Person

TEXT_SUFFIX = "_text"
PICKER_LIMIT = 10
# Longer than any name with its agency ("Name — Agency"): never a match, and never sent to the
# database (SQLite refuses a LIKE pattern of more than 50,000 bytes).
MAX_TEXT = 1000


class PickerWidget(forms.Widget):
    def __init__(self, search_url, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.text_for = None  # set by the field: pk -> text shown

    def value_from_datadict(self, data, files, name):
        return {"id": data.get(name, ""), "text": data.get(name + TEXT_SUFFIX, "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def format_value(self, value):
        if isinstance(value, dict):
            return value
        if value in (None, ""):
            return {"id": "", "text": ""}
        pk = getattr(value, "pk", value)
        return {"id": str(pk), "text": self.text_for(value) if self.text_for else str(value)}

    def render(self, name, value, attrs=None, renderer=None):
        # Built here rather than from a template: the form renderer does not see project templates.
        value = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.get("id") or f"id_{name}"
        list_id, hidden_id = f"{base_id}-options", f"{base_id}-id"
        text_attrs = {
            "type": "text",
            "name": name + TEXT_SUFFIX,
            "value": value["text"],
            "list": list_id,
            "autocomplete": "off",
            "data-picker-hidden": hidden_id,
            "hx-get": str(self.search_url),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            **attrs,
        }
        return format_html(
            '<input{}><datalist id="{}"></datalist><input type="hidden" name="{}" value="{}" id="{}">',
            flatatt({k: v for k, v in text_attrs.items() if v is not False}),
            list_id,
            name,
            value["id"],
            hidden_id,
        )

    def id_for_label(self, id_):
        return id_


class PickerField(forms.Field):
    """Resolves the picker's (id, text) to one row of `queryset`, or says what is wrong."""

    default_error_messages = {
        "required": _("Type a name and choose it from the suggestions."),
        "not_found": _("No match for “%(text)s” in the directory; choose one of the suggestions."),
        "ambiguous": _("“%(text)s” matches several entries; choose one of the suggestions."),
    }

    def __init__(self, *, queryset, search_url, **kwargs):
        self.queryset = queryset
        kwargs.setdefault("widget", PickerWidget(search_url))
        super().__init__(**kwargs)
        self.widget.text_for = self.text_for

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.text_for = result.text_for
        return result

    def text_for(self, value) -> str:
        obj = value if isinstance(value, self.queryset.model) else self.queryset.filter(pk=value).first()
        return self.text_of(obj) if obj is not None else ""

    def text_of(self, obj) -> str:
        return str(obj)

    def clean(self, value):
        value = value or {}
        pk = str(value.get("id") or "").strip()
        text = clean_name(str(value.get("text") or ""))
        if is_id(pk):
            obj = self.queryset.filter(pk=int(pk)).first()
            # The id counts only while the text still shows that row: a changed text is a new search.
            if obj is not None and (not text or text == self.text_of(obj)):
                return obj
        if not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        matches = list(self.lookup(text)[:2]) if len(text) <= MAX_TEXT else []
        if not matches:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"text": text}
            )
        return matches[0]

    def lookup(self, text):
        raise NotImplementedError


class OrganizationPickerField(PickerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organization.objects.all())
        kwargs.setdefault("search_url", reverse_lazy("directory:organization_picker"))
        super().__init__(**kwargs)

    def text_of(self, org) -> str:
        return org.name

    def lookup(self, text):
        by_name = self.queryset.filter(name__iexact=text)
        if by_name.exists():
            return by_name
        return self.queryset.filter(acronym__iexact=text).order_by("pk")


class PersonPickerField(PickerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Person.objects.select_related("organization"))
        kwargs.setdefault("search_url", reverse_lazy("directory:person_picker"))
        super().__init__(**kwargs)

    def text_of(self, person) -> str:
        return person_label(person)

    def lookup(self, text):
        # "Name — Agency", as the suggestions show it, or the name alone when it is unique.
        name, _sep, agency = (part.strip() for part in text.partition(" — "))
        qs = self.queryset.filter(full_name__iexact=name)
        if agency:
            qs = qs.filter(Q(organization__acronym__iexact=agency) | Q(organization__name__iexact=agency))
        return qs.order_by("pk")


def person_label(person) -> str:
    org = person.organization
    if org is None:
        return person.full_name
    return f"{person.full_name} — {org.acronym or org.name}"
