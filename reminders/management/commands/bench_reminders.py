"""`manage.py bench_reminders`: the reminder budgets on a dedicated PostgreSQL database and Redis.

100,000 learners (bulk-created), 10,000 of them due in the same slot: one sweep must select them,
log them and enqueue one send each to the real broker in at most 10 seconds, and EXPLAIN must show
the due-learner query reading an index. Then one Celery worker delivers a batch to an SMTP sink
(aiosmtpd, a development dependency) and the mails per second are printed. Needs PostgreSQL and
REDIS_URL. It empties its database first, so it runs only on one named *bench* (created when
missing) or on a throwaway test database (`make bench`, bench/reminders.py).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import redis
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from accounts.models import Profile, User, zone_or_utc
from config.celery import app
from reminders import services
from reminders.models import ReminderLog, ReminderPreference

SWEEP_BUDGET_SECONDS = 10.0
# Zones where the slot is a whole local hour, so the due learners' schedules match their slot.
ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Helsinki",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Guadalcanal",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Etc/GMT+12",
]


class Command(BaseCommand):
    help = "Benchmark the reminder sweep (100,000 learners, 10,000 due) and mail delivery by one worker."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=100_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--mails", type=int, default=500, help="Mails for the delivery measurement.")
        parser.add_argument("--concurrency", type=int, default=1, help="Worker processes for delivery.")

    def handle(self, *args: Any, **options: Any) -> None:
        db = connection.settings_dict
        if not settings.IS_POSTGRES or not ("bench" in db["NAME"] or db["NAME"].startswith("test_")):
            raise CommandError("Point DATABASE_URL at a PostgreSQL database named *bench* (it is emptied).")
        if not settings.REDIS_URL:
            raise CommandError("Set REDIS_URL (a Redis database of the benchmark's own).")
        self.database_ensure(db)
        call_command("migrate", verbosity=0)
        queue = f"bench-reminders-{uuid.uuid4().hex[:6]}"
        # Before the first publish, so Celery routes every send of this process to the bench queue.
        app.conf.task_default_queue = queue
        app.conf.task_always_eager = False
        try:
            now = self.learners_create(options["learners"], options["due"])
            self.explain(now)
            within_budget = self.sweep(now, queue, options["due"])
            self.deliver(queue, options["mails"], options["concurrency"])
        finally:
            self.purge(queue)
        if not within_budget:
            raise CommandError(f"The sweep took more than {SWEEP_BUDGET_SECONDS:.0f} s.")

    def database_ensure(self, db: dict[str, Any]) -> None:
        params: dict[str, Any] = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
        params["password"] = db.get("PASSWORD")
        params = {key: value for key, value in params.items() if value}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
                self.stdout.write(f"Created database {db['NAME']}.")

    def learners_create(self, total: int, due: int) -> dt.datetime:
        """`total` learners with weekly schedules, `due` of them due in the current slot."""
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE accounts_user CASCADE")
        unusable = make_password(None)
        User.objects.bulk_create(
            (User(email=f"learner{i}@bench.invalid", password=unusable) for i in range(total)),
            batch_size=10_000,
        )
        ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        now = timezone.now()
        slot = now.replace(minute=0, second=0, microsecond=0)
        profiles, preferences = [], []
        for n, user_id in enumerate(ids):
            zone = ZONES[n % len(ZONES)]
            if n < due:
                local = slot.astimezone(zone_or_utc(zone))
                weekday, hour, following = local.weekday(), local.hour, slot
            else:
                # Everyone else is spread over the coming week, hour by hour.
                following = slot + dt.timedelta(hours=1 + n % 167)
                local = following.astimezone(zone_or_utc(zone))
                weekday, hour = local.weekday(), local.hour
            profiles.append(Profile(user_id=user_id, time_zone=zone, onboarded_at=now))
            preferences.append(
                ReminderPreference(user_id=user_id, weekday=weekday, hour=hour, next_reminder_at=following)
            )
        Profile.objects.bulk_create(profiles, batch_size=10_000)
        ReminderPreference.objects.bulk_create(preferences, batch_size=10_000)
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE accounts_user, accounts_profile, reminders_reminderpreference, roadmap_reminderlog"
            )
        self.stdout.write(
            f"Created {total:,} learners ({due:,} due in the {slot:%H:%M} UTC slot) "
            f"in {time.perf_counter() - started:.1f} s."
        )
        return now

    def explain(self, now: dt.datetime) -> None:
        plan = services.due_rows(now=now).explain(analyze=True)
        self.stdout.write("\nEXPLAIN ANALYZE of the due-learner query:\n" + plan + "\n")
        verdict = "uses an index" if "Index" in plan else "DOES NOT use an index"
        self.stdout.write(f"Due-learner query {verdict}.")

    def sweep(self, now: dt.datetime, queue: str, due: int) -> bool:
        started = time.perf_counter()
        result = services.reminders_sweep(now=now)  # enqueues on commit, inside the timing
        elapsed = time.perf_counter() - started
        batches = self.redis.llen(queue)
        verdict = "within" if elapsed <= SWEEP_BUDGET_SECONDS else "OVER"
        self.stdout.write(
            f"\nSweep: selected {result.due:,} due learners, logged them and enqueued their {len(result.queued):,} "
            f"sends ({batches} fan-out tasks of up to {settings.REMINDER_FAN_OUT} in Redis) in {elapsed:.2f} s: "
            f"{verdict} the {SWEEP_BUDGET_SECONDS:.0f} s budget."
        )
        if len(result.queued) != due or batches != -(-due // settings.REMINDER_FAN_OUT):
            raise CommandError(f"Expected {due:,} sends queued.")
        self.purge(queue)
        # What the workers then do with those batches: one task per learner, published to Redis.
        started = time.perf_counter()
        for first in range(0, due, settings.REMINDER_FAN_OUT):
            services.sends_enqueue(log_ids=result.queued[first : first + settings.REMINDER_FAN_OUT])
        elapsed = time.perf_counter() - started
        waiting = self.redis.llen(queue)
        self.stdout.write(
            f"Fan-out: {waiting:,} single send tasks published to Redis in {elapsed:.2f} s by one process "
            f"({waiting / elapsed:,.0f} tasks/s; shared by the workers in production)."
        )
        self.purge(queue)
        return verdict == "within"

    def deliver(self, queue: str, mails: int, concurrency: int) -> None:
        """Time one worker delivering `mails` reminders to an SMTP sink."""
        from tests.celery_utils import CeleryWorker, SmtpSink, database_url, wait_for

        ids = list(
            ReminderLog.objects.filter(status=ReminderLog.Status.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )[:mails]
        with SmtpSink() as sink, tempfile.TemporaryDirectory() as tmp:
            env = {
                **os.environ,
                "DATABASE_URL": database_url(connection.settings_dict),
                "CELERY_QUEUE": queue,
                "EMAIL_URL": sink.url,
                "LOG_FORMAT": "plain",
            }
            worker = CeleryWorker(
                env=env, log_path=Path(tmp) / "worker.log", queue=queue, concurrency=concurrency
            )
            worker.start()
            try:
                started = time.perf_counter()
                services.sends_enqueue(log_ids=ids)
                wait_for(lambda: len(sink.handler.received) >= len(ids), timeout=600, what="the mails")
                elapsed = time.perf_counter() - started
            finally:
                worker.stop()
        self.stdout.write(
            f"\nDelivery: one worker (prefork, concurrency {concurrency}) sent {len(ids):,} reminders to the "
            f"SMTP sink in {elapsed:.1f} s: {len(ids) / elapsed:.0f} mails/s."
        )

    @property
    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(settings.REDIS_URL)

    def purge(self, queue: str) -> None:
        for key in self.redis.scan_iter(f"*{queue}*"):
            self.redis.delete(key)
