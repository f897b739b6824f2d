from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.services import BootstrapRefused, platform_bootstrap


class Command(BaseCommand):
    help = (
        "Create what a new installation needs (idempotent): the platform tenant and its domain "
        "(PLATFORM_DOMAIN) and the first superuser (PIENG_ADMIN_USERNAME / _EMAIL / _PASSWORD)."
    )

    def handle(self, *args, **options):
        try:
            result = platform_bootstrap(
                admin_username=settings.PIENG_ADMIN_USERNAME,
                admin_email=settings.PIENG_ADMIN_EMAIL,
                admin_password=settings.PIENG_ADMIN_PASSWORD,
            )
        except BootstrapRefused as error:
            raise CommandError(str(error)) from error
        if result.platform_created:
            self.stdout.write("Created the platform tenant.")
        if result.domain_created:
            self.stdout.write(f"Platform domain: {settings.PLATFORM_DOMAIN}")
        if result.admin_created:
            self.stdout.write(f"Created the superuser {settings.PIENG_ADMIN_USERNAME}.")
        if not result.changed:
            self.stdout.write("Nothing to do: already bootstrapped.")
