"""The private storage: random names, permission-checked serving, deletion after commit."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404

from core.storage import delete_on_commit, get_private_storage, random_name, serve


def test_random_names_keep_nothing_of_the_uploaded_name():
    names = {random_name("materials") for _ in range(50)}
    assert len(names) == 50
    assert all(name.startswith("materials/") and ".." not in name for name in names)


def test_serve_streams_a_file_of_the_file_system_as_a_download_that_never_runs():
    storage = get_private_storage()
    name = storage.save(random_name("t"), ContentFile(b"%PDF-1.4 hello"))

    class Field:
        pass

    field = Field()
    field.storage, field.name = storage, name
    field.open = lambda mode: storage.open(name, mode)
    response = serve(field, filename="Paparan Dirjen.pdf", content_type="application/pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Paparan Dirjen.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    inline = serve(field, filename="foto.jpg", content_type="image/jpeg", inline=True)
    assert inline["Content-Disposition"] == 'inline; filename="foto.jpg"'
    storage.delete(name)
    with pytest.raises(Http404):
        serve(field, filename="x.pdf", content_type="application/pdf")


@pytest.mark.django_db(transaction=True)
def test_a_file_is_deleted_only_when_the_transaction_commits():
    storage = get_private_storage()
    name = storage.save(random_name("t"), ContentFile(b"x"))

    def delete_then_fail():
        with transaction.atomic():
            delete_on_commit(storage, name)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        delete_then_fail()
    assert storage.exists(name)
    with transaction.atomic():
        delete_on_commit(storage, name)
        assert storage.exists(name)
    assert not storage.exists(name)
