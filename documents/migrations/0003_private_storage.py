"""Library documents move to their own private storage (STORAGES["documents"])."""

import documents.models
from django.core.files.storage import storages
from django.db import migrations, models


def move_files_to_private_storage(apps, schema_editor):
    """Copy each document file from the public media storage to the private one, then delete
    the public copy, so that no /media/ URL (or public bucket prefix) serves it any longer."""
    public, private = storages["default"], storages["documents"]
    LibraryDocument = apps.get_model("site_documents", "LibraryDocument")
    for document in LibraryDocument.objects.exclude(file="").iterator():
        name = document.file.name
        if private.exists(name) or not public.exists(name):
            continue
        with public.open(name, "rb") as source:
            saved = private.save(name, source)
        if saved != name:
            LibraryDocument.objects.filter(pk=document.pk).update(file=saved)
        public.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("site_documents", "0002_library_metadata_and_requests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="librarydocument",
            name="file",
            field=models.FileField(
                storage=documents.models.documents_storage,
                upload_to="documents",
                verbose_name="fichier",
            ),
        ),
        migrations.RunPython(move_files_to_private_storage, migrations.RunPython.noop),
    ]
