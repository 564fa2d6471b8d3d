"""The pages of bench/search.py's databases: 50 sections of StandardPages built through
Wagtail, one model page, then `size` pages copied from it in SQL with random texts drawn from
the seed documents, and their index entries written with the SQL of Wagtail's indexer (see
bench/search.py). Imported once Django is set up."""

import io
import random
import time
import uuid
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save
from modelsearch import index as search_index
from modelsearch.backends import get_search_backend
from modelsearch.signal_handlers import post_save_signal_handler

from renouveau.demo import ensure_home_page
from renouveau.models import StandardPage

SECTIONS = 50


ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet


def step(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    return digits.rjust(4, "0")


def vocabulary() -> list[str]:
    words = []
    for seed in sorted(Path("/work/shared/seeds").glob("*.txt")):
        words += [w.strip(".,;:«»()!?\"'") for w in seed.read_text(encoding="utf-8").split()]
    words = [w for w in words if len(w) > 2 and w.isalpha()]
    return words or ["cité", "rénovation", "habitants", "jardin", "logements", "bailleur"]


def texts(rng: random.Random, words: list[str], number: int, rare_word: str) -> dict[str, str]:
    body = " ".join(rng.choices(words, k=180))
    if number % 500 == 7:
        body += f" {rare_word}"
    return {
        "title": " ".join(rng.choices(words, k=5)).capitalize(),
        "teaser": " ".join(rng.choices(words, k=25)),
        "intro": " ".join(rng.choices(words, k=40)),
        "body": body,
    }


# The index entry Wagtail's indexer writes for a StandardPage (search/README.md): the title
# with weight B, the autocomplete title unweighted in `simple_unaccent`, the body fields
# (teaser, intro, body) each unweighted (D), in that order.
ENTRY_SQL = """
INSERT INTO wagtailsearch_indexentry
    (content_type_id, object_id, title_norm, title, autocomplete, body, title_text, body_text)
SELECT p.content_type_id, p.id::varchar, 1.0,
       setweight(to_tsvector('french_unaccent', p.title), 'B'),
       to_tsvector('simple_unaccent', p.title),
       setweight(to_tsvector('french_unaccent', s.teaser_text), 'D')
       || setweight(to_tsvector('french_unaccent', s.intro), 'D')
       || setweight(to_tsvector('french_unaccent', b.text), 'D'),
       p.title,
       concat_ws(' ', s.teaser_text, s.intro, b.text)
FROM wagtailcore_page p
JOIN renouveau_standardpage s ON s.page_ptr_id = p.id
JOIN bench_text b ON b.page_id = p.id
WHERE p.id <> %s
"""


def build(size: int, rare_word: str) -> None:
    """`size` pages in the current database, indexed; one in 500 says `rare_word`."""
    rng = random.Random(2026)
    words = vocabulary()
    home = ensure_home_page()
    for model in search_index.get_indexed_models():
        post_save.disconnect(post_save_signal_handler, sender=model)
    started = time.perf_counter()
    sections = []
    for number in range(SECTIONS):
        section = StandardPage(title=f"Rubrique {number}", slug=f"rubrique-{number}")
        home.add_child(instance=section)
        sections.append(section)
    model_texts = texts(rng, words, 0, rare_word)
    model = StandardPage(
        title=model_texts["title"],
        slug="page-0",
        teaser_text=model_texts["teaser"],
        intro=model_texts["intro"],
        body=[("paragraph", f"<p>{model_texts['body']}</p>")],
    )
    sections[0].add_child(instance=model)
    call_command("update_index", stdout=io.StringIO())  # Wagtail's own entries, for the check

    page_columns = [
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), "wagtailcore_page"
        )
        if column.name != "id"
    ]
    replaced = {
        "path": "src.path",
        "url_path": "src.url_path",
        "slug": "src.slug",
        "title": "src.title",
        "draft_title": "src.title",
        "translation_key": "src.translation_key::uuid",
        "numchild": "0",
        "latest_revision_id": "NULL",
        "live_revision_id": "NULL",
    }
    select = ", ".join(replaced.get(name, f"t.{name}") for name in page_columns)
    count = size - SECTIONS - 1
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_src (n int, path text, url_path text, slug text, title text,"
            " translation_key text, teaser text, intro text, body text)"
        )
        with cursor.cursor.copy("COPY bench_src FROM STDIN") as copy:
            for number in range(1, count + 1):
                section = sections[number % SECTIONS]
                child = number // SECTIONS + (2 if number % SECTIONS == 0 else 1)
                page = texts(rng, words, number, rare_word)
                slug = f"page-{number}"
                copy.write_row(
                    (
                        number,
                        section.path + step(child),
                        f"{section.url_path}{slug}/",
                        slug,
                        page["title"],
                        str(uuid.uuid4()),
                        page["teaser"],
                        page["intro"],
                        page["body"],
                    )
                )
        cursor.execute(
            f"INSERT INTO wagtailcore_page ({', '.join(page_columns)}) "  # noqa: S608
            f"SELECT {select} FROM bench_src src, wagtailcore_page t WHERE t.id = %s "
            "ORDER BY src.n",
            [model.pk],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_text AS SELECT p.id AS page_id, src.teaser, src.intro,"
            " src.body AS text FROM bench_src src JOIN wagtailcore_page p ON p.path = src.path"
        )
        cursor.execute(
            "INSERT INTO renouveau_standardpage (page_ptr_id, teaser_text, intro, body) "
            "SELECT page_id, teaser, intro, jsonb_build_array(jsonb_build_object("
            "'type', 'paragraph', 'value', '<p>' || text || '</p>', 'id', gen_random_uuid()))"
            " FROM bench_text"
        )
        cursor.execute(
            "UPDATE wagtailcore_page s SET numchild = (SELECT count(*) FROM wagtailcore_page c"
            " WHERE c.path LIKE s.path || '____' AND c.depth = s.depth + 1) WHERE s.depth = 3"
        )
        # The SQL of ENTRY_SQL, on the model page, must give Wagtail's own entry.
        cursor.execute(
            "SELECT e.title = setweight(to_tsvector('french_unaccent', %s), 'B'),"
            " e.body = setweight(to_tsvector('french_unaccent', %s), 'D')"
            " || setweight(to_tsvector('french_unaccent', %s), 'D')"
            " || setweight(to_tsvector('french_unaccent', %s), 'D')"
            " FROM wagtailsearch_indexentry e WHERE e.object_id = %s",
            [
                model_texts["title"],
                model_texts["teaser"],
                model_texts["intro"],
                model_texts["body"],
                str(model.pk),
            ],
        )
        same_title, same_body = cursor.fetchone()
        print(f"  SQL entry = Wagtail's, model page: title {same_title}, body {same_body}")
        cursor.execute(ENTRY_SQL, [model.pk])
    backend = get_search_backend()
    backend.get_index_for_model(StandardPage)._refresh_title_norms(full=True)
    seconds = time.perf_counter() - started
    print(f"  {StandardPage.objects.count()} pages built and indexed in {seconds:.0f} s")
