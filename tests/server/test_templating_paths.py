"""Pages name routes and static files by name (``url_for``); each path is computed once per app."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from orion_server.i18n import babel_locale, format_money
from orion_server.templating import PATHS_KEPT, route_path


def _app(tmp_path) -> FastAPI:
    app = FastAPI()

    @app.get("/products/{slug}")
    def product(slug: str) -> dict:
        return {}

    @app.get("/other/{slug}", name="product")  # the same name again: the first route answers
    def other(slug: str) -> dict:
        return {}

    app.mount("/static", StaticFiles(directory=tmp_path), name="static")
    return app


def test_paths_are_starlettes_and_each_is_computed_once(tmp_path, monkeypatch):
    app = _app(tmp_path)
    asked = []
    walk = type(app.router).url_path_for

    def counting(router, name, /, **params):
        asked.append(name)
        return walk(router, name, **params)

    monkeypatch.setattr(type(app.router), "url_path_for", counting)
    for _ in range(3):
        assert route_path(app.router, "product", {"slug": "pain"}) == "/products/pain"
        assert route_path(app.router, "static", {"path": "css/core.css"}) == "/static/css/core.css"
    assert asked == ["product", "static"]
    assert route_path(app.router, "product", {"slug": "tarte"}) == "/products/tarte"
    assert route_path(_app(tmp_path).router, "product", {"slug": "pain"}) == "/products/pain"  # per app


def test_a_parameter_that_cannot_be_kept_is_computed_each_time_and_the_kept_paths_are_bounded(tmp_path):
    app = _app(tmp_path)
    assert route_path(app.router, "product", {"slug": ["x"]}) == "/products/['x']"
    for n in range(PATHS_KEPT + 10):
        route_path(app.router, "product", {"slug": f"p{n}"})
    assert len(app.router.__dict__["_orion_paths"]) == PATHS_KEPT
    assert route_path(app.router, "product", {"slug": f"p{PATHS_KEPT + 5}"}) == f"/products/p{PATHS_KEPT + 5}"


def test_each_language_has_one_babel_locale_and_prices_read_as_before():
    assert babel_locale("fr") is babel_locale("fr")
    assert str(babel_locale("fr")) == "fr_LU" and str(babel_locale("en")) == "en_GB"
    assert format_money(123456, "fr") == "1.234,56\u00a0€"
    assert format_money(123456, "en") == "€1,234.56"
    assert format_money(-250, "de") == "-2,50\u00a0€"
