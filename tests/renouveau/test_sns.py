"""renouveau.sns: SNS signature verification against the tests' own certificate."""

import json

import pytest

from renouveau.sns import (
    SNSVerificationError,
    check_sns_url,
    confirm_subscription,
    parse_sns_message,
    verify_sns_message,
)
from tests.sns import make_certificate


@pytest.mark.parametrize("version", [1, 2])
def test_signed_notification_is_accepted(sns, version):
    message = sns.notification({"notificationType": "Bounce"}, subject="Sujet", version=version)
    verify_sns_message(message)
    verify_sns_message(message, topic_arns=[sns.topic_arn])
    # The certificate was fetched once and then cached.
    assert sns.requests.count("/SimpleNotificationService-tests.pem") == 1


@pytest.mark.parametrize("version", [1, 2])
def test_tampered_message_is_refused(sns, version):
    message = sns.notification({"mail": {"destination": ["a@example.org"]}}, version=version)
    message["Message"] = json.dumps({"mail": {"destination": ["b@example.org"]}})
    with pytest.raises(SNSVerificationError, match="Signature SNS invalide"):
        verify_sns_message(message)


def test_subject_is_part_of_the_signature(sns):
    message = sns.notification("x", subject="Un")
    message["Subject"] = "Deux"
    with pytest.raises(SNSVerificationError):
        verify_sns_message(message)


def test_signature_from_another_key_is_refused(sns):
    other_key, _ = make_certificate()
    message = sns.sign({**sns.notification("x"), "Message": "y"}, key=other_key, version=2)
    with pytest.raises(SNSVerificationError, match="Signature SNS invalide"):
        verify_sns_message(message)


def test_unknown_signature_version_and_bad_encoding_are_refused(sns):
    message = sns.notification("x")
    with pytest.raises(SNSVerificationError, match="Version"):
        verify_sns_message({**message, "SignatureVersion": "3"})
    with pytest.raises(SNSVerificationError, match="mal encodée"):
        verify_sns_message({**message, "Signature": "pas du base64 !"})
    with pytest.raises(SNSVerificationError, match="manquant"):
        verify_sns_message({k: v for k, v in message.items() if k != "MessageId"})


def test_unexpected_topic_is_refused_before_any_fetch(sns):
    message = sns.notification("x", topic_arn="arn:aws:sns:eu-west-3:999999999999:other")
    with pytest.raises(SNSVerificationError, match="Sujet"):
        verify_sns_message(message, topic_arns=[sns.topic_arn])
    assert sns.requests == []


def test_certificate_on_a_foreign_host_is_never_fetched(sns, settings):
    message = sns.notification("x")
    settings.SNS_CERT_HOST_PATTERN = r"sns\.[a-z0-9-]+\.amazonaws\.com"
    with pytest.raises(SNSVerificationError, match="hôte"):
        verify_sns_message(message)
    settings.SNS_CERT_HOST_PATTERN = r"127\.0\.0\.1"
    settings.SNS_CERT_URL_SCHEMES = ["https"]
    with pytest.raises(SNSVerificationError, match="HTTPS"):
        verify_sns_message(message)
    assert sns.requests == []


def test_expired_certificate_is_refused(sns):
    key, pem = make_certificate(days=-1, not_before_days=-10)
    sns.files["/SimpleNotificationService-expired.pem"] = pem
    message = sns.sign(
        {
            **sns.notification("x"),
            "SigningCertURL": f"{sns.url}/SimpleNotificationService-expired.pem",
        },
        key=key,
    )
    with pytest.raises(SNSVerificationError, match="expiré"):
        verify_sns_message(message)


def test_missing_certificate_is_refused(sns):
    url = f"{sns.url}/SimpleNotificationService-missing.pem"
    message = sns.sign({**sns.notification("x"), "SigningCertURL": url})
    with pytest.raises(SNSVerificationError, match="récupérer"):
        verify_sns_message(message)


def test_a_failed_certificate_fetch_is_remembered_briefly(sns, settings):
    """Forged messages naming a known topic and a dead certificate URL: one fetch, not one each."""
    url = f"{sns.url}/SimpleNotificationService-missing.pem"
    for _ in range(5):
        message = sns.sign({**sns.notification("x"), "SigningCertURL": url})
        with pytest.raises(SNSVerificationError):
            verify_sns_message(message, topic_arns=[sns.topic_arn])
    assert sns.requests == ["/SimpleNotificationService-missing.pem"]
    # Once the failure is forgotten (60 s by default), the certificate is fetched again.
    sns.files["/SimpleNotificationService-missing.pem"] = sns.certificate_pem
    settings.SNS_CERT_FAILURE_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.delete(f"sns-cert:{url}")
    verify_sns_message(sns.sign({**sns.notification("x"), "SigningCertURL": url}))
    assert len(sns.requests) == 2
    del sns.files["/SimpleNotificationService-missing.pem"]


@pytest.mark.parametrize(
    "path",
    ["/cert.pem", "/SimpleNotificationService-tests.pem/../x.pem", "/anything/else", "/"],
)
def test_certificate_url_must_have_the_aws_file_name(sns, path):
    message = sns.sign({**sns.notification("x"), "SigningCertURL": f"{sns.url}{path}"})
    with pytest.raises(SNSVerificationError, match="forme"):
        verify_sns_message(message)
    assert sns.requests == []


def test_replayed_or_future_messages_are_refused(sns):
    from datetime import UTC, datetime, timedelta

    def at(delta: timedelta) -> dict:
        stamp = (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return sns.sign({**sns.notification("x"), "Timestamp": stamp})

    verify_sns_message(at(timedelta(minutes=-59)))
    with pytest.raises(SNSVerificationError, match="trop ancien"):
        verify_sns_message(at(timedelta(hours=-1, minutes=-1)))
    with pytest.raises(SNSVerificationError, match="futur"):
        verify_sns_message(at(timedelta(minutes=10)))


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-abc.pem", True),
        ("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem", True),
        ("http://sns.eu-west-3.amazonaws.com/SimpleNotificationService-abc.pem", False),
        ("https://sns.eu-west-3.amazonaws.com.evil.example/cert.pem", False),
        ("https://evil.example/sns.eu-west-3.amazonaws.com/cert.pem", False),
        ("https://sns.eu-west-3.amazonaws.com@evil.example/cert.pem", False),
        ("https://user@sns.eu-west-3.amazonaws.com/cert.pem", False),
        ("file:///etc/passwd", False),
        ("", False),
    ],
)
def test_default_policy_only_allows_https_sns_hosts(url, ok):
    if ok:
        assert check_sns_url(url) == url
    else:
        with pytest.raises(SNSVerificationError):
            check_sns_url(url)


@pytest.mark.parametrize("version", [1, 2])
def test_subscription_confirmation_visits_the_subscribe_url(sns, version):
    message = sns.subscription_confirmation(version=version)
    verify_sns_message(message)
    confirm_subscription(message)
    assert any(path.startswith("/confirm?Action=ConfirmSubscription") for path in sns.requests)


def test_subscription_confirmation_to_a_foreign_host_is_refused(sns):
    message = sns.subscription_confirmation()
    message["SubscribeURL"] = "http://192.0.2.1/confirm"
    with pytest.raises(SNSVerificationError):
        confirm_subscription(message)
    with pytest.raises(SNSVerificationError):
        confirm_subscription(sns.notification("x"))


def test_parse_sns_message():
    assert parse_sns_message(b'{"Type": "Notification"}')["Type"] == "Notification"
    for body in (b"not json", b"[]", b'{"Type": "Other"}', b"\xff"):
        with pytest.raises(SNSVerificationError):
            parse_sns_message(body)
