"""我的工作台 as JSON: the caller's organization's listings, deals, projects, follows, inbox
and evaluations, with summary counts (the twin of the ``/me`` page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from jingjinji.auth import SIGNED_IN
from jingjinji.store.models import User
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.presenters.workspace import workspace_public
from jingjinji.web.schemas.workspace import WorkspacePublic
from jingjinji.web.security import requires
from jingjinji.workspace import gather_workspace

router = APIRouter(prefix="/api", tags=["workspace"])

__all__ = ["router"]


@router.get("/me", summary="我的工作台：本机构的供需信息、对接、项目、关注与消息、评价")
def read_workspace(
    db: SessionDep, atlas: AtlasDep, user: Annotated[User, requires(SIGNED_IN)]
) -> WorkspacePublic:
    """The signed-in caller's workspace: listings by section (草稿, 已发布, 已关闭, 已过期)
    with completeness and allowed actions, deals from both sides (those waiting for the
    caller first), projects, follows, the latest inbox items and, for analysts and admins,
    the organization's saved evaluations."""
    return workspace_public(gather_workspace(db, user, atlas=atlas), user=user, atlas=atlas)
