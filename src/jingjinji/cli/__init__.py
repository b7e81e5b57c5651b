"""The ``jjj`` command: serve, db, users, orgs, backup, restore, atlas, evaluate, …"""

from __future__ import annotations

import logging
import sys

import typer

from jingjinji import __version__
from jingjinji.cli import accounts, atlas, backup, db, demo, serve
from jingjinji.cli._common import CliError, err_console
from jingjinji.cli.chains import chains_app, enterprises_app
from jingjinji.cli.evaluate import evaluate
from jingjinji.cli.loop import loop
from jingjinji.cli.market import app as market_app
from jingjinji.cli.match import app as match_app
from jingjinji.cli.patents import patents_app
from jingjinji.cli.projects import policies_app, projects_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="jjj",
    help="京津冀协同发展平台 command line: serve the platform, manage the database and accounts, "
    "import data, run evaluations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jjj {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
) -> None:
    """京津冀协同发展平台."""
    _state["debug"] = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING)


app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(accounts.users_app, name="users")
app.add_typer(accounts.orgs_app, name="orgs")
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("evaluate")(evaluate)
app.add_typer(atlas.app, name="atlas")
app.add_typer(enterprises_app, name="enterprises")
app.add_typer(chains_app, name="chains")
app.add_typer(patents_app, name="patents")
app.add_typer(match_app, name="match")
app.add_typer(market_app, name="market")
app.add_typer(projects_app, name="projects")
app.add_typer(policies_app, name="policies")
app.command("loop")(loop)


def main() -> None:
    """Entry point: run the CLI; errors print one line and exit non-zero."""
    try:
        code = app(standalone_mode=False)
    except CliError as exc:
        if _state["debug"]:
            raise
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors and anything unexpected
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if _state["debug"]:
            raise
        err_console.print(
            f"[red]error:[/red] {type(exc).__name__}: {exc}", highlight=False, soft_wrap=True
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
