"""Issue 26 item 3 (second half): inbound mail parsing never crashes on hostile headers
(CR/LF in encoded display names, unknown charsets, broken encoded words, huge values), and a
mail that cannot be handled ends in a state staff see, never « En cours de traitement »."""

import base64
import string
from email import message_from_bytes, policy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.inbound import header_text, mail_text, sender_address
from documents.sender_auth import dkim_domains, sender_authenticated
from tests.documents.conftest import clear_cache, inbound, library, make_document  # noqa: F401

CHARSETS = ["utf-8", "iso-8859-1", "x-inconnu", "utf-7", "iso-2022-jp", "utf-16", "", "?", "%"]
NAMES = ["From", "Subject", "Message-ID", "Auto-Submitted", "Precedence", "DKIM-Signature"]

raw_bytes = st.binary(max_size=120)
# A display name or subject holding CR/LF, NUL and friends, once encoded.
nasty_text = st.lists(
    st.sampled_from(list('aé€\r\n\x00\t\x1b<>"@,;:') + ["Bcc: x@y.fr"]), max_size=20
).map("".join)
encoded_word = st.builds(
    lambda charset, kind, payload: f"=?{charset}?{kind}?{payload}?=",
    st.sampled_from(CHARSETS) | st.text(alphabet=string.ascii_letters + "-", max_size=12),
    st.sampled_from(["Q", "q", "B", "b", "X", ""]),
    st.one_of(
        nasty_text.map(lambda t: base64.b64encode(t.encode()).decode()),
        nasty_text.map(lambda t: "".join(f"={b:02X}" for b in t.encode())),
        st.text(alphabet=string.printable.replace("?", ""), max_size=30),
    ),
)
header_value = st.one_of(
    encoded_word,
    st.lists(encoded_word, max_size=4).map(" ".join),
    st.tuples(encoded_word, st.sampled_from(["<jeanne@example.org>", "<a@b@c>", "<>", ""])).map(
        " ".join
    ),
    raw_bytes.map(lambda b: b.decode("latin-1")),
    st.integers(1_000, 300_000).map(lambda n: "=?utf-8?q?" + "A" * n + "?="),
    st.integers(1_000, 300_000).map(lambda n: "x" * n),
)


def build(headers: list[tuple[str, str]], charset: str, body: bytes) -> bytes:
    lines = [f"{name}: {value}".encode("latin-1", "replace") for name, value in headers]
    lines.append(f'Content-Type: text/plain; charset="{charset}"'.encode("latin-1", "replace"))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.tuples(st.sampled_from(NAMES), header_value), max_size=8),
    charset=st.sampled_from(CHARSETS),
    body=raw_bytes,
)
def test_hostile_headers_never_crash_the_parsing(headers, charset, body):
    mail = message_from_bytes(build(headers, charset, body), policy=policy.default)
    for name in NAMES:
        text = header_text(mail, name)
        assert not any(c in text for c in "\r\n\x00")
        text.encode("utf-8")  # storable: no lone surrogates
    sender = sender_address(mail)
    assert sender == "" or (sender.count("@") == 1 and not any(c in sender for c in "\r\n \x00"))
    mail_text(mail).encode("utf-8")
    receipt = {"dmarcVerdict": {"status": "GRAY"}, "dkimVerdict": {"status": "PASS"}}
    dkim_domains(mail)
    sender_authenticated(mail, receipt, "x@example.org", sender.rpartition("@")[2])


CRLF_FROM = b"=?utf-8?q?Jeanne=0D=0ABcc=3A_autre=40example=2Eorg?= <jeanne@example.org>"


class RawMail:
    def __init__(self, raw: bytes):
        self.raw = raw

    def as_bytes(self) -> bytes:
        return self.raw


@pytest.mark.django_db
def test_a_crlf_display_name_is_handled_not_left_processing(
    client,
    inbound,  # noqa: F811
    referentiel_like,
):
    from documents.models import DocumentRequest, InboundMail

    raw = (
        b"From: " + CRLF_FROM + b"\r\nTo: contact@renouveaubassinminier.fr\r\n"
        b"Subject: =?x-inconnu?q?R=E9f=E9rentiel?= demande\r\n"
        b"Message-ID: <crlf-1@example.org>\r\n\r\nBonjour\r\n"
    )
    assert inbound.post(client, inbound.notification(RawMail(raw))).status_code == 200
    record = InboundMail.objects.get()
    assert record.status == InboundMail.Status.DONE, record.outcome
    request = DocumentRequest.objects.get()
    assert request.email == "jeanne@example.org"
    assert "\n" not in request.mail_subject


@pytest.mark.django_db
def test_an_unreadable_mail_is_shown_to_staff_as_such(client, inbound):  # noqa: F811
    from documents.models import InboundMail

    huge = b"Subject: " + b"x" * 2_000_000 + b"\r\nFrom: <>\r\n\r\n" + b"\xff" * 100
    assert inbound.post(client, inbound.notification(RawMail(huge))).status_code == 200
    record = InboundMail.objects.get()
    assert record.status in (InboundMail.Status.DONE, InboundMail.Status.ERROR)
    assert record.outcome


@pytest.fixture
def referentiel_like(make_document, library):  # noqa: F811
    return make_document("Référentiel d'ambitions partagées", on_request=True)
