"""Staff side of the mailing app, one module per concern: `lists` (modeladmin lists), `send`
(« Envoyer aux abonnés »), `campaign` (progress and actions), `test_send`, `imports`,
`exports`, `subscriber` (the subscriber's page and erasure), `followers`, `reports`,
`dashboard`, and `urls` (the admin URLs). Registered in mailing/wagtail_hooks.py."""
