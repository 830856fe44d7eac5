"""Reminder e-mails: preferences, schedules, sweeps, messages and unsubscribe."""
