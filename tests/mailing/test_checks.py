"""The production set-up needs an SES configuration set publishing send, delivery, bounce and
complaint events: Django's system checks warn at start-up when it is missing."""

from django.core import checks


def warnings_ids() -> set[str]:
    return {message.id for message in checks.run_checks()}


def production(settings, configuration_set: str | None) -> None:
    settings.AWS_SES_CONFIGURATION_SET = configuration_set
    # Last: each assignment stacks a settings holder whose own SETTINGS_MODULE is None.
    settings.SETTINGS_MODULE = "renouveau.settings.production"


def test_missing_configuration_set_warns_in_production(settings):
    production(settings, None)
    assert "mailing.W001" in warnings_ids()
    production(settings, "renouveau")
    assert "mailing.W001" not in warnings_ids()


def test_no_warning_outside_production(settings):
    settings.AWS_SES_CONFIGURATION_SET = None
    assert "mailing.W001" not in warnings_ids()
