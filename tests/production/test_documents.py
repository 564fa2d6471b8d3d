"""Issue 11, item 4: an on-request document reaches the person who asked for it, through the
personal link of the mail, and nobody else (no public URL on the site or on the bucket)."""

import fnmatch
import json
import re
from urllib.parse import urlsplit

import boto3
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.production.visitors import mails_to, request, scripted_post, text_part

TITLE = "Référentiel d'ambitions partagées de rénovation des cités minières ERBM"
SHOWN_TITLE = TITLE.replace("'", "’")  # as the site typesets it
EMAIL = "jeanne.production@example.org"

DOCUMENT = """
import json
from documents.models import LibraryDocument
d = LibraryDocument.objects.get(title={title!r})
print(json.dumps({{"id": d.pk, "name": d.file.name, "filename": d.filename,
                  "availability": d.availability, "url": d.url}}))
"""


def test_a_visitor_requests_and_downloads_an_on_request_document(
    production, moto_server, visitor, tmp_path
):
    page = visitor()
    page.goto(production.site_url + "/ressources/")
    item = page.locator(".library-item", has=page.get_by_role("heading", name=SHOWN_TITLE))
    item.get_by_role("link", name="Demander ce document").click()
    page.get_by_label("Nom et prénom").fill("Jeanne Martin")
    page.get_by_label("Adresse e\u2011mail").fill(EMAIL)
    page.get_by_label("Vous êtes").select_option("habitant")
    page.get_by_label("Usage prévu du document").fill("Préparer la réunion du conseil citoyen")
    page.get_by_label("J’accepte que mes coordonnées").check()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    assert posted.value.status == 302, f"request form POST → {posted.value.status}"
    expect(page.locator("h1")).to_have_text("Demande enregistrée")

    [mail] = mails_to(moto_server, EMAIL)
    link = re.search(r"https?://\S+/ressources/telecharger/\S+/", text_part(mail)).group(0)
    assert link.startswith(production.site_url + "/"), link

    # The recipient opens the link in another browser (their mail client), then downloads.
    page = visitor()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Télécharger")
    try:
        with page.expect_download(timeout=15000) as download_info:
            page.get_by_role("button", name="Télécharger le document").click()
    except PlaywrightError as error:
        raise AssertionError(f"no download; browser console: {console}") from error
    saved = tmp_path / "document.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")


def test_the_personal_link_leads_to_a_short_lived_private_download(production, moto_server):
    """Server side of the same journey, without a browser: the link's POST redirects to a
    presigned URL of the private object, valid minutes; the bare object URL is refused."""
    document = production.shell(DOCUMENT.format(title=TITLE))
    email = "jules.production@example.org"
    asked = scripted_post(
        f"{production.site_url}/ressources/demande/{document['id']}/",
        {
            "name": "Jules Martin",
            "email": email,
            "profile": "habitant",
            "purpose": "Préparer une visite",
            "consent": "on",
        },
        source="127.0.0.8",
    )
    assert asked.status == 302, asked.text[:2000]
    [mail] = mails_to(moto_server, email)
    link = re.search(r"https?://\S+/ressources/telecharger/\S+/", text_part(mail)).group(0)

    download = scripted_post(link, {}, source="127.0.0.8")
    assert download.status == 303, download.text[:2000]
    location = download.header("Location")
    expires = re.search(r"X-Amz-Expires=(\d+)", location)
    assert expires and int(expires.group(1)) <= 600, location
    assert "/public/" not in urlsplit(location).path, location
    file = request(location)
    assert file.status == 200 and file.body.startswith(b"%PDF-"), (file.status, location)
    bare = request(location.split("?", 1)[0])
    assert bare.status == 403, f"{bare.status}: the private object is readable without signature"


def _public_grants(s3, bucket: str, key: str) -> list[str]:
    """Reasons why anyone could read `key` anonymously (ACL grant or bucket policy)."""
    reasons = []
    acl = s3.get_object_acl(Bucket=bucket, Key=key)
    for grant in acl["Grants"]:
        uri = grant["Grantee"].get("URI", "")
        if uri.endswith(("/global/AllUsers", "/global/AuthenticatedUsers")):
            reasons.append(f"ACL grants {grant['Permission']} to {uri}")
    try:
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except s3.exceptions.ClientError:
        policy = {"Statement": []}
    for statement in policy.get("Statement", []):
        if statement.get("Effect") != "Allow" or statement.get("Principal") not in (
            "*",
            {"AWS": "*"},
        ):
            continue
        resources = statement.get("Resource", [])
        for resource in [resources] if isinstance(resources, str) else resources:
            if fnmatch.fnmatchcase(f"arn:aws:s3:::{bucket}/{key}", resource):
                reasons.append(f"bucket policy allows {statement.get('Action')} on {resource}")
    return reasons


def test_media_urls_never_serve_an_on_request_document(production, moto_server):
    document = production.shell(DOCUMENT.format(title=TITLE))
    assert document["availability"] == "on-request"
    name, filename = document["name"], document["filename"]

    # Not on the site: /media/<storage name>, /media/documents/<file>, Wagtail's serve view.
    for path in (
        f"/media/{name}",
        f"/media/documents/{filename}",
        f"/documents/{document['id']}/{filename}",
    ):
        response = request(production.site_url + path, follow=True)
        assert response.status in (403, 404), f"{path} → {response.status}"
        assert not response.body.startswith(b"%PDF-"), path

    # Not on the bucket: the object is private, and not where public media live.
    s3 = boto3.client("s3", endpoint_url=moto_server.url, region_name="eu-west-3")
    keys = [
        item["Key"]
        for item in s3.list_objects_v2(Bucket=production.bucket).get("Contents", [])
        if item["Key"].endswith(filename)
    ]
    assert keys, f"{filename} is not in the bucket"
    for key in keys:
        reasons = _public_grants(s3, production.bucket, key)
        assert not reasons, f"{key}: {reasons}"
        assert not key.startswith("public/"), key
    for url in (
        f"{moto_server.url}/{production.bucket}/public/{name}",
        f"{moto_server.url}/{production.bucket}/public/documents/{filename}",
    ):
        assert request(url).status in (403, 404), url
