"""Views of the accounts app, one module per area: account (sign-up, profile, onboarding), mentoring."""
