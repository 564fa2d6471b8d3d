"""Who really sent an inbound mail: only what proves the `From:` domain counts.

SES judges SPF for the envelope sender (MAIL FROM) and DKIM for the signing domain (`d=`), which
an attacker chooses: his own domain passes both while `From:` names the victim. The `From:`
address is proven only by a DMARC pass, or, when the domain publishes no DMARC policy (GRAY), by
an SPF or DKIM pass for a domain aligned with it (same organisational domain, DMARC's relaxed
alignment). A DMARC FAIL is never overruled.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

from publicsuffixlist import PublicSuffixList

# The Public Suffix List as the package ships it (read once, no network): DMARC's
# organisational domain is the public suffix plus one label (RFC 7489 §3.2).
_PSL = PublicSuffixList()


def organisational_domain(domain: str) -> str:
    """« mail.mairie.gouv.fr » → « mairie.gouv.fr »; '' for a public suffix itself
    (« co.jp », « notaires.fr »), an empty or malformed name: nothing can align with it."""
    name = domain.strip().strip(".").lower()
    if not name or ".." in name:
        return ""
    return _PSL.privatesuffix(name) or ""


def aligned(domain: str, from_domain: str) -> bool:
    organisation = organisational_domain(domain)
    return bool(organisation) and organisation == organisational_domain(from_domain)


def _verdict(receipt: dict[str, Any], name: str) -> str:
    value = receipt.get(name)
    return str(value.get("status", "") if isinstance(value, dict) else "").upper()


def dkim_domains(mail: EmailMessage) -> list[str]:
    """The `d=` domain of every DKIM-Signature of the mail."""
    domains = []
    # Raw values: the email package's parsed header objects raise on hostile input.
    for name, header in mail.raw_items():
        if name.lower() != "dkim-signature":
            continue
        match = re.search(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", str(header)[:4000])
        domains.append(match.group(1).lower() if match else "")
    return domains


def sender_authenticated(
    mail: EmailMessage, receipt: dict[str, Any], envelope_sender: str, from_domain: str
) -> bool:
    """Whether SES's verdicts prove that `From:` (of domain `from_domain`) sent this mail."""
    dmarc = _verdict(receipt, "dmarcVerdict")
    if dmarc == "PASS":
        return True
    if dmarc == "FAIL":
        return False
    if _verdict(receipt, "spfVerdict") == "PASS":
        envelope_domain = envelope_sender.rpartition("@")[2]
        if aligned(envelope_domain, from_domain):
            return True
    if _verdict(receipt, "dkimVerdict") == "PASS":
        # SES's verdict does not say which signature passed: every signature must be aligned,
        # or an attacker adds his own valid one beside a forged aligned one.
        domains = dkim_domains(mail)
        if domains and all(aligned(domain, from_domain) for domain in domains):
            return True
    return False
