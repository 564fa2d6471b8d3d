"""Issue 11, item 5: what is scheduled happens with nobody typing a command: the scheduler
process publishes pages at their go-live time and runs the purges."""

import secrets
import time

from tests.production.visitors import request, wait_for

SCHEDULE_PAGE = """
import json
from datetime import timedelta
from django.utils import timezone
from renouveau.models import HomePage, StandardPage
home = HomePage.objects.first()
page = StandardPage(title={title!r}, slug={slug!r}, live=False)
home.add_child(instance=page)
page.go_live_at = timezone.now() + timedelta(seconds=10)
revision = page.save_revision()
revision.publish()
page.refresh_from_db()
revision.refresh_from_db()
print(json.dumps({{
    "path": page.get_url_parts()[2], "live": page.live,
    "scheduled": revision.approved_go_live_at is not None,
}}))
"""


def test_a_page_scheduled_ten_seconds_ahead_goes_live_by_itself(production, scheduler):
    slug = f"annonce-programmee-{secrets.token_hex(3)}"
    started = time.monotonic()
    page = production.shell(SCHEDULE_PAGE.format(title="Annonce programmée", slug=slug))
    assert not page["live"] and page["scheduled"], page
    url = production.site_url + page["path"]
    assert request(url).status == 404  # not before its time

    wait_for(lambda: request(url).status == 200, timeout=40, message=f"{url} never went live")
    assert "Annonce programmée" in request(url).text
    assert time.monotonic() - started < 45


OLD_DATA = """
import json
from datetime import timedelta
from django.utils import timezone
from documents.models import DocumentRequest
from mailing.models import Subscriber
long_ago = timezone.now() - timedelta(days=400)
Subscriber.objects.create(
    email={email!r}, status=Subscriber.Status.PENDING, consent_at=long_ago,
    consent_text_version="tests",
)
DocumentRequest.objects.create(
    source="form", status="sent", email={email!r}, created_at=long_ago,
)
print(json.dumps(True))
"""

COUNT = """
import json
from documents.models import DocumentRequest
from mailing.models import Subscriber
print(json.dumps([Subscriber.objects.filter(email={email!r}).count(),
                  DocumentRequest.objects.filter(email={email!r}).count()]))
"""


def test_the_purges_are_scheduled_and_purge(production, scheduler):
    email = f"oubliee.{secrets.token_hex(4)}@example.org"
    production.shell(OLD_DATA.format(email=email))
    assert production.shell(COUNT.format(email=email)) == [1, 1]
    ran = production.manage("run_scheduler", "--once")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    # Each job is listed with its schedule as it runs: the purges are daily jobs.
    assert "purge" in ran.stdout and "publish" in ran.stdout, ran.stdout
    assert production.shell(COUNT.format(email=email)) == [0, 0]
