"""The letter asks whether the public may see the pages it links to once for the whole issue
(`visibility_by_id`): the answer must be `is_public_page`'s, page by page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from newsletter.email_context import visibility_by_id
from renouveau.visibility import is_public_page
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_visibility_of_many_pages_is_that_of_each(home_page):
    public = StandardPageFactory(parent=home_page, slug="publique")
    draft = StandardPageFactory(parent=home_page, slug="brouillon")
    draft.unpublish()
    private = StandardPageFactory(parent=home_page, slug="privee")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    inside_private = StandardPageFactory(parent=private, slug="dedans")
    past = StandardPageFactory(
        parent=home_page, slug="passee", expire_at=timezone.now() - timedelta(minutes=5)
    )
    future = StandardPageFactory(
        parent=home_page, slug="a-venir", expire_at=timezone.now() + timedelta(days=5)
    )
    flagged = StandardPageFactory(parent=home_page, slug="marquee")
    Page.objects.filter(pk=flagged.pk).update(expired=True)  # left live by hand
    alias = public.create_alias(update_slug="copie")
    pages = list(
        Page.objects.filter(
            pk__in=[p.pk for p in (public, draft, private, inside_private, past, future, flagged)]
        )
    )

    expected = {page.pk: is_public_page(page) for page in pages}
    assert expected == {
        public.pk: True,
        draft.pk: False,
        private.pk: False,
        inside_private.pk: False,
        past.pk: False,
        future.pk: True,
        flagged.pk: False,
    }
    assert visibility_by_id([*pages, Page.objects.get(pk=alias.pk)]) == expected
    assert visibility_by_id([]) == {}
