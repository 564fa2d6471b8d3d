"""Link blocks: an editor must choose a page or type an address, and is told so in French."""

import pytest
from wagtail.blocks import StructBlockValidationError

from renouveau.blocks import CallToActionBlock, LinkBlock

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
