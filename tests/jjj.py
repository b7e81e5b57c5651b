"""Run the ``jjj`` command as a user would, in this test process: ``jingjinji.cli.main`` with
its own arguments, environment, standard input and output, and exit code, as a subprocess
would see them, without paying the start-up of a new interpreter (importing the platform
costs seconds on a loaded 2-core machine, and the tests run the command hundreds of times).

``run_process`` runs the installed ``jjj`` script in a subprocess, for what only a process
shows (the entry point itself, a password typed at the hidden prompt).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

JJJ = str(Path(sys.executable).with_name("jjj"))


@dataclass(frozen=True)
class Completed:
    """What the command left: its exit code and its two output streams."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Completed:
    """``jjj ARGS`` with ``env`` added to this process's environment. A command that reads a
    password at the hidden prompt (``input``) runs as a subprocess: the prompt reads the
    terminal, not standard input."""
    if input is not None:
        return run_process(*args, env=env, input=input)
    from jingjinji import cli

    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    with _environment(env):
        sys.argv, sys.stdin, sys.stdout, sys.stderr = ["jjj", *args], io.StringIO(), out, err
        try:
            cli.main()
        except SystemExit as exit_:
            code = exit_.code
        finally:
            sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
    if isinstance(code, str):  # sys.exit("message") prints it and exits 1
        err.write(code + "\n")
        code = 1
    return Completed(int(code or 0), out.getvalue(), err.getvalue())


def run_process(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> Completed:
    """``jjj ARGS`` as a subprocess of the installed script."""
    done = subprocess.run(
        [JJJ, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=input,
        timeout=300,
        check=False,
    )
    return Completed(done.returncode, done.stdout, done.stderr)
