#!/bin/sh
# Time from `git clone` to the first stored reading of a simulated SDM630, following docs/deploy.md
# "Without Docker" step by step, on an existing PostgreSQL and Redis. Needs PyPI (pip install); not part
# of `make bench`.
#   bench/clone_to_first_reading.sh REPOSITORY POSTGRES_URL REDIS_URL
#   e.g. bench/clone_to_first_reading.sh . postgres://postgres@127.0.0.1:5432 redis://127.0.0.1:6379/8
set -eu
REPOSITORY=$(cd "$1" && pwd)
POSTGRES=$2
REDIS=$3
WORK=$(mktemp -d)
DB="pieng_clock_$$"
DOMAIN=pieng.example.test
PASSWORD="clock-$(date +%s)-admin"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
WEB_PORT=$(free_port)
METER_PORT=$(free_port)
elapsed() { python3 -c "import time; print(f'{time.time() - $START:.0f}')"; }
cleanup() {
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql -q "$POSTGRES/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

START=$(python3 -c 'import time; print(time.time())')
echo "workload: git clone, venv + pip install (PyPI), database, .env, collectstatic, migrate + bootstrap,"
echo "          web + worker + beat, one client and one simulated SDM630 (Modbus TCP) added through the API"

# 1. Code and dependencies
git clone -q "$REPOSITORY" "$WORK/pieng"
cd "$WORK/pieng"
python3 -m venv .venv
.venv/bin/pip install -q -r requirements/base.txt -c requirements/constraints.txt
echo "installed: $(elapsed) s"

# 2. Database and settings
psql -q "$POSTGRES/postgres" -c "CREATE DATABASE $DB"
cat > .env <<ENV
DEBUG=false
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
PLATFORM_DOMAIN=$DOMAIN
DATABASE_URL=$POSTGRES/$DB
REDIS_URL=$REDIS
CACHE_KEY_PREFIX=$DB
CELERY_TASK_DEFAULT_QUEUE=$DB
PIENG_ADMIN_PASSWORD=$PASSWORD
DEVICE_ALLOW_LOOPBACK=true
ENV
.venv/bin/python manage.py collectstatic --noinput --verbosity 0

# 3. Migrate and bootstrap, then the three services (what the systemd units run)
export PYTHON="$WORK/pieng/.venv/bin/python"
docker/entrypoint.sh migrate >/dev/null
HOST=127.0.0.1 PORT=$WEB_PORT WEB_WORKERS=2 docker/entrypoint.sh web >web.log 2>&1 &
docker/entrypoint.sh worker --concurrency 4 >worker.log 2>&1 &
docker/entrypoint.sh beat >beat.log 2>&1 &
.venv/bin/python manage.py meter simulate --driver sdm630 --port "$METER_PORT" >meter.log 2>&1 &
echo "services started: $(elapsed) s"

# 4. A client and its meter, as the operator would add them (here through the API, behind "the proxy")
api() {
    method=$1; path=$2; shift 2
    curl -sf -X "$method" "http://127.0.0.1:$WEB_PORT/api/$path" -H "Host: $DOMAIN" \
        -H "X-Forwarded-Proto: https" -H "Content-Type: application/json" "$@"
}
until api GET health >/dev/null 2>&1; do sleep 0.5; done
ACCESS=$(api POST token -d "{\"username\": \"admin\", \"password\": \"$PASSWORD\"}" | jq -r .access)
AUTH="Authorization: Bearer $ACCESS"
CLIENT=$(api POST clients -H "$AUTH" -d '{"name": "Clock", "slug": "clock"}' | jq -r .id)
DEVICE=$(api POST devices -H "$AUTH" -d "{\"client_id\": $CLIENT, \"name\": \"SDM630\", \"device_type\": \"modbus_tcp\",
    \"config\": {\"driver\": \"sdm630\", \"host\": \"127.0.0.1\", \"port\": $METER_PORT, \"poll_interval\": 10}}" | jq -r .id)
until [ "$(api GET "devices/$DEVICE/latest?client_id=$CLIENT" -H "$AUTH" | jq -r .ts)" != "null" ]; do sleep 0.5; done
echo "first stored reading: $(elapsed) s after git clone"
