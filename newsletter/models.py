"""Newsletter issues as Wagtail pages: the archive (index) and one page per issue."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from renouveau.models import BasePage

from .blocks import NewsletterStreamBlock
from .email_context import page_url
from .feeds import IssuesFeed
from .panels import IssueChecksPanel
from .preview import email_page, email_preview
from .teasers import show_teased_pages

FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

ISSUES_PER_PAGE = 24


def paris_today() -> date:
    """Today in France, whatever the server's clock zone (the default « date de parution »)."""
    return datetime.now(ZoneInfo("Europe/Paris")).date()


class NewsletterIndexPage(RoutablePageMixin, BasePage):
    """The archive of the letter: every issue by number and date, and an RSS feed."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = "archive de la lettre"
        verbose_name_plural = "archives de la lettre"

    def issues(self):
        return (
            NewsletterIssuePage.objects.child_of(self)
            .live()
            .public()
            .select_related("teaser_image")
            .order_by("-number")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.issues(), ISSUES_PER_PAGE)
        # A bad or out-of-range page number shows the first or last page, never an error.
        try:
            issues = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            issues = paginator.page(1)
        except EmptyPage:
            issues = paginator.page(paginator.num_pages)
        context["issues"] = issues
        # Apps built on top of this one (the subscription form of `mailing`) add sections to the
        # archive through a hook, as `home_page_sections` does for the home page: a callable
        # `(index_page, request) -> {"template": …, "order": …, …} | None`.
        sections = [hook(self, request) for hook in hooks.get_hooks("newsletter_archive_sections")]
        context["archive_sections"] = sorted(
            (section for section in sections if section), key=lambda s: s.get("order", 100)
        )
        return context

    @path("")
    def archive(self, request):
        return self.render(request)

    @path("rss/", name="feed")
    def feed(self, request):
        return IssuesFeed(self)(request)


class NewsletterIssuePage(RoutablePageMixin, BasePage):
    """One issue of the letter: its web page, its e-mail version and its preview modes."""

    number = models.PositiveIntegerField(
        "numéro", unique=True, help_text="Le numéro de la lettre, par exemple 2."
    )
    issue_date = models.DateField("date de parution", default=paris_today)
    preheader = models.CharField(
        "texte d'aperçu",
        max_length=150,
        blank=True,
        help_text="Affiché par les messageries après l'objet (90 caractères au plus conseillés).",
    )
    body = StreamField(NewsletterStreamBlock(), verbose_name="contenu", blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("number"), FieldPanel("issue_date")]),
                FieldPanel("preheader"),
            ],
            heading="Lettre",
        ),
        FieldPanel("body"),
        IssueChecksPanel(heading="Vérifications avant envoi"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("preheader"),
        index.SearchField("body"),
        index.FilterField("number"),
    ]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "lettre"
        verbose_name_plural = "lettres"
        permissions = [("send_test_issue", "Peut envoyer un test aux adresses de son choix")]

    def __str__(self) -> str:
        return self.title

    @property
    def month_label(self) -> str:
        """'Juillet 2019'."""
        return f"{FRENCH_MONTHS[self.issue_date.month - 1].capitalize()} {self.issue_date.year}"

    @property
    def masthead_label(self) -> str:
        """'JUILLET 2019. N°2', as printed on the letter."""
        return f"{self.month_label.upper()}. N°{self.number}"

    def get_teaser_text(self) -> str:
        return super().get_teaser_text() or self.preheader

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        show_teased_pages(self.body)  # not two or three queries per page put forward
        return context

    # --- routes --------------------------------------------------------------------------------

    @path("")
    def web(self, request):
        return self.render(request)

    @path("email/", name="email")
    def email_version(self, request):
        """The e-mail as subscribers get it, with the generic unsubscribe page as its link."""
        return email_page(self)

    def get_archive_url(self) -> str:
        """The absolute address of this issue's web page (for e-mails and feeds)."""
        return page_url(self)

    def get_email_url(self) -> str:
        """The absolute address of the e-mail version of this issue."""
        archive = self.get_archive_url()
        return archive + "email/" if archive else ""

    # --- preview -------------------------------------------------------------------------------

    @property
    def preview_modes(self):
        return [("", "Web"), ("email", "E-mail")]

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            return email_preview(request, self)
        return super().serve_preview(request, mode_name)
