"""Rendering of an issue (one block of each kind, tests/pages.py) as an e-mail (MJML → HTML, text
part), its checks and image freezing."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from newsletter.blocks import NewsletterStreamBlock
from newsletter.checks import MAX_HTML_BYTES, check_html, check_issue, check_mjml
from newsletter.freeze import FROZEN_DIR, freeze_images
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import (
    UNSUBSCRIBE_URL_PLACEHOLDER,
    RenderedIssue,
    prepare_issue,
    render_issue,
    render_mjml,
)
from tests.pages import add_blocks, block_mark, issue_with_every_block
from tests.typography import as_typed

pytestmark = pytest.mark.django_db

REAL_UNSUBSCRIBE = "https://www.example.org/lettre/desabonnement/Zm9v:1abc-_XYZ/"


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag):
        return [attrs for name, attrs in self.found if name == tag]


def titles(issue):
    return [b.value["title"] for b in issue.body if b.block_type in ("lead_story", "article")]


@pytest.fixture
def rendered(issue, legal_notice) -> RenderedIssue:
    return render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)


def test_subject_preheader_and_document_structure(issue, rendered):
    assert rendered.subject == "Renouveau du Bassin Minier N°2 — Juillet 2019"
    assert rendered.preheader == "Les nouvelles du programme."
    html = rendered.html
    assert html.startswith("<!doctype html>")
    assert '<html lang="fr"' in html
    assert "<title>Renouveau du Bassin Minier N°2 — Juillet 2019</title>" in html
    assert as_typed(rendered.preheader) in as_typed(html)  # the hidden preview text, typeset
    assert "max-width:600px" in html  # 600 px layout…
    assert "@media only screen and (min-width:480px)" in html  # …that stacks below 480 px
    assert "prefers-color-scheme: dark" in html and 'name="color-scheme"' in html
    assert "JUILLET 2019. N°2" in html and block_mark("masthead") in html


def test_every_section_quote_and_credit_is_in_both_parts(issue, rendered):
    expected = [
        *titles(issue),
        *(block_mark(name) for name in ["section_heading", "quote", "questions", "key_figures"]),
        *(block_mark(name) for name in ["call_to_action", "page_teaser", "webinar"]),
        "Jeanne",  # the quote's author
        "Credit" + block_mark("image"),
    ]
    assert titles(issue) == [block_mark("lead_story"), block_mark("article")]
    # Typography puts non-breaking spaces before ? ! : ; » and typographic apostrophes: the
    # fragments are looked for as typed.
    html_text = as_typed(rendered.html)
    plain = " ".join(as_typed(rendered.text).split())  # the text part is wrapped at 72 columns
    for fragment in expected:
        assert fragment in html_text, fragment
        assert fragment in plain or fragment.upper() in plain, fragment


def test_links_and_images_are_absolute_with_alt_text_and_retina_sources(rendered):
    tags = Tags(rendered.html)
    hrefs = [a.get("href") for a in tags.all("a")]
    assert hrefs and all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs
    assert all(
        h.startswith(settings.SITE_URL)
        or h.startswith(("mailto:", "https://unsubscribe.invalid"))
        or h == "https://example.org/inscription"  # the webinar block's registration link
        for h in hrefs
    )
    images = tags.all("img")
    assert len(images) == 1  # the image block (the teaser shows none)
    for img in images:
        assert img["src"].startswith(settings.SITE_URL + settings.MEDIA_URL)
        assert img["alt"].strip()
        assert img["width"] == "552"
        one, two = [part.strip().split() for part in img["srcset"].split(",")]
        assert one == [img["src"], "600w"] and two[1] == "1200w"
        assert default_storage.exists(two[0].removeprefix(settings.SITE_URL + settings.MEDIA_URL))


def test_text_part_is_plain_readable_text(issue, rendered):
    text = rendered.text
    assert "<" not in text.replace("« ", "").replace(" »", "")
    assert "JUILLET 2019. N°2" in text
    typed = as_typed(text)  # the fixed strings are typeset too (« : » after a no-break space)
    assert f"Se désabonner ou gérer vos abonnements : {UNSUBSCRIBE_URL_PLACEHOLDER}" in typed
    assert f"Lire cette lettre dans votre navigateur : {issue.get_archive_url()}" in typed
    assert f"« {block_mark('quote')}" in typed
    assert "— Jeanne" in text
    assert "[Image : " in typed and f"(Credit{block_mark('image')})]" in typed
    assert max(len(line) for line in text.splitlines() if "http" not in line) <= 72


def test_the_placeholder_survives_mjml_and_is_replaced_per_recipient(issue, rendered):
    """The sending app renders once and str.replace's the placeholder per recipient: the
    result must be exactly what rendering for that recipient gives."""
    assert rendered.html.count(UNSUBSCRIBE_URL_PLACEHOLDER) == 1
    assert rendered.text.count(UNSUBSCRIBE_URL_PLACEHOLDER) == 1
    direct = render_issue(issue, unsubscribe_url=REAL_UNSUBSCRIBE)
    assert rendered.html.replace(UNSUBSCRIBE_URL_PLACEHOLDER, REAL_UNSUBSCRIBE) == direct.html
    assert rendered.text.replace(UNSUBSCRIBE_URL_PLACEHOLDER, REAL_UNSUBSCRIBE) == direct.text
    assert "__UNSUBSCRIBE_TOKEN__" not in direct.html + direct.text


def test_archive_url_defaults_to_the_issue_page_and_can_be_given(issue):
    own = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    assert f'href="{settings.SITE_URL}/lettre/n2/"' in own.html
    other = render_issue(
        issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER, archive_url="https://a.example/n2"
    )
    assert other.html.count('href="https://a.example/n2"') == 2


def test_an_issue_of_every_block_passes_every_check(issue, rendered):
    assert check_issue(issue, rendered) == []
    assert check_mjml(render_mjml(prepare_issue(issue, unsubscribe_url="https://x.test/"))) == []


def test_mjml_checks_catch_what_mjml_python_accepts_silently():
    body = (
        "<mj-body><mj-section><mj-text>Perdu</mj-text><mj-colum></mj-colum></mj-section></mj-body>"
    )
    problems = check_mjml(f"<mjml>{body}</mjml>")
    assert "Le document MJML n'indique pas sa langue (lang)." in problems
    assert "Balise MJML <mj-text> mal placée (dans <mj-section>)." in problems
    assert "Balise MJML inconnue : <mj-colum>." in problems
    assert (
        check_mjml(
            '<mjml lang="fr"><mj-body><mj-section><mj-column><mj-text><p>ok</p>'
            "</mj-text></mj-column></mj-section></mj-body></mjml>"
        )
        == []
    )
    assert any(p.startswith("Erreur MJML") for p in check_mjml("<mjml lang='fr'><mj-body>"))


def test_html_checks_size_alt_text_language_and_links():
    html = '<html lang="und"><body><img src="https://x.test/a.png"><a>x</a><a href="/rel">y</a>'
    problems = check_html(html + "x" * MAX_HTML_BYTES)
    assert any("Gmail la coupe" in p for p in problems)
    assert "Une image n'a pas de texte alternatif : https://x.test/a.png" in problems
    assert "La langue du document (lang) n'est pas indiquée." in problems
    assert "Un lien n'a pas d'adresse (page supprimée ou non publiée ?)." in problems
    assert "Un lien n'a pas d'adresse absolue : « /rel »." in problems
    missing = f'<html lang="fr"><img alt="a" src="{settings.SITE_URL}/media/nope.jpg">'
    assert check_html(missing) == [
        f"Une image est introuvable sur le site : {settings.SITE_URL}/media/nope.jpg"
    ]


def test_a_link_to_an_unpublished_page_blocks_the_issue(issue):
    from wagtail.models import Page

    target = next(b.value["page"] for b in issue.body if b.block_type == "call_to_action")
    Page.objects.get(pk=target.pk).specific.unpublish()
    issue.refresh_from_db()
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    problems = check_issue(issue, rendered)
    assert (
        f"« {block_mark('call_to_action')} » : la page « {target.title} » "
        "n'est pas publiée ou n'a pas d'adresse." in problems
    )


def test_freeze_copies_images_to_content_addressed_files_that_survive_edits(issue, rendered):
    frozen = freeze_images(rendered.html)
    prefix = settings.SITE_URL + settings.MEDIA_URL + FROZEN_DIR + "/"
    sources = [img["src"] for img in Tags(frozen).all("img")]
    assert sources and all(src.startswith(prefix) for src in sources)
    srcset_urls = re.findall(r'srcset="([^"]+)"', frozen)
    assert all(part.strip().startswith(prefix) for s in srcset_urls for part in s.split(","))
    assert freeze_images(frozen) == frozen  # idempotent
    assert freeze_images(rendered.html) == frozen  # same content, same names

    # Editing an image drops its renditions: the sent mail must still show the old picture.
    originals = {
        img["src"]: default_storage.open(
            img["src"].removeprefix(settings.SITE_URL + settings.MEDIA_URL)
        ).read()
        for img in Tags(rendered.html).all("img")
    }
    from renouveau.models import SiteImage

    for image in SiteImage.objects.all():
        image.renditions.all().delete()
    for src in sources:
        name = src.removeprefix(settings.SITE_URL + settings.MEDIA_URL)
        assert default_storage.exists(name)
    old_bytes = set(originals.values())
    new_bytes = {
        default_storage.open(src.removeprefix(settings.SITE_URL + settings.MEDIA_URL)).read()
        for src in sources
    }
    assert new_bytes == old_bytes


def render_queries(issue, block: str, count: int) -> int:
    """Queries of a second rendering (renditions made by the first) of `issue` with `count` more
    blocks of the kind `block` (an image, the teaser of a page with its image, or a button to a
    page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SiteImageFactory, StandardPageFactory

    home = issue.get_site().root_page

    def value():
        if block == "image":
            return {"image": SiteImageFactory(), "alt_text": "", "caption": "", "credit": ""}
        if block == "call_to_action":
            page = StandardPageFactory(parent=home)
            return {"title": "Agir", "button_label": "Agir", "page": page}
        page = StandardPageFactory(parent=home, teaser_image=SiteImageFactory())
        return {"page": page, "show_image": True}

    issue = add_blocks(
        NewsletterIssuePage.objects.get(pk=issue.pk), *((block, value()) for _ in range(count))
    )
    render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)  # renditions now exist
    issue.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    return len(queries)


def test_rendering_does_not_query_per_image(issue):
    few = render_queries(issue, "image", 2)
    assert render_queries(issue, "image", 10) == few
    assert few <= 14


def test_rendering_does_not_query_per_page_teaser(issue):
    # Whether the public may see each teased page is asked once for the whole issue (it cost
    # two queries per teaser: its ancestors, then their view restrictions).
    assert render_queries(issue, "page_teaser", 10) == render_queries(issue, "page_teaser", 2)


def test_rendering_does_not_query_per_linked_page(issue):
    assert render_queries(issue, "call_to_action", 10) == render_queries(issue, "call_to_action", 2)


def test_teaser_and_webinar_blocks_pull_from_any_page(issue):
    from datetime import datetime, timedelta

    from django.utils import timezone

    from newsletter.email_text import datetime_label
    from renouveau.models import HomePage
    from tests.factories import (
        SiteImageFactory,
        StandardPageFactory,
        WebinarIndexPageFactory,
        WebinarPageFactory,
    )

    programme = StandardPageFactory(
        parent=HomePage.objects.get(),
        title="Le programme",
        slug="le-programme",
        teaser_text="Le programme en quelques mots.",
        teaser_image=SiteImageFactory(description="Une rue de cité rénovée.", credit="Jean Dupont"),
    )
    # An upcoming webinar (a past date is refused by the checks), at 10:00 Paris time: the
    # block takes its title, date, time and link from the webinar's page (issue 23, item 3).
    day = timezone.localdate() + timedelta(days=200)
    when = timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    webinar = WebinarPageFactory(
        parent=WebinarIndexPageFactory(parent=HomePage.objects.get()),
        title="L'accompagnement des habitants pendant les rénovations",
        slug="accompagnement",
        start=when,
        end=when + timedelta(hours=2),
    )
    add_blocks(
        issue,
        ("page_teaser", {"page": programme, "title": "", "text": "", "show_image": True}),
        (
            "webinar",
            {
                "page": webinar,
                "title": "",
                "date": None,
                "text": "Présentation du cahier technique.",
                "registration_label": "S'inscrire",
                "registration_url": "",
            },
        ),
    )
    # Every kind of block is now in the issue: what this test renders and checks covers them all.
    assert {b.block_type for b in issue.body} == set(NewsletterStreamBlock().child_blocks)
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    html, text = as_typed(rendered.html), " ".join(as_typed(rendered.text).split())
    assert "Le programme" in html and programme.teaser_text in html
    assert 'alt="Une rue de cité rénovée."' in html and "© Jean Dupont" in html
    assert f"Lire la suite : {settings.SITE_URL}/le-programme/" in text
    assert "PROCHAIN WEBINAIRE" in text and datetime_label(when) in text
    assert datetime_label(when).endswith("à 10 h 00")
    assert "L'accompagnement des habitants pendant les rénovations" in text
    assert f"S'inscrire : {settings.SITE_URL}/webinaires/accompagnement/" in text
    assert check_issue(issue, rendered) == []


def test_french_spacing_keeps_punctuation_with_its_word(issue):
    from renouveau.typography import french_html, french_spacing

    assert french_spacing("« Oui » : vraiment ?") == "«\u00a0Oui\u00a0»\u00a0: vraiment\u00a0?"
    html = '<p title="a : b">Où ? <a href="https://x.test/a?b=1">ici !</a></p>'
    assert french_html(html) == (
        '<p title="a : b">Où\u00a0? <a href="https://x.test/a?b=1">ici\u00a0!</a></p>'
    )
    article = {
        "title": "Des habitants mobilisés !",
        "text": "<p>Comment créer des opportunités d'insertion ? Comment suivre ?</p>",
    }
    add_blocks(issue, ("article", article))
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    html_text = unescape(rendered.html)
    assert "opportunités d\u2019insertion\u00a0? Comment" in html_text
    assert "Des habitants mobilisés\u00a0!" in html_text
    assert "d\u2019insertion\u00a0?" in rendered.text


def test_on_s3_freezing_gives_permanent_public_urls_and_campaigns_start(s3_media, home_page):
    """Issue 11, item 3: with media on S3, freezing used to crash (an empty S3 key) and mails
    carried presigned URLs that die after five minutes."""
    import urllib.request

    from mailing.delivery import Segment, create_campaign

    issue = issue_with_every_block(home_page)
    rendered = render_issue(issue, unsubscribe_url=UNSUBSCRIBE_URL_PLACEHOLDER)
    frozen = freeze_images(rendered.html)
    sources = [img["src"] for img in Tags(frozen).all("img")]
    public_prefix = f"/{s3_media}/public/{FROZEN_DIR}/"
    assert sources and all(public_prefix in src for src in sources), sources
    for src in sources:
        assert "?" not in src and "Signature" not in src and "Expires" not in src
        with urllib.request.urlopen(src, timeout=10) as response:  # noqa: S310
            assert response.status == 200 and response.read()[:4] in (
                b"\x89PNG",
                b"\xff\xd8\xff\xe0",
                b"\xff\xd8\xff\xe1",
                b"RIFF",
            )

    campaign = create_campaign(issue, Segment())
    assert public_prefix in campaign.html and "X-Amz-" not in campaign.html


def test_the_footer_says_who_publishes_the_letter_and_why_you_receive_it(rendered):
    from renouveau.legal import LegalNoticePage

    notice = LegalNoticePage.objects.live().get()
    first_address_line = notice.publisher_address.splitlines()[0]
    for part in (rendered.html, " ".join(rendered.text.split())):  # the text part is wrapped
        assert f"Éditeur : {notice.publisher_name}" in as_typed(part)
        assert first_address_line in part
        assert notice.get_full_url() in part
        assert "Vous recevez cette lettre parce que vous vous êtes abonné" in part


def test_french_typography_keeps_numbers_percent_and_ordinals_whole():
    from renouveau.typography import french_spacing, french_upper

    assert french_spacing("23 000 logements à 100 %") == "23\u00a0000 logements à 100\u00a0%"
    assert french_spacing("en 2019 puis 2027") == "en 2019 puis 2027"  # not a thousands gap
    assert french_upper("La 4e tranche et le 1er chantier") == "LA 4e TRANCHE ET LE 1er CHANTIER"
