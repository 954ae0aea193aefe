"""Danish and English, and the headers and markup that keep the pages safe."""

from __future__ import annotations

import re

from tests.web.helpers import open_times, slot_labels


def test_the_browser_language_picks_danish_with_danish_dates_and_times(client, world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da-DK,da;q=0.9,en;q=0.5"
    html = open_times(client, world)
    assert '<html lang="da">' in html
    assert "Vælg et tidspunkt" in html
    assert slot_labels(html)[0] == "mandag 2. marts, 09.00"
    assert "Centraleuropæisk" in html and "(København)" in html


def test_english_is_the_default_for_other_browsers(client, world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-FR"
    html = client.get("/book").get_data(as_text=True)
    assert '<html lang="en">' in html and "Book a meeting with an advisor" in html


def test_the_switch_changes_the_language_and_returns_to_the_same_page(client, world):
    response = client.get("/language/da", query_string={"next": "/book?x=1"})
    assert response.status_code == 302 and response.location == "/book?x=1"
    assert "Book et møde med en rådgiver" in client.get("/book").get_data(as_text=True)


def test_the_switch_never_redirects_to_another_site(client, world):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.location == "/"


def test_pages_carry_a_strict_content_security_policy_and_no_inline_script(client, world):
    for url in ("/book", "/book/times?" + "&".join(f"{k}={v}" for k, v in _args(world).items())):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script found"
        assert " style=" not in html and "hx-on" not in html
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_htmx_is_configured_for_the_policy_and_sends_the_csrf_token(client, world):
    html = client.get("/book").get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "/static/vendor/htmx-2.0.8.min.js" in html


def test_no_page_asks_another_host_for_anything(client, world):
    html = open_times(client, world)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "data:")), url


def test_the_session_cookie_is_http_only_and_same_site(app, client, world):
    app.config["SESSION_COOKIE_SECURE"] = True
    open_times(client, world)
    response = client.get("/language/da")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def _args(world):  # type: ignore[no-untyped-def]
    from tests.web.helpers import choices_for

    return choices_for(world)


def test_form_labels_and_errors_are_danish_for_danish_visitors(client, world):
    from tests.web.helpers import fill_details, hold

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    hold(client, world, open_times(client, world))
    html = fill_details(client, name="", consent=None).get_data(as_text=True)
    assert "Fulde navn" in html and "Skriv dit navn." in html
    assert "Sæt flueben" in html and "Reserveret til dig indtil kl. 08.05" in html


def test_after_booking_the_back_button_shows_the_confirmation_again(client, world):
    from tests.web.helpers import book

    booked = book(client, world)
    assert client.get("/book/confirm").location == booked.location


def test_every_htmx_request_has_a_plain_link_or_form_behind_it(client, world):
    from tests.web.helpers import hold

    html = open_times(client, world)
    hold(client, world, html)
    pages = [client.get("/book").get_data(as_text=True), open_times(client, world)]
    for page in pages:
        for tag in re.findall(r"<(a|form|section|div)\b([^>]*\bhx-(?:get|post)=[^>]*)>", page):
            name, attrs = tag
            if name == "a":
                assert 'href="' in attrs, attrs
            elif name == "form":
                assert 'action="' in attrs, attrs
            else:  # the self-refreshing grid: a plain reload shows the same
                assert 'hx-trigger="every' in attrs, attrs


def test_the_grid_alone_is_returned_for_htmx_navigation(client, world):
    from tests.web.helpers import choices_for

    response = client.get(
        "/book/times",
        query_string={**choices_for(world), "week": "2026-03-09"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="grid"') and "<html" not in html
    assert "Mon 9 Mar" in html and "HX-Request" in response.headers["Vary"]
