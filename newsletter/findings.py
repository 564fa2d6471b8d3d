"""What a pre-send check found, and where the editor fixes it."""

from __future__ import annotations


class Finding(str):
    """A check's message, with where the fix is made: `where` names the block (« bloc 3
    « Image » ») or the field, `url` leads to the admin page holding it (the image in the
    library…) and `link_text` says so.

    A str (its text starts with `where`): campaigns record and join the checks as text, and the
    templates that know show the link."""

    where: str
    url: str
    link_text: str

    def __new__(cls, message: str, *, where: str = "", url: str = "", link_text: str = ""):
        text = f"{where[:1].upper()}{where[1:]} : {message}" if where else message
        finding = super().__new__(cls, text)
        finding.where, finding.url, finding.link_text = where, url, link_text or "Corriger"
        return finding


def block_label(position: int, block) -> str:
    """« bloc 3 « Image » »: the block as the editor sees it in the body (1 = the first)."""
    return f"bloc {position} « {block.label} »"
