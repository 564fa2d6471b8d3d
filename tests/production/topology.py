"""The production topology as real processes on 127.0.0.1: a fresh PostgreSQL database, Redis,
moto_server (SES and S3), gunicorn with the production settings, nginx terminating TLS in front
of it, the task worker and the scheduler. The site's own processes (release, web, worker,
scheduler) are the repository's Procfile started by honcho, as operators start them (DEPLOY.md).

Every process gets the same environment (`Topology.environ`) and writes to its own log file in
a temporary directory; the logs are printed when something fails to start.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import json
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.moto import free_port
from tests.production.visitors import request

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PROCFILE = ROOT / "Procfile"


class StartupError(RuntimeError):
    pass


def nginx_executable() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
        None,
    )


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "site.crt", directory / "site.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


NGINX_CONF = """\
{user}
daemon off;
master_process on;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-temp/body;
    proxy_temp_path {tmp}/nginx-temp/proxy;
    fastcgi_temp_path {tmp}/nginx-temp/fastcgi;
    uwsgi_temp_path {tmp}/nginx-temp/uwsgi;
    scgi_temp_path {tmp}/nginx-temp/scgi;
    client_max_body_size 20m;
    # Two web nodes, round robin (nginx's default), as behind a load balancer. X-Upstream tells
    # the tests which node answered (test configuration only: it is not in DEPLOY.md's).
    upstream site {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name _;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://site;
            add_header X-Upstream $upstream_addr always;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def _die_with_parent() -> None:
    """In the child: get SIGTERM if pytest dies without tearing down (Linux prctl)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def child_pid(self) -> int | None:
        """The pid of the Procfile process honcho started (its log's « started (pid=N) »)."""
        found = re.findall(r"started \(pid=(\d+)\)", self.log.read_text(errors="replace"))
        return int(found[0]) if found else None

    def kill_child(self) -> None:
        """SIGKILL the process honcho started (and its group), as a node's crash would."""
        pid = self.child_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


@dataclass
class Topology:
    """Addresses and environment of one production-like deployment on this machine."""

    tmp: Path
    database_url: str
    redis_url: str
    moto_environ: dict[str, str]
    moto_url: str
    bucket: str
    web_ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    nginx_port: int = field(default_factory=free_port)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    processes: list[Process] = field(default_factory=list)
    commands: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    _shell: Process | None = None

    @property
    def gunicorn_port(self) -> int:
        """The first node's web port (a node's gunicorn, reached without nginx)."""
        return self.web_ports[0]

    @property
    def site_url(self) -> str:
        return f"https://127.0.0.1:{self.nginx_port}"

    @property
    def environ(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST_", "AWS_", "MAILING_", "DOCUMENTS_"))
        }
        env.update(self.moto_environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "renouveau.settings.production",
                "PYTHONUNBUFFERED": "1",
                # The Procfile's `python` and `gunicorn` are the virtualenv's, as on a server
                # where it is activated.
                "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
                "STATIC_ROOT": str(self.tmp / "static"),
                "BIND_ADDRESS": "127.0.0.1",
                "WEB_WORKERS": "2",
                "LEADER_POLL_SECONDS": "2",
                "DATABASE_URL": self.database_url,
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": self.site_url,
                "CSRF_TRUSTED_ORIGINS": self.site_url,
                "TRUSTED_PROXY_COUNT": "1",
                "REDIS_URL": self.redis_url,
                "PAGE_CACHE_SECONDS": "600",
                "MEDIA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": self.bucket,
                "MEDIA_ROOT": str(self.tmp / "media"),
                "SCHEDULE_PUBLISH_SECONDS": "2",
                "LOG_LEVEL": "INFO",
            }
        )
        return env

    # --- commands and processes ---

    def manage(
        self, *args: str, timeout: float = 300, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """Run a manage.py command to completion under the production settings."""
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**self.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            check=False,
        )
        with open(self.tmp / "commands.log", "a") as log:
            elapsed = time.monotonic() - started
            log.write(f"$ manage.py {' '.join(args)}  -> {result.returncode} in {elapsed:.1f} s\n")
            log.write(result.stdout[-20000:] + result.stderr[-20000:] + "\n")
        return result

    def shell(self, code: str, timeout: float = 120):
        """Run Python code in a Django shell of the deployment (one long-lived process, see
        shell_server.py); the last line the code prints is parsed as JSON and returned."""
        if self._shell is None or not self._shell.alive():
            self._shell = self.start(
                "shell",
                [sys.executable, str(Path(__file__).with_name("shell_server.py"))],
                pipes=True,
            )
            self._shell_reply(timeout=120)  # ready
        popen = self._shell.popen
        popen.stdin.write(json.dumps({"code": code}) + "\n")
        popen.stdin.flush()
        reply = self._shell_reply(timeout)
        with open(self.tmp / "commands.log", "a") as log:
            log.write(
                f"$ shell snippet -> {reply['ok']}\n{code}\n{reply['stdout']}{reply['error']}\n"
            )
        if not reply["ok"]:
            raise AssertionError(f"shell snippet failed:\n{code}\n{reply['error']}")
        lines = [line for line in reply["stdout"].splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else None

    def call_command(self, name: str, **options) -> str:
        """A management command run through the shell process (`call_command`): the same code
        as `manage.py <name>`, without a Django start-up per command. Kept in `commands`."""
        code = (
            "import io, json\n"
            "from django.core.management import call_command\n"
            "out = io.StringIO()\n"
            f"call_command({name!r}, stdout=out, stderr=out, **{options!r})\n"
            "print(json.dumps(out.getvalue()))\n"
        )
        started = time.monotonic()
        try:
            output = self.shell(code, timeout=600)
        except AssertionError as error:
            self.commands[name] = subprocess.CompletedProcess([name], 1, "", str(error))
            raise StartupError(f"{name} failed:\n{error}") from None
        self.commands[name] = subprocess.CompletedProcess([name], 0, output, "")
        with open(self.tmp / "commands.log", "a") as log:
            log.write(f"= {name} in {time.monotonic() - started:.1f} s\n")
        return output

    def _shell_reply(self, timeout: float) -> dict:
        popen = self._shell.popen
        ready, _, _ = select.select([popen.stdout], [], [], timeout)
        line = popen.stdout.readline() if ready else ""
        if not line:
            self._shell.stop()
            raise AssertionError(
                f"the shell process gave no answer:\n{self._shell.log.read_text()[-6000:]}"
            )
        return json.loads(line)

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Rows of a read-only query on the deployment's database."""
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def start(
        self, name: str, args: list[str], *, pipes: bool = False, env: dict[str, str] | None = None
    ) -> Process:
        log = self.tmp / f"{name}.log"
        handle = open(log, "ab")  # noqa: SIM115 (kept open by the child)
        popen = subprocess.Popen(
            args,
            env={**self.environ, **(env or {})},
            cwd=ROOT,
            stdin=subprocess.PIPE if pipes else subprocess.DEVNULL,
            stdout=subprocess.PIPE if pipes else handle,
            stderr=handle if pipes else subprocess.STDOUT,
            text=pipes,
            start_new_session=True,  # its own process group: stop() reaches its children
            preexec_fn=_die_with_parent,
        )
        handle.close()
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_manage(self, name: str, *args: str) -> Process:
        return self.start(name, [sys.executable, str(ROOT / "manage.py"), *args])

    def honcho(self, *args: str) -> list[str]:
        honcho = str(VENV_BIN / "honcho")
        return [honcho, "--no-colour", "-f", str(PROCFILE), "-d", str(ROOT), *args]

    def start_procfile(self, name: str, kind: str, env: dict[str, str] | None = None) -> Process:
        """One Procfile process (`honcho start <kind>`): a node's web, worker or scheduler."""
        return self.start(name, self.honcho("start", kind), env=env)

    def release(self, timeout: float = 600) -> subprocess.CompletedProcess:
        """The Procfile's release step (`honcho start release`), run to completion."""
        started = time.monotonic()
        result = subprocess.run(
            self.honcho("start", "release"),
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            check=False,
        )
        self.commands["release"] = result
        with open(self.tmp / "commands.log", "a") as log:
            elapsed = time.monotonic() - started
            log.write(f"$ honcho start release -> {result.returncode} in {elapsed:.1f} s\n")
            log.write(result.stdout[-20000:] + result.stderr[-20000:] + "\n")
        if result.returncode != 0:
            raise StartupError(f"the release step failed:\n{result.stdout[-6000:]}")
        return result

    def start_nodes(self) -> None:
        """Two nodes, each with the Procfile's web (2 gunicorn workers) and worker lines: four
        web workers and two task workers sharing the database, Redis and S3."""
        for number, port in enumerate(self.web_ports, start=1):
            suffix = "" if number == 1 else f"-{number}"
            self.start_procfile(f"web{suffix}", "web", env={"PORT": str(port)})
            self.start_procfile(f"worker{suffix}", "worker")

    def start_nginx(self, executable: str) -> Process:
        cert, key = self_signed_certificate(self.tmp)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.tmp / "nginx-temp" / sub).mkdir(parents=True, exist_ok=True)
        # As root, nginx's workers would switch to "nobody", who cannot write our temp dirs.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user=user,
                tmp=self.tmp,
                port=self.nginx_port,
                cert=cert,
                key=key,
                servers="\n".join(f"        server 127.0.0.1:{port};" for port in self.web_ports),
            )
        )
        return self.start(
            "nginx",
            [executable, "-p", str(self.tmp), "-e", str(self.tmp / "nginx-error.log")]
            + ["-c", str(conf)],
        )

    def wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            dead = [p.name for p in self.processes if not p.alive()]
            if dead:
                raise StartupError(f"process(es) exited during start-up: {', '.join(dead)}")
            try:
                response = request(f"{self.site_url}/healthz", timeout=5)
                if response.status == 200:
                    return
                last = f"HTTP {response.status}: {response.text[:300]}"
            except OSError as error:
                last = repr(error)
            time.sleep(0.3)
        raise StartupError(f"{self.site_url}/healthz never answered 200 (last: {last})")

    def logs(self) -> str:
        parts = []
        for path in sorted(self.tmp.glob("*.log")):
            text = path.read_text(errors="replace")
            parts.append(f"===== {path.name} (last 6000 characters)\n{text[-6000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
