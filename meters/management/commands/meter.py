"""`python manage.py meter {read,monitor,scan,pzem,simulate}`: a thin wrapper over meters.cli."""

import logging

from django.core.management.base import BaseCommand, CommandError

from meters.cli import UsageError, meter_arguments_add, meter_run
from meters.config import ConfigError
from meters.errors import MeterError


class Command(BaseCommand):
    help = "Read, monitor, scan and simulate meters (no database needed)."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        meter_arguments_add(parser)

    def handle(self, *args, **options) -> None:
        # Every pymodbus failure comes back as one typed error; its own log lines would only repeat it.
        logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
        try:
            # meters.cli writes whole lines itself (and rich writes fragments): no ending added here.
            self.stdout.ending = ""
            meter_run(options=options, out=self.stdout)
        except (MeterError, ConfigError, UsageError) as error:
            raise CommandError(str(error)) from None
