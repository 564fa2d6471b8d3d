import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renouveau.media import apply_public_read_policy, public_read_policy


class Command(BaseCommand):
    help = (
        "Make the public/ prefix of the media bucket readable by anyone (images, renditions, "
        "frozen newsletter images); documents under private/ stay private. A deploy step."
    )

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", help="Print the policy only.")

    def handle(self, *args, print: bool = False, **options):
        bucket = settings.AWS_STORAGE_BUCKET_NAME
        if not bucket:
            raise CommandError("AWS_STORAGE_BUCKET_NAME is not set: media are local files.")
        if print:
            self.stdout.write(json.dumps(public_read_policy(bucket), indent=2))
            return
        apply_public_read_policy(bucket)
        self.stdout.write(f"Public read policy set on s3://{bucket}/public/*")
