# The registry served by gunicorn. Build: docker build -t registry .
# Run:  docker run -e DJANGO_SECRET_KEY=... -e DATABASE_URL=postgres://... -e DJANGO_ALLOWED_HOSTS=example.org -p 8000:8000 registry
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_STATIC_MANIFEST=1

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs a key only to import settings; this throwaway value is not used at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --no-create-home registry
USER registry

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
