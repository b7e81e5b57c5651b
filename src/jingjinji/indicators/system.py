"""Indicator systems (指标体系) as YAML files: schema, loading and validation.

A system has dimensions; each dimension has indicators with an id, a Chinese name, a unit,
a direction (+1 benefit 正向 / -1 cost 负向 / 0 moderate 适度, with a target value) and
optionally a fixed weight, a bottom-line threshold and the source the indicator comes from.
Templates ship in ``systems/``; analysts write the same thing as a table
(:mod:`jingjinji.indicators.system_table`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "Dimension",
    "Indicator",
    "IndicatorSystem",
    "IndicatorSystemError",
    "list_systems",
    "load_system",
    "shipped_systems",
]

_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class IndicatorSystemError(ValueError):
    """An indicator system file is malformed; ``problems`` lists every problem found."""

    def __init__(
        self, source: str, problems: list[str], problems_zh: list[str] | None = None
    ) -> None:
        self.source = source
        self.problems = problems
        self.problems_zh = problems_zh or problems
        self.message_zh = f"指标体系文件 {source} 有 {len(self.problems_zh)} 处错误：" + "；".join(
            self.problems_zh
        )
        super().__init__(f"{source}: " + "; ".join(problems))


class Indicator(BaseModel):
    """One indicator of a system."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1, description="Chinese name shown to users")
    unit: str = ""
    direction: Literal[1, -1, 0] = 1
    target: float | None = Field(
        default=None, description="the best value of a moderate (适度, direction 0) indicator"
    )
    weight: float | None = Field(default=None, ge=0)
    threshold: float | None = Field(default=None, description="bottom line, e.g. 10 (%)")
    aliases: tuple[str, ...] = ()
    description: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _check_target(self) -> Indicator:
        if self.direction == 0 and self.target is None:
            raise ValueError(f"indicator {self.id!r} is moderate (direction 0) but has no target")
        if self.direction != 0 and self.target is not None:
            raise ValueError(f"indicator {self.id!r} has a target but is not moderate")
        return self

    @property
    def direction_name(self) -> str:
        """正向, 负向 or 适度 (with the target)."""
        if self.direction == 0:
            return f"适度（目标值 {self.target:g}）"
        return "正向" if self.direction == 1 else "负向"


class Dimension(BaseModel):
    """A dimension (subsystem, 准则层) grouping indicators."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)


class IndicatorSystem(BaseModel):
    """An indicator system: dimensions of indicators, with provenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    level: Literal["province", "city", "region", "any"] = "any"
    source: str = ""
    dimensions: tuple[Dimension, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_ids_and_weights(self) -> IndicatorSystem:
        seen: dict[str, str] = {}
        problems: list[str] = []
        dim_ids = [d.id for d in self.dimensions]
        for dup in sorted({d for d in dim_ids if dim_ids.count(d) > 1}):
            problems.append(f"dimension id {dup!r} is used twice")
        for d_index, dim in enumerate(self.dimensions):
            for i_index, ind in enumerate(dim.indicators):
                key = f"dimensions[{d_index}].indicators[{i_index}].id"
                if ind.id in seen:
                    problems.append(
                        f"{key}: indicator id {ind.id!r} already used at {seen[ind.id]}"
                    )
                else:
                    seen[ind.id] = key
        fixed = [ind.weight is not None for ind in self.indicators]
        if any(fixed) and not all(fixed):
            missing = [ind.id for ind in self.indicators if ind.weight is None]
            problems.append(
                "weight: either every indicator has a fixed weight or none does; missing for "
                + ", ".join(missing)
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def indicators(self) -> list[Indicator]:
        """All indicators in order."""
        return [ind for dim in self.dimensions for ind in dim.indicators]

    @property
    def indicator_ids(self) -> list[str]:
        """Indicator ids in order."""
        return [ind.id for ind in self.indicators]

    @property
    def directions(self) -> dict[str, int]:
        """Indicator id -> +1 (benefit), -1 (cost) or 0 (moderate, see ``targets``)."""
        return {ind.id: ind.direction for ind in self.indicators}

    @property
    def targets(self) -> dict[str, float]:
        """Indicator id -> target value, for the moderate indicators."""
        return {ind.id: float(ind.target) for ind in self.indicators if ind.target is not None}

    def without(self, dimensions: list[str]) -> IndicatorSystem:
        """The system without the dimensions named (ids or Chinese names); refuses an unknown
        name and dropping every dimension."""
        known = {key: d.id for d in self.dimensions for key in (d.id, d.name)}
        unknown = [name for name in dimensions if name not in known]
        if unknown:
            raise IndicatorSystemError(
                self.name,
                [f"no dimension {name!r}" for name in unknown],
                [f"指标体系中没有维度“{name}”" for name in unknown],
            )
        dropped = {known[name] for name in dimensions}
        kept = tuple(d for d in self.dimensions if d.id not in dropped)
        if not kept:
            raise IndicatorSystemError(
                self.name, ["every dimension would be dropped"], ["不能去掉全部维度"]
            )
        return self.model_copy(update={"dimensions": kept})

    @property
    def dimension_of(self) -> dict[str, str]:
        """Indicator id -> dimension id."""
        return {ind.id: dim.id for dim in self.dimensions for ind in dim.indicators}

    @property
    def is_monitor(self) -> bool:
        """Whether every indicator has a threshold: a bottom-line monitor (底线监测), not a
        system for composite evaluation."""
        return all(ind.threshold is not None for ind in self.indicators)

    @property
    def fixed_weights(self) -> dict[str, float] | None:
        """The fixed weights renormalised to sum 1, or ``None`` when the system has none."""
        if any(ind.weight is None for ind in self.indicators):
            return None
        total = sum(ind.weight or 0.0 for ind in self.indicators)
        if total <= 0:
            return None
        return {ind.id: (ind.weight or 0.0) / total for ind in self.indicators}

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling of an indicator (id, Chinese name, aliases) -> id."""
        table: dict[str, str] = {}
        for ind in self.indicators:
            for key in (ind.id, ind.name, *ind.aliases):
                table[key.strip()] = ind.id
        return table


def _systems_dir() -> Path:
    return Path(str(resources.files("jingjinji.indicators") / "systems"))


def list_systems() -> list[str]:
    """Names of the shipped templates (file stems under ``systems/``)."""
    return sorted(p.stem for p in _systems_dir().glob("*.yaml"))


def _format_loc(raw: Any, loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label = f"[{item}]({node['id']})"
            else:
                node = None
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def parse_system(raw: Any, *, source: str = "<data>") -> IndicatorSystem:
    """Validate parsed YAML/JSON data; every problem is named with its key."""
    if not isinstance(raw, dict):
        raise IndicatorSystemError(source, ["the file must hold a mapping at the top level"])
    try:
        return IndicatorSystem.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{_format_loc(raw, tuple(err['loc']))}: {msg}")
        raise IndicatorSystemError(source, problems) from None


def load_system(name_or_path: str | Path) -> IndicatorSystem:
    """Load a shipped template by name (``list_systems()``) or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix and str(name_or_path) in list_systems():
        path = _systems_dir() / f"{name_or_path}.yaml"
    if not path.is_file():
        raise IndicatorSystemError(
            str(name_or_path),
            [f"no such file, and not a shipped template ({', '.join(list_systems())})"],
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise IndicatorSystemError(path.name, [f"not valid YAML: {exc}"]) from None
    return parse_system(raw, source=path.name)


def shipped_systems() -> list[IndicatorSystem]:
    """The shipped templates, loaded, in the order of ``list_systems``."""
    return [load_system(name) for name in list_systems()]
