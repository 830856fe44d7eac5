"""Signals of the roadmap, for the apps above it to react to without the roadmap importing them."""

from django.dispatch import Signal

# Sent by the learner's step page once it is rendered, with `learner`, `progress` (the learner's
# Progress of the step) and `viewed_at` (taken before rendering: what the page showed is older).
# Mentoring connects a receiver that counts the comments shown as read.
step_viewed = Signal()
