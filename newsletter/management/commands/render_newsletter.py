from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.checks import check_issue
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import generic_unsubscribe_url, render_issue


class Command(BaseCommand):
    help = "Render a newsletter issue to DIR/lettre-N.html and DIR/lettre-N.txt, and check it."

    def add_arguments(self, parser):
        parser.add_argument("--number", type=int, required=True, help="issue number, e.g. 2")
        parser.add_argument("--out", type=Path, required=True, help="output directory")
        parser.add_argument(
            "--draft", action="store_true", help="render the latest draft, not the live version"
        )

    def handle(self, *args, number: int, out: Path, draft: bool, **options):
        page = NewsletterIssuePage.objects.filter(number=number).first()
        if page is None:
            raise CommandError(f"Aucune lettre n°{number}.")
        issue = page.get_latest_revision_as_object() if draft else page
        rendered = render_issue(issue, unsubscribe_url=generic_unsubscribe_url())
        out.mkdir(parents=True, exist_ok=True)
        html_path, text_path = out / f"lettre-{number}.html", out / f"lettre-{number}.txt"
        html_path.write_text(rendered.html, encoding="utf-8")
        text_path.write_text(rendered.text, encoding="utf-8")
        self.stdout.write(f"{html_path} ({len(rendered.html.encode()) / 1024:.1f} Ko)")
        self.stdout.write(f"{text_path}")
        for problem in check_issue(issue, rendered):
            self.stderr.write(f"Attention : {problem}")
