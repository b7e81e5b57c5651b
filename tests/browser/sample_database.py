"""The browser tests' sample database: ``jjj db init`` (schema and sample data) once per test
run, shared by the xdist workers.

Under xdist the controller starts the build in a process of its own as the run begins
(:func:`start_building`, from ``pytest_sessionstart``), so that no worker waits half a minute
at its first browser test; a run without xdist starts the build at its first browser test.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

NAME = "sample.sqlite3"
_WAIT_SECONDS = 600

#: Run by the build process: make the database under a temporary name, then rename its files
#: (the database, its journal, the matching index folder) at once.
_SCRIPT = """
import os, sys
from pathlib import Path
folder = Path(sys.argv[1])
from jingjinji.cli import main
sys.argv = ["jjj", "db", "init"]
os.environ["JJJ_DATABASE_URL"] = f"sqlite:///{folder / 'building.sqlite3'}"
try:
    main()
except SystemExit as exit_:
    if exit_.code:
        (folder / "failed").write_text(f"jjj db init exited with {exit_.code}")
        raise
for part in folder.glob("building.sqlite3*"):
    part.rename(part.with_name(part.name.replace("building", "sample", 1)))
"""


def folder_of(base: Path) -> Path:
    """Where the run whose temporary folder is ``base`` keeps the database."""
    return base / "sample-database"


def start_building(base: Path) -> None:
    """Start ``jjj db init`` for the run in ``base`` in a process of its own (its output goes
    to ``build.log`` beside the database)."""
    folder = folder_of(base)
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "build.log").open("w")
    subprocess.Popen(
        [sys.executable, "-c", _SCRIPT, str(folder)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "JJJ_DATABASE_URL"},
    )
    (folder / "started").write_text(str(time.time()))


def sample_database(base: Path) -> Path:
    """The built database of the run in ``base``: waits for the build started at the
    beginning of the run, or makes it (the first worker to take the lock)."""
    folder = folder_of(base)
    folder.mkdir(parents=True, exist_ok=True)
    made = folder / NAME
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "started").exists():
            start_building(base)
        deadline = time.monotonic() + _WAIT_SECONDS
        while not made.exists():
            if (folder / "failed").exists() or time.monotonic() > deadline:
                log = (folder / "build.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the sample database was not built:\n{log}")
            time.sleep(0.2)
    return made
