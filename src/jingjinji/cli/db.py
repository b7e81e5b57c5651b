"""``jjj db``: upgrade the schema, show the revision."""

from __future__ import annotations

import typer
from rich.progress import Progress

from jingjinji.cli._common import build_market_index, console, load_settings, open_database
from jingjinji.samples import SAMPLE_LOADERS
from jingjinji.store import (
    current_revision,
    head_revision,
    make_session_factory,
    refresh_statistics,
    transaction,
)

app = typer.Typer(help="Database schema: upgrade, status.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Create the database or upgrade it to the newest schema."""
    settings = load_settings()
    engine = open_database(settings)
    console.print(f"database at revision {current_revision(engine)} (head {head_revision()})")
    engine.dispose()


@app.command("status")
def status_command() -> None:
    """Print the database's revision and the newest shipped one."""
    engine = open_database(load_settings(), migrate=False)
    console.print(f"current: {current_revision(engine)}  head: {head_revision()}")
    engine.dispose()


@app.command("init")
def init_command(
    no_sample: bool = typer.Option(
        False, "--no-sample", help="An empty platform: the atlas and shipped statistics only."
    ),
) -> None:
    """Create or upgrade the database and load the sample data (unless --no-sample or
    JJJ_LOAD_SAMPLE=false)."""
    settings = load_settings()
    engine = open_database(settings)
    console.print(f"database ready at revision {current_revision(engine)}")
    if no_sample or not settings.load_sample:
        console.print("no sample data loaded: import your own (see `jjj --help`)")
    elif SAMPLE_LOADERS:
        from jingjinji.atlas import load_atlas

        atlas = load_atlas()
        factory = make_session_factory(engine)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("示例数据 / sample data", total=len(SAMPLE_LOADERS))
            for label, loader in SAMPLE_LOADERS:
                progress.update(task, description=f"示例数据：{label}")
                with transaction(factory) as session:
                    added = loader(session, atlas)
                if added:
                    console.print(f"sample data: {label}: {added:,} rows (labelled 示例数据)")
                progress.advance(task)
        refresh_statistics(engine)
    count = build_market_index(settings, engine)
    console.print(f"matching index built: {count:,} published listings")
    engine.dispose()
