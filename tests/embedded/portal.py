"""The ``make run`` configuration on a temporary folder and a free port, started by
``scripts/run.sh`` itself (SQLite, the file-system broker, runserver, a Celery worker and
beat), and stopped with everything it started."""

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from django.conf import settings

__all__ = ["EmbeddedPortal"]

HOST = "127.0.0.1"
BASE_DIR = Path(settings.BASE_DIR)


def _dev_env():
    spec = importlib.util.spec_from_file_location("dev_env", BASE_DIR / "scripts" / "dev_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _descendants(pid):
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


class EmbeddedPortal:
    def __init__(self, var_dir):
        self.var_dir = Path(var_dir)
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.output = self.var_dir / "run.out"
        self.proc = None

    def env(self):
        """This process's environment without what would override the embedded settings:
        the test run's own DATABASE_URL, REDIS_URL, keys and so on."""
        dev_env = _dev_env()
        drop = set(dev_env.embedded_settings(self.var_dir)) | {
            "REDIS_URL",
            "STATIC_ROOT",
            "SITE_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "WEERBAAR_ENV_FILE",
        }
        env = {k: v for k, v in os.environ.items() if k not in drop}
        env.update(
            DJANGO_SETTINGS_MODULE="weerbaar.settings",
            WEERBAAR_ENV_FILE=str(self.var_dir / "run.env"),
            WEERBAAR_VAR_DIR=str(self.var_dir),
            PYTHONPATH=str(BASE_DIR),
        )
        return env

    def manage(self, *args, module=None):
        """Run a management command (or ``-m module``) in the portal's environment."""
        command = ["-m", module, *args] if module else ["manage.py", *args]
        done = subprocess.run(
            [str(BASE_DIR / ".venv" / "bin" / "python"), *command],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def prepare(self, *, triagers, reporters, accounts_each):
        """What run.sh would do first (its settings file, migrations, the demo data), and the
        test's accounts: so that the portal starts on a database that has them."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        _dev_env().write_run_env(self.var_dir / "run.env")
        out = self.manage(
            str(triagers), str(reporters), str(accounts_each), module="tests.embedded.load_accounts"
        )
        return json.loads(out.strip().splitlines()[-1])

    def start(self, timeout=120):
        env = self.env() | {"PORT": str(self.port), "HOST": HOST}
        self._out = self.output.open("w")
        # Its own session: the test can stop it (and what it started) without touching
        # anything else, as Ctrl-C would.
        self.proc = subprocess.Popen(
            ["bash", str(BASE_DIR / "scripts" / "run.sh")],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "Weerbaar Bestuur runs at" in self.output.read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"make run did not start:\n{self.output.read_text()[-4000:]}")

    def stop(self):
        """TERM to run.sh (its trap stops web, worker and beat in order); whatever it
        started and is still there after that is killed."""
        if self.proc is None:
            return
        started = _descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._out.close()
        self.proc = None

    def logs(self):
        """Everything the services wrote: the terminal output and var/log/*.log."""
        parts = [self.output.read_text(errors="replace")]
        parts += [p.read_text(errors="replace") for p in sorted(self.var_dir.glob("log/*.log"))]
        return "\n".join(parts)


def publish_every(portal, task, interval, stop):
    """Send ``task`` to the worker through the file-system broker every ``interval`` seconds
    until ``stop`` is set (beat sends the outbox sweep only every 30 s)."""
    from celery import Celery
    from kombu import Connection

    broker = portal.var_dir / "broker"
    # A connection of its own: Celery would take CELERY_BROKER_URL (the test run's Redis)
    # from the environment over any broker given to the app.
    connection = Connection(
        "filesystem://localhost//",
        transport="weerbaar.broker:Transport",
        transport_options={
            "data_folder_in": str(broker),
            "data_folder_out": str(broker),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
        },
    )
    app = Celery("load", set_as_current=False)

    def loop():
        with connection:
            while not stop.wait(interval):
                app.send_task(task, connection=connection)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread
