"""Every SES / botocore outcome classified (mailing.delivery.transport): one test per row.

SES's answers are real HTTP answers (a proxy in front of moto_server answers with the status and
error code of the row) parsed by botocore into the ClientError our sender sees; the failures that
have no answer are botocore's own exceptions. The expected outcome of each row is written here,
not read from the table under test.
"""

import pytest
from botocore import exceptions as be

from mailing.delivery.transport import (
    SES_ERROR_OUTCOMES,
    TRANSPORT_OUTCOMES,
    SenderState,
    SendOutcome,
    classify,
    is_temporary_error,
    send_with_retries,
)
from tests.mailing.ses_proxy import FlakySES

SENT = SendOutcome.SENT
RETRY = SendOutcome.RETRY_LATER
UNREACHABLE = SendOutcome.UNREACHABLE
UNCERTAIN = SendOutcome.UNCERTAIN
FAILED = SendOutcome.FAILED
ACCOUNT = SendOutcome.ACCOUNT_PAUSED

# (HTTP status, SES v2 error code, expected outcome)
ANSWERS = [
    (400, "Throttling", RETRY),
    (400, "ThrottlingException", RETRY),
    (429, "TooManyRequestsException", RETRY),
    (400, "TooManyRequestsException", RETRY),
    (400, "LimitExceededException", RETRY),
    (503, "ServiceUnavailable", RETRY),
    (503, "ServiceUnavailableException", RETRY),
    (400, "RequestTimeout", RETRY),
    (408, "RequestTimeoutException", RETRY),
    (400, "SendingPausedException", ACCOUNT),
    (400, "AccountSuspendedException", ACCOUNT),
    (400, "MailFromDomainNotVerifiedException", ACCOUNT),
    (404, "NotFoundException", ACCOUNT),
    (400, "MessageRejected", FAILED),
    (400, "BadRequestException", FAILED),
    (500, "InternalFailure", UNCERTAIN),
    (500, "InternalServerError", UNCERTAIN),
    (500, "InternalServiceErrorException", UNCERTAIN),
    # Codes the table does not know: the HTTP status decides.
    (429, "SomethingNew", RETRY),
    (503, "SomethingNew", RETRY),
    (500, "SomethingNew", UNCERTAIN),
    (502, "BadGateway", UNCERTAIN),
    (504, "GatewayTimeout", UNCERTAIN),
    (400, "SomethingNew", FAILED),
    (403, "AccessDeniedException", FAILED),
]

UNKNOWN_CODES = {"SomethingNew", "BadGateway", "GatewayTimeout", "AccessDeniedException"}


def test_every_code_of_the_table_has_its_row_here():
    tested = {code for _, code, _ in ANSWERS}
    assert set(SES_ERROR_OUTCOMES) <= tested


@pytest.fixture
def proxy(ses, monkeypatch, settings):
    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_MAX_ATTEMPTS = 1  # the first answer's classification, not the retries'
    flaky = FlakySES(ses.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", flaky.url)
    yield flaky
    flaky.stop()


def send(state: SenderState, to: str = "abonne@example.org") -> tuple[str, str]:
    from django.conf import settings

    raw = (
        f"From: {settings.DEFAULT_FROM_EMAIL}\r\nTo: {to}\r\nSubject: essai\r\n\r\nBonjour\r\n"
    ).encode()
    outcome, _, error = send_with_retries(state, to, raw, {"delivery": "1"})
    return outcome, error


@pytest.mark.parametrize(("status", "code", "expected"), ANSWERS)
def test_an_answer_of_ses_is_classified(proxy, ses, status, code, expected):
    proxy.failures = [(status, code, "Réponse de la ligne.")]
    state = SenderState()
    try:
        outcome, error = send(state)
    finally:
        state.close()
    assert (outcome, error.partition(":")[0]) == (expected, code)
    assert ses.messages() == []  # refused before SES had it
    if code not in UNKNOWN_CODES:  # a recorded error keeps the code, not the status
        assert is_temporary_error(error) == (expected in (RETRY, ACCOUNT))


def test_an_error_answered_after_ses_took_the_mail_is_uncertain_and_not_resent(
    proxy, ses, settings
):
    settings.MAILING_MAX_ATTEMPTS = 5
    proxy.failures_after = [(500, "InternalFailure", "We encountered an internal error.")]
    state = SenderState()
    try:
        outcome, error = send(state)
    finally:
        state.close()
    assert outcome == UNCERTAIN
    assert len(ses.messages()) == 1  # it went out once, and was not sent again


def test_a_closed_port_is_unreachable_and_retried(ses, monkeypatch, settings):
    import socket

    settings.MAILING_MAX_SEND_RATE = 0
    settings.MAILING_MAX_ATTEMPTS = 2
    settings.MAILING_RETRY_BASE_DELAY = 0.01
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    state = SenderState()
    try:
        outcome, error = send(state)
    finally:
        state.close()
    assert outcome == UNREACHABLE
    assert error.startswith("EndpointConnectionError:")
    assert is_temporary_error(error)


URL = "https://email.eu-west-3.amazonaws.com/v2/email/outbound-emails"
# (exception botocore raises, expected outcome): how far the request got decides.
EXCEPTIONS = [
    (be.ConnectTimeoutError(endpoint_url=URL), UNREACHABLE),
    (be.EndpointConnectionError(endpoint_url=URL), UNREACHABLE),
    (be.ProxyConnectionError(proxy_url="http://proxy:3128", error="refused"), UNREACHABLE),
    (be.SSLError(endpoint_url=URL, error="handshake failure"), UNREACHABLE),
    (be.ReadTimeoutError(endpoint_url=URL), UNCERTAIN),
    (be.ConnectionClosedError(endpoint_url=URL), UNCERTAIN),
    (be.ResponseStreamingError(error="reset"), UNCERTAIN),
    (be.IncompleteReadError(actual_bytes=10, expected_bytes=20), UNCERTAIN),
    (be.HTTPClientError(error="reset by peer"), UNCERTAIN),
    (ValueError("a bug before the call"), FAILED),
]


def test_every_exception_of_the_table_has_its_row_here():
    tested = {type(exc) for exc, _ in EXCEPTIONS}
    assert {kind for kind, _ in TRANSPORT_OUTCOMES} - {be.ConnectionError} <= tested


@pytest.mark.parametrize(
    ("exc", "expected"), EXCEPTIONS, ids=[type(exc).__name__ for exc, _ in EXCEPTIONS]
)
def test_a_failure_without_an_answer_is_classified(exc, expected):
    outcome, error = classify(exc)
    assert outcome == expected
    assert error.startswith(type(exc).__name__ + ":")
    assert is_temporary_error(error) == (expected == UNREACHABLE)


def test_a_wrapped_exception_is_classified_by_its_cause():
    try:
        try:
            raise be.ConnectTimeoutError(endpoint_url=URL)
        except be.ConnectTimeoutError as inner:
            raise RuntimeError("while sending") from inner
    except RuntimeError as outer:
        assert classify(outer)[0] == UNREACHABLE


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        ("ConnectTimeoutError: Connect timeout on endpoint URL", True),
        ("SendingPausedException: Sending is paused for this account.", True),
        ("TooManyRequestsException: Maximum sending rate exceeded.", True),
        ("MessageRejected: Email address is not verified.", False),
        ("InternalFailure: internal error", False),  # it may have gone out
        ("ReadTimeoutError: Read timeout", False),
        ("Plus abonné au moment de l'envoi.", False),
        ("", False),
    ],
)
def test_a_recorded_error_tells_whether_it_may_be_sent_again(error, temporary):
    assert is_temporary_error(error) is temporary
