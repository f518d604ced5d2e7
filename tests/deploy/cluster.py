"""A scaled-out Sinergi on this machine, as production runs it: gunicorn (2 workers, TLS with a
throwaway certificate) and two `db_worker` processes, each a separate process under
`config.settings.production`, sharing one PostgreSQL database of their own and one Redis of
their own (a redis-server started here, so a test may stop it), sending through an SMTP server
on 127.0.0.1 that the test reads.

Only the outside is simulated: clients speak HTTPS to gunicorn like browsers behind one proxy
(X-Forwarded-For), and the mail server is aiosmtpd.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
ADMIN_URL = os.environ.get("SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the cryptography package is a dependency)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass
class Cluster:
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sinergi-cluster-")))
    db_name: str = field(default_factory=lambda: f"sinergi_smoke_{uuid.uuid4().hex[:10]}")
    web_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    smtp: SMTPServer = field(default_factory=SMTPServer)
    processes: dict = field(default_factory=dict)
    world: dict = field(default_factory=dict)
    # For benchmarks: another settings module (one that imports config.settings.production) and
    # extra environment variables for every process; the defaults are what production runs.
    settings_module: str = "config.settings.production"
    extra_env: dict = field(default_factory=dict)

    # --- environment ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.web_port}"

    def database_url(self, app: str) -> str:
        return f"postgres://postgres@127.0.0.1:5432/{self.db_name}?application_name={app}"

    def env(self, app: str) -> dict:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            SECRET_KEY=self.secret,
            ALLOWED_HOSTS="127.0.0.1",
            CSRF_TRUSTED_ORIGINS=self.base_url,
            SINERGI_BASE_URL=self.base_url,
            DATABASE_URL=self.database_url(app),
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp.port}",
            # Clients stand behind one proxy of ours: each has its own address for the rate limits.
            SINERGI_TRUSTED_PROXIES="1",
            SINERGI_EMAIL_STUCK_AFTER_SECONDS="5",
            SINERGI_EMAIL_RETRY_SECONDS="2",
            SINERGI_REQUIRE_MFA_FOR_ORGANIZERS="false",
            SINERGI_REMINDER_OFFSETS="",
            POLICY_EVIDENCE_ROOT=str(self.tmp / "evidence"),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> Cluster:
        self.secret = secrets.token_urlsafe(64)
        self.cert, self.key = _certificate(self.tmp)
        self.smtp.start()
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.start_redis()
        self.manage("migrate", "--noinput", "-v0")
        # One collectstatic at a time into the shared STATIC_ROOT (the manifest names hashes).
        (ROOT / "var").mkdir(exist_ok=True)
        with open(ROOT / "var" / ".collectstatic.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self.manage("collectstatic", "--noinput", "-v0")
        out = self.manage("shell", "-c", "from tests.deploy import world; world.build()")
        self.world = json.loads(out.strip().splitlines()[-1])
        self.start_web()
        for n in (1, 2):
            self.start_worker(n)
        _wait_for(self._web_answers, 30, "gunicorn to answer")
        return self

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env("sinergi-admin"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def _spawn(self, name: str, argv: list[str], app: str) -> subprocess.Popen:
        # The child keeps its own copy of the file descriptor: ours is closed at once.
        with open(self.tmp / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(argv, cwd=ROOT, env=self.env(app), stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = proc
        return proc

    def start_redis(self) -> None:
        self._spawn(
            "redis",
            [
                shutil.which("redis-server"),
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],
            "redis",
        )
        _wait_for(self._redis_answers, 10, "redis-server to answer")

    def _redis_answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.redis_port, socket_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop_redis(self) -> None:
        self.stop("redis", signal.SIGTERM)
        _wait_for(lambda: not self._redis_answers(), 10, "redis-server to stop")

    def start_web(self) -> None:
        self._spawn(
            "web",
            [
                PY,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                "2",
                "--threads",
                "1",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--certfile",
                str(self.cert),
                "--keyfile",
                str(self.key),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            "sinergi-web",
        )

    def start_worker(self, n: int) -> None:
        self._spawn(
            f"worker{n}",
            [PY, "manage.py", "db_worker", "--interval", "0.2", "--no-reload", "--no-startup-delay"],
            "sinergi-worker",
        )

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        proc = self.processes.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        self.smtp.stop()
        with contextlib.suppress(Exception), psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- talking to it ---------------------------------------------------------------------

    def _web_answers(self) -> bool:
        try:
            return self.client().get("/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def client(self, ip: str = "192.0.2.1") -> Client:
        return Client(self, ip)

    def sql(self, query: str, *params):
        with psycopg.connect(
            self.database_url("sinergi-test").replace("postgres://", "postgresql://")
        ) as conn:
            rows = conn.execute(query, params).fetchall()
        return rows

    def sql_one(self, query: str, *params):
        return self.sql(query, *params)[0][0]

    def outbox_settled(self) -> bool:
        """Nothing left to send: every email of the outbox sent, failed or dropped."""
        return (
            self.sql_one("SELECT count(*) FROM core_outgoingemail WHERE state IN ('queued', 'sending')") == 0
        )


class Client(requests.Session):
    """A browser behind the proxy: HTTPS to gunicorn, its own address in X-Forwarded-For, the
    Referer/Origin a browser sends (Django's CSRF check wants them over HTTPS)."""

    def __init__(self, cluster: Cluster, ip: str):
        super().__init__()
        self.cluster = cluster
        self.verify = str(cluster.cert)
        self.headers.update({"X-Forwarded-For": ip, "Accept-Language": "id"})

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.cluster.base_url + url
        headers = kwargs.pop("headers", None) or {}
        headers.setdefault("Referer", url)
        if method.upper() == "POST":
            headers.setdefault("Origin", self.cluster.base_url)
        # Passed per request: requests lets REQUESTS_CA_BUNDLE override a session's `verify`.
        kwargs.setdefault("verify", str(self.cluster.cert))
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, headers=headers, **kwargs)

    def csrf_from(self, path: str) -> str:
        page = self.get(path)
        assert page.status_code == 200, f"GET {path}: {page.status_code}"
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post_form(self, path: str, data: dict, *, csrf_page: str | None = None) -> requests.Response:
        token = self.csrf_from(csrf_page or path)
        return self.post(path, data={"csrfmiddlewaretoken": token, **data})

    def log_in(self, email: str, password: str) -> None:
        response = self.post_form("/accounts/login/", {"login": email, "password": password})
        assert response.status_code == 302, f"login refused: {response.status_code}"
