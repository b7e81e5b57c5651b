"""Problems found in atlas data, and the error raised when an atlas cannot be loaded."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AtlasError", "AtlasLookupError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the atlas data: the file, the key of the record, and what is wrong.

    >>> str(Problem("industries/hydrogen.yaml", "hydrogen-a->hydrogen-b", "unknown target"))
    'industries/hydrogen.yaml: hydrogen-a->hydrogen-b: unknown target'
    """

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


class AtlasError(Exception):
    """The atlas data has problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the atlas data:\n{shown}{more}")


class AtlasLookupError(KeyError):
    """No place, industry, segment or spatial item has the given key.

    A :class:`KeyError`, so ``except KeyError`` keeps working; ``kind`` and ``key`` name what
    was looked up.
    """

    def __init__(self, kind: str, key: str, detail: str = "") -> None:
        self.kind = kind
        self.key = key
        self.detail = detail
        super().__init__(kind, key)

    def __str__(self) -> str:
        suffix = f" ({self.detail})" if self.detail else ""
        return f"unknown {self.kind} {self.key!r}{suffix}"
