"""Audience: who may receive what. Subscribers (double opt-in, unsubscribe, hygiene), consent per
list, preferences, following a cité, saved segments, re-permission, retention and CSV import.

Layers, lowest first: consents → follow → subscriptions → preferences, repermission, retention,
csv_io, segments. Nothing here imports the delivery side (mailing/delivery/)."""
