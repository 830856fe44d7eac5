"""gunicorn's settings, read from the working directory by every launcher (the Dockerfile's command,
docker-compose's web service, `make serve-prod`, the production smoke test)."""

# No access log of gunicorn's: config.middleware writes one JSON line per request, tokens redacted.
accesslog = None
# Whatever gunicorn itself logs (its error log, an access log turned on by hand) is redacted the same way.
logger_class = "config.gunicorn.RedactingLogger"
