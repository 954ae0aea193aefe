"""Static files under content-hashed URLs cached a year; pages, styles and scripts sent gzipped."""

from __future__ import annotations

import gzip
import re

TOPICS = "/bookme/meeting-topics?isCustomer=true"


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_urls_carry_the_content_hash_and_are_cached_a_year(client, world):
    html = client.get("/book").get_data(as_text=True)
    urls = _asset_urls(html)
    assert any("css/app.css?v=" in u for u in urls) and any("favicon.svg?v=" in u for u in urls)
    css = next(u for u in urls if "app.css" in u)
    response = client.get(css)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_static_file_asked_for_without_or_with_an_old_hash_is_revalidated(client, world):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")


def test_pages_styles_and_scripts_are_gzipped_for_browsers_that_accept_it(client, world):
    html = client.get("/book").get_data(as_text=True)
    for url in [
        "/book",
        *(
            u
            for u in _asset_urls(html)
            if u.endswith((".css", ".js")) or ".js?" in u or ".css?" in u
        ),
    ]:
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert packed.headers.get("Content-Encoding") == "gzip", url
        assert "Accept-Encoding" in packed.headers.get("Vary", ""), url
        assert "Content-Encoding" not in plain.headers, url
        assert len(packed.data) < len(plain.data), url
        if url != "/book":  # a page differs per request (its CSRF token)
            assert gzip.decompress(packed.data) == plain.data, url


def test_the_api_s_json_is_not_compressed(client, world):
    """JSON is left to the API, which gzips only answers of 32 KB and more: the topic list goes
    out as it is, although it is over the 512 bytes from which pages are gzipped."""
    from app import clock
    from app.static_files import MIN_SIZE
    from tests import factories

    token = factories.token("test-client", ("bookme.read",), now=clock.now())
    headers = {"Authorization": f"Bearer {token}"}
    plain = client.get(TOPICS, headers=headers)
    packed = client.get(TOPICS, headers={**headers, "Accept-Encoding": "gzip"})
    assert packed.status_code == 200 and packed.mimetype == "application/json"
    assert len(plain.data) > MIN_SIZE
    assert "Content-Encoding" not in packed.headers
    assert packed.data == plain.data and packed.get_json()


def test_a_path_outside_the_static_folder_gets_no_hash(app):
    from app.static_files import content_hash

    assert content_hash(app, "../app/__init__.py") is None
    assert content_hash(app, "css/app.css") is not None
