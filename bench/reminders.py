"""The reminder budgets (manage.py bench_reminders): a sweep over 100,000 learners, 10,000 due in
the same slot, selects and enqueues them in at most 10 s, EXPLAIN shows an index; mails per second."""

from __future__ import annotations

from django.conf import settings
from django.core.management import CommandError, call_command


def run() -> bool:
    if not (settings.IS_POSTGRES and settings.REDIS_URL):
        print("Not run: needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).")
        return True
    try:
        call_command("bench_reminders")
    except CommandError as error:
        print(f"  [FAIL] {error}")
        return False
    print("  [ok] the sweep selects and enqueues 10,000 due learners in <= 10 s")
    return True
