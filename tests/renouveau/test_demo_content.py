import pytest
from django.core.management import call_command
from wagtail.models import Page


@pytest.mark.django_db
def test_demo_content_loads_twice_without_duplicates_and_every_page_renders(client):
    call_command("load_demo_content")
    first = Page.objects.count()
    call_command("load_demo_content")
    assert Page.objects.count() == first

    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert len(pages) >= 5
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert b'<html lang="fr">' in response.content
