"""Directory services: the rules hold for every caller, not only the forms."""

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from directory import services
from directory.models import Organization
from tests.factories import OrganizationFactory


def test_save_organization_rejects_duplicate_name_case_insensitively(organizer):
    OrganizationFactory(name="Kementerian Luar Negeri")
    with pytest.raises(ValidationError) as exc:
        services.save_organization(Organization(name="KEMENTERIAN LUAR NEGERI "), actor=organizer)
    assert list(exc.value.message_dict) == ["name"]
    assert Organization.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def test_save_organization_rejects_ancestor_as_parent(organizer):
    top = OrganizationFactory(name="Kemnaker")
    child = OrganizationFactory(name="Ditjen Binapenta", parent=top)
    top.parent = child
    with pytest.raises(ValidationError) as exc:
        services.save_organization(top, actor=organizer)
    assert list(exc.value.message_dict) == ["parent"]
    top.refresh_from_db()
    assert top.parent is None


def test_save_organization_accepts_unrelated_parent_and_logs(organizer):
    kemnaker = OrganizationFactory(name="Kemnaker")
    unit = OrganizationFactory(name="Ditjen Binapenta")
    unit.parent = kemnaker
    services.save_organization(unit, actor=organizer)
    unit.refresh_from_db()
    assert unit.parent == kemnaker
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["organization.updated"]


def test_organization_errors_empty_for_new_unit_under_existing_parent(db):
    parent = OrganizationFactory(name="BP2MI")
    assert services.organization_errors(Organization(name="UPT BP2MI Medan", parent=parent)) == {}


def test_import_does_not_confuse_a_name_with_an_acronym(organizer):
    OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    report = services.import_organizations_csv(b"name,parent\nBP2MI,\n", actor=organizer)
    assert report.errors == []
    assert [o.name for o in report.created] == ["BP2MI"]
