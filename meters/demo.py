"""The demo `make run` creates once (the platform admin, the `demo` client and its user, its meters) and the
simulators that play the meters on loopback.

Four devices, one site: an SDM630 over Modbus TCP at the grid connection; an SDM630 (slave 1) and a
PZEM-004T (slave 2) on one RS485 bus behind a simulated EW11 in transparent mode (RTU frames over TCP);
and a Tuya energy plug speaking the Tuya local protocol 3.3.

The ports are fixed so that the devices stored in the database find their simulators after a restart;
each can be moved with an environment variable (see DEMO_PORTS), read by both the seeding and
`manage.py demo_simulators`.
"""

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_tenants.utils import tenant_context

from meters.config import device_config_clean
from meters.models import Device
from meters.simulators import Bus, Pzem004tSimulator, Sdm630Simulator, SiteModel, TcpSimulator
from meters.simulators.tuya import TuyaSimulator
from tenants.models import Client, User
from tenants.services import client_create, platform_bootstrap, user_create

DEMO_SLUG = "demo"
DEMO_HOST = "127.0.0.1"
# Environment variable -> default port.
DEMO_PORTS = {
    "PIENG_DEMO_MODBUS_TCP_PORT": 15020,
    "PIENG_DEMO_EW11_PORT": 18899,
    "PIENG_DEMO_TUYA_PORT": 16668,
}
TUYA_DEVICE_ID = "bf0demo0plug0pieng01"
TUYA_LOCAL_KEY = "demo:local#key16"


@dataclass(frozen=True)
class DemoPorts:
    modbus_tcp: int
    ew11: int
    tuya: int


def demo_ports() -> DemoPorts:
    modbus_tcp, ew11, tuya = (int(os.environ.get(name, default)) for name, default in DEMO_PORTS.items())
    return DemoPorts(modbus_tcp=modbus_tcp, ew11=ew11, tuya=tuya)


def demo_devices(*, ports: DemoPorts) -> list[dict]:
    """The demo devices as Device fields; configs as a user would type them (defaults filled on seed)."""
    ew11 = {"host": DEMO_HOST, "port": ports.ew11, "framer": "rtu"}
    return [
        {
            "name": "SDM630 - Entrada Principal",
            "device_type": "modbus_tcp",
            "role": Device.Role.GRID,
            "nominal_voltage": 127,
            "config": {"driver": "sdm630", "host": DEMO_HOST, "port": ports.modbus_tcp, "slave_id": 1},
        },
        {
            "name": "SDM630 - Quadro Geral (EW11)",
            "device_type": "modbus_tcp",
            "role": Device.Role.GRID,
            "nominal_voltage": 127,
            "config": {"driver": "sdm630", "slave_id": 1, **ew11},
        },
        {
            "name": "PZEM-004T - Sala (EW11)",
            "device_type": "modbus_tcp",
            "role": Device.Role.LOAD,
            "nominal_voltage": 127,
            "config": {"driver": "pzem004t", "slave_id": 2, **ew11},
        },
        {
            "name": "Tomada Tuya - Escritório",
            "device_type": "tuya",
            "role": Device.Role.LOAD,
            "nominal_voltage": 127,
            "config": {
                "driver": "tuya",
                "mode": "local",
                "device_id": TUYA_DEVICE_ID,
                "address": DEMO_HOST,
                "port": ports.tuya,
                "local_key": TUYA_LOCAL_KEY,
                "version": "3.3",
                "preset": "plug_v33",
            },
        },
    ]


@transaction.atomic
def demo_devices_seed(*, client: Client, ports: DemoPorts | None = None) -> list[Device]:
    """Create the demo devices in the client's schema, or bring their connection settings up to date.

    Idempotent, for every `make run`: a device is found by its name, and whether it is active is the
    user's choice, kept as it is.
    """
    devices = []
    with tenant_context(client):
        for fields in demo_devices(ports=ports or demo_ports()):
            config = device_config_clean(device_type=fields["device_type"], config=fields["config"])
            device, _ = Device.objects.update_or_create(
                name=fields["name"], defaults={**fields, "config": config}
            )
            devices.append(device)
    return devices


def demo_seed() -> Client | None:
    """The platform admin, and unless PIENG_DEMO is off, the demo client, its user and its devices
    (idempotent). Without the demo a platform starts empty, e.g. a slave beside a master."""
    if not settings.PIENG_ADMIN_PASSWORD or (settings.PIENG_DEMO and not settings.PIENG_DEMO_PASSWORD):
        raise ImproperlyConfigured(
            "Set PIENG_ADMIN_PASSWORD and PIENG_DEMO_PASSWORD (or DEBUG=true) for the demo."
        )
    platform_bootstrap(
        admin_username=settings.PIENG_ADMIN_USERNAME,
        admin_email=settings.PIENG_ADMIN_EMAIL,
        admin_password=settings.PIENG_ADMIN_PASSWORD,
    )
    if not settings.PIENG_DEMO:
        return None
    client = Client.objects.filter(slug=DEMO_SLUG).first() or client_create(name="Demo", slug=DEMO_SLUG)
    if not User.objects.filter(username="demo").exists():
        user_create(username="demo", password=settings.PIENG_DEMO_PASSWORD, client=client, is_staff=True)
    demo_devices_seed(client=client)
    return client


class DemoSimulators:
    """All the demo devices' simulators, measuring one site; port 0 picks a free port (tests)."""

    def __init__(self, *, ports: DemoPorts, site: SiteModel | None = None):
        site = site or SiteModel()
        self.modbus_tcp = TcpSimulator(
            bus=Bus(slaves=[Sdm630Simulator(site=site, slave_id=1)]),
            framer="socket",
            host=DEMO_HOST,
            port=ports.modbus_tcp,
        )
        rs485 = [Sdm630Simulator(site=site, slave_id=1), Pzem004tSimulator(site=site, slave_id=2)]
        self.ew11 = TcpSimulator(
            bus=Bus(slaves=rs485),
            framer="rtu",
            host=DEMO_HOST,
            port=ports.ew11,
        )
        self.tuya = TuyaSimulator(
            device_id=TUYA_DEVICE_ID, local_key=TUYA_LOCAL_KEY, host=DEMO_HOST, port=ports.tuya, site=site
        )
        self.ports = ports
        self._running: list[TcpSimulator | TuyaSimulator] = []

    def __enter__(self) -> "DemoSimulators":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "DemoSimulators":
        """Start them all, or none (a port already taken raises OSError)."""
        try:
            for simulator in (self.modbus_tcp, self.ew11):
                simulator.start()
                self._running.append(simulator)
            tuya_port = self.tuya.start()
            self._running.append(self.tuya)
        except OSError:
            self.stop()
            raise
        self.ports = DemoPorts(modbus_tcp=self.modbus_tcp.port, ew11=self.ew11.port, tuya=tuya_port)
        return self

    def stop(self) -> None:
        while self._running:
            self._running.pop().stop()

    def describe(self) -> list[str]:
        return [
            f"SDM630 over Modbus TCP (slave 1)            {DEMO_HOST}:{self.ports.modbus_tcp}",
            f"EW11 transparent: SDM630 (1), PZEM-004T (2)  {DEMO_HOST}:{self.ports.ew11}",
            f"Tuya plug, local protocol 3.3               {DEMO_HOST}:{self.ports.tuya}",
        ]
