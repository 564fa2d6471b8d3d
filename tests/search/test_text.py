import random

from search import text as text_module
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


def whole_text_excerpt(text: str, stems: list[str], width: int = 240) -> str:
    """What `excerpt` shows, from the whole text cleaned (as before the cut, issue 32)."""
    text = text_module.clean_text(text)
    match = text_module._stems_pattern(stems).search(fold(text)) if stems else None
    start = 0
    if match and match.start() > width // 3:
        start = text.rfind(" ", 0, match.start() - width // 3) + 1
    return text_module._snippet(text, start, width, stems)


def test_excerpt_of_a_long_text_is_that_of_the_whole_text_cleaned(monkeypatch):
    """`excerpt` cleans only the beginning of a long text: the same excerpt as when the whole
    text is cleaned, wherever the match is, with the repeated sentences, stray commas, split
    words and punctuation that `clean_text` tidies up, also right at the cuts."""
    rng = random.Random(32)
    words = ["cité", "jardin", "habitants", "chantier", "rénovation", "Lens", "-Liévin", "(Bruno)"]
    ends = [".", " .", " !", "…", " ?", ". ,", ". , ,", ".)", " 3.5", ""]
    texts = []
    for _ in range(80):
        sentences: list[str] = []
        for _ in range(rng.randint(3, 300)):
            if sentences and rng.random() < 0.3:  # a sentence said again
                sentences.append(rng.choice(sentences))
                continue
            chosen = rng.choices(words, k=rng.randint(2, 12))
            if rng.random() < 0.02:
                chosen.insert(1, rng.choice(["Sallaumines", "terril"]))
            sentences.append(" ".join(chosen) + rng.choice(ends))
        texts.append(rng.choice(["", ", , "]) + " ".join(sentences))
    cases = [(text, stems) for text in texts for stems in (["sallaumine"], ["terril"], [])]
    cut_short = 0
    clean_text = text_module.clean_text

    def counted_clean_text(text: str) -> str:
        nonlocal cut_short
        cut_short += len(text) < max(map(len, texts)) // 2
        return clean_text(text)

    monkeypatch.setattr(text_module, "clean_text", counted_clean_text)
    windowed = [excerpt(text, stems) for text, stems in cases]
    assert cut_short > 50  # the cut was used
    monkeypatch.setattr(text_module, "clean_text", clean_text)
    assert windowed == [whole_text_excerpt(text, stems) for text, stems in cases]
    assert sum("<mark>Sallaumines</mark>" in html for html in windowed) > 10


def test_excerpt_cuts_a_long_text_after_a_sentence():
    """Sentences said twice after the match (dropped by cleaning), the last one across the cut:
    cut inside it, the cleaned beginning would keep its first words in the excerpt."""
    said_twice, short = "Le jardin partagé de la cité des Provinces.", "Phrase 0 du quartier."
    text = f"{said_twice} {short}" + "".join(f" Phrase {n} du quartier." for n in range(1, 12))
    match = len(text) + 1
    text += " Sallaumines a son jardin. Les habitants y cultivent des légumes toute l'année"
    text += " et le partagent avec leurs voisins de la cité le samedi matin."
    cut = match + 2 * 240  # where `excerpt` cuts, after the sentence going across
    while len(text) + 1 + len(short) + 20 <= cut:
        text += f" {short}"  # said twice: dropped
    across = len(text) + 1
    text += f" {said_twice} La suite du texte continue ici avec d'autres mots." * 4
    assert 20 <= cut - across < len(said_twice)
    html = excerpt(text, ["sallaumine"])
    assert html == whole_text_excerpt(text, ["sallaumine"])
    assert "<mark>Sallaumines</mark> a son jardin." in html
