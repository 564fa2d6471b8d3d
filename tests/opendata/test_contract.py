"""Contract tests: every API answer (successes and errors) is validated against the OpenAPI
schema the API serves (openapi-core), and the DCAT-AP catalogue, read as RDF from its JSON-LD,
against SHACL shapes of DCAT-AP's required classes and properties (pyshacl)."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate as validate_spec
from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Namespace, URIRef

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*"),
]

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
SHAPES = Path(__file__).with_name("dcat_ap_shapes.ttl")
ETALAB = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
ANSWERS = [
    ("/api/v1/cites", 200),
    ("/api/v1/cites?page=1", 200),
    ("/api/v1/cites?page=9", 404),
    ("/api/v1/cites?page=abc", 400),
    ("/api/v1/cites?page=0", 400),
    ("/api/v1/cites/cite-des-acacias", 200),
    ("/api/v1/cites/cite-inconnue", 404),
    ("/api/v1/operations", 200),
    ("/api/v1/operations/cite-des-acacias", 200),
    ("/api/v1/operations/cite-des-dahlias", 404),  # a cité without a tracker
    ("/api/v1/chiffres", 200),
    ("/api/v1/actualites", 200),
    ("/api/v1/webinaires", 200),
]


@pytest.fixture
def openapi(client, tracked):
    spec = client.get("/api/v1/openapi.json").json()
    validate_spec(spec)
    return OpenAPI.from_dict(spec)


def test_every_api_answer_matches_the_openapi_schema(client, openapi):
    for url, status in ANSWERS:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json"), url
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
        if status >= 400:
            assert response.json()["detail"], url  # a French message, never an empty error


def test_the_rate_limit_answer_matches_the_schema_too(client, openapi, settings):
    settings.OPENDATA_API_RATE_PER_IP = "2/m"
    for _ in range(2):
        assert client.get("/api/v1/chiffres").status_code == 200
    response = client.get("/api/v1/chiffres")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )
    assert "Trop de requêtes" in response.json()["detail"]


def test_the_catalogue_is_dcat_ap_with_the_etalab_licence_on_each_dataset(client, tracked):
    response = client.get("/api/catalogue.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    conforms, _, report = shacl_validate(graph, shacl_graph=str(SHAPES), inference="none")
    assert conforms, report

    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(catalogues) == 1
    assert {str(graph.value(d, DCT.identifier)) for d in datasets} == {
        "cites", "avancement-travaux", "actualites", "webinaires"
    }  # fmt: skip
    for dataset in datasets:
        assert (dataset, DCT.license, ETALAB) in graph
    media = {
        str(graph.value(d, DCAT.mediaType)).rsplit("/media-types/", 1)[1]
        for d in graph.subjects(RDF.type, DCAT.Distribution)
    }
    assert media == {"application/json", "text/csv", "application/geo+json"}
    access = {str(u) for u in graph.objects(None, DCAT.accessURL)}
    for url in access:  # every distribution can be fetched
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert client.get(path).status_code == 200, path
    service = graph.value(None, RDF.type, DCAT.DataService)
    assert str(graph.value(service, DCAT.endpointDescription)).endswith("/api/v1/openapi.json")


def test_a_catalogue_missing_a_licence_fails_the_shapes(client, tracked):
    """The shapes can fail: the same catalogue without the licence of one distribution."""
    data = client.get("/api/catalogue.jsonld").json()
    del data["dcat:dataset"][0]["dcat:distribution"][0]["dct:license"]
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    conforms, _, _ = shacl_validate(graph, shacl_graph=str(SHAPES), inference="none")
    assert not conforms
