"""An editor panel that shows the pre-send checks (and the Gmail size warning) of an issue."""

from typing import Any

from wagtail.admin.panels import Panel

from .checks import incomplete_blocks, issue_checks
from .rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue


class IssueChecksPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletter/admin/checks_panel.html"

        def is_shown(self) -> bool:
            # A page being created has no saved content to check yet.
            return bool(getattr(self.instance, "pk", None))

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            incomplete = incomplete_blocks(self.instance)
            if incomplete:  # a draft with blocks to fill cannot be rendered yet
                context.update(problems=incomplete, warnings=[], size_kb=None)
                return context
            rendered = render_issue(self.instance, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
            checks = issue_checks(self.instance, rendered)
            context["problems"], context["warnings"] = checks.problems, checks.warnings
            context["size_kb"] = round(len(rendered.html.encode()) / 1024, 1)
            return context
