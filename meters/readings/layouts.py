"""Metric layouts (the ordered names of a reading's value array) and the bound on them per device.

Layouts never change once written, so a process remembers them once committed. The memory is keyed by
the client's id, not its schema name: a client deleted and created again with the same slug gets a new
id, and its new schema's layout ids must not be read from the old one's.
"""

from collections.abc import Mapping

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count

from meters.models import DeviceLayout, MetricLayout
from tenants.current import current_client

# Which pairs a batch adds, so that a refusal names the reading that took its device past the bound.
PAIRS_ADD = """
    INSERT INTO meters_devicelayout (device_id, layout_id) SELECT * FROM unnest(%s::int[], %s::int[])
    ON CONFLICT DO NOTHING RETURNING device_id, layout_id
"""
_layout_ids: dict[tuple[int, tuple[str, ...]], int] = {}
_device_layouts: set[tuple[int, int, int]] = set()


class TooManyLayouts(Exception):
    def __init__(self, *, device_id: int, index: int):
        self.device_id, self.index = device_id, index
        super().__init__(
            f"device {device_id} has stored readings with {settings.DEVICE_MAX_LAYOUTS} different sets of "
            "metric names, the most a device may have; send the metrics it already sends"
        )


def layout_id_for(names: tuple[str, ...]) -> int:
    key = (_client_id(), names)
    if key in _layout_ids:
        return _layout_ids[key]
    layout, _ = MetricLayout.objects.get_or_create(names=list(names))
    transaction.on_commit(lambda: _layout_ids.setdefault(key, layout.pk))
    return layout.pk


def device_layouts_record(*, first_index: Mapping[tuple[int, int], int]) -> None:
    """Record the (device, layout) pairs of a batch, refusing one that takes a device beyond
    DEVICE_MAX_LAYOUTS layouts. `first_index`: pair -> index of the first reading with it."""
    client_id = _client_id()
    new = {pair: index for pair, index in first_index.items() if (client_id, *pair) not in _device_layouts}
    if not new:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            PAIRS_ADD,
            [[device_id for device_id, _ in new], [layout_id for _, layout_id in new]],
        )
        added = {tuple(row) for row in cursor.fetchall()}
    if added:
        counts = (
            DeviceLayout.objects.filter(device_id__in={device_id for device_id, _ in added})
            .values_list("device_id")
            .annotate(layouts=Count("*"))
        )
        over = {device_id for device_id, layouts in counts if layouts > settings.DEVICE_MAX_LAYOUTS}
        if over:
            index, device_id = min((new[pair], pair[0]) for pair in added if pair[0] in over)
            raise TooManyLayouts(device_id=device_id, index=index)
    transaction.on_commit(lambda: _device_layouts.update((client_id, *pair) for pair in new))


def _client_id() -> int:
    return current_client().pk
