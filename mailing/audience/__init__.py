"""Audience: who may receive what. Subscribers (double opt-in, unsubscribe), consent per list,
preferences, following a cité, saved segments, re-permission, list hygiene and CSV import (the
retention register stays in mailing/retention.py, where renouveau.retention finds it).

Layers, lowest first: consents, tokens → follow → subscriptions → preferences, repermission,
hygiene, csv_io, segments → pending_imports. Nothing here imports the delivery side
(mailing/delivery/)."""
