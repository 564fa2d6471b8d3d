"""French typography shared by the web pages and the e-mail (issue 14, item 8): what it changes in
text, and what it must leave alone (tags, attributes, addresses, code)."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from renouveau.typography import french_html, french_spacing, french_text, french_upper

NBSP, HYPHEN, APOSTROPHE = "\u00a0", "\u2011", "\u2019"


def test_spaces_numbers_and_percent_stay_with_their_word():
    assert french_spacing("« Oui » : vraiment ?") == f"«{NBSP}Oui{NBSP}»{NBSP}: vraiment{NBSP}?"
    assert french_text("23 000 logements à 100 %") == f"23{NBSP}000 logements à 100{NBSP}%"
    assert french_text("à 100%") == f"à 100{NBSP}%"
    assert french_text("en 2019 puis 2027") == "en 2019 puis 2027"  # not a thousands gap


def test_straight_apostrophes_become_typographic_ones():
    assert (
        french_text("L'école d'aujourd'hui")
        == f"L{APOSTROPHE}école d{APOSTROPHE}aujourd{APOSTROPHE}hui"
    )
    assert french_text("QU'IL") == f"QU{APOSTROPHE}IL"
    # Escaped by Django's autoescape, the same apostrophe is recognised.
    assert french_html("l&#x27;école et l&#39;été") == f"l{APOSTROPHE}école et l{APOSTROPHE}été"
    # A quote opening a word is not an apostrophe.
    assert french_text("'cité'") == f"'cité{APOSTROPHE}"


def test_e_mail_never_breaks_at_its_hyphen():
    assert french_text("Un e-mail, des e-mails, E-mail, E-MAIL") == (
        f"Un e{HYPHEN}mail, des e{HYPHEN}mails, E{HYPHEN}mail, E{HYPHEN}MAIL"
    )
    assert french_text("re-mailer et e-mailing") == "re-mailer et e-mailing"


def test_addresses_in_text_are_left_as_typed():
    text = (
        "Écrivez à l'e-mail contact@e-mail.fr ou voir https://x.test/l'a?b=5%20c ; "
        "www.e-mail.fr ! ou e-mail.fr/l'avis."
    )
    assert french_text(text) == (
        f"Écrivez à l{APOSTROPHE}e{HYPHEN}mail contact@e-mail.fr ou voir "
        f"https://x.test/l'a?b=5%20c{NBSP}; www.e-mail.fr{NBSP}! ou e-mail.fr/l'avis."
    )


def test_in_html_only_text_changes_never_tags_attributes_or_code():
    html = (
        "<p title=\"l'e-mail : 100 %\" data-x='a ?'>Où ? <a href=\"https://x.test/a?b=1\">l'e-mail"
        "</a> <code>x = 'a' ; 5 %</code> <pre>l'e-mail ?</pre> d'E-MAIL</p><!-- l'avis ? -->"
    )
    assert french_html(html) == (
        f'<p title="l\'e-mail : 100 %" data-x=\'a ?\'>Où{NBSP}? <a href="https://x.test/a?b=1">'
        f"l{APOSTROPHE}e{HYPHEN}mail</a> <code>x = 'a' ; 5 %</code> <pre>l'e-mail ?</pre> "
        f"d{APOSTROPHE}E{HYPHEN}MAIL</p><!-- l'avis ? -->"
    )


def test_capitals_keep_french_ordinals():
    assert french_upper("La 4e tranche et le 1er chantier") == "LA 4e TRANCHE ET LE 1er CHANTIER"


def render(source: str, **context) -> str:
    return Template("{% load typo %}" + source).render(Context(context))


def test_the_template_filter_escapes_text_before_typesetting_it():
    out = render("{{ value|typo }}", value="<script>alert('x')</script> l'e-mail : oui")
    assert "<script>" not in out
    assert out == (
        f"&lt;script&gt;alert(&#x27;x{APOSTROPHE})&lt;/script&gt; "
        f"l{APOSTROPHE}e{HYPHEN}mail{NBSP}: oui"
    )


def test_the_template_filter_keeps_safe_html_and_typesets_its_text():
    value = mark_safe("<p>L'<a href=\"https://x.test/l'e-mail\">e-mail</a> à 100 %</p>")
    assert render("{{ value|typo }}", value=value) == (
        f'<p>L{APOSTROPHE}<a href="https://x.test/l\'e-mail">e{HYPHEN}mail</a> à 100{NBSP}%</p>'
    )
    assert render("{{ value|typo }}", value="") == ""


@pytest.mark.django_db
def test_a_page_s_title_intro_and_text_are_typeset_on_the_web(client, home_page):
    from renouveau.models import StandardPage

    page = StandardPage(
        title="L'e-mail des habitants",
        slug="typographie",
        intro="23 000 logements rénovés à 100 % : c'est l'objectif.",
        body=[
            ("paragraph", "<p>Qu'en pensez-vous ? <a href=\"https://x.test/l'avis\">l'avis</a></p>")
        ],
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert f"<h1>L{APOSTROPHE}e{HYPHEN}mail des habitants</h1>" in html
    assert f"23{NBSP}000 logements rénovés à 100{NBSP}%{NBSP}: c{APOSTROPHE}est" in html
    assert f"Qu{APOSTROPHE}en pensez-vous{NBSP}?" in html
    assert 'href="https://x.test/l\'avis"' in html or 'href="https://x.test/l&#x27;avis"' in html
    # The <title> (read first by screen readers, shown in the tab) is typeset like the heading.
    assert f"<title>L{APOSTROPHE}e{HYPHEN}mail des habitants —" in html
