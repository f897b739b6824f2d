"""Forward bodies as a master sends them, and links made for a test."""

import uuid

from forwarding.services import link_create

METER_UUID = uuid.UUID("0b6f3c1e-8f0a-4d55-9d6e-1f2a3b4c5d6e")


def forward_body(
    *,
    slug: str = "padaria",
    name: str = "Padaria Central",
    device_name: str = "Entrada",
    readings: int = 3,
    device_uuid: uuid.UUID = METER_UUID,
) -> dict:
    return {
        "clients": [
            {
                "slug": slug,
                "name": name,
                "time_zone": "America/Manaus",
                "devices": [
                    {
                        "uuid": str(device_uuid),
                        "name": device_name,
                        "device_type": "modbus_tcp",
                        "role": "grid",
                        "nominal_voltage": 220,
                        "readings": [
                            {
                                "ts": f"2026-11-30T12:00:{n:02d}+00:00",
                                "metrics": {"voltage_l1": 220.0 + n, "power": 1000.5},
                            }
                            for n in range(readings)
                        ],
                    }
                ],
            }
        ]
    }


def link_token(name: str = "master") -> str:
    return link_create(name=name)[1]
