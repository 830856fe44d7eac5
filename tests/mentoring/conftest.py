"""Fixtures of the mentoring tests: the real Celery worker and its queue, as the account mails' tests run them."""

from tests.accounts.test_mail_worker import queue, worker

__all__ = ["queue", "worker"]
