"""An editor panel that shows the pre-send checks (and the Gmail size warning) of an issue."""

from typing import Any

from wagtail.admin.panels import Panel
from wagtail.models import Revision

from renouveau import fragments

from .checks import incomplete_blocks, issue_checks
from .rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue


def checks_context(issue: Any) -> dict[str, Any]:
    """The checks of `issue` as it stands, and the size of its mail."""
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    checks = issue_checks(issue, rendered)
    size_kb = round(len(rendered.html.encode()) / 1024, 1)
    return {"problems": checks.problems, "warnings": checks.warnings, "size_kb": size_kb}


def draft_checks(issue: Any) -> dict[str, Any]:
    """The blocks left to fill of a draft, which cannot be rendered yet; else its checks."""
    incomplete = incomplete_blocks(issue)
    if incomplete:
        return {"problems": incomplete, "warnings": [], "size_kb": None}
    return checks_context(issue)


def saved_issue_checks(issue: Any) -> dict[str, Any]:
    """The checks of an issue's saved draft, rendered once per revision: opening the editor again
    costs no rendering of the whole letter (issue 32: editors' views). What the checks read
    beyond the draft (linked pages, images, the legal notice) is tracked by the fragment cache,
    which makes them stale when it changes: the saved draft is read afresh inside the
    fragment, so that the images and pages its blocks load are recorded there (the editor's
    copy, and the revision it came from, have them loaded already). The incomplete blocks are
    kept with them: finding them cleans every block, a query per chosen page or image."""

    def build() -> dict[str, Any]:
        return draft_checks(Revision.objects.get(pk=issue.latest_revision_id).as_object())

    return fragments.cached("issue-checks", build, None, issue.pk, issue.latest_revision_id)


class IssueChecksPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletter/admin/checks_panel.html"

        def is_shown(self) -> bool:
            # A page being created has no saved content to check yet.
            return bool(getattr(self.instance, "pk", None))

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            if self.request.method == "GET" and self.instance.latest_revision_id:
                context.update(saved_issue_checks(self.instance))
            else:  # a form sent back with errors: what the editor typed, not yet saved
                context.update(draft_checks(self.instance))
            return context
