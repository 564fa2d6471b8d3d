"""Newsletter audience and delivery: subscribers (double opt-in, consent proof, unsubscribe),
campaigns and per-recipient deliveries, SES bounce/complaint notifications.

Layout, top to bottom (enforced by the mailing contract in pyproject.toml): wagtail_hooks,
public_urls, apps, schedule → admin/ (staff views), views, forms → delivery/ (campaigns,
sending, SES events, reports, cité alerts) → audience/ (subscribers, consent, preferences,
follow, tokens, hygiene) → counters → models/ → addresses.

Settings (their defaults in renouveau/settings/app_defaults.py, code reads `settings.X`; the
environment sets the tunables DEPLOY.md lists):

- MAILING_MAX_SEND_RATE: messages per second; unset = SES GetSendQuota's MaxSendRate, 0 = no
  limit. With REDIS_URL the limit is shared by all workers together (delivery/rate_limit.py);
  without Redis it applies per worker process.
- MAILING_BATCH_SIZE (200 deliveries claimed per task; a killed worker's claims go back to the
  pool, only its in-flight messages become uncertain), MAILING_CONCURRENCY (4 SES calls in
  flight, also the most deliveries a killed worker leaves uncertain), MAILING_MAX_ATTEMPTS (5),
  MAILING_RETRY_BASE_DELAY (0.5 s, doubled at each retry), MAILING_CLAIM_LEASE_SECONDS (600).
- MAILING_DB_RETRY_SECONDS (300): how long a sending step waits for a lost database to come back.
- MAILING_WATCHDOG_SECONDS (60, Django setting): interval of the scheduler's campaign watchdog;
  MAILING_STALL_SECONDS (180): a campaign with no activity for that long is queued again.
- MAILING_HEALTH_MIN_SENT (100), MAILING_HEALTH_WINDOW (1000 recent sends),
  MAILING_BOUNCE_RATE_LIMIT (0.02), MAILING_COMPLAINT_RATE_LIMIT (0.0008): automatic pause of a
  campaign.
- MAILING_SNS_TOPIC_ARNS: the SNS topics (list, or comma-separated in the environment) whose
  notifications /lettre/ses-notifications/ accepts; none configured = everything refused.
- MAILING_SUBSCRIBE_RATE_PER_IP ("10/h"), MAILING_SUBSCRIBE_RATE_PER_EMAIL ("6/h", answered in words
  beyond).
- MAILING_SUPPRESSION_KEY: key of the HMAC kept of unsubscribed addresses (default SECRET_KEY;
  changing it forgets the suppression list).
- MAILING_UNSUBSCRIBE_MAILTO: address of the mailto: in List-Unsubscribe (default: the sender).
  Inbound mail to it (SES receiving, documents.inbound) carrying the token unsubscribes at once.
- MAILING_CONFIRMATIONS_PER_HOUR (200), MAILING_CONFIRMATIONS_PER_DOMAIN_PER_HOUR (50): beyond
  them no opt-in mail is sent; the subscriber's « erreur d'envoi » says why.

Daily: `manage.py mailing_hygiene` (purge unconfirmed after 30 days, flag 3-year inactivity).
"""
