"""Who applied: the kind of an applicant from its name.

Kinds: ``university`` (大学, 学院, 学校), ``institute`` (研究院, 研究所, 科学院, 研究中心,
实验室, 设计院), ``enterprise`` (有限, 股份, 公司, 集团, 厂, 企业, 合作社), ``individual``
(two to four Chinese characters and nothing else: a person's name) and ``other`` (an agency,
a hospital, an association…). The legal form decides: a 研究院有限公司 is an enterprise;
a 科学院 is an institute, not a 学院.

>>> [applicant_kind(n) for n in ("某某理工大学", "某某研究院有限公司", "某某能源研究所", "张三")]
['university', 'enterprise', 'institute', 'individual']
"""

from __future__ import annotations

import re

__all__ = ["APPLICANT_KINDS", "KIND_NAMES", "applicant_kind"]

APPLICANT_KINDS = ("university", "institute", "enterprise", "individual", "other")
#: Chinese names of the kinds, for pages and exports.
KIND_NAMES = {
    "university": "高校",
    "institute": "科研院所",
    "enterprise": "企业",
    "individual": "个人",
    "other": "其他机构",
}
_ENTERPRISE = re.compile(r"(有限|股份|公司|集团|企业|工厂|厂$|合作社|合伙)")
_UNIVERSITY = re.compile(r"(大学|(?<!科)学院|学校|高等专科)")
_INSTITUTE = re.compile(r"(研究院|研究所|科学院|研究中心|实验室|设计院|工程院|研究总院)")
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_ORGANISATION_WORDS = re.compile(r"(局|委员会|医院|协会|学会|中心|站|所|院|部|办|馆|社)$")


def applicant_kind(name: str) -> str:
    """The kind of one applicant (see the module docstring)."""
    text = name.strip()
    if _ENTERPRISE.search(text):
        return "enterprise"
    if _UNIVERSITY.search(text):
        return "university"
    if _INSTITUTE.search(text):
        return "institute"
    if _PERSON.match(text) and not _ORGANISATION_WORDS.search(text):
        return "individual"
    return "other"
