"""Issue 28 item 6: a campaign prepares and renders its issue once; the checks read that
preparation and rendering instead of doing it again. Counted with a profiler hook on the
functions of newsletter/rendering.py, newsletter/checks.py and the MJML compiler (instrumentation
only: every function runs as usual)."""

import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

WATCHED = {
    ("rendering.py", "newsletter"),
    ("checks.py", "newsletter"),
    ("mail_layout.py", "renouveau"),
}


@contextmanager
def counted_calls():
    """Counter of calls to the watched modules' functions, by "module.function"."""
    calls: Counter = Counter()

    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") == "mjml2html":
            calls["mjml.mjml2html"] += 1  # the compiler itself (Rust), whoever calls it
        if event != "call":
            return
        path = Path(frame.f_code.co_filename)
        if (path.name, path.parent.name) in WATCHED:
            calls[f"{path.stem}.{frame.f_code.co_name}"] += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def test_create_campaign_prepares_and_renders_the_issue_once(issue):
    from mailing.delivery.campaigns import Segment, create_campaign

    with counted_calls() as calls:
        campaign = create_campaign(issue, Segment())
    print(dict(calls))
    assert campaign.html and campaign.text
    assert calls["rendering.prepare_issue"] == 1, dict(calls)
    assert calls["rendering.render_mjml"] == 1, dict(calls)
    assert calls["mail_layout.mjml_to_html"] == 1, dict(calls)
    assert calls["mjml.mjml2html"] == 1, dict(calls)
    assert calls["checks.check_issue"] == 1, dict(calls)


def test_the_send_form_renders_once_for_its_warnings_and_the_campaign(editor_client, issue):
    from mailing.models import Campaign

    url = f"/admin/mailing/envoyer/{issue.pk}/"
    with counted_calls() as calls:
        response = editor_client.post(url, {"confirm_count": "0", "acknowledge_warnings": "1"})
    print(dict(calls))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Campaign.objects.filter(issue=issue).count() == 1
    assert calls["rendering.prepare_issue"] == 1, dict(calls)
    assert calls["rendering.render_mjml"] == 1, dict(calls)
    assert calls["mjml.mjml2html"] == 1, dict(calls)
