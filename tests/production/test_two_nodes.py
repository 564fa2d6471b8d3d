"""Two web nodes behind nginx's round robin (issue 27): whichever node answers, a visitor sees
the same site, an editor stays logged in, a publish shows at once and a rate limit counts once.

Each node is the Procfile's `web` (2 gunicorn workers) and `worker`; they share only the
database, Redis and S3, as two servers would. nginx's X-Upstream header names the node."""

import secrets

from tests.production.visitors import request, scripted_post

EDITOR = """
import json
from django.contrib.auth import get_user_model
user, _ = get_user_model().objects.get_or_create(username={username!r})
user.set_password({password!r})
user.is_superuser = user.is_staff = True
user.save()
print(json.dumps(True))
"""

NEWS = """
import json
from cites_pages.models import NewsPage
page = NewsPage.objects.live().order_by("pk").first()
print(json.dumps({"id": page.pk, "path": page.get_url_parts()[2]}))
"""

PUBLISH = """
import json
from cites_pages.models import NewsPage
page = NewsPage.objects.get(pk={id}).get_latest_revision_as_object()
page.title = {title!r}
page.save_revision().publish()
print(json.dumps(True))
"""


def nodes_of(responses) -> set[str]:
    return {response.header("X-Upstream") for response in responses}


def test_both_nodes_answer_in_turn(production):
    responses = [request(production.site_url + "/") for _ in range(6)]
    assert {response.status for response in responses} == {200}
    assert nodes_of(responses) == {f"127.0.0.1:{port}" for port in production.web_ports}


def test_an_editor_logged_in_on_one_node_stays_logged_in_on_the_other(production):
    username, password = f"redac-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    production.shell(EDITOR.format(username=username, password=password))
    login = scripted_post(
        production.site_url + "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        source="127.0.0.21",
    )
    assert login.status == 302, login.text[:2000]
    session = login.cookies()["sessionid"]
    pages = [
        request(production.site_url + "/admin/", headers={"Cookie": f"sessionid={session}"})
        for _ in range(4)
    ]
    assert [page.status for page in pages] == [200] * 4, [p.header("Location") for p in pages]
    assert len(nodes_of(pages)) == 2


def test_a_publish_on_one_node_shows_on_both_at_once(production):
    news = production.shell(NEWS)
    url = production.site_url + news["path"]
    warm = [request(url) for _ in range(4)]  # cached by both nodes' workers
    assert len(nodes_of(warm)) == 2 and {r.status for r in warm} == {200}

    title = f"Réunion publique {secrets.token_hex(3)}"
    production.shell(PUBLISH.format(id=news["id"], title=title))
    after = [request(url) for _ in range(4)]
    assert len(nodes_of(after)) == 2
    assert all(title in response.text for response in after), [
        (r.header("X-Upstream"), r.header("X-Page-Cache")) for r in after
    ]


def test_a_rate_limit_counts_the_requests_of_both_nodes(production):
    """Ten subscriptions an hour per visitor: alternating nodes buys no more (Redis counts)."""
    responses = [
        scripted_post(
            production.site_url + "/lettre/abonnement/",
            {"email": f"n{n}.{secrets.token_hex(3)}@example.org", "consent": "on"},
            source="127.0.0.22",
        )
        for n in range(11)
    ]
    assert [r.status for r in responses] == [302] * 10 + [429], [r.status for r in responses]
    assert len(nodes_of(responses)) == 2
