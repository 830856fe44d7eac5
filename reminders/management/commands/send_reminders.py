"""`manage.py send_reminders`: one sweep of reminders, nudges and mentor digests (cron-friendly)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reminders import services
from reminders.models import ReminderLog, ReminderPreference
from reminders.tasks import reminder_send


class Command(BaseCommand):
    help = (
        "Queue every reminder, nudge and mentor digest that is due now, once. With a broker "
        "(REDIS_URL) a Celery worker sends them; without one they are sent right here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--learner",
            metavar="EMAIL",
            help="Make this learner due now first (to try a reminder out, e.g. the demo learner).",
        )
        parser.add_argument(
            "--requeue",
            action="store_true",
            help="Also queue again the e-mails still waiting an hour after their sweep (a broker lost them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["learner"]:
            updated = ReminderPreference.objects.filter(user__email__iexact=options["learner"]).update(
                next_reminder_at=timezone.now()
            )
            if not updated:
                raise CommandError(f"No learner {options['learner']}.")
        sweeps = [services.reminders_sweep(), services.nudges_sweep(), services.digests_sweep()]
        if options["requeue"]:
            requeued = services.stale_requeue(older_than=timedelta(hours=1), untried_only=False)
            self.stdout.write(f"Queued again: {len(requeued)} waiting e-mails.")
        in_process = reminder_send.app.conf.task_always_eager
        for sweep in sweeps:
            line = f"{ReminderLog.Kind(sweep.kind).label}s: {sweep.due} due, {len(sweep.queued)} new"
            if in_process and sweep.queued:
                logs = ReminderLog.objects.filter(pk__in=sweep.queued)
                sent = logs.filter(status=ReminderLog.Status.SENT).count()
                failed = logs.filter(status=ReminderLog.Status.FAILED).count()
                line += f", {sent} sent, {failed} failed"
                if failed:
                    line += " (admin: Reminder logs shows why)"
            elif sweep.queued:
                line += " queued for the Celery worker"
            self.stdout.write(line)
