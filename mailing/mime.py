"""Raw MIME for campaign mails, assembled from parts encoded once per call with C-level codecs.

Why not Django's EmailMessage + anymail for every recipient: building one 45 kB issue that way
costs about 5 ms of pure-Python CPU (email.generator, anymail's payload walk), as much as the SES
call itself; with several sends in flight it made the worker CPU-bound (see bench/send.py).
Here what is the same for every recipient is encoded once per campaign: the headers (From,
Subject) and the bodies, quoted-printable, in pieces split where the recipient's unsubscribe URL
goes. Each mail then costs the QP encoding of that URL and a join: encoding a 45 kB issue twice
per recipient (binascii, ~2 ms a mail on a busy machine) made the worker slower than a bare
boto3 loop (issue 13). The pieces are joined with soft line breaks ("=" at the end of a line),
which decoding removes: the recipient reads exactly the personalised text.
"""

from __future__ import annotations

import quopri
import re
import uuid
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME


def _qp(text: str) -> bytes:
    # binascii's C implementation; lines stay ≤ 76 characters, as QP requires. It leaves a lone
    # CR as it is: line ends become LF here, and CRLF when the mail is assembled.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return quopri.encodestring(text.encode("utf-8"))


@dataclass(frozen=True)
class EncodedBody:
    """A body encoded once (quoted-printable), in pieces split where a per-recipient value
    goes."""

    pieces: tuple[bytes, ...]

    @classmethod
    def encode(cls, body: str, placeholder: str | None = None) -> EncodedBody:
        body = body.replace("\r\n", "\n")
        return cls(
            tuple(_qp(piece) for piece in (body.split(placeholder) if placeholder else [body]))
        )

    def fill(self, value: str) -> bytes:
        """The body with `value` where the placeholder was, QP-encoded: each piece and the value
        end with a soft line break, so lines stay ≤ 76 characters and decode to the plain join."""
        if len(self.pieces) == 1:
            return self.pieces[0]
        return (b"=\n" + _qp(value) + b"=\n").join(self.pieces)


@dataclass(frozen=True)
class MimeSkeleton:
    """What every recipient's mail of a campaign shares, already encoded: the headers, and the
    bodies when the campaign's text is known (`skeleton(..., html=, text=, placeholder=)`)."""

    common_headers: bytes  # From, Subject, MIME-Version
    html: EncodedBody | None = None
    text: EncodedBody | None = None


def skeleton(
    subject: str,
    from_email: str | None = None,
    *,
    html: str | None = None,
    text: str | None = None,
    placeholder: str | None = None,
    reply_to: str | None = None,
) -> MimeSkeleton:
    sender = sanitize_address(from_email or settings.DEFAULT_FROM_EMAIL, "utf-8")
    encoded_subject = Header(subject, "utf-8", header_name="Subject").encode(linesep="\n")
    lines = [f"From: {sender}", f"Subject: {encoded_subject}", "MIME-Version: 1.0"]
    if reply_to:
        lines.insert(1, f"Reply-To: {sanitize_address(reply_to, 'utf-8')}")
    return MimeSkeleton(
        ("\n".join(lines) + "\n").encode("ascii"),
        html=None if html is None else EncodedBody.encode(html, placeholder),
        text=None if text is None else EncodedBody.encode(text, placeholder),
    )


# An address that sanitize_address (an e-mail header parse, ~1 ms) would return unchanged.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def to_header(address: str) -> str:
    if _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, "utf-8")


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
    return _assemble(base, to=to, text=_qp(text), html=_qp(html), headers=headers)


def build_personalised(
    base: MimeSkeleton, *, to: str, value: str, headers: dict[str, str]
) -> bytes:
    """The mail of one recipient from a skeleton that holds the campaign's encoded bodies,
    `value` (the unsubscribe URL) where the placeholder was."""
    if base.html is None or base.text is None:
        raise ValueError("This skeleton holds no bodies")
    return _assemble(
        base, to=to, text=base.text.fill(value), html=base.html.fill(value), headers=headers
    )


def _assemble(
    base: MimeSkeleton, *, to: str, text: bytes, html: bytes, headers: dict[str, str]
) -> bytes:
    boundary = f"=_{uuid.uuid4().hex}"
    head = (
        f"To: {to_header(to)}\n"
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
            text,
            b"\n",
            part_head.format(b=boundary, kind="html").encode("ascii"),
            html,
            f"\n--{boundary}--\n".encode("ascii"),
        ]
    ).replace(b"\n", b"\r\n")  # MIME lines end in CRLF; no bare CR is left after QP encoding
