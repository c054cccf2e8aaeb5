"""``orion admin-link``: a one-time sign-in link to the admin (useful on a headless machine)."""

from __future__ import annotations

import click


@click.command("admin-link")
@click.option("--email", help="The admin to sign in (default: the first active admin).")
@click.option("--base-url", help="Where the browser reaches the server (default: ORION_BASE_URL).")
def admin_link(email: str | None, base_url: str | None) -> None:
    """Print a sign-in link to the admin that works once, within a minute."""
    from orion_server.auth.login_tokens import TOKEN_SECONDS
    from orion_server.auth.login_tokens import admin_link as make_link
    from orion_server.config import get_settings
    from orion_server.database import db

    with db.session() as session:
        link = make_link(session, base_url or get_settings().base_url, email)
    click.echo(link)
    click.echo(f"The link signs you in once, within {TOKEN_SECONDS} seconds.", err=True)
