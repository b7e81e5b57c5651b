"""Saved evaluations: a panel evaluated with an indicator system, reproducible by its digests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from jingjinji.store.base import Base, utcnow

__all__ = ["Evaluation", "IndicatorSystemRecord"]


class Evaluation(Base):
    """One run of ``jingjinji.indicators.evaluate``, saved with what it needs to be reproduced.

    ``input_digest`` is the SHA-256 of the panel (``Panel.digest``), ``params_digest`` the
    SHA-256 of the method parameters and the indicator system definition
    (``indicators.serialize.method_digest``): equal digests give an equal result. ``result``
    is the compact JSON of ``indicators.serialize.result_to_dict``. ``panel_kind`` is
    ``shipped`` (``panel_name`` = ``sample`` or ``province``) or ``upload`` (``panel_name`` =
    the uploaded file's name). Saved evaluations are never changed, so there is no version.
    """

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    system_id: Mapped[str] = mapped_column(String(64))
    system_name: Mapped[str] = mapped_column(String(200), default="")
    weighting: Mapped[str] = mapped_column(String(16))
    aggregation: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    fill: Mapped[str | None] = mapped_column(String(16))
    coupling: Mapped[str | None] = mapped_column(String(16))
    normalization: Mapped[str] = mapped_column(String(16), default="minmax")
    shift: Mapped[float] = mapped_column(Float, default=0.0)
    coupling_form: Mapped[str] = mapped_column(String(16), default="corrected")
    drop_dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    subjective: Mapped[str | None] = mapped_column(String(16))
    alpha: Mapped[float] = mapped_column(Float, default=0.5)
    ahp: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    panel_kind: Mapped[str] = mapped_column(String(16))
    panel_name: Mapped[str] = mapped_column(String(255))
    input_digest: Mapped[str] = mapped_column(String(64), index=True)
    params_digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_sample: Mapped[bool] = mapped_column(default=False)


class IndicatorSystemRecord(Base):
    """An indicator system an analyst uploaded as a table (``indicators.read_system_table``).

    ``key`` is the system's id (``custom_<id>``), by which evaluations name it;
    ``definition`` is the system as JSON (``IndicatorSystem.model_dump``). Readable by
    analysts, admins and the members of the uploader's organization; never changed (upload a
    new table for a new version), so there is no version column.
    """

    __tablename__ = "indicator_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    source_file: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
