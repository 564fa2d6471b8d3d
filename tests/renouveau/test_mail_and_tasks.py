"""The site's one mail path, through a real moto_server, and the background-task worker."""

import pytest

from renouveau.mail import send_mail_message, send_mail_task
from tests.subprocesses import manage


def test_mail_sent_by_the_site_arrives_at_ses_with_both_parts(ses):
    message_id = send_mail_message(
        to=["habitant@example.org"],
        subject="Votre demande de document",
        text="Bonjour, voici le lien.",
        html="<p>Bonjour, voici le <a href='https://example.org'>lien</a>.</p>",
        headers={"List-Unsubscribe": "<mailto:contact@renouveaubassinminier.fr>"},
    )
    assert message_id  # SES's message id, recorded by callers

    [message] = ses.messages()
    assert message["From"] == "Renouveau du Bassin Minier <contact@renouveaubassinminier.fr>"
    assert message["To"] == "habitant@example.org"
    assert message["Subject"] == "Votre demande de document"
    assert message["List-Unsubscribe"] == "<mailto:contact@renouveaubassinminier.fr>"
    assert message.get_body(("plain",)).get_content().strip() == "Bonjour, voici le lien."
    assert "voici le <a" in message.get_body(("html",)).get_content()


def test_an_unverified_sender_is_an_error_not_a_silent_loss(ses):
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="MessageRejected"):
        send_mail_message(
            to=["a@example.org"], subject="x", text="x", from_email="pirate@example.com"
        )
    assert ses.messages() == []


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_by_the_web_process_is_run_by_a_worker_process(ses):
    result = send_mail_task.enqueue(
        to=["elu@example.org"], subject="Tâche de fond", text="Envoyé par le worker."
    )
    assert ses.messages() == []  # enqueued, not sent

    worker = manage("db_worker", "--batch", "--queue-name", "mail", "--no-startup-delay")
    assert worker.returncode == 0, worker.stdout + worker.stderr

    [message] = ses.messages()
    assert message["Subject"] == "Tâche de fond"
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value  # the SES message id


def test_djangos_own_mail_takes_the_same_sender(ses, settings):
    """Error reports and Wagtail's password resets use Django's mail API: EMAIL_BACKEND hands
    their bytes to the same sender (SES v2 raw), with Bcc recipients reached but not shown."""
    from django.core.mail import EmailMessage

    settings.EMAIL_BACKEND = "renouveau.mail.SESBackend"
    sent = EmailMessage(
        "Réinitialisation du mot de passe",
        "Suivez ce lien.",
        to=["redaction@example.org"],
        bcc=["archive@example.org"],
    ).send()
    assert sent == 1
    [message] = ses.messages()
    assert message["Subject"] == "Réinitialisation du mot de passe"
    assert message["To"] == "redaction@example.org" and message["Bcc"] is None
    destinations = ses.captured()[0]["destinations"]  # what SES was asked to deliver to
    assert set(destinations) == {"archive@example.org", "redaction@example.org"}
