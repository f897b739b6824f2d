import os

from django.conf import settings
from django.core.management.base import BaseCommand

from meters.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo data once (platform admin; demo client and user unless PIENG_DEMO=false) and "
        "print the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--banner", action="store_true", help="print the URLs and logins")

    def handle(self, *args, banner: bool, **options):
        client = demo_seed()
        if not banner:
            return
        port = os.environ.get("PORT", "8000")
        platform = f"http://{settings.PLATFORM_DOMAIN}:{port}"
        admin = f"{settings.PIENG_ADMIN_USERNAME} / {settings.PIENG_ADMIN_PASSWORD}"
        lines = [
            "",
            "Pieng is starting. Ctrl-C stops everything.",
            f"  Platform back-office  {platform}/admin/  {admin}",
        ]
        if client is not None:
            portal = f"http://{client.portal_domain}:{port}"
            lines += [
                f"  Demo client portal    {portal}/  demo / {settings.PIENG_DEMO_PASSWORD}",
                f"  Demo client admin     {portal}/admin/",
            ]
        lines += [
            f"  API docs              {platform}/{settings.API_PREFIX}/docs",
            f"  Health                {platform}/{settings.API_PREFIX}/health",
            "",
        ]
        self.stdout.write("\n".join(lines))
