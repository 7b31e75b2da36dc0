#!/bin/sh
# The release step, then the command (gunicorn by default).
# Migrations are idempotent, so each start applies any that are new. With several replicas,
# set DJANGO_MIGRATE_ON_START=0 and run `python manage.py migrate` once per release instead.
set -eu

if [ "${DJANGO_MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --noinput
fi
# The seed facts, into a registry that has never held them (a new, empty deployment).
if [ "${DJANGO_LOAD_SEEDS_ON_START:-0}" = "1" ]; then
    python manage.py load_seeds --if-new
fi

exec "$@"
