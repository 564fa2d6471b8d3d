"""`manage.py backup` writes a database dump and the media inventory; the restore's media check
finds what went missing since (the full restore is proven in tests/production/)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from renouveau.backups import check_media


@pytest.mark.django_db(transaction=True)  # the dump sees committed data only
def test_a_backup_holds_the_database_and_lists_every_media_file(tmp_path, settings):
    from mailing.models import Subscriber

    Subscriber.objects.create(email="sauvegarde@example.org", status="confirmed")
    media = storages["default"]
    name = media.save("images/chevalement.jpg", ContentFile(b"jpeg bytes"))
    documents = storages["documents"]
    private = documents.save("referentiel.pdf", ContentFile(b"%PDF-1.7"))
    try:
        call_command("backup", output=str(tmp_path / "b"), verbosity=0)
        manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
        dump = tmp_path / "b" / manifest["database"]
        assert dump.stat().st_size > 10_000
        assert b"sauvegarde@example.org" in dump.read_bytes() or manifest["database"].endswith(
            ".dump"  # pg_dump's custom format compresses the rows
        )
        assert manifest["migrations"]["renouveau"].startswith("000")
        listed = json.loads((tmp_path / "b" / "media-inventory.json").read_text())
        assert listed["default"][name]["size"] == len(b"jpeg bytes")
        assert private in listed["documents"]

        assert check_media(tmp_path / "b").missing == []
        media.delete(name)  # lost after the backup
        assert check_media(tmp_path / "b").missing == [f"default:{name}"]
    finally:
        for storage, stored in ((media, name), (documents, private)):
            if storage.exists(stored):
                storage.delete(stored)


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_no_backup(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="holds no backup"):
        call_command("restore", str(tmp_path))
