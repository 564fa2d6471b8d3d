from django.conf import settings
from django.core.management.base import BaseCommand

from renouveau.site_url import site_address, sync_site_record


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from SITE_URL (a deploy step)."

    def handle(self, *args, **options):
        changed = sync_site_record()
        hostname, port = site_address()
        state = "updated" if changed else "already up to date"
        self.stdout.write(f"Site record {state}: {hostname}:{port} ({settings.SITE_URL})")
