"""Deleting a device deletes its cold chunks in the database, as it deletes its readings."""

from meters.models import ColdChunk
from meters.readings.chunks import chunks_pack

from .conftest import PACK_BEFORE


def test_deleting_a_device_deletes_its_chunks(meter):
    chunks_pack(device_id=meter.pk, before=PACK_BEFORE)
    assert ColdChunk.objects.filter(device_id=meter.pk).exists()

    meter.delete()

    assert not ColdChunk.objects.filter(device_id=meter.pk).exists()
