"""The core pages answer through both URL modes."""


def test_platform_home_lists_stores(client, main_platform, factories):
    """The main platform's home at / lists its stores."""
    factories.store(main_platform, code="bakery", name="Boulangerie")
    response = client.get("/")
    assert response.status_code == 200
    assert "Boulangerie" in response.text


def test_storefront_answers_in_path_mode(client, main_platform, factories):
    """A storefront answers at /platforms/{p}/storefront/{s}/."""
    factories.store(main_platform, code="bakery", name="Boulangerie")
    response = client.get("/platforms/main/storefront/bakery/")
    assert response.status_code == 200
    assert "Boulangerie" in response.text


def test_admin_login_round_trip(client, main_platform, factories):
    """An admin signs in with the form and reaches the dashboard."""
    factories.admin(email="boss@example.com")
    form = client.get("/admin/login")
    token = client.cookies.get("orion_csrf")
    assert form.status_code == 200 and token
    response = client.post(
        "/admin/login",
        data={"email": "boss@example.com", "password": "correct-horse-battery", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "boss@example.com" in dashboard.text


def test_admin_dashboard_names_recent_changes_in_words(client, main_platform, factories):
    """Audit entries read as sentences in the admin's language, not as action codes."""
    admin = factories.admin(email="boss@example.com")
    factories.store(main_platform, code="bakery", name="Boulangerie")
    factories.login(client, admin)
    page = client.get("/admin/?lang=de")
    assert "Shop angelegt" in page.text


def test_a_path_id_no_table_can_hold_is_not_found(client, main_platform, factories):
    """Page routes answer 404 for an id that cannot exist (0, past PostgreSQL's 32-bit ids,
    past SQLite's 64 bits) before any lookup: looking one up failed in the database (a 500,
    issue 10's hostile forms) instead of finding nothing."""
    store = factories.shop(main_platform, modules=("cms", "messaging"), code="bakery")
    csrf = factories.owner(client, store)
    for junk in ("0", "2147483648", "99999999999999999999"):
        for method, path in (
            ("GET", f"/store/bakery/team/members/{junk}"),
            ("POST", f"/store/bakery/team/members/{junk}/remove"),
            ("POST", f"/store/bakery/customers/{junk}/notes"),
            ("POST", f"/store/bakery/content/{junk}/delete"),
            ("POST", f"/store/bakery/notifications/{junk}/read"),
        ):
            body = {"data": {"csrf_token": csrf}} if method == "POST" else {}
            response = client.request(method, path, follow_redirects=False, **body)
            assert response.status_code == 404, (method, path, response.status_code)
            assert "text/html" in response.headers["content-type"]
    assert client.get("/store/bakery/team/members/abc").status_code == 422  # not a number: FastAPI's answer
    admin_csrf = factories.login(client, factories.admin())
    for junk in ("2147483648", "99999999999999999999"):
        response = client.post(f"/admin/users/{junk}/deactivate", data={"csrf_token": admin_csrf},
                               follow_redirects=False)
        assert response.status_code == 404, response.status_code

