"""Entries of an issue's action menu in the page editor (this app's and the mailing app's)."""

from django.urls import reverse
from wagtail.admin.action_menu import ActionMenuItem

from .models import NewsletterIssuePage


class IssueMenuItem(ActionMenuItem):
    """An entry of the action menu of an issue being edited, to one of the admin views about it
    (`url_name`, given the issue's id), for the editors `allows` accepts."""

    url_name = ""

    def allows(self, context, page) -> bool:
        raise NotImplementedError

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, NewsletterIssuePage)
            and self.allows(context, page)
        )

    def get_url(self, parent_context):
        return reverse(self.url_name, args=[parent_context["page"].pk])
