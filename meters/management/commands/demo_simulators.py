"""`python manage.py demo_simulators`: the demo devices' simulators in one process, until Ctrl-C."""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from meters.demo import DEMO_PORTS, DemoSimulators, demo_ports


class Command(BaseCommand):
    help = "Run the simulated meters of the demo devices (make run) until Ctrl-C or SIGTERM."
    requires_system_checks = []
    requires_migrations_checks = False

    def handle(self, *args, **options) -> None:
        stopping = threading.Event()
        # honcho stops its processes with SIGTERM; leave the same way as on Ctrl-C.
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        try:
            simulators = DemoSimulators(ports=demo_ports()).start()
        except OSError as error:
            raise CommandError(
                f"cannot start the demo simulators: {error}; move them with {', '.join(DEMO_PORTS)}"
            ) from None
        try:
            self.stdout.write("Demo simulators listening:")
            for line in simulators.describe():
                self.stdout.write(f"  {line}")
            stopping.wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulators.stop()
