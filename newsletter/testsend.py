"""Who may send a test of an issue, and to how many addresses. The test itself is a campaign
mail of a test recipient, built and sent by the mailing app (`mailing.test_sends`)."""

from __future__ import annotations

from typing import Any

MAX_TEST_RECIPIENTS = 10


def can_send_test(user: Any, page: Any) -> bool:
    """Editors with the dedicated permission, or anyone who may publish the issue."""
    if not user.is_active:
        return False
    if user.has_perm("newsletter.send_test_issue"):
        return True
    return page.permissions_for_user(user).can_publish()
