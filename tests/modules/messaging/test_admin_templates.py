"""Admin: the platform email templates, edited with the same service as the stores' versions."""

from __future__ import annotations

import pytest

from modules.messaging.models import EmailTemplate
from modules.messaging.services import email_service

BASE = "/admin/messaging/templates"


@pytest.fixture
def admin_csrf(client, factories, shop):
    """A signed-in super admin on English pages."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.admin(email="admin@example.lu"))


def form(csrf: str, **fields: str) -> dict[str, str]:
    source = email_service.builtin_source(code="welcome", language="de")
    data = {
        "csrf_token": csrf,
        "subject": "Willkommen im Club, {{ customer_name }}",
        "body_html": "<p>Hallo {{ customer_name }}, willkommen bei {{ store_name }}!</p>",
        "body_text": source.body_text,
        "action": "save",
    }
    data.update(fields)
    return data


def test_the_list_shows_every_template_per_language_and_links_the_editor(client, admin_csrf, shop):
    """Each built-in email (the new message_reply too) in each language, marked standard."""
    html = client.get(BASE).text

    assert "Platform email templates" in html
    for code in ("order_confirmation", "password_reset", "welcome", "message_reply"):
        assert f'{BASE}/{code}/de?platform={shop[0].code}' in html
    assert "Answer to a customer message" in html
    assert f'<a href="{BASE}" class="active">Email templates</a>' in html


def test_saving_a_platform_template_is_used_by_the_stores_of_the_platform(client, admin_csrf, db_session, shop):
    """The saved version is the platform's; a store of the platform renders it."""
    response = client.post(f"{BASE}/welcome/de?platform={shop[0].code}", data=form(admin_csrf), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}?platform={shop[0].code}&done=saved"

    db_session.rollback()
    row = db_session.query(EmailTemplate).one()
    assert (row.platform_id, row.store_id, row.code, row.language) == (shop[0].id, None, "welcome", "de")
    rendered = email_service.render(
        db_session, platform_id=shop[0].id, store_id=shop[1].id, code="welcome", language="de",
        variables={"customer_name": "Anna", "store_name": "Bäckerei Dupont"},
    )
    assert rendered.subject == "Willkommen im Club, Anna"
    assert "Platform" in client.get(f"{BASE}/welcome/de").text


def test_a_syntax_error_is_shown_on_its_field_with_the_line_and_the_text_kept(client, admin_csrf, db_session):
    """A broken Jinja tag: 422, the message names the line, what was typed stays, nothing saved."""
    broken = "<p>Hallo</p>\n<p>{% if customer_name %}Hi</p>"
    response = client.post(f"{BASE}/welcome/de", data=form(admin_csrf, body_html=broken))

    assert response.status_code == 422
    assert "syntax error on line 2" in response.text
    assert 'id="e-body_html"' in response.text
    assert "{% if customer_name %}Hi" in response.text
    db_session.rollback()
    assert db_session.query(EmailTemplate).count() == 0


def test_an_unknown_variable_is_refused(client, admin_csrf):
    """Only the declared variables may be used."""
    response = client.post(f"{BASE}/welcome/de", data=form(admin_csrf, subject="Hi {{ password }}"))

    assert response.status_code == 422
    assert "Unknown variable: password" in response.text


def test_preview_renders_the_sample_values_without_saving(client, admin_csrf, db_session):
    """action=preview shows the email with the sample customer; nothing is stored."""
    response = client.post(f"{BASE}/welcome/de", data=form(admin_csrf, action="preview"))

    assert response.status_code == 200
    assert "Willkommen im Club, Marie Schmit" in response.text
    db_session.rollback()
    assert db_session.query(EmailTemplate).count() == 0


def test_reset_brings_the_built_in_template_back(client, admin_csrf, db_session, shop):
    """After a reset the editor shows the standard text again."""
    client.post(f"{BASE}/welcome/de", data=form(admin_csrf))
    editor = client.get(f"{BASE}/welcome/de?platform={shop[0].code}").text
    assert "Willkommen im Club" in editor and f"{BASE}/welcome/de/reset?platform={shop[0].code}" in editor

    response = client.post(
        f"{BASE}/welcome/de/reset?platform={shop[0].code}", data={"csrf_token": admin_csrf}, follow_redirects=False
    )

    assert response.status_code == 303
    db_session.rollback()
    assert db_session.query(EmailTemplate).count() == 0
    assert "Willkommen im Club" not in client.get(f"{BASE}/welcome/de").text


def test_another_platform_is_chosen_with_the_platform_parameter(client, admin_csrf, db_session, factories):
    """?platform= edits that platform's template; an unknown code or template is 404."""
    other = factories.platform(code="lux", name="Letzshop")
    client.post(f"{BASE}/welcome/fr?platform=lux", data=form(admin_csrf))

    db_session.rollback()
    assert db_session.query(EmailTemplate).one().platform_id == other.id
    assert client.get(f"{BASE}?platform=nope").status_code == 404
    assert client.get(f"{BASE}/nope/de").status_code == 404
    assert client.get(f"{BASE}/welcome/xx").status_code == 404


def test_a_store_owner_cannot_use_the_admin_editor(client, factories, shop):
    """Staff get 403; anonymous visitors are sent to the admin login."""
    assert client.get(BASE, follow_redirects=False).headers["location"].startswith("/admin/login")

    csrf = factories.login(client, factories.staff(shop[1], role="owner"))
    assert client.get(BASE).status_code == 403
    assert client.post(f"{BASE}/welcome/de", data=form(csrf)).status_code == 403


def test_the_admin_form_needs_the_csrf_token(client, admin_csrf, db_session):
    """A post without the session's token is refused."""
    response = client.post(f"{BASE}/welcome/de", data=form("forged"))

    assert response.status_code == 403
    db_session.rollback()
    assert db_session.query(EmailTemplate).count() == 0
