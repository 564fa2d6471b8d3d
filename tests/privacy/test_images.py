"""A photo uploaded in the admin loses its EXIF (GPS position) and XMP, in the original and the
renditions, stands the right way up, and is stored under a name nobody can guess."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renouveau.models import SiteImage

pytestmark = pytest.mark.django_db

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-'
    b'rdf-syntax-ns#"><rdf:Description exif:GPSLatitude="50,25.0N" xmlns:exif="http://ns.adobe'
    b'.com/exif/1.0/"/></rdf:RDF></x:xmpmeta>'
)


def phone_photo() -> bytes:
    """A 40×20 JPEG as a phone writes it: GPS position, camera, orientation « rotate 90° »."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (50.0, 25.0, 0.0), 3: "E", 4: (3.0, 32.0, 0.0)}  # GPSInfo
    out = BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "JPEG", exif=exif, xmp=XMP)
    return out.getvalue()


def metadata_of(data: bytes) -> dict:
    with Image.open(BytesIO(data)) as image:
        return {
            "size": image.size,
            "exif": dict(image.getexif()),
            "xmp": image.info.get("xmp"),
            "raw_gps": b"GPS" in data or b"PhoneMaker" in data or b"xmpmeta" in data,
        }


def test_the_fixture_really_carries_metadata():
    found = metadata_of(phone_photo())
    assert found["exif"] and found["xmp"] and found["raw_gps"]


def test_an_uploaded_photo_loses_its_metadata_and_gets_an_unguessable_name(
    client, django_user_model, home_page
):
    admin = django_user_model.objects.create_superuser("equipe", "equipe@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Cité Lemay, façade",
            "file": SimpleUploadedFile("IMG_2041.jpg", phone_photo(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = SiteImage.objects.get(title="Cité Lemay, façade")

    with image.open_file() as f:
        original = f.read()
    found = metadata_of(original)
    assert found["exif"] == {} and found["xmp"] is None and not found["raw_gps"]
    assert found["size"] == (20, 40)  # the orientation applied to the pixels
    assert (image.width, image.height) == (20, 40)
    assert image.file_size == len(original)  # measured after stripping

    rendition = image.get_rendition("width-10")
    with rendition.file.open("rb") as f:
        rendered = f.read()
    assert metadata_of(rendered)["exif"] == {} and not metadata_of(rendered)["raw_gps"]

    # Not reachable by guessing « original_images/IMG_2041.jpg »: a random part in the name.
    assert re.fullmatch(r"original_images/[0-9a-f]{16}-IMG_2041\.jpg", image.file.name)
    assert re.search(r"/images/[0-9a-f]{16}-IMG_2041\.", rendition.url)


def test_images_made_in_code_are_stripped_too(home_page):
    from django.core.files.base import ContentFile

    image = SiteImage(title="Import", file=ContentFile(phone_photo(), name="import.jpg"))
    image.save()
    with image.open_file() as f:
        assert not metadata_of(f.read())["raw_gps"]
