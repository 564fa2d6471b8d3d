"""Registrations to upcoming webinars: the form (/webinaires/<id>/inscription/, never cached; the
cached webinar page only links to it), the waiting list, the personal cancel link, and the mails:
confirmation with the `.ics` attached, promotion from the waiting list, reminders the day and the
hour before, the replay link once published. Staff: « Inscriptions aux webinaires » (counts,
places, attendance, CSV export), also reached from a webinar's edit page (« Inscrits »).

Settings (Django settings; all optional):

- WEBINAR_REGISTER_RATE_PER_IP ("10/h"), WEBINAR_REGISTER_RATE_PER_EMAIL ("5/d"): beyond the
  address limit the visitor gets the same answer and no mail.
- WEBINAR_CONFIRMATIONS_PER_HOUR (200), WEBINAR_CONFIRMATIONS_PER_DOMAIN_PER_HOUR (50): beyond
  them no confirmation is sent; the registration's « erreur d'envoi » says why.
- WEBINAR_REMINDER_SECONDS (300), WEBINAR_REPLAY_SECONDS (900): intervals of the scheduler's jobs.
- WEBINAR_REPLAY_MAIL_DAYS (60): no replay mail for a webinar over for longer.
- WEBINAR_REGISTRATION_RETENTION_DAYS (365): names and addresses erased after the webinar.

A page with an external « lien d'inscription » keeps that link and gets no form here.
"""
