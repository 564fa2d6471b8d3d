"""The site's own periodic job: publishing pages scheduled with « Programmer »."""

from io import StringIO

from django.core.management import call_command

from .scheduler import Job, interval


def publish_scheduled_pages() -> str:
    out = StringIO()
    # Wagtail's command publishes revisions whose go-live time has passed and unpublishes
    # pages whose expiry has passed.
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()


JOBS = [
    Job(
        "publish-scheduled-pages",
        publish_scheduled_pages,
        every_seconds=interval("SCHEDULE_PUBLISH_SECONDS", 60),
    ),
]
