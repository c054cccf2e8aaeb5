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
