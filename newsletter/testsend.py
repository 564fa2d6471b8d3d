"""Send a test of an issue (its latest draft) to a few addresses, through the site's mail path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from renouveau.mail import open_connection, reply_to_addresses, send_mail_message

from .checks import check_issue
from .rendering import generic_unsubscribe_url, render_issue

MAX_TEST_RECIPIENTS = 10
TEST_SUBJECT_PREFIX = "[Test] "


class IssueNotReady(Exception):
    """The issue fails its pre-send checks; nothing was sent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def can_send_test(user: Any, page: Any) -> bool:
    """Editors with the dedicated permission, or anyone who may publish the issue."""
    if not user.is_active:
        return False
    if user.has_perm("newsletter.send_test_issue"):
        return True
    return page.permissions_for_user(user).can_publish()


def headers_for_test_send() -> dict[str, str]:
    unsubscribe = generic_unsubscribe_url()
    contact = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return {
        "List-Unsubscribe": f"<{unsubscribe}>, <mailto:{contact}?subject=unsubscribe>",
        "X-Renouveau-Issue": "test",
    }


def send_test_issue(issue: Any, addresses: Sequence[str]) -> list[str | None]:
    """Render, check, then send one message per address. Returns the SES message ids.

    Raises IssueNotReady (and sends nothing) when a check fails: a test must look exactly like
    the real mail, so a broken issue is never sent, not even as a test. An issue never published
    yet may be tested: its web-version links are replaced by a note saying they come with the
    publication."""
    rendered = render_issue(issue, unsubscribe_url=generic_unsubscribe_url())
    problems = check_issue(issue, rendered, test_send=True)
    if problems:
        raise IssueNotReady(problems)
    connection = open_connection()
    ids = []
    with connection:
        for address in list(dict.fromkeys(addresses))[:MAX_TEST_RECIPIENTS]:
            ids.append(
                send_mail_message(
                    to=[address],
                    subject=TEST_SUBJECT_PREFIX + rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    headers=headers_for_test_send(),
                    reply_to=reply_to_addresses(),
                    connection=connection,
                )
            )
    return ids
