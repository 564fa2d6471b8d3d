"""Every kind of mail the site sends, as raw MIME: size, SpamAssassin score, longest encoded
line (RFC 2045: 76 at most). Not a test: it prints figures (issue 29).

    .venv/bin/python bench/mails.py            # SpamAssassin scores need Debian's spamassassin
                                               # (apt-get install spamassassin); local rules only
    .venv/bin/python bench/mails.py --screenshots   # also docs/screenshots/mail-*-375-*.png
                                                    # (Playwright, Debian's chromium)

Uses the demo content on a throw-away SQLite database (or DATABASE_URL) and the test settings.
Each mail is assembled by renouveau.mime as the site sends it (campaign mails with their
List-Unsubscribe headers and the unsubscribe placeholder filled). Target: SpamAssassin ≤ 0.5.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_bench import setup  # noqa: E402

setup("mails")

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

SPAMASSASSIN = shutil.which("spamassassin")


def every_mail() -> list[tuple[str, bytes]]:
    from documents import demo as documents_demo
    from documents.models import DocumentRequest, LibraryDocument, RequestSource, RequestStatus
    from documents.sending import link_mail, link_mail_headers
    from mailing.delivery.alert_mail import render_alert
    from mailing.models import CiteUpdate
    from newsletter import demo as newsletter_demo
    from newsletter.models import NewsletterIssuePage
    from newsletter.rendering import UNSUBSCRIBE_URL_PLACEHOLDER, render_issue
    from renouveau import demo as site_demo
    from renouveau.demo import ensure_home_page
    from renouveau.mail_layout import render_mail
    from renouveau.mime import EncodedBody, build_mail, skeleton
    from tests.factories import (
        CitiesIndexPageFactory,
        CityPageFactory,
        WebinarIndexPageFactory,
        WebinarPageFactory,
    )
    from webinar_registrations.mails import SUBJECTS, ics_attachment, mail_context
    from webinar_registrations.models import Registration

    call_command("migrate", verbosity=0)
    home = ensure_home_page()
    site_demo.load(home)
    newsletter_demo.load(home)
    documents_demo.load(home)
    to = "jeanne.martin@example.org"
    unsubscribe = (
        "https://renouveaubassinminier.fr/lettre/desabonnement/MTI:1vXyZa:abcdefghijklmnop/"
    )
    list_headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }

    def campaign(subject: str, html: str, text: str) -> bytes:
        from renouveau.mime import build_personalised

        base = skeleton(subject, html=html, text=text, placeholder=UNSUBSCRIBE_URL_PLACEHOLDER)
        assert isinstance(base.html, EncodedBody)
        return build_personalised(base, to=to, value=unsubscribe, headers=list_headers)

    mails = []
    issue = NewsletterIssuePage.objects.get(number=2)
    letter = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    mails.append(("lettre N°2", campaign(letter.subject, letter.html, letter.text)))
    test = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, previews=True)
    mails.append(("envoi de test", campaign(test.subject, test.html, test.text)))

    index = CitiesIndexPageFactory(parent=home)
    lemay = CityPageFactory(parent=index, title="Cité Lemay")
    pinson = CityPageFactory(parent=index, title="Cité du Pinson")
    now = timezone.now()
    updates = [
        CiteUpdate.objects.create(
            cite=cite,
            source=source,
            kind=kind,
            title=title,
            url=f"https://renouveaubassinminier.fr/{slug}/",
            summary="Les habitants sont invités à une réunion d’information sur le chantier.",
            published_at=now,
        )
        for cite, source, kind, title, slug in (
            (lemay, "page:1", "Actualité", "Les travaux commencent", "actualites/travaux"),
            (pinson, "page:2", "Retour d’expérience", "Le chantier du Pinson", "retours/pinson"),
            (lemay, "page:3", "Webinaire", "Isoler les cités minières", "webinaires/isoler"),
            (pinson, "page:3", "Webinaire", "Isoler les cités minières", "webinaires/isoler"),
        )
    ]
    subject, html, text = render_alert(updates)
    mails.append(("alerte cités", campaign(subject, html, text)))

    context = {
        "confirm_url": "https://renouveaubassinminier.fr/lettre/confirmer/abc/",
        "follow_url": "https://renouveaubassinminier.fr/lettre/suivre/confirmer/abc/",
        "preferences_url": "https://renouveaubassinminier.fr/lettre/preferences/abc/",
        "days": 7,
        "cites": ["Cité Lemay"],
        "cite": "Cité Lemay",
        "newsletter": True,
        "lists": ["la lettre d’information", "les nouveautés de la cité Lemay"],
    }
    for name, subject in (
        ("confirmation", "Confirmez votre abonnement à la lettre du Renouveau du Bassin Minier"),
        ("follow_confirmation", "Confirmez le suivi de la cité Lemay"),
        ("welcome", "Bienvenue : votre abonnement au Renouveau du Bassin Minier est confirmé"),
    ):
        html, text = render_mail(f"mailing/email/{name}.html", f"mailing/email/{name}.txt", context)
        mails.append((name, build_mail(to=[to], subject=subject, text=text, html=html)))

    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=home),
        title="Rénover une cité minière : la méthode",
        start=now + datetime.timedelta(days=7),
        end=now + datetime.timedelta(days=7, hours=2),
        join_url="https://visio.example.org/j/884201",
        dial_in="+33 1 70 00 00 00, code 884201",
    )
    registration = Registration.objects.create(
        webinar=webinar, email=to, name="Jeanne", profile="elu", registered_at=now
    )
    for kind in SUBJECTS:
        context = mail_context(registration, kind)
        html, text = render_mail(
            "webinar_registrations/email/message.html",
            "webinar_registrations/email/message.txt",
            context,
        )
        ics = (
            [ics_attachment(webinar)] if kind in ("registered", "promoted", "reminder_day") else ()
        )
        raw = build_mail(to=[to], subject=context["subject"], text=text, html=html, attachments=ics)
        mails.append((f"webinaire {kind}", raw))

    document = LibraryDocument.objects.first()
    request = DocumentRequest.objects.create(
        document=document, source=RequestSource.FORM, status=RequestStatus.QUEUED, email=to
    )
    html, text = link_mail(
        request, "https://renouveaubassinminier.fr/ressources/telecharger/x/", now
    )
    subject = f"Votre document\u00a0: {document.title}"
    raw = build_mail(
        to=[to], subject=subject, text=text, html=html, headers=link_mail_headers(request)
    )
    mails.append(("lien de document", raw))
    return mails


def longest_body_line(raw: bytes) -> int:
    """The longest line of the encoded bodies (each leaf part's payload as sent, QP or base64;
    not the parts' headers)."""
    import email

    message = email.message_from_bytes(raw)
    return max(
        len(line)
        for part in message.walk()
        if not part.is_multipart()
        for line in part.get_payload().splitlines()
    )


def spam_score(raw: bytes) -> str:
    if SPAMASSASSIN is None:
        return "n/a"
    result = subprocess.run(  # noqa: S603 (a local binary, our own bytes)
        [SPAMASSASSIN, "-L", "-t"], input=raw, capture_output=True, timeout=120
    )
    status = re.search(rb"X-Spam-Status: \w+, score=(-?[\d.]+)", result.stdout)
    rules = re.findall(rb"^ *(-?\d+\.\d+) +([A-Z][A-Z0-9_]+) ", result.stdout, re.MULTILINE)
    scored = ", ".join(f"{name.decode()} {value.decode()}" for value, name in rules if float(value))
    return (status[1].decode() if status else "?") + (f" ({scored})" if scored else "")


def html_part(raw: bytes) -> str:
    import email
    from email import policy

    message = email.message_from_bytes(raw, policy=policy.default)
    return message.get_body(("html",)).get_content()


def screenshots(mails: list[tuple[str, bytes]]) -> None:
    """Each mail's HTML at 375 px, light and dark (the client honours prefers-color-scheme,
    as Apple Mail does), full height, into docs/screenshots/."""
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    out = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    media = Path(settings.MEDIA_ROOT)

    def serve_media(route) -> None:  # the images, from this benchmark's media folder
        path = media / route.request.url.split("/media/", 1)[1].split("?", 1)[0]
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for kind, raw in mails:
            html = html_part(raw)
            ascii_kind = unicodedata.normalize("NFKD", kind).encode("ascii", "ignore").decode()
            slug = re.sub(r"[^a-z0-9]+", "-", ascii_kind.lower()).strip("-")
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport={"width": 375, "height": 700}, color_scheme=scheme)
                page.route("**/media/**", serve_media)
                page.set_content(html, wait_until="load")
                page.screenshot(path=str(out / f"mail-{slug}-375-{scheme}.png"), full_page=True)
                page.close()
        browser.close()
    print(f"Captures : {out}/mail-*-375-{{light,dark}}.png")


def main() -> None:
    mails = every_mail()
    print(f"{'mail':<26} {'taille':>9} {'ligne max':>9}  SpamAssassin (règles non nulles)")
    if "--screenshots" in sys.argv:
        screenshots(mails)
    for kind, raw in mails:
        print(
            f"{kind:<26} {len(raw) / 1024:>7.1f} Ko {longest_body_line(raw):>9}  {spam_score(raw)}"
        )


if __name__ == "__main__":
    main()
