"""Who may do what in the mailing admin."""

SEND_PERMISSION = "mailing.send_campaign"


def can_send(user) -> bool:
    return user.is_active and user.has_perm(SEND_PERMISSION)


def can_view_campaigns(user) -> bool:
    return can_send(user) or user.has_perm("mailing.view_campaign")


def can_view_subscribers(user) -> bool:
    return user.is_active and (
        user.has_perm("mailing.view_subscriber") or user.has_perm("mailing.change_subscriber")
    )
