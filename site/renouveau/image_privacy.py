"""Uploaded photos keep no metadata: a phone's JPEG carries the GPS position, the camera and the
time of the shot (EXIF), often an XMP packet too. The original is re-encoded without any of
it, its orientation applied to the pixels (so it still stands the right way up); renditions are
made from that original, so they carry none either. Original files get a random part in their
name, so that nobody reaches an image by guessing its URL."""

from __future__ import annotations

import logging
import os
import secrets
from io import BytesIO

from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# Formats that can carry EXIF/XMP and that Pillow writes back faithfully. Others (GIF, SVG,
# AVIF/HEIC) are kept as uploaded.
_REENCODED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "TIFF": "TIFF"}


def without_metadata(data: bytes) -> bytes | None:
    """The image re-encoded with no EXIF, XMP or comment and its orientation applied, or None
    when it is left as it is (a format we do not re-encode, an animation, unreadable bytes)."""
    try:
        with Image.open(BytesIO(data)) as image:
            target = _REENCODED.get(image.format or "")
            if target is None or (getattr(image, "n_frames", 1) > 1 and image.format != "MPO"):
                return None
            image.load()
            icc_profile = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
    except Exception:  # not an image Pillow can read: Wagtail's validation says so
        logger.warning("Image metadata not stripped: unreadable upload")
        return None
    upright.info = {}  # nothing of the original's metadata may be written back
    params: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if target == "JPEG":
        params["quality"] = 95
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
    out = BytesIO()
    upright.save(out, target, **params)
    return out.getvalue()


def unguessable_name(path: str) -> str:
    """`original_images/photo.jpg` → `original_images/3f9c…-photo.jpg` (64 random bits), kept
    under Django's 100-character limit of file names."""
    folder, filename = os.path.split(path)
    prefixed = os.path.join(folder, f"{secrets.token_hex(8)}-{filename}")
    if len(prefixed) >= 95:
        stem, extension = os.path.splitext(filename)
        stem = stem[: max(len(stem) - (len(prefixed) - 94), 1)]
        prefixed = os.path.join(folder, f"{secrets.token_hex(8)}-{stem}{extension}")
    return prefixed
