# Pathwise image: one image for web (gunicorn, the default command), Celery worker and Celery beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 pathwise \
    && useradd --system --uid 10001 --gid pathwise --home-dir /app --shell /usr/sbin/nologin pathwise

# WeasyPrint (the plan as PDF, made by the Celery worker) draws text with Pango and HarfBuzz.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Hashed, compressed static files are baked into the image (owned by root, read-only for the app)
# and whitenoise serves them from memory-mapped files: no Django view in the hot path.
# Settings refuse to load without SECRET_KEY (DEBUG=0): collecting files signs nothing, so this one
# command gets a throwaway key; the containers get theirs from the environment.
RUN STATIC_MANIFEST=1 SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && python -m compileall -q accounts config roadmap

ENV STATIC_MANIFEST=1
USER pathwise
EXPOSE 8000

CMD ["gunicorn", "config.wsgi", "--bind=0.0.0.0:8000", "--worker-tmp-dir=/dev/shm", "--preload", "--timeout=30"]
