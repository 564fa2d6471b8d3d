"""Quoted-printable line length of the bodies encoded once per campaign and filled per recipient
(RFC 2045 § 6.7: at most 76 characters, the soft break's "=" included)."""

from __future__ import annotations

import quopri

from hypothesis import example, given, settings
from hypothesis import strategies as st

from renouveau.mime import EncodedBody, build_mail

PLACEHOLDER = "%%UNSUB%%"

# Bodies made of what mails hold: ASCII, accents, spaces and tabs (escaped at a line's end),
# "=" (escaped itself), line ends; the placeholder anywhere, any number of times.
_chars = st.sampled_from(list("abcxyz Zé€ \t=.-/:\n") + ["\r\n", "«\u00a0", "’"])
_text = st.lists(_chars, max_size=400).map("".join)
bodies = st.lists(_text, min_size=1, max_size=5).map(PLACEHOLDER.join)
values = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789:/._-=?&é ")),
    max_size=300,
)


def _longest(encoded: bytes) -> int:
    return max(len(line) for line in encoded.split(b"\n"))


@settings(max_examples=400, deadline=None)
@given(body=bodies, value=values)
# The case of issue 29: a piece whose last encoded line is exactly 76 characters long.
@example(body="x" * 76 + PLACEHOLDER + "fin", value="https://exemple.fr/d/1/")
@example(body="é" * 25 + "a" + PLACEHOLDER, value="v" * 76)
def test_every_encoded_line_is_at_most_76_and_decodes_to_the_join(body, value):
    encoded = EncodedBody.encode(body, PLACEHOLDER).fill(value)
    assert _longest(encoded) <= 76
    assert quopri.decodestring(encoded).decode() == body.replace("\r\n", "\n").replace(
        PLACEHOLDER, value
    )


@settings(max_examples=100, deadline=None)
@given(text=_text, html=_text)
# Found by Hypothesis in CI: binascii escapes a space at a line's end (=20) past 76 characters.
@example(text="", html="aaaaaaaaaaaaaaaaa€€«\u00a0’’’ \n")
def test_a_transactional_mail_has_no_body_line_over_76(text, html):
    raw = build_mail(to=["a@example.org"], subject="Sujet", text=text, html=html or None)
    body = raw.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 76
