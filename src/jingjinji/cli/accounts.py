"""``jjj orgs`` and ``jjj users``: create and list organizations and users."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import select

from jingjinji import auth
from jingjinji.cli._common import CliError, console, session_scope
from jingjinji.store.models import Organization, User

orgs_app = typer.Typer(help="Organizations: create, list.", no_args_is_help=True)
users_app = typer.Typer(help="Users: create, list.", no_args_is_help=True)


@orgs_app.command("create")
def create_org(
    name: str = typer.Option(..., help="Organization name (unique)."),
    kind: str = typer.Option(..., help="government, park, university, enterprise or other."),
    place: str = typer.Option(None, help="Adcode of its place, e.g. 130600."),
) -> None:
    """Create an organization."""
    with session_scope() as session:
        try:
            org = auth.create_organization(session, name=name, kind=kind, place_adcode=place)
        except auth.AccountError as exc:
            raise CliError(str(exc)) from exc
        console.print(f"organization {org.id}: {org.name}")


@orgs_app.command("list")
def list_orgs() -> None:
    """List organizations."""
    with session_scope() as session:
        table = Table("id", "name", "kind", "place")
        for org in session.scalars(select(Organization).order_by(Organization.id)):
            table.add_row(str(org.id), org.name, org.kind, org.place_adcode or "")
        console.print(table)


@users_app.command("create")
def create_user(
    org: str = typer.Option(..., help="Name or id of the user's organization."),
    role: str = typer.Option(..., help="admin, analyst or editor."),
    username: str = typer.Option(..., help="Sign-in name."),
    display_name: str = typer.Option("", help="Name shown in the interface."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Password (asked for when not given; at least 10 characters).",
    ),
) -> None:
    """Create a user in an organization."""
    with session_scope() as session:
        query = select(Organization).where(Organization.name == org)
        if org.isdigit():
            query = select(Organization).where(Organization.id == int(org))
        organization = session.scalar(query)
        if organization is None:
            raise CliError(f"--org: no organization named {org!r} (create it with jjj orgs create)")
        try:
            user = auth.create_user(
                session,
                username=username,
                password=password,
                role=role,
                organization=organization,
                display_name=display_name,
            )
        except (auth.AccountError, auth.PasswordPolicyError) as exc:
            raise CliError(str(exc)) from exc
        console.print(f"user {user.id}: {user.username} ({user.role}) in {organization.name}")


@users_app.command("list")
def list_users() -> None:
    """List users."""
    with session_scope() as session:
        table = Table("id", "username", "role", "organization", "active")
        for user in session.scalars(select(User).order_by(User.id)):
            table.add_row(
                str(user.id),
                user.username,
                user.role,
                user.organization.name,
                "yes" if user.is_active else "no",
            )
        console.print(table)
