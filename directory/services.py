"""Every state change of the directory: organizations, people, and the CSV import of organizations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core import audit
from core.text import clean_name
from core.transactions import Rollback

from .models import Organization, Person


def organization_errors(org: Organization) -> dict[str, str]:
    """Errors a person can fix on an organization: a duplicate name, a parent cycle."""
    errors = {}
    if org.name:
        duplicates = Organization.objects.filter(name__iexact=org.name.strip())
        if org.pk is not None:
            duplicates = duplicates.exclude(pk=org.pk)
        if duplicates.exists():
            errors["name"] = _("An organization with this name already exists.")
    if org.parent_id is not None and org.pk is not None:
        # Walk up from the chosen parent; meeting this unit on the way means a cycle.
        seen, current = set(), org.parent_id
        while current is not None and current not in seen:
            if current == org.pk:
                errors["parent"] = _("A unit cannot be its own parent or an ancestor of itself.")
                break
            seen.add(current)
            current = Organization.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return errors


@transaction.atomic
def save_organization(org: Organization, *, actor) -> Organization:
    created = org.pk is None
    org.name, org.acronym = clean_name(org.name), clean_name(org.acronym)
    if errors := organization_errors(org):
        raise ValidationError(errors)
    org.full_clean()
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as err:
        # A concurrent save took the name between the check and the insert.
        raise ValidationError({"name": _("An organization with this name already exists.")}) from err
    audit.record(org, "organization.created" if created else "organization.updated", actor)
    return org


@transaction.atomic
def save_person(person: Person, *, actor) -> Person:
    created = person.pk is None
    person.full_name, person.position = clean_name(person.full_name), clean_name(person.position)
    person.full_clean()
    person.save()
    audit.record(person, "person.created" if created else "person.updated", actor)
    return person


# CSV import of organizations ----------------------------------------------------------------

CSV_COLUMNS = ["name", "acronym", "kind", "parent", "timezone"]
# One request checks and saves the whole file; this keeps it to a second or two and fits the
# directory's real imports (the 23 regional units, a ministry's directorates).
IMPORT_MAX_ROWS = 2000


@dataclass
class ImportReport:
    created: list[Organization] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_organizations_csv(data: bytes, *, actor) -> ImportReport:
    """Import organizations from CSV (name, acronym, kind, parent, timezone).

    All or nothing: when any row has an error, nothing is saved and every row's error is
    reported with its line number. `parent` names an existing organization, or one earlier in
    the file, by name or acronym.
    """
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, _("The file is not UTF-8 text.")))
        return report
    reader = csv.DictReader(io.StringIO(text))
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error:
        report.errors.append((1, _("The header row must include a “name” column.")))
        return report
    if "name" not in headers:
        report.errors.append((1, _("The header row must include a “name” column.")))
        return report
    reader.fieldnames = headers
    kinds = _kind_lookup()
    zones = {z for z, _label in Organization._meta.get_field("timezone").choices}
    by_name = {o.name.lower(): o for o in Organization.objects.all()}
    # A parent may be named by its name or its acronym; names win over acronyms.
    known = {o.acronym.lower(): o for o in by_name.values() if o.acronym} | by_name
    try:
        with transaction.atomic():
            for line, row, problem in _rows(reader):
                if problem == TOO_MANY_ROWS:
                    report.errors = [
                        (
                            0,
                            _("The file has more than %(max)s rows; split it into several files.")
                            % {"max": number_format(IMPORT_MAX_ROWS, force_grouping=True)},
                        )
                    ]
                    break
                if problem:
                    report.errors.append((line, problem))
                    continue
                row = {k: clean_name(v or "") for k, v in row.items() if isinstance(k, str)}
                problems = []
                name = row.get("name", "")
                if not name:
                    problems.append(_("the name is empty"))
                elif name.lower() in by_name:
                    problems.append(_("“%(name)s” already exists") % {"name": name})
                kind = kinds.get(row.get("kind", "").lower() or "other")
                if not kind:
                    problems.append(_("unknown kind “%(kind)s”") % {"kind": row.get("kind")})
                zone = row.get("timezone") or "Asia/Jakarta"
                if zone not in zones:
                    problems.append(_("unknown time zone “%(tz)s”") % {"tz": zone})
                parent = None
                if row.get("parent"):
                    parent = known.get(row["parent"].lower())
                    if parent is None:
                        problems.append(_("unknown parent “%(p)s”") % {"p": row["parent"]})
                org = Organization(
                    name=name, acronym=row.get("acronym", ""), kind=kind or "", parent=parent, timezone=zone
                )
                if not problems:
                    try:
                        org.full_clean(exclude=["parent"], validate_constraints=False)
                    except ValidationError as exc:
                        problems += [_field_message(f, m) for f, ms in exc.message_dict.items() for m in ms]
                if problems:
                    report.errors.append((line, "; ".join(problems)))
                    continue
                org.save()
                report.created.append(org)
                by_name[name.lower()] = org
                known[name.lower()] = org
                if org.acronym:
                    known.setdefault(org.acronym.lower(), org)
            if report.errors:
                raise Rollback
            for org in report.created:
                audit.record(org, "organization.imported", actor)
    except Rollback:
        report.created = []
    except IntegrityError:
        report.errors.append((0, _("The file repeats an organization name.")))
        report.created = []
    return report


TOO_MANY_ROWS = "too many rows"


def _rows(reader: csv.DictReader):
    """(line, row, problem) per data row; a row the csv module or the database cannot take is a
    problem on its line, and reading goes on so every bad line is reported at once."""
    count = last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The reader may stop inside the line before counting it.
            last_line = max(reader.line_num, last_line + 1)
            problem = _("this row has a field over %(size)s KiB") % {"size": csv.field_size_limit() // 1024}
            yield last_line, None, problem
            continue
        # line_num is the file line where this row ends (quoted fields may span lines).
        last_line = reader.line_num
        count += 1
        if count > IMPORT_MAX_ROWS:
            yield reader.line_num, None, TOO_MANY_ROWS
            return
        values = [*row.values(), *(k for k in row if isinstance(k, str))]
        # PostgreSQL refuses NUL in text; SQLite would store it and every page would carry it.
        if any(
            "\x00" in v for value in values for v in (value if isinstance(value, list) else [value or ""])
        ):
            yield reader.line_num, None, _("this row contains a NUL character")
            continue
        yield reader.line_num, row, None


def _kind_lookup() -> dict[str, str]:
    """A kind by its code or by its label in any of the site's languages ("Regional unit", "UPT")."""
    lookup = {k.value: k.value for k in Organization.Kind}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lookup |= {str(k.label).lower(): k.value for k in Organization.Kind}
    return lookup


def _field_message(field_name: str, message: str) -> str:
    try:
        return f"{Organization._meta.get_field(field_name).verbose_name}: {message}"
    except FieldDoesNotExist:
        return message
