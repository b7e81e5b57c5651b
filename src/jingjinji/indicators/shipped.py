"""The panels that ship with the platform, by name, with the system each one fits.

``sample``: the six-dimension city panel (13 units, 2012-2023), generated data (示例数据);
``province``: the NBS provincial science-and-technology panel (31 provinces, 2011-2023) for
the collaborative-innovation system, whose 2017 high-tech industry gap is filled linearly
by default (the filled cells are reported).

>>> sorted(SHIPPED_PANELS), SHIPPED_PANELS["province"].default_fill
(['province', 'sample'], 'linear')
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from jingjinji.indicators.datasets import innovation_panel, provenance
from jingjinji.indicators.panel import Panel
from jingjinji.indicators.sample import SAMPLE_LABEL, SAMPLE_SEED, sample_panel

__all__ = ["SHIPPED_PANELS", "PanelInfo", "ShippedPanel", "shipped_panel"]


class PanelInfo(BaseModel):
    """What describes a shipped panel: label, level, matching system, provenance, default fill."""

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    level: str
    system: str
    is_sample: bool
    provenance: str
    source_url: str
    license: str
    note: str
    default_fill: str | None


class ShippedPanel(PanelInfo):
    """A panel shipped with the platform: its description and the loader that builds it."""

    loader: Callable[[], Panel] = Field(exclude=True, repr=False)

    def load(self) -> Panel:
        """The panel (built once per process: both loaders are deterministic)."""
        return _load(self.name)


def _province_meta() -> dict[str, str]:
    meta = provenance("province_panel")
    return {
        "provenance": f"{meta['source']}（{meta['title']}）",
        "source_url": str(meta["source_url"]),
        "license": str(meta["license"]),
    }


def _build() -> dict[str, ShippedPanel]:
    province = _province_meta()
    return {
        "sample": ShippedPanel(
            name="sample",
            label=f"京津冀13市高质量发展面板（{SAMPLE_LABEL}）",
            level="city",
            system="high_quality_development",
            is_sample=True,
            provenance=f"demo：程序以固定随机种子 {SAMPLE_SEED} 生成的{SAMPLE_LABEL}，并非真实统计",
            source_url="",
            license="",
            note="13 个地级及以上单元，2012—2023 年，24 项指标；城市级六维指标无公开年度面板。",
            default_fill=None,
            loader=sample_panel,
        ),
        "province": ShippedPanel(
            name="province",
            label="全国31省科技统计面板（国家统计局）",
            level="province",
            system="collaborative_innovation",
            is_sample=False,
            provenance=province["provenance"],
            source_url=province["source_url"],
            license=province["license"],
            note="31 个省级单元，2011—2023 年；源数据缺 2017 年高技术产业指标，默认线性插值补齐"
            "（补齐的单元格在结果中列出）。个别数值可能有 OCR 识别误差，京津冀三地已与国家统计局、"
            "国家知识产权局发布数据抽查核对。",
            default_fill="linear",
            loader=innovation_panel,
        ),
    }


SHIPPED_PANELS: dict[str, ShippedPanel] = _build()


@cache
def _load(name: str) -> Panel:
    return SHIPPED_PANELS[name].loader()


def shipped_panel(name: str) -> ShippedPanel:
    """The shipped panel called ``name``; ``KeyError`` names the choices."""
    try:
        return SHIPPED_PANELS[name]
    except KeyError:
        raise KeyError(f"no shipped panel {name!r}; choose {', '.join(SHIPPED_PANELS)}") from None
