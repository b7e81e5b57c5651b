"""``jjj demo``: take the sample data (示例数据) out of a platform that now holds real data."""

from __future__ import annotations

import typer

from jingjinji.cli._common import console, session_scope
from jingjinji.samples import remove_samples

app = typer.Typer(help="Sample data (示例数据): remove it.", no_args_is_help=True)


@app.command("remove")
def remove_command() -> None:
    """Delete every sample row and what depends on it, in one transaction, and say what went."""
    with session_scope() as session:
        removed = remove_samples(session)
    if not removed:
        console.print("no sample data in the database")
        return
    for table, count in sorted(removed.items()):
        console.print(f"removed {count:,} rows from {table}", highlight=False)
    console.print(f"sample data removed: {sum(removed.values()):,} rows", highlight=False)
