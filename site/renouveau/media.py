"""Public media (images, renditions, frozen newsletter images): their absolute URLs and names.

The default storage holds public media only (settings: documents have a private storage), so
its URLs are permanent: plain `/media/…` files locally, plain objects under the bucket's
`public/` prefix (or its CDN domain) on S3. Mails and feeds need absolute addresses.
"""

from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

import boto3
from django.conf import settings
from django.core.files.storage import default_storage

_PROBE = "__probe__"


def absolute_media_url(url: str) -> str:
    """A storage URL made absolute on the public site when it is root-relative (local files)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL + url
    return url


def public_media_base() -> str:
    """The absolute URL every public media file's URL starts with (storage location included).

    Computed from the URL of a probe name rather than `url("")`, which S3 refuses (empty key).
    """
    return absolute_media_url(default_storage.url(_PROBE)).removesuffix(_PROBE)


def media_name(url: str) -> str | None:
    """The storage name of one of our public media URLs, or None for any other URL."""
    base = public_media_base()
    absolute = absolute_media_url(url)
    if not absolute.startswith(base):
        return None
    return unquote(urlsplit(absolute).path).removeprefix(unquote(urlsplit(base).path))


def public_read_policy(bucket: str, prefix: str = "public") -> dict:
    """The S3 bucket policy that lets anyone read the public media prefix, and nothing else
    (documents under `private/` stay reachable only through presigned URLs)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMediaReadOnly",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/{prefix}/*",
            }
        ],
    }


def apply_public_read_policy(bucket: str) -> None:
    """Put `public_read_policy` on the bucket (deploy step: `manage.py s3_public_media`)."""
    client = boto3.client("s3", region_name=settings.AWS_S3_REGION_NAME)
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
