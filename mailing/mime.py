"""Raw MIME for campaign mails, assembled from parts encoded once per call with C-level codecs.

Why not Django's EmailMessage + anymail for every recipient: building one 45 kB issue that way
costs about 5 ms of pure-Python CPU (email.generator, anymail's payload walk), as much as the SES
call itself; with several sends in flight it made the worker CPU-bound (see bench/send.py).
Here the headers that are the same for every recipient (From, Subject) are encoded once per
campaign and each mail costs a QP encoding (binascii) and a join.
"""

import quopri
import uuid
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME


@dataclass(frozen=True)
class MimeSkeleton:
    """What every recipient's mail of a campaign shares, already encoded."""

    common_headers: bytes  # From, Subject, MIME-Version


def skeleton(subject: str, from_email: str | None = None) -> MimeSkeleton:
    sender = sanitize_address(from_email or settings.DEFAULT_FROM_EMAIL, "utf-8")
    encoded_subject = Header(subject, "utf-8", header_name="Subject").encode(linesep="\n")
    lines = [f"From: {sender}", f"Subject: {encoded_subject}", "MIME-Version: 1.0"]
    return MimeSkeleton(("\n".join(lines) + "\n").encode("ascii"))


def _qp(text: str) -> bytes:
    # binascii's C implementation; lines stay ≤ 76 characters, as QP requires.
    return quopri.encodestring(text.replace("\r\n", "\n").encode("utf-8"))


def _header_lines(headers: dict[str, str]) -> str:
    out = []
    for name, value in headers.items():
        if "\n" in value or "\r" in value:
            raise ValueError(f"Header {name} contains a line break")
        value.encode("ascii")  # only ASCII values here (URLs); anything else is a bug
        # Fold between list items (List-Unsubscribe has two URIs) to keep lines short.
        out.append(f"{name}: " + ",\n ".join(part.strip() for part in value.split(",")))
    return "\n".join(out)


def build_raw(
    base: MimeSkeleton, *, to: str, text: str, html: str, headers: dict[str, str]
) -> bytes:
    boundary = f"=_{uuid.uuid4().hex}"
    head = (
        f"To: {sanitize_address(to, 'utf-8')}\n"
        f"Date: {formatdate(localtime=False, usegmt=True)}\n"
        f"Message-ID: {make_msgid(domain=str(DNS_NAME))}\n"
        f"{_header_lines(headers)}\n"
        f'Content-Type: multipart/alternative; boundary="{boundary}"\n\n'
    ).encode("ascii")
    part_head = (
        '--{b}\nContent-Type: text/{kind}; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
    )
    return b"".join(
        [
            base.common_headers,
            head,
            part_head.format(b=boundary, kind="plain").encode("ascii"),
            _qp(text),
            b"\n",
            part_head.format(b=boundary, kind="html").encode("ascii"),
            _qp(html),
            f"\n--{boundary}--\n".encode("ascii"),
        ]
    )
