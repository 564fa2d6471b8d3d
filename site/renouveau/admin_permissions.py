"""Permission helpers of the staff lists (wagtail-modeladmin) whose records come from the
public or from a process (document requests, subscribers, campaigns, deliveries): staff read,
export and act on them, never create them by hand."""

from __future__ import annotations

from wagtail_modeladmin.helpers import PermissionHelper


class NoCreatePermissionHelper(PermissionHelper):
    def user_can_create(self, user) -> bool:
        return False


class ReadOnlyPermissionHelper(NoCreatePermissionHelper):
    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False
