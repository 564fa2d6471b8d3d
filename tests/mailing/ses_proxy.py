"""A real HTTP hop in front of moto_server that misbehaves on demand, as SES does under load:
throttling (HTTP 429/400 TooManyRequestsException), 5xx, or a rejected recipient; and, with
`failures_after`, an error answered after the request was passed on (SES had it: the mail
went out, and the sender is told it failed)."""

import base64
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_POST(self) -> None:
        owner = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with owner.lock:
            owner.requests += 1
            failure = owner.failures.pop(0) if owner.failures else None
        if (
            failure is None
            and owner.reject_containing
            and b"/outbound-emails" in self.path.encode()
        ):
            raw = json.loads(body or b"{}").get("Content", {}).get("Raw", {}).get("Data", "")
            if owner.reject_containing.encode() in base64.b64decode(raw or b""):
                failure = (400, "MessageRejected", "Email address is on the suppression list.")
        after = None
        if failure is None and b"/outbound-emails" in self.path.encode():
            with owner.lock:
                after = owner.failures_after.pop(0) if owner.failures_after else None
        if failure is not None:
            status, code, message = failure
            payload = json.dumps({"message": message}).encode()
            self.send_response(status)
            self.send_header("x-amzn-ErrorType", code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        request = urllib.request.Request(  # noqa: S310
            owner.upstream + self.path,
            data=body,
            method="POST",
            headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, headers, data = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers, error.read()
        if after is not None:
            status, code, message = after
            data = json.dumps({"message": message}).encode()
            headers = {"x-amzn-ErrorType": code, "Content-Type": "application/json"}
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in {
                "content-length",
                "transfer-encoding",
                "connection",
                "server",
                "date",
            }:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: "FlakySES"


class FlakySES:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.lock = threading.Lock()
        self.failures: list[tuple[int, str, str]] = []
        self.failures_after: list[tuple[int, str, str] | None] = []
        self.reject_containing = ""
        self.requests = 0
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
