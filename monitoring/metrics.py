"""The operator's metrics (GET /metrics), all named `pieng_…`.

Counters and histograms live in the process that counts: the web workers (gunicorn), the Celery workers
and beat. With PROMETHEUS_MULTIPROC_DIR set, each process writes its values to a file there and /metrics
adds them up (prometheus-client's multiprocess mode). The directory may be shared by containers of one
host: files are named by host name and pid, so two containers' pid 7 never write the same file.
"""

import os
import socket

from prometheus_client import Counter, Histogram, values


def _process_identifier() -> str:
    # prometheus-client splits file names on "_": the identifier must not contain one.
    return f"{socket.gethostname()}-{os.getpid()}".replace("_", "-")


if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    values.ValueClass = values.MultiProcessValue(_process_identifier)

POLL_RESULTS = ("stored", "failed", "backed_off", "skipped")

polls = Counter("pieng_polls", "Scheduled polls by result.", ["result"])
poll_duration = Histogram(
    "pieng_poll_duration_seconds",
    "Time a poll task took, from start to end (waiting for its bus included).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
bus_lock_wait = Histogram(
    "pieng_bus_lock_wait_seconds",
    "Time a read waited for its bus (a gateway or serial port shared with other meters).",
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
schedule_lag = Histogram(
    "pieng_schedule_lag_seconds",
    "How late beat sent a poll after the time its schedule made it due.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
readings_ingested = Counter("pieng_readings_ingested", "Readings stored (polled and pushed).")
values_ingested = Counter("pieng_values_ingested", "Metric values stored (one reading holds several).")
alarm_events = Counter("pieng_alarm_events", "Alarm events by kind (raised, cleared).", ["kind"])

# Every series exists from the start, at 0: a rate over a series that appears late misses its first step.
for result in POLL_RESULTS:
    polls.labels(result=result)
for kind in ("raised", "cleared"):
    alarm_events.labels(kind=kind)
