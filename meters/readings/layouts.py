from django.db import connection, transaction

from meters.models import MetricLayout

# Layouts never change once written, so a process may remember them once committed; ids are per client schema.
_layout_ids: dict[tuple[str, tuple[str, ...]], int] = {}


def layout_id_for(names: tuple[str, ...]) -> int:
    key = (connection.schema_name, names)
    if key in _layout_ids:
        return _layout_ids[key]
    layout, _ = MetricLayout.objects.get_or_create(names=list(names))
    transaction.on_commit(lambda: _layout_ids.setdefault(key, layout.pk))
    return layout.pk
