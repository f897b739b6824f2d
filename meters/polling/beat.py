"""Beat's scheduler: django-celery-beat's DatabaseScheduler (2.9), made to keep up with a thousand devices
and not to miss a schedule change.

What the base class does, and why it is changed here:

- It reloads its schedule when the change stamp (PeriodicTasks.last_update) moves past the one it saw
  last, but takes its first look only at its first tick, and a first stamp counts as "no change": a
  device saved while beat starts, or the first one on a database where no periodic task was ever saved,
  would wait for some later change. This one stamps and remembers the stamp before its first read.
- On every tick, that is for every task it sends, it queries the stamp and compares every entry of the
  schedule with a copy: O(devices) work per poll sent, O(devices^2) per cycle, 15 ms a send at 2,000
  entries. Entries change only when the schedule is reloaded, which already invalidates the heap, so the
  comparison is skipped, and the stamp is read at most once a second.
- It sends without saying how late: each poll's lag behind its due time is observed here
  (pieng_schedule_lag_seconds).
- Every three minutes it saves each sent entry's last run one row at a time, sending nothing meanwhile
  (seconds, with a thousand devices); this writes them in one statement. Sending a poll writes nothing:
  its last run is kept in memory until then.
- After a restart it would send at once every poll whose last saved run is more than an interval old
  (after any outage longer than an interval, all of them): a burst, and every device's poll aligned on
  the same second from then on. Whole intervals are skipped instead, keeping each device's phase.
- For each task it sends, it builds the next entry anew from the model: the arguments and headers parsed
  from JSON, the schedule object rebuilt. Nothing of that changes between two reloads, so the next entry
  is a copy that only moves the last run.
- Whether an entry is due, and when the heap should look again, go through timezone-aware datetimes in
  the app's time zone, several times per task sent. For a plain interval (every poll) it is one
  subtraction of Unix times, and so is its lag; the heap's times are Unix times already.
- It wakes 10 ms before an entry is due (a negative "drift"), finds it not due yet, and ticks again at
  once until it is: a busy loop of some forty ticks before every task it sends, most of beat's CPU.
  This one wakes when the entry is due.
"""

import logging
import time

from celery.schedules import schedstate
from django.db import DatabaseError, InterfaceError, close_old_connections
from django.utils import timezone
from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler as BaseDatabaseScheduler
from django_celery_beat.schedulers import ModelEntry

from meters.polling.schedule import POLL_TASK
from monitoring.metrics import schedule_lag

log = logging.getLogger(__name__)

CHANGE_CHECK_S = 1.0


class PollEntry(ModelEntry):
    def __init__(self, model, app=None):
        super().__init__(model, app=app)
        # A plain interval's length in seconds (None: anything else, judged by the base class).
        self.every_s = _plain_interval_seconds(model, self.schedule)
        # Beat was down (or its last runs not yet saved) for more than an interval: every such entry would
        # fall due at once. Whole intervals are skipped instead, so each comes due within one interval at
        # its own phase, as the devices' polls were spread before.
        every = getattr(self.schedule, "run_every", None)
        if every and self.last_run_at:
            behind = self._default_now() - self.last_run_at
            if behind > every:
                self.last_run_at += (behind // every) * every
                model.last_run_at = self.last_run_at

    def __next__(self) -> "PollEntry":
        self.model.last_run_at = self._default_now()
        self.model.total_run_count += 1
        self.model.no_changes = True
        # Not copy.copy(): celery's entries pickle themselves through their constructor's arguments.
        entry = object.__new__(type(self))
        entry.__dict__.update(self.__dict__)
        entry.last_run_at, entry.total_run_count = self.model.last_run_at, self.model.total_run_count
        return entry

    def is_due(self):
        if self.every_s is None or not self.model.enabled:
            return super().is_due()
        remaining = self.last_run_at.timestamp() + self.every_s - time.time()
        if remaining <= 0:
            return schedstate(is_due=True, next=self.every_s)
        return schedstate(is_due=False, next=remaining)


def _plain_interval_seconds(model, schedule) -> float | None:
    """An interval schedule with nothing else to judge (no start or end time, not one-off)."""
    every = getattr(schedule, "run_every", None)
    if every is None or getattr(schedule, "relative", False) or model.start_time or model.expires:
        return None
    return None if model.one_off else every.total_seconds()


class DatabaseScheduler(BaseDatabaseScheduler):
    Entry = PollEntry
    _next_change_check = 0.0

    def setup_schedule(self) -> None:
        PeriodicTasks.objects.get_or_create(ident=1, defaults={"last_update": timezone.now()})
        self._last_timestamp = PeriodicTasks.last_change()
        super().setup_schedule()

    def schedule_changed(self) -> bool:
        if time.monotonic() < self._next_change_check:
            return False
        self._next_change_check = time.monotonic() + CHANGE_CHECK_S
        return super().schedule_changed()

    def schedules_equal(self, *args, **kwargs) -> bool:
        if self._heap_invalidated:
            self._heap_invalidated = False
            return False
        return True

    def adjust(self, n, drift=0.0):
        return super().adjust(n, drift=drift)

    def _when(self, entry, next_time_to_run, mktime=None) -> float:
        # The base class's Unix time of now, computed from the entry's aware now, is this.
        return time.time() + (self.adjust(next_time_to_run) or 0)

    def apply_async(self, entry, *args, **kwargs):
        if entry.task == POLL_TASK and entry.last_run_at is not None:
            schedule_lag.observe(schedule_lag_seconds(entry))
        return super().apply_async(entry, *args, **kwargs)

    def sync(self) -> None:
        dirty, self._dirty = self._dirty, set()
        models = [self._schedule[name].model for name in dirty if name in self._schedule]
        try:
            close_old_connections()
            PeriodicTask.objects.bulk_update(models, ["last_run_at", "total_run_count"], batch_size=500)
        except (DatabaseError, InterfaceError) as error:
            # Kept for the next sync; meanwhile beat goes on sending from its memory.
            self._dirty |= dirty
            log.warning("beat could not save %d last runs: %s", len(models), error)


def schedule_lag_seconds(entry) -> float:
    """How long ago the entry fell due (0 when sent on time or early): its schedule's estimate of the time
    remaining since its last run is negative once it is overdue."""
    every = getattr(entry, "every_s", None)
    if every is not None:
        return max(0.0, time.time() - entry.last_run_at.timestamp() - every)
    remaining = entry.schedule.remaining_estimate(entry.last_run_at)
    return max(0.0, -remaining.total_seconds())
