"""The materials in the admin: shown, never changed there."""

import pytest
from django.urls import reverse

from materials.models import Material
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_shows_materials_read_only_and_never_links_the_file(client, fgd, files):
    admin_user = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    material = files["staff"]

    listing = client.get(reverse("admin:materials_material_changelist"))
    page = client.get(reverse("admin:materials_material_change", args=[material.pk]))
    posted = client.post(reverse("admin:materials_material_delete", args=[material.pk]), {"post": "yes"})

    assert listing.status_code == 200
    assert "Paparan staff" in listing.content.decode()
    assert page.status_code == 200
    assert material.file.name not in page.content.decode()
    assert reverse("materials:materials", kwargs={"code": fgd.code}) in page.content.decode()
    assert posted.status_code == 403
    assert Material.objects.filter(pk=material.pk).exists()
    assert client.get(reverse("admin:materials_uploadlink_changelist")).status_code == 200
