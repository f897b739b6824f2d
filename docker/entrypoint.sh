#!/bin/sh
# The image's entrypoint: one image, four roles.
#   migrate  wait for the database, migrate the shared and every client schema, then `manage.py bootstrap`
#   web      wait for the database, serve HTTP with gunicorn on ${HOST:-0.0.0.0}:${PORT:-8000}
#   worker   wait for the database, run a Celery worker (extra arguments go to it, e.g. -Q collector.site1)
#   beat     wait for the database, run Celery beat (one per installation)
# Anything else is run as a command (e.g. `python manage.py shell`).
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"

database_wait() {
    "$PYTHON" docker/database_wait.py
}

metrics_dir_make() {
    # prometheus-client's multiprocess mode: every process of the host writes its counters here.
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
        mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    fi
}

role="${1:-web}"
[ $# -gt 0 ] && shift

case "$role" in
    migrate)
        database_wait
        # The shared schema, then every client's, several at once (TENANT_MIGRATION_PROCESSES).
        "$PYTHON" manage.py migrate_schemas --executor "${MIGRATION_EXECUTOR:-multiprocessing}"
        exec "$PYTHON" manage.py bootstrap
        ;;
    web)
        database_wait
        metrics_dir_make
        exec "$PYTHON" -m gunicorn pieng.wsgi \
            --bind "${HOST:-0.0.0.0}:${PORT:-8000}" \
            --workers "${WEB_WORKERS:-3}" --threads "${WEB_THREADS:-4}" \
            --access-logfile - "$@"
        ;;
    worker)
        database_wait
        metrics_dir_make
        exec "$PYTHON" -m celery -A pieng worker --loglevel "${LOG_LEVEL:-INFO}" \
            --pool threads --concurrency "${WORKER_CONCURRENCY:-16}" "$@"
        ;;
    beat)
        database_wait
        metrics_dir_make
        exec "$PYTHON" -m celery -A pieng beat --loglevel "${LOG_LEVEL:-INFO}" "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
