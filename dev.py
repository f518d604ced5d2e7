#!/usr/bin/env python3
"""Sinergi's two commands: `python3 dev.py run` (set up and start) and `python3 dev.py test`.

Only the Python standard library is used here, so a fresh machine with Python 3.11+
can run it before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCKS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
DEV_DB = ROOT / "var" / "sinergi.sqlite3"
APPS = ("core", "accounts", "directory", "meetings", "participants", "minutes")
STAMP = VENV / ".sinergi-lock"


def say(msg: str) -> None:
    print(f"\033[1m==> {msg}\033[0m", flush=True)


def sh(*args: str | Path, env: dict | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv() -> None:
    """Create .venv and install the pinned requirements; skipped when the lock is unchanged."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may run on an older python3)
        sys.exit("Sinergi needs Python 3.11 or newer.")
    if not PY.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in LOCKS)).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    say("Installing the pinned dependencies (requirements-dev.txt)")
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements-dev.txt")
    STAMP.write_text(digest)


def manage(*args: str, env: dict | None = None) -> None:
    sh(PY, ROOT / "manage.py", *args, env=env)


def _from_old_migrations(db: Path) -> bool:
    """Whether the database records a migration of ours that the tree no longer has (the
    migrations were rewritten once as fresh initial ones): it cannot be migrated."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            recorded = conn.execute("SELECT app, name FROM django_migrations").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return any(
        app in APPS and not (ROOT / app / "migrations" / f"{name}.py").exists() for app, name in recorded
    )


def prepare_database(env: dict | None = None) -> None:
    (ROOT / "var").mkdir(exist_ok=True)
    if not (env or os.environ).get("DATABASE_URL") and DEV_DB.exists() and _from_old_migrations(DEV_DB):
        old = DEV_DB.with_name(DEV_DB.name + ".old")
        say(f"{DEV_DB.relative_to(ROOT)} was made by migrations that no longer exist: moved to {old.name}")
        for suffix in ("", "-wal", "-shm"):
            part = DEV_DB.with_name(DEV_DB.name + suffix)
            if part.exists():
                part.replace(old.with_name(old.name + suffix))
    say("Applying migrations")
    manage("migrate", "--noinput", "--verbosity", "0", env=env)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def cmd_run(argv: list[str]) -> int:
    ensure_venv()
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    prepare_database(env)
    say("Loading demo data (idempotent)")
    manage("seed_demo", env=env)
    say("Starting the task worker and the web server")
    # A plain `kill` of this script stops both children too, as Ctrl+C does.
    signal.signal(signal.SIGTERM, _interrupt)
    worker = subprocess.Popen(
        [str(PY), str(ROOT / "manage.py"), "db_worker", "--interval", "1"], cwd=ROOT, env=env
    )
    print(
        "\n  Sinergi is running on http://127.0.0.1:8000/\n"
        "  Organizer: penyelenggara@sinergi.test / sinergi-demo-2021\n"
        "  Secretary: notulis@sinergi.test / sinergi-demo-2021\n"
        "  Admin:     admin@sinergi.test / sinergi-demo-2021  (http://127.0.0.1:8000/admin/)\n"
        "  Press Ctrl+C to stop both.\n",
        flush=True,
    )
    try:
        web = subprocess.Popen(
            [str(PY), str(ROOT / "manage.py"), "runserver", "127.0.0.1:8000"], cwd=ROOT, env=env
        )
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in (worker, locals().get("web")):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def cmd_test(argv: list[str]) -> int:
    ensure_venv()
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        note = "required (E2E_REQUIRED=1)" if env.get("E2E_REQUIRED") == "1" else "skipped"
        say(f"Chromium not found: browser tests {note}. Debian: apt-get install chromium")
    # Both cores by default (pytest-xdist); `-n 0` runs in one process, e.g. to debug.
    workers = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in argv) else ["-n", "auto"]
    # The whole suite measures coverage and fails under [tool.coverage.report] fail_under; a
    # chosen part of it (paths, -k, -m) does not, since it covers less by design.
    cover = [] if _selects_tests(argv) else ["--cov", "--cov-report=term"]
    say(f"Running the test suite on {env.get('DATABASE_URL', 'SQLite')}")
    return subprocess.run([str(PY), "-m", "pytest", *workers, *cover, *argv], cwd=ROOT, env=env).returncode


def _selects_tests(argv: list[str]) -> bool:
    if any(
        a in ("-k", "-m", "--lf", "--last-failed", "--no-cov") or a.startswith(("-k", "-m")) for a in argv
    ):
        return True
    return any(not a.startswith("-") and (ROOT / a.split("::")[0]).exists() for a in argv)


COMMANDS = {"run": cmd_run, "test": cmd_test}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        print("usage: python3 dev.py {run|test} [pytest arguments]")
        return 2
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
