import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meters.catalog import METRIC_NAME_MAX_LENGTH
from meters.config import ConfigError, config_bus_key, device_config_clean
from meters.fields import ConfigField

# A collector's name becomes a Celery queue name (collector.<name>) and a command-line argument.
collector_name_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$", _("Lower-case letters, digits, - and _, starting with a letter or digit.")
)


class Device(models.Model):
    class DeviceType(models.TextChoices):
        MODBUS_TCP = "modbus_tcp", _("Modbus TCP / RTU over TCP")
        MODBUS = "modbus", _("Modbus RTU (serial)")
        TUYA = "tuya", _("Tuya")

    class Role(models.TextChoices):
        GRID = "grid", _("Grid connection (consumption and injection)")
        GENERATION = "generation", _("Generation (e.g. solar inverter)")
        LOAD = "load", _("Load (a circuit or appliance)")

    class NominalVoltage(models.IntegerChoices):
        V127 = 127, "127 V"
        V220 = 220, "220 V"

    class Status(models.TextChoices):
        ONLINE = "online", _("online")
        METER_OFFLINE = "meter offline", _("meter offline")
        COLLECTOR_OFFLINE = "collector offline", _("collector offline")

    # Stable across renames and platforms: a slave knows a master's device by it.
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    device_type = models.CharField(_("device type"), max_length=16, choices=DeviceType.choices)
    active = models.BooleanField(_("active"), default=True)
    config = ConfigField(_("configuration"), default=dict)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.GRID)
    nominal_voltage = models.PositiveSmallIntegerField(
        _("nominal voltage"), choices=NominalVoltage.choices, default=NominalVoltage.V127
    )
    # The worker that may poll it: a collector on the meter's site (a serial bus reaches one machine only).
    collector = models.CharField(
        _("collector"),
        max_length=64,
        blank=True,
        default="",
        validators=[collector_name_validator],
        help_text=_("Name of the collector (a worker on the meter's site) that polls it; empty: any worker."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A master platform's device, fed by its forwards: no config, never polled here.
    mirror = models.BooleanField(_("mirror"), default=False, editable=False)

    last_reading_at = models.DateTimeField(_("last reading at"), null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, default="", editable=False)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0, editable=False)
    # SHA-256 of the device's ingest token (meters and gateways that push readings); the token itself is
    # shown once, when it is made. Empty: the device has no token.
    ingest_token_hash = models.CharField(
        _("ingest token hash"), max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ingest_token_hash"],
                condition=~models.Q(ingest_token_hash=""),
                name="meters_device_ingest_token_hash_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Each device costs every worker a poll per interval: one client cannot take the platform's capacity.
        if self._state.adding and Device.objects.count() >= settings.DEVICE_QUOTA_PER_CLIENT:
            raise ValidationError(
                _("This client already has %(quota)d devices, its limit.")
                % {"quota": settings.DEVICE_QUOTA_PER_CLIENT}
            )
        try:
            self.config = device_config_clean(device_type=self.device_type, config=self.config)
        except ConfigError as error:
            raise ValidationError(
                {"config": [f"{field}: {message}" for field, message in error.errors.items()]}
            ) from error

    @property
    def driver(self) -> str:
        return self.config.get("driver", self.device_type)

    @property
    def poll_interval(self) -> int:
        return int(self.config.get("poll_interval", 30))

    @property
    def bus_key(self) -> str | None:
        return config_bus_key(device_type=self.device_type, config=self.config)

    @property
    def status(self) -> str:
        """ "online", "meter offline", or "collector offline" when no worker of its collector has been
        seen for three poll intervals (then the meter itself may be fine)."""
        from meters.polling.collectors import device_collector_offline

        if self.collector and device_collector_offline(device=self):
            return self.Status.COLLECTOR_OFFLINE
        return self.Status.ONLINE if self.online else self.Status.METER_OFFLINE

    @property
    def is_polled(self) -> bool:
        return self.active and not self.mirror

    @property
    def online(self) -> bool:
        """Online while the last reading is younger than three poll intervals."""
        if self.last_reading_at is None:
            return False
        return timezone.now() - self.last_reading_at <= timedelta(seconds=3 * self.poll_interval)


class MetricLayout(models.Model):
    """The ordered metric names of a reading's value array; shared by every reading with the same names."""

    names = ArrayField(models.CharField(max_length=64), unique=True)

    def __str__(self) -> str:
        return ", ".join(self.names)


class DeviceLayout(models.Model):
    """A layout a device has stored readings with: what bounds the layouts per device (DEVICE_MAX_LAYOUTS)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, db_index=False, related_name="+")
    layout = models.ForeignKey(MetricLayout, on_delete=models.PROTECT, db_index=False, related_name="+")
    pk = models.CompositePrimaryKey("device", "layout")

    def __str__(self) -> str:
        return f"device {self.device_id}: layout {self.layout_id}"


class Reading(models.Model):
    """One device's values at one time, as one row: see docs/readings-store.md for why.

    Column order (ts, device, layout, values) avoids alignment padding; the primary key
    (device_id, ts) is the only index and serves every series query.
    """

    ts = models.DateTimeField()
    device = models.ForeignKey(Device, on_delete=models.DO_NOTHING, db_index=False, related_name="+")
    layout = models.ForeignKey(MetricLayout, on_delete=models.PROTECT, db_index=False, related_name="+")
    values = ArrayField(models.FloatField())
    pk = models.CompositePrimaryKey("device", "ts")

    def __str__(self) -> str:
        return f"device {self.device_id} at {self.ts:%Y-%m-%d %H:%M:%S}"


class EnergyRollup(models.Model):
    """Imported and exported kWh of one device in one 15-minute bucket, by the energy rules of
    analytics/energy.py: long-range energy sums these instead of walking the readings (readings-store.md).

    Every UTC offset in use is a whole number of quarter hours, so a bucket never straddles a local hour,
    day or month. The device foreign key cascades in the database, like the readings'.
    """

    device = models.ForeignKey(
        Device, on_delete=models.DO_NOTHING, db_index=False, db_constraint=False, related_name="+"
    )
    bucket = models.DateTimeField()
    import_kwh = models.FloatField()
    export_kwh = models.FloatField()
    pk = models.CompositePrimaryKey("device", "bucket")

    def __str__(self) -> str:
        return f"device {self.device_id} at {self.bucket:%Y-%m-%d %H:%M}"


class MetricRollup(models.Model):
    """One metric of one device over one UTC day, per 15-minute bucket (96 array elements, the bucket's
    index in the day): how many values, their min, max, sum, first and last, the sum of squared deviations
    from the bucket's mean and the sum of absolute steps between consecutive values; an empty bucket has
    count 0 and nulls. A row per metric and day rather than per bucket: a long range of one metric reads
    a row a day, not every bucket of every metric (readings-store.md).

    Long-range series, summaries and charts read these instead of the readings; they are closed and
    re-opened with the energy buckets (RollupState). The device foreign key cascades in the database.
    """

    device = models.ForeignKey(
        Device, on_delete=models.DO_NOTHING, db_index=False, db_constraint=False, related_name="+"
    )
    metric = models.CharField(max_length=METRIC_NAME_MAX_LENGTH)
    day = models.DateTimeField()
    counts = ArrayField(models.IntegerField())
    minimums = ArrayField(models.FloatField(null=True))
    maximums = ArrayField(models.FloatField(null=True))
    sums = ArrayField(models.FloatField(null=True))
    firsts = ArrayField(models.FloatField(null=True))
    lasts = ArrayField(models.FloatField(null=True))
    squared_deviations = ArrayField(models.FloatField(null=True))
    step_sums = ArrayField(models.FloatField(null=True))
    pk = models.CompositePrimaryKey("device", "metric", "day")

    def __str__(self) -> str:
        return f"device {self.device_id} {self.metric} on {self.day:%Y-%m-%d}"


class RollupState(models.Model):
    """How far a device's rollups are closed: buckets before `closed_until` are final until a late reading
    re-opens them (readings_ingest moves `closed_until` back)."""

    device = models.OneToOneField(
        Device,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    closed_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"device {self.device_id} closed until {self.closed_until:%Y-%m-%d %H:%M}"


class ColdChunk(models.Model):
    """One device's readings of one UTC day and one layout, packed by meters/readings/cold.py: the readings
    older than READINGS_COLD_AFTER_DAYS live here instead of in meters_reading (readings-store.md).

    `data` is the timestamps' block then one block per layout column; `offsets` the end of each block. It is
    stored uncompressed out of line (already compressed), so reading one column fetches only its bytes.
    The device foreign key cascades in the database, like the readings'.
    """

    device = models.ForeignKey(
        Device, on_delete=models.DO_NOTHING, db_index=False, db_constraint=False, related_name="+"
    )
    first_ts = models.DateTimeField()
    last_ts = models.DateTimeField()
    layout = models.ForeignKey(MetricLayout, on_delete=models.PROTECT, db_index=False, related_name="+")
    count = models.IntegerField()
    offsets = ArrayField(models.IntegerField())
    data = models.BinaryField()
    pk = models.CompositePrimaryKey("device", "first_ts")

    class Meta:
        # Each device's newest cold reading, for its latest values once it stopped sending for days.
        indexes = [models.Index(fields=["device", "last_ts"], name="meters_coldchunk_last")]

    def __str__(self) -> str:
        return f"device {self.device_id} from {self.first_ts:%Y-%m-%d %H:%M:%S}"
