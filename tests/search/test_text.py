from search.text import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    clean_query,
    excerpt,
    fold,
    highlight,
    search_stem,
)


def test_fold_keeps_positions_and_removes_accents():
    assert fold("Rénovation des Cités") == "renovation des cites"
    assert len(fold("Œuvre ǅ ﬁ")) == len("Œuvre ǅ ﬁ")


def test_search_stem_drops_accents_and_plural_marks():
    assert search_stem("Cités") == "cite"
    assert search_stem("rénovations") == "renovation"
    assert search_stem("travaux") == "travau"
    assert search_stem("bas") == "bas"  # too short to be a plural worth stripping


def test_clean_query_keeps_meaningful_words_without_accents():
    query = clean_query("  La rénovation   des cités de Sallaumines ")
    assert query.text == "La rénovation des cités de Sallaumines"
    assert query.terms == ["renovation", "cites", "sallaumines"]
    assert query.messages == []


def test_clean_query_explains_what_it_cannot_search():
    assert clean_query("").messages == ["Saisissez un ou plusieurs mots pour lancer la recherche."]
    assert not clean_query(None).searchable
    assert "au moins 2 caractères" in clean_query("a").messages[0]
    emoji = clean_query("🏠🏠")
    assert not emoji.searchable and "aucun mot exploitable" in emoji.messages[0]


def test_clean_query_strips_invisible_and_control_characters():
    query = clean_query("ré\x00no\u200fva\u202etion\u0000")
    assert query.text == "rénovation"
    assert query.terms == ["renovation"]
    zalgo = clean_query("cite\u0301\u0302\u0303 mi\u0308ne")
    assert zalgo.terms == ["cite", "mine"]


def test_clean_query_shortens_long_queries():
    long = clean_query("cité " * 400)
    assert len(long.text) <= MAX_QUERY_CHARS
    assert long.terms == ["cite"]
    assert "200 premiers caractères" in long.messages[0]
    many = clean_query(" ".join(f"mot{i}" for i in range(30)))
    assert len(many.terms) == MAX_TERMS
    assert any("10 premiers mots" in message for message in many.messages)


def test_html_and_sql_payloads_become_plain_words():
    query = clean_query("<script>alert('x')</script>' OR 1=1; DROP TABLE wagtailcore_page;--")
    assert query.terms == ["script", "alert", "or", "1", "drop", "table", "wagtailcore", "page"]


def test_highlight_escapes_then_marks_matched_words():
    html = highlight("<b>Rénovations</b> & cités", ["renovation", "cite"])
    assert html == "&lt;b&gt;<mark>Rénovations</mark>&lt;/b&gt; &amp; <mark>cités</mark>"
    # A term that looks like markup never produces markup.
    assert highlight("a <mark> b", ["mark"]) == "a &lt;<mark>mark</mark>&gt; b"


def test_excerpt_centres_on_the_first_match():
    text = "Introduction. " * 40 + "Le jardin citoyen de Sallaumines. " + "Suite. " * 40
    html = excerpt(text, ["sallaumine"], width=120)
    assert "<mark>Sallaumines</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 200
    assert excerpt("Court texte", ["absent"]) == "Court texte"
