# The registry served by gunicorn (gunicorn.conf.py), in production mode.
# Build: docker build -t registry .    Run with PostgreSQL and Redis: docker compose up (compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_STATIC_MANIFEST=1 \
    DJANGO_ENV=production

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic (and compilemessages) import the settings, which in production need the real environment: this one
# build step runs in development mode with a throwaway key that is never used at run time.
# The translations are compiled here too (.mo files are not committed); gettext is needed only for that.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && DJANGO_ENV=development DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=tests --ignore=bench \
    && apt-get purge -y gettext && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
    && DJANGO_ENV=development DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && chmod 0755 docker-entrypoint.sh \
    && useradd --system --uid 10001 --no-create-home registry
USER registry

EXPOSE 8000
# /healthz answers 200 when the database and the cache answer; urllib raises (exit 1) on a 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# The entrypoint runs the release step (migrate), then the command.
ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
