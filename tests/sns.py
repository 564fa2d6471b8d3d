"""A stand-in for Amazon SNS in tests: our own certificate over local HTTP, signing messages.

Use the `sns` fixture (tests/conftest.py): it points the site's SNS settings at this server, so
`renouveau.sns.verify_sns_message` accepts what `sns.notification(...)` produces and refuses
anything else. `sns.requests` lists the paths the site fetched (certificate, SubscribeURL).

    message = sns.notification({"notificationType": "Bounce", ...}, topic_arn=sns.topic_arn)
    response = client.post(url, data=json.dumps(message), content_type="text/plain")
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from renouveau.sns import string_to_sign

TOPIC_ARN = "arn:aws:sns:eu-west-3:123456789012:renouveau-tests"


def make_certificate(
    common_name: str = "sns.amazonaws.com", *, days: int = 30, not_before_days: int = -1
) -> tuple[rsa.RSAPrivateKey, bytes]:
    """A fresh RSA key and a self-signed certificate for it, as PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=not_before_days))
        .not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return key, certificate.public_bytes(serialization.Encoding.PEM)


class _Handler(BaseHTTPRequestHandler):
    server: _SNSHTTPServer

    def do_GET(self) -> None:  # http.server's naming
        owner = self.server.owner
        owner.requests.append(self.path)
        path = self.path.split("?", 1)[0]
        body = owner.files.get(path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _SNSHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: SNSTestServer


class SNSTestServer:
    """Serves the certificate (and answers SubscribeURL) on 127.0.0.1; signs SNS messages."""

    def __init__(self) -> None:
        self.key, self.certificate_pem = make_certificate()
        self.requests: list[str] = []
        self.files: dict[str, bytes] = {
            "/SimpleNotificationService-tests.pem": self.certificate_pem,
            "/confirm": b"<ConfirmSubscriptionResponse/>",
        }
        self.httpd = _SNSHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.cert_url = f"{self.url}/SimpleNotificationService-tests.pem"
        self.topic_arn = TOPIC_ARN
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    # --- settings -----------------------------------------------------------------------------

    def apply(self, settings: Any) -> None:
        """Let the site fetch certificates (and SubscribeURL) from this local HTTP server only."""
        settings.SNS_CERT_HOST_PATTERN = r"127\.0\.0\.1"
        settings.SNS_CERT_URL_SCHEMES = ["http"]

    def reset(self) -> None:
        self.requests.clear()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- messages -----------------------------------------------------------------------------

    def sign(
        self, message: dict[str, Any], *, version: int = 1, key: rsa.RSAPrivateKey | None = None
    ) -> dict[str, Any]:
        """Add SignatureVersion, SigningCertURL and Signature (made with our key) to `message`."""
        message = {**message, "SignatureVersion": str(version)}
        message.setdefault("SigningCertURL", self.cert_url)
        algorithm = hashes.SHA1() if version == 1 else hashes.SHA256()  # noqa: S303 (SNS v1)
        signature = (key or self.key).sign(string_to_sign(message), padding.PKCS1v15(), algorithm)
        message["Signature"] = base64.b64encode(signature).decode()
        return message

    def _base(self, type_: str, topic_arn: str | None) -> dict[str, Any]:
        return {
            "Type": type_,
            "MessageId": str(uuid.uuid4()),
            "TopicArn": topic_arn or self.topic_arn,
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        }

    def notification(
        self,
        payload: dict[str, Any] | str,
        *,
        topic_arn: str | None = None,
        subject: str | None = None,
        version: int = 1,
    ) -> dict[str, Any]:
        """A signed Notification; a dict payload is JSON-encoded as SES does."""
        message = self._base("Notification", topic_arn)
        message["Message"] = payload if isinstance(payload, str) else json.dumps(payload)
        if subject is not None:
            message["Subject"] = subject
        message["UnsubscribeURL"] = f"{self.url}/unsubscribe"
        return self.sign(message, version=version)

    def subscription_confirmation(
        self, *, topic_arn: str | None = None, version: int = 1
    ) -> dict[str, Any]:
        """A signed SubscriptionConfirmation whose SubscribeURL is this server's /confirm."""
        message = self._base("SubscriptionConfirmation", topic_arn)
        token = uuid.uuid4().hex
        message.update(
            {
                "Token": token,
                "Message": f"You have chosen to subscribe to the topic {message['TopicArn']}.",
                "SubscribeURL": f"{self.url}/confirm?Action=ConfirmSubscription&Token={token}",
            }
        )
        return self.sign(message, version=version)
