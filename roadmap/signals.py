"""Signals of the roadmap, for the apps above it to react to without the roadmap importing them."""

from django.dispatch import Signal

# Sent by goals_save inside its transaction, with `profile`: the learner's goals, pace or time zone
# changed (the reminder schedule follows the time zone; reminders connects the receiver).
goals_changed = Signal()

# Sent by the learner's step page once it is rendered, with `learner`, `progress` (the learner's
# Progress of the step) and `viewed_at` (taken before rendering: what the page showed is older).
# Mentoring connects a receiver that counts the comments shown as read.
step_viewed = Signal()
