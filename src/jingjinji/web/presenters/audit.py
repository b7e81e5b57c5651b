"""Audit entries for people: actions and record kinds in Chinese, local times, links to the
records, and the changed fields side by side with their Chinese labels."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from jingjinji.indicators import shipped_systems
from jingjinji.indicators.report import METHOD_LABELS
from jingjinji.market import KIND_LABELS, REQUIRED_FIELDS, STATUS_LABELS
from jingjinji.policies.table import COLUMNS as POLICY_COLUMNS
from jingjinji.projects.table import COLUMNS as PROJECT_COLUMNS
from jingjinji.store.models import AuditEntry
from jingjinji.store.models.accounts import ORG_KINDS, ROLES
from jingjinji.web.beijing_time import BEIJING, in_beijing

__all__ = [
    "ACTION_LABELS",
    "ENTITY_LABELS",
    "LOCAL_TZ",
    "AuditView",
    "FieldChange",
    "actor_label",
    "audit_view",
    "day_bounds",
    "local_time",
]

#: The platform's local time zone: times are stored in UTC and shown in Beijing time.
LOCAL_TZ = BEIJING

ACTION_LABELS: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "transition": "状态变更",
    "import": "导入",
    "review": "审核",
    "revoke": "撤销",
    "login": "登录",
    "logout": "退出登录",
    "end_sessions": "结束会话",
    "password_change": "修改密码",
    "password_reset": "通过链接重设密码",
    "unlock": "解除锁定",
    "activate": "启用账户",
    "deactivate": "停用账户",
    "publish": "发布",
    "withdraw": "撤回",
    "renew": "续期",
    "propose": "提议",
    "confirm": "确认",
    "accept": "接受",
    "decline": "拒绝",
}

ENTITY_LABELS: dict[str, str] = {
    "listing": "供需信息",
    "match": "对接",
    "project": "项目",
    "policy": "政策",
    "organization": "机构",
    "user": "用户",
    "session": "登录会话",
    "api_token": "API 令牌",
    "password_reset": "密码重置链接",
    "challenge": "揭榜挂帅榜单",
    "challenge_application": "揭榜申请",
    "milestone": "揭榜里程碑",
    "deal_milestone": "对接里程碑",
    "confidentiality": "保密协议",
    "follow": "关注",
    "inbox_item": "收件箱消息",
    "evaluation": "指标评价",
    "indicator_system": "指标体系",
    "enterprise": "企业",
    "enterprise_segment": "企业所属环节",
    "patent": "专利",
    "gap_listing": "缺口生成的需求",
    "place_group": "地点组",
    "sample_data": "示例数据",
}

#: Pages of the records that have one.
_LINKS: dict[str, str] = {
    "listing": "/market/listings/{}",
    "project": "/projects/{}",
    "policy": "/policies/{}",
    "match": "/market/deals/{}",
    "challenge": "/market/challenges/{}",
    "user": "/admin/users#user-{}",
    "organization": "/admin/organizations#org-{}",
}

_COMMON_LABELS: dict[str, str] = {
    "id": "编号",
    "name": "名称",
    "title": "标题",
    "kind": "类型",
    "status": "状态",
    "stage": "阶段",
    "organization_id": "所属机构",
    "user_id": "用户",
    "place_adcode": "所在地",
    "provenance": "数据性质",
    "source": "记录来源",
    "created_at": "创建时间",
    "published_at": "发布时间",
    "reason": "原因",
    "note": "备注",
    "target_kind": "关注对象类型",
    "target": "关注对象",
    "read_at": "已读时间",
    "file": "文件",
    "added": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "ended_sessions": "结束的会话数",
    "cleared_failures": "清除的失败登录次数",
    "password_reset_id": "重置链接编号",
    "expires_at": "失效时间",
    "ip": "IP 地址",
    "user_agent": "浏览器标识",
}

_ENTITY_FIELD_LABELS: dict[str, dict[str, str]] = {
    "listing": {
        **{name: label for labels in REQUIRED_FIELDS.values() for name, label in labels.items()},
        "title": "标题",
        "summary": "简介",
        "stage": "成熟度",
        "kind": "信息类型",
        "industries": "产业链",
        "patent_numbers": "专利号",
        "price_max": "价格上限",
        "price_min": "价格下限",
        "contact_public": "公开联系方式",
        "confidential": "保密内容",
        "challenge_stage": "揭榜阶段",
        "valid_from": "生效日期",
    },
    "project": {
        **dict(PROJECT_COLUMNS),
        "origin_adcode": "来源地",
        "destination_adcode": "落地地",
    },
    "policy": {**dict(POLICY_COLUMNS), "place_adcode": "发文地区", "conditions": "申报条件"},
    "match": {
        "demand_id": "需求编号",
        "achievement_id": "成果编号",
        "score": "匹配得分",
        "reasons": "匹配理由",
        "decline_reason": "拒绝原因",
        "decline_note": "拒绝说明",
        "intent_org_id": "表达意向的机构",
        "pending_stage": "待确认阶段",
        "pending_org_id": "提议机构",
        "pending_user_id": "提议人",
        "pending_at": "提议时间",
        "pending_contract": "待确认合同",
        "contract": "合同",
        "declined_by_org_id": "拒绝方机构",
    },
    "user": {
        "username": "用户名",
        "display_name": "显示名称",
        "role": "角色",
        "is_active": "启用",
        "last_login_at": "最近登录",
        "organization_id": "所属机构",
    },
    "organization": {"kind": "机构类型", "place_adcode": "所在地区"},
    "api_token": {"prefix": "前缀", "last_used_at": "最近使用", "revoked_at": "撤销时间"},
    "evaluation": {
        "system_id": "指标体系",
        "system_name": "体系名称",
        "weighting": "赋权方法",
        "aggregation": "集成方法",
        "scope": "标准化与赋权范围",
        "fill": "缺失值处理",
        "coupling": "耦合协调",
        "normalization": "标准化方法",
        "shift": "熵值平移量",
        "coupling_form": "耦合度模型",
        "drop_dimensions": "不参与评价的维度",
        "subjective": "主客观组合",
        "alpha": "主观权重占比 α",
        "ahp": "判断矩阵",
        "panel_kind": "面板来源",
        "panel_name": "面板",
        "input_digest": "输入数据摘要",
        "params_digest": "方法摘要",
        "is_sample": "示例数据",
    },
    "indicator_system": {"key": "体系编号", "indicators": "指标数", "source_file": "文件"},
    "challenge_application": {
        "challenge_id": "榜单编号",
        "challenge_stage": "揭榜阶段",
        "plan": "揭榜方案",
        "applicant": "申请人",
        "reward_paid": "已付奖励",
    },
}

#: Fields every change touches (bookkeeping), left out of the readable diff.
_HIDDEN = frozenset({"version", "updated_at", "search_text"})
_VALUE_LABELS: dict[str, dict[str, str]] = {
    "role": ROLES,
    "status": STATUS_LABELS,
    "provenance": {"demo": "示例数据", "import": "导入", "manual": "录入", "user": "录入"},
}
_KIND_VALUES: dict[str, dict[str, str]] = {"organization": ORG_KINDS, "listing": KIND_LABELS}
#: Values of an evaluation's method choices, by field (shown as the 指标评价 page names them).
_EVALUATION_VALUES: dict[str, dict[str | None, str]] = {
    **METHOD_LABELS,
    "fill": {"linear": "线性插值", "ffill": "向前填充", None: "面板默认"},
    "subjective": {"fixed": "与指标体系给定权重组合", "ahp": "与判断矩阵组合", None: "不组合"},
    "panel_kind": {"shipped": "平台内置面板", "upload": "上传的面板"},
}
_ACTORS = {"cli": "命令行", "anonymous": "匿名访客", "": "系统"}
_MAX_TEXT = 240


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: its label, and its value before and after (``—`` for none)."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditView:
    """An audit entry as the audit page shows it."""

    id: int
    when: str
    who: str
    action: str
    entity: str
    record: str
    link: str | None
    changes: list[FieldChange] = field(default_factory=list)


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """``moment`` (UTC; naive means UTC) in Beijing time, ``2026-05-01 09:30``; ``—`` if none."""
    if moment is None:
        return "—"
    return in_beijing(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def day_bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """The start of ``since`` and the end of ``until`` (both days included) as Beijing days,
    in UTC like the stored times (SQLite compares them as text, so the zone must match)."""
    start = datetime.combine(since, time(), LOCAL_TZ).astimezone(UTC) if since else None
    end = (
        datetime.combine(until + timedelta(days=1), time(), LOCAL_TZ).astimezone(UTC)
        if until
        else None
    )
    return start, end


def _label(entity: str, name: str) -> str:
    labels = _ENTITY_FIELD_LABELS.get("listing" if entity == "challenge" else entity, {})
    return labels.get(name) or _COMMON_LABELS.get(name, name)


def _value(entity: str, name: str, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if entity in ("evaluation", "indicator_system"):
        shown = _evaluation_value(name, value)
        if shown is not None:
            return shown
    if name == "kind" and entity in _KIND_VALUES:
        return _KIND_VALUES[entity].get(str(value), str(value))
    if name in _VALUE_LABELS:
        return _VALUE_LABELS[name].get(str(value), str(value))
    if name in ("segments", "segment", "industries", "industry"):
        # slugs of the atlas, shown by their Chinese names
        table = names.get("segment" if name.startswith("segment") else "industry", {})
        items = value if isinstance(value, list) else [value]
        return "、".join(table.get(str(item), str(item)) for item in items)
    if name.endswith("adcode") and isinstance(value, str):
        return names.get("place", {}).get(value, value)
    if name.endswith("org_id") or name == "organization_id":
        return names["organization"].get(value, f"机构 {value}") if isinstance(value, int) else "—"
    if name in ("user_id", "pending_user_id") and isinstance(value, int):
        return names["user"].get(value, f"用户 {value}")
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return local_time(datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        text = "、".join(str(item) for item in value)
    elif isinstance(value, list | dict):
        text = _json_brief(value)
    else:
        text = str(value)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "…"


def _evaluation_value(name: str, value: Any) -> str | None:
    """An evaluation's method choice in Chinese, an own system as 自有体系 N, a matrix by its
    size; ``None`` for a value shown as it is."""
    if name in _EVALUATION_VALUES and isinstance(value, str):
        return _EVALUATION_VALUES[name].get(value, value)
    if name in ("system_id", "key") and isinstance(value, str):
        if value.startswith("custom_"):
            return f"自有体系 {value.removeprefix('custom_')}"
        return _shipped_system_names().get(value, "平台内置体系")
    if name == "ahp" and isinstance(value, dict):
        return f"{len(value.get('labels') or [])} 阶判断矩阵"
    return None


@lru_cache(maxsize=1)
def _shipped_system_names() -> dict[str, str]:
    return {system.id: system.name for system in shipped_systems()}


def _json_brief(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _changes(entry: AuditEntry, names: dict[str, dict[Any, str]]) -> list[FieldChange]:
    before, after = entry.before or {}, entry.after or {}
    keys = [key for key in {**before, **after} if key not in _HIDDEN]
    if entry.before is not None and entry.after is not None:
        keys = [key for key in keys if before.get(key) != after.get(key)]
    else:  # a creation or deletion: the fields that hold something (the id is the record's)
        keys = [
            key
            for key in keys
            if key != "id" and before.get(key, after.get(key)) not in (None, "", [], {})
        ]
    return [
        FieldChange(
            label=_label(entry.entity, key),
            before=_value(entry.entity, key, before.get(key), names) if entry.before else "",
            after=_value(entry.entity, key, after.get(key), names) if entry.after else "",
        )
        for key in keys
    ]


def actor_label(entry: AuditEntry, users: dict[int, str]) -> str:
    """Who acted: the user's display name, else 命令行, 匿名访客 or the stored name."""
    if entry.user_id is not None and entry.user_id in users:
        return users[entry.user_id]
    return _ACTORS.get(entry.actor, entry.actor)


def audit_view(entry: AuditEntry, names: dict[str, dict[Any, str]]) -> AuditView:
    """``entry`` for the audit page; ``names`` maps ``user`` and ``organization`` ids, and
    ``place`` adcodes, to the names shown for them."""
    link = _LINKS.get(entry.entity)
    record_id = entry.entity_id
    if not record_id.isdigit() or entry.action == "delete":
        link = None
    return AuditView(
        id=entry.id,
        when=local_time(entry.at, seconds=True),
        who=actor_label(entry, names["user"]),
        action=ACTION_LABELS.get(entry.action, entry.action),
        entity=ENTITY_LABELS.get(entry.entity, entry.entity),
        record=f"#{record_id}" if record_id else "—",
        link=link.format(record_id) if link else None,
        changes=_changes(entry, names),
    )
