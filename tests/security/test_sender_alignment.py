"""Issue 26 item 3: SPF/DKIM alignment on the real Public Suffix List (publicsuffixlist)."""

from email.message import EmailMessage

import pytest

from documents.sender_auth import aligned, organisational_domain, sender_authenticated

SHARED_SUFFIXES = ["co.jp", "com.br", "notaires.fr", "gouv.fr", "blogspot.com", "ac.uk"]


@pytest.mark.parametrize("suffix", SHARED_SUFFIXES)
def test_two_organisations_under_one_public_suffix_are_not_aligned(suffix):
    assert not aligned(f"attaquant.{suffix}", f"victime.{suffix}")
    assert not aligned(f"mail.attaquant.{suffix}", f"victime.{suffix}")


@pytest.mark.parametrize("suffix", SHARED_SUFFIXES)
def test_an_attacker_sharing_the_suffix_gets_no_document_link(suffix):
    receipt = {"dmarcVerdict": {"status": "GRAY"}, "spfVerdict": {"status": "PASS"}}
    envelope = f"rebond@attaquant.{suffix}"
    assert not sender_authenticated(EmailMessage(), receipt, envelope, f"victime.{suffix}")


def test_subdomains_of_one_organisation_are_aligned():
    assert organisational_domain("mail.mairie-lens.gouv.fr") == "mairie-lens.gouv.fr"
    assert aligned("rebonds.mairie-lens.gouv.fr", "mairie-lens.gouv.fr")
    assert aligned("bounce.Orange.FR.", "orange.fr")
    receipt = {"dmarcVerdict": {"status": "GRAY"}, "spfVerdict": {"status": "PASS"}}
    assert sender_authenticated(EmailMessage(), receipt, "b@bounce.orange.fr", "orange.fr")


@pytest.mark.parametrize("name", ["", ".", "co.jp", "fr", "a..b.fr", "\r\n", "é" * 300])
def test_a_public_suffix_or_a_malformed_name_aligns_with_nothing(name):
    assert not aligned(name, name)
