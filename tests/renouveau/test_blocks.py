"""Link blocks: an editor must choose a page or type an address, and is told so in French."""

import pytest
from wagtail.blocks import StructBlockValidationError

from renouveau.blocks import CallToActionBlock, LinkBlock, SocialLinkBlock

CASES = [
    (LinkBlock(), {"label": "Le programme"}),
    (CallToActionBlock(), {"title": "Abonnez-vous", "button_label": "S'abonner"}),
]


@pytest.mark.parametrize(("block", "fields"), CASES)
def test_a_link_without_page_or_address_is_refused_in_french(block, fields):
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(fields))
    assert "Choisissez une page ou saisissez une adresse web." in str(
        error.value.block_errors["page"]
    )


@pytest.mark.parametrize(("block", "fields"), CASES)
def test_an_address_is_enough(block, fields):
    value = block.clean(block.to_python({**fields, "url": "https://www.example.fr/"}))
    assert value["url"] == "https://www.example.fr/"


def test_a_social_link_names_its_network_as_people_write_it():
    block = SocialLinkBlock()
    value = block.to_python({"network": "linkedin", "url": "https://www.linkedin.com/"})
    assert value.network_name() == "LinkedIn"
    assert block.to_python({"network": "x", "url": "https://x.com/"}).network_name() == (
        "X (Twitter)"
    )


@pytest.mark.django_db
def test_the_footer_names_the_social_networks_as_people_write_them(client, home_page):
    from wagtail.models import Site

    from renouveau.models import SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.social_links = [("link", {"network": "linkedin", "url": "https://www.linkedin.com/"})]
    settings.save()
    assert ">LinkedIn</a>" in client.get("/").content.decode()
