"""The documents and data sources that provenance tags name, and their citations in Chinese.

A tag is ``seed:<file>`` (one of the five source documents of the strategy), ``curated`` or
``curated:<topic>`` (put together by the project from the documents and public lists), or
``scheme:value`` (a package, a standard, a repository). Pages show :func:`cite` of a tag,
never the tag: the document's title, publisher and date as the document itself gives them
(left out where it gives none; nothing is guessed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SOURCE_DOCUMENTS", "SourceDocument", "cite", "cite_all", "cite_text"]


@dataclass(frozen=True)
class SourceDocument:
    """One of the source documents: its file, and what it says of itself."""

    file: str
    title: str
    publisher: str
    date: str
    about: str

    @property
    def citation(self) -> str:
        """《title》（publisher，date）, leaving out what the document does not say."""
        known = "，".join(part for part in (self.publisher, self.date) if part)
        return f"《{self.title}》（{known}）" if known else f"《{self.title}》"


SOURCE_DOCUMENTS: dict[str, SourceDocument] = {
    doc.file: doc
    for doc in (
        SourceDocument(
            file="000_8e14029575551f3d.txt",
            title="协同创新推进京津冀发展",
            publisher="人民政协网",
            date="",
            about="评介《京津冀蓝皮书：京津冀制造业发展报告（2023）》：北京的引领作用、"
            "“4带1园”、“双10%”底线、五大重点产业、产业结构趋同",
        ),
        SourceDocument(
            file="001_4b6e042be49c5569.txt",
            title="“京津冀高质量协同发展”智库圆桌专家会",
            publisher="",
            date="",
            about="科技成果供需对接平台、强链·补链·延链、产业链招商、“2+4+N”承接平台、"
            "研发投入、专利与技术合同的差距",
        ),
        SourceDocument(
            file="002_9edae77716d51e3f.txt",
            title="协同发展看京津冀",
            publisher="",
            date="",
            about="《京津冀产业发展报告（2023）》、京津冀高新区联盟、"
            "《北京高质量发展蓝皮书：北京高质量发展报告（2023）》；“五群六链五廊”、"
            "产业协同项目库、产业链图谱",
        ),
        SourceDocument(
            file="003_4b648ab99be5eb38.txt",
            title="站在新起点 奋力开创京津冀协同发展新局面",
            publisher="张贵、吕晓静，南开大学",
            date="",
            about="一张产业地图·一份政策清单、成果供给与技术需求清单、揭榜挂帅、先使用后付费、"
            "概念验证—中试孵化—批量生产、仪器共享、跨区域利益共享",
        ),
        SourceDocument(
            file="004_f1980b49e9b62d35.txt",
            title="多措并举深化京津冀产业协同发展",
            publisher="经济参考报",
            date="2024年3月20日",
            about="创新链与产业链匹配、“双城引领、两翼齐飞、三圈联动”、数字产业集群、"
            "北京研发·天津应用·河北转型",
        ),
    )
}

#: How other kinds of tag read.
_SCHEMES = {
    "pypi": "公开软件包 {value}（Python 软件包索引 PyPI）",
    "standard": "国家标准 {value}",
    "github": "公开数据集（GitHub 仓库 {value}）",
}
_NAMED = {
    "standard:GB/T-4754-2017": "《国民经济行业分类》（GB/T 4754—2017）",
    "curated:mca-changes": "本平台据民政部公布的行政区划变更整理",
}
_SEED_IN_TEXT = re.compile(r"seed:(\d{3}_[0-9a-f]{16}\.txt)")


def cite(tag: str) -> str:
    """The Chinese citation of one provenance tag (see the module docstring)."""
    tag = tag.strip()
    if tag.startswith("seed:"):
        doc = SOURCE_DOCUMENTS.get(tag.removeprefix("seed:"))
        return doc.citation if doc else "来源文件（未登记）"
    if tag in _NAMED:
        return _NAMED[tag]
    if tag == "curated" or tag.startswith("curated:"):
        return "本平台据来源文件与公开名录整理"
    scheme, _, value = tag.partition(":")
    if scheme in _SCHEMES and value:
        if scheme == "github":
            value = value.split("@")[0]
        return _SCHEMES[scheme].format(value=value.replace("==", " "))
    return tag


def cite_all(tags: Iterable[str]) -> str:
    """The citations of ``tags``, each once, joined by "；"."""
    return "；".join(dict.fromkeys(cite(tag) for tag in tags))


def cite_text(text: str) -> str:
    """``text`` with every ``seed:<file>`` in it replaced by the document's citation."""
    return _SEED_IN_TEXT.sub(lambda m: cite(m.group(0)), text)
