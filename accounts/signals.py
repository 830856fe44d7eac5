"""Signals of accounts, for the apps above it (accounts imports none of them)."""

from django.dispatch import Signal

# Sent by the log-in view with `user` when no `next` says where to go. A receiver returns the path
# this user should land on, or None (mentoring lands a mentor without a plan on their dashboard).
login_landing = Signal()
