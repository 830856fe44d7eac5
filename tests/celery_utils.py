"""Real services for the reminder tests: an SMTP sink (aiosmtpd) and a Celery worker subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import redis
from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url(db: dict[str, Any]) -> str:
    """A DATABASE_URL for the PostgreSQL database Django is connected to (e.g. the test database)."""
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    user = quote(db.get("USER") or "")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, poll: float = 0.05) -> None:
    """Poll until `condition()` holds; fail the test (never hang it) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()  # never set: its wait() is the pause between two polls
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")
        tick.wait(poll)


def own_queue(settings: Any, prefix: str) -> Iterator[str]:
    """A queue of the test's own for the web side (this process) to publish to through the broker,
    tasks no longer eager; its keys are deleted afterwards (the autouse fixture in conftest.py puts
    eagerness back). For a fixture: `yield from own_queue(settings, "mail-test")`."""
    from config.celery import app

    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    app.conf.task_always_eager = False
    yield name
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)


def broker_held(redis_url: str, queue: str) -> list[float]:
    """When each of `queue`'s unacknowledged messages was handed to a worker (kombu's Redis
    transport keeps them in `unacked`, scored in `unacked_index`, until acknowledged)."""
    client = redis.Redis.from_url(redis_url)
    scores = dict(cast("list[tuple[bytes, float]]", client.zrange("unacked_index", 0, -1, withscores=True)))
    return [
        scores[tag]
        for tag, payload in client.hgetall("unacked").items()
        if queue.encode() in payload and tag in scores
    ]


def broker_idle(redis_url: str, queue: str) -> bool:
    """Nothing of `queue` waits in Redis or is held by a worker: with late acknowledgement (the
    project's setting) every task handed out has finished, so no further mail can come."""
    client = redis.Redis.from_url(redis_url)
    waiting = sum(client.llen(key) for key in client.scan_iter(f"{queue}*") if client.type(key) == b"list")
    return waiting == 0 and not broker_held(redis_url, queue)


@dataclass
class Received:
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class SinkHandler:
    """Collects every accepted message. `rcpt_delay` slows each delivery down before any data is
    sent (so a killed client leaves nothing half-delivered); `reject` refuses every message."""

    rcpt_delay: float = 0.0
    reject: str | None = None
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self.lock:
            self.attempts += 1
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reject:
            return self.reject
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for message in self.received for rcpt in message.recipients]


class SmtpSink:
    """A real SMTP server on 127.0.0.1 in a background thread."""

    def __init__(self) -> None:
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class CeleryWorker:
    """`celery -A config worker` in its own process group, logging to a file."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        log_path: Path,
        queue: str,
        pool: str = "prefork",
        concurrency: int = 1,
        beat: bool = False,
    ) -> None:
        self.env = env
        self.beat = beat
        self.concurrency = concurrency
        self.log_path = log_path
        self.queue = queue
        self.pool = pool
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, *, timeout: float = 60) -> None:
        self.starts += 1
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    f"--pool={self.pool}",
                    f"--concurrency={self.concurrency}",
                    f"--queues={self.queue}",
                    f"--hostname=test-{os.getpid()}-{self.starts}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                    # Beat inside the worker (-B), its schedule file beside the log.
                    *(["--beat", f"--schedule={self.log_path.with_suffix('.beat')}"] if self.beat else []),
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(
                lambda: b" ready." in self.log()[offset:] or self.process_ended(),
                timeout=timeout,
                what="the worker to start",
            )
        except AssertionError:
            self.kill()  # never leave a half-started worker behind
            raise
        if self.process_ended():
            raise AssertionError(f"The Celery worker exited at start:\n{self.log().decode(errors='replace')}")

    def log(self) -> bytes:
        return self.log_path.read_bytes() if self.log_path.exists() else b""

    def process_ended(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children): nothing gets to clean up."""
        if self.process is None or self.process_ended():
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process_ended():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def run_manage(*args: str, env: dict[str, str], timeout: float = 60) -> str:
    """`python manage.py ...` in a subprocess with `env`; its output, or a failed test."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    output = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode == 0, output
    return done.stdout.decode(errors="replace")
