"""Documents benchmark: queries and render time of the library page with 5 and 500 documents,
the cost of recognising the document asked for in an e-mail, and of checking a download link.
Not a test: it prints figures.

    .venv/bin/python bench/documents_library.py

Uses a throw-away SQLite database (or DATABASE_URL if set) and the test settings.
"""

import time

from django_bench import setup

TMP = setup("documents")

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def add_documents(count: int, start: int, theme, pages) -> None:
    from documents.models import Availability, DocumentKind, LibraryDocument

    kinds = [value for value, _ in DocumentKind.choices]
    for i in range(start, start + count):
        document = LibraryDocument(
            title=f"Compte rendu n° {i} du comité de suivi",
            kind=kinds[i % len(kinds)],
            availability=Availability.ON_REQUEST if i % 3 == 0 else Availability.PUBLIC,
            keywords=f"compte rendu {i}, comité {i}",
            theme=theme,
        )
        document.file.save(f"cr-{i}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        document.file_size = 15
        document.save()
        document.related_pages.add(*pages)


def measure(client: Client, url: str, rounds: int = 20) -> tuple[int, float]:
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    count = len(queries)  # now: the next request resets the connection's query log
    start = time.perf_counter()
    for _ in range(rounds):
        client.get(url)
    return count, (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    from cites_pages.models import Theme
    from documents.inbound import match_document
    from documents.links import check_token, make_token
    from documents.models import DocumentLibraryPage, DocumentRequest, LibraryDocument
    from renouveau.demo import child_page, ensure_home_page

    home = ensure_home_page()
    library = child_page(home, DocumentLibraryPage, slug="ressources", title="Ressources")
    theme, _ = Theme.objects.get_or_create(slug="bench", defaults={"name": "Thème de test"})
    client = Client()

    print("Library page /ressources/ (20 per page)")
    print(f"{'documents':>10} {'queries':>8} {'ms/page':>8} {'filtered ms':>12}")
    total = 0
    for target in (5, 500):
        add_documents(target - total, total, theme, [library])
        total = target
        queries, ms = measure(client, "/ressources/")
        _, filtered = measure(client, "/ressources/?type=compte-rendu&theme=bench")
        print(f"{total:>10} {queries:>8} {ms:>8.1f} {filtered:>12.1f}")

    documents = list(LibraryDocument.objects.all())
    text = "Bonjour, pourriez-vous m'envoyer le compte rendu 417 du comité ? " * 20
    start = time.perf_counter()
    for _ in range(20):
        found = match_document(text, documents)
    ms = (time.perf_counter() - start) / 20 * 1000
    print(f"\nRecognising the document in a 1.3 kB mail among {len(documents)}: {ms:.2f} ms")
    print(f"  found: {found.title if found else None}")

    request = DocumentRequest.objects.create(
        document=documents[0], email="a@example.org", source="form", status="sent"
    )
    token = make_token(request)
    start = time.perf_counter()
    for _ in range(200):
        check_token(token)
    print(f"Checking a download link: {(time.perf_counter() - start) / 200 * 1000:.2f} ms")


if __name__ == "__main__":
    main()
