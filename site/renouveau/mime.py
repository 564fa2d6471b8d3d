"""The one MIME builder of the site: every outbound mail (transactional mail, test sends,
campaigns) is assembled here as raw bytes, then handed to `renouveau.mail.send_raw`.

Parts are encoded with C-level codecs. Why not Django's EmailMessage + django-anymail (used before)
for every recipient: building one 45 kB issue that way costs about 5 ms of pure-Python CPU
(email.generator, anymail's payload walk), as much as the SES call itself; with several sends in
flight it made the worker CPU-bound (see bench/send.py). Here what is the same for every recipient
is encoded once per campaign: the headers (From, Subject) and the bodies, quoted-printable, in
pieces split where the recipient's unsubscribe URL goes. Each mail then costs the QP encoding of
that URL and a join: encoding a 45 kB issue twice per recipient (binascii, ~2 ms a mail on a busy
machine) made the worker slower than a bare boto3 loop (issue 13). The pieces are joined with soft
line breaks ("=" at the end of a line), which decoding removes: the recipient reads exactly the
personalised text."""

from __future__ import annotations

import base64
import quopri
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME


def _qp(text: str) -> bytes:
    # binascii's C implementation, then its over-long lines split: it leaves a lone CR as it
    # is (line ends become LF here, and CRLF when the mail is assembled), and a space or tab
    # escaped at a line's end (=20) can make that line 77 characters.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = quopri.encodestring(text.encode("utf-8"))
    return b"\n".join(_split_long(line) for line in encoded.split(b"\n"))


# RFC 2045 § 6.7: an encoded line is at most 76 characters, the soft break's "=" included.
QP_MAX_LINE = 76


def _cut(line: bytes) -> int:
    """Where to put a soft line break so that the part before it, with its "=", is at most
    76 characters: never inside an "=XX" escape."""
    cut = 0
    while True:
        step = 3 if line[cut : cut + 1] == b"=" else 1
        if cut + step > QP_MAX_LINE - 1:
            return cut
        cut += step


def _split_long(line: bytes) -> bytes:
    """The line as it is when short enough, else split with soft breaks."""
    parts = []
    while len(line) > QP_MAX_LINE:
        cut = _cut(line)
        parts.append(line[:cut] + b"=")
        line = line[cut:]
    return b"\n".join([*parts, line])


def _soft_end(encoded: bytes) -> bytes:
    """`encoded` followed by a soft line break ("=" then a line end), its last line split first
    if the "=" would make it longer than 76: binascii may leave a last line of exactly 76
    characters (it only breaks when more follows). The split never cuts an "=XX" escape."""
    start = encoded.rfind(b"\n") + 1
    last = encoded[start:]
    if len(last) < QP_MAX_LINE:
        return encoded + b"=\n"
    cut = _cut(last)
    return encoded[:start] + last[:cut] + b"=\n" + last[cut:] + b"=\n"


@dataclass(frozen=True)
class EncodedBody:
    """A body encoded once (quoted-printable), in pieces split where a per-recipient value
    goes; every piece but the last ends with a soft line break."""

    pieces: tuple[bytes, ...]

    @classmethod
    def encode(cls, body: str, placeholder: str | None = None) -> EncodedBody:
        body = body.replace("\r\n", "\n")
        pieces = [_qp(piece) for piece in (body.split(placeholder) if placeholder else [body])]
        return cls((*(_soft_end(piece) for piece in pieces[:-1]), pieces[-1]))

    def fill(self, value: str) -> bytes:
        """The body with `value` where the placeholder was, QP-encoded: each piece and the value
        end with a soft line break, so lines stay ≤ 76 characters and decode to the plain join."""
        if len(self.pieces) == 1:
            return self.pieces[0]
        return _soft_end(_qp(value)).join(self.pieces)


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
    reply_to: str | Sequence[str] | None = None,
) -> MimeSkeleton:
    sender = sanitize_address(from_email or settings.DEFAULT_FROM_EMAIL, "utf-8")
    encoded_subject = Header(subject, "utf-8", header_name="Subject").encode(linesep="\n")
    lines = [f"From: {sender}", f"Subject: {encoded_subject}", "MIME-Version: 1.0"]
    replies = [reply_to] if isinstance(reply_to, str) else list(reply_to or ())
    if replies:
        lines.insert(1, "Reply-To: " + ", ".join(sanitize_address(a, "utf-8") for a in replies))
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


# (filename, content, MIME type), e.g. a webinar's `.ics`.
Attachment = tuple[str, bytes | str, str]


def build_mail(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    reply_to: Sequence[str] = (),
    from_email: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """One mail (transactional, or a test send's): the same assembly as a campaign's.

    Every such mail is sent by the site on its own (a form, a schedule, staff's button), so it
    says `Auto-Submitted: auto-generated` (RFC 3834: out-of-office robots do not answer it)
    unless `headers` say otherwise (`auto-replied` for an answer to an e-mail)."""
    base = skeleton(subject, from_email, reply_to=reply_to)
    return _assemble(
        base,
        to=to,
        text=_qp(text),
        html=None if html is None else _qp(html),
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
        attachments=attachments,
    )


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


_PART_HEAD = (
    '--{b}\nContent-Type: text/{kind}; charset="utf-8"\n'
    "Content-Transfer-Encoding: quoted-printable\n\n"
)


def _attachment_part(boundary: str, attachment: Attachment) -> bytes:
    filename, content, mimetype = attachment
    data = content.encode("utf-8") if isinstance(content, str) else content
    charset = '; charset="utf-8"' if mimetype.startswith("text/") else ""
    safe_name = filename.replace('"', "").replace("\n", "")
    head = (
        f"--{boundary}\nContent-Type: {mimetype}{charset}\n"
        "Content-Transfer-Encoding: base64\n"
        f'Content-Disposition: attachment; filename="{safe_name}"\n\n'
    ).encode("ascii")
    return head + base64.encodebytes(data)


def _assemble(
    base: MimeSkeleton,
    *,
    to: str | Sequence[str],
    text: bytes,
    html: bytes | None,
    headers: dict[str, str],
    attachments: Sequence[Attachment] = (),
) -> bytes:
    boundary = f"=_{uuid.uuid4().hex}"
    if html is None:
        body_type = 'text/plain; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable'
        body = [text, b"\n"]
    else:
        body_type = f'multipart/alternative; boundary="{boundary}"'
        body = [
            _PART_HEAD.format(b=boundary, kind="plain").encode("ascii"),
            text,
            b"\n",
            _PART_HEAD.format(b=boundary, kind="html").encode("ascii"),
            html,
            f"\n--{boundary}--\n".encode("ascii"),
        ]
    if attachments:
        # multipart/mixed: the message (text, or text + HTML) first, then each attachment.
        outer = f"=_{uuid.uuid4().hex}"
        body = [
            f"--{outer}\nContent-Type: {body_type}\n\n".encode("ascii"),
            *body,
            *(b"\n" + _attachment_part(outer, a) for a in attachments),
            f"\n--{outer}--\n".encode("ascii"),
        ]
        body_type = f'multipart/mixed; boundary="{outer}"'
    head = (
        f"To: {', '.join(to_header(a) for a in ([to] if isinstance(to, str) else to))}\n"
        f"Date: {formatdate(localtime=False, usegmt=True)}\n"
        f"Message-ID: {make_msgid(domain=str(DNS_NAME))}\n"
        + (f"{_header_lines(headers)}\n" if headers else "")
        + f"Content-Type: {body_type}\n\n"
    ).encode("ascii")
    # MIME lines end in CRLF; no bare CR is left after QP encoding (base64 has none).
    return b"".join([base.common_headers, head, *body]).replace(b"\n", b"\r\n")
