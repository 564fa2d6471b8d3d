"""Issue 11, item 7: a send that SES rejects is never silent: the deploy check names the
unverified sender; a rejected confirmation mail or document link is recorded for staff on the
subscriber or the request."""

import secrets
from email.utils import parseaddr

import boto3
from django.conf import settings

from tests.production.visitors import scripted_post, wait_for
from tests.production.visitors import scripted_subscription as subscribe


def test_the_deploy_check_names_an_unverified_sender(production):
    result = production.manage(
        "check", "--deploy", env={"DEFAULT_FROM_EMAIL": "Lettre <inconnue@example.net>"}
    )
    assert "renouveau.W001" in result.stdout + result.stderr, result.stdout + result.stderr
    assert "inconnue@example.net" in result.stdout + result.stderr
    # With the real sender, verified in SES (moto), no such warning.
    ids = production.shell(
        "import json\nfrom django.core.checks import run_checks\n"
        "print(json.dumps([m.id for m in run_checks(include_deployment_checks=True)]))"
    )
    assert "renouveau.W001" not in ids, ids


def test_rejected_mails_are_recorded_for_staff(production, moto_server):
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    ses = boto3.client("sesv2", endpoint_url=moto_server.url, region_name="eu-west-3")
    email = f"refusee.{secrets.token_hex(4)}@example.net"
    ses.delete_email_identity(EmailIdentity=sender)  # SES now rejects every send
    document_id = production.shell(
        "import json\nfrom documents.models import LibraryDocument\n"
        "print(json.dumps(LibraryDocument.objects.filter(availability='on-request')"
        ".order_by('pk').first().pk))"
    )
    try:
        assert subscribe(production.site_url, "127.0.0.7", email) == 302
        asked = scripted_post(
            f"{production.site_url}/ressources/demande/{document_id}/",
            {
                "name": "Camille Refus",
                "email": email,
                "profile": "habitant",
                "purpose": "Lire le document",
                "consent": "on",
            },
            source="127.0.0.7",
        )
        assert asked.status == 302, asked.text[:2000]
        [(subscriber_error,)] = wait_for(
            lambda: production.sql(
                "SELECT mail_error FROM mailing_subscriber WHERE email = %s AND mail_error <> ''",
                (email,),
            ),
            timeout=60,
            message="the rejection recorded on the subscriber",
        )
        [(request_error, status)] = wait_for(
            lambda: production.sql(
                "SELECT mail_error, status FROM site_documents_documentrequest"
                " WHERE email = %s AND mail_error <> ''",
                (email,),
            ),
            timeout=60,
            message="the rejection recorded on the document request",
        )
    finally:
        moto_server.verify_sender(sender)
    for error in (subscriber_error, request_error):
        assert "MessageRejected" in error or "not verified" in error, error
    assert status != "sent"
