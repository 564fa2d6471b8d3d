"""A real `moto_server` on 127.0.0.1 for SES (and S3) over HTTP, and readers of what it captured."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import boto3

REGION = "eu-west-3"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MotoServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        executable = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen(
            [str(executable), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)

    def environ(self) -> dict[str, str]:
        """Variables that point boto3 (in this process and in subprocesses) at the server."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")  # noqa: S310
        urllib.request.urlopen(request, timeout=5)  # noqa: S310

    def verify_sender(self, address: str) -> None:
        client = boto3.client("sesv2", endpoint_url=self.url, region_name=REGION)
        client.create_email_identity(EmailIdentity=address)

    def captured(self) -> list[dict]:
        """SES raw sends as moto records them: id, source, destinations, raw_data."""
        url = f"{self.url}/moto-api/data.json"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            data = json.load(response)
        return data.get("ses", {}).get("RawMessage", [])

    def raw_messages(self) -> list[bytes]:
        return [item["raw_data"].encode() for item in self.captured()]

    def messages(self) -> list[EmailMessage]:
        """Every message SES captured, parsed (From, To, Subject, parts, headers)."""
        return [message_from_bytes(raw, policy=policy.default) for raw in self.raw_messages()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def apply_environ(server: MotoServer) -> None:
    os.environ.update(server.environ())
