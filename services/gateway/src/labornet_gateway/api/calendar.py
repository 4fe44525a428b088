"""The legal calendar's holiday schedules (国务院办公厅节假日安排通知), entered by administrators.

``PUT /api/v1/calendar/years/{year}`` enters or corrects a year (a new version; the old ones are
kept and readable with ``?version=``); every request lands in the gateway's audit trail, and the
stored schedule says who entered it and when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field

from labornet_common.contracts.calendar import ScheduleDay
from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.auth import Principal
from labornet_gateway.api.webhooks import admin
from labornet_gateway.service import calendar as schedules

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])
Admin = Annotated[Principal, Depends(admin)]
Year = Annotated[int, Path(ge=1900, le=2200, description="the notice's year")]


class ScheduleCreate(BaseModel):
    notice: str = Field(default="", max_length=200, description="文号, e.g. 国办发明电〔2026〕X号")
    days: list[ScheduleDay] = Field(max_length=366, description="days off (with festival) and make-up working days")


class ScheduleVersion(BaseModel):
    year: int
    version: int
    notice: str
    entered_by: str
    entered_at: datetime


class ScheduleRead(ScheduleVersion):
    days: list[ScheduleDay]
    versions: list[ScheduleVersion] = Field(default_factory=list)


class ScheduleOverview(BaseModel):
    shipped_years: list[int] = Field(description="years whose notice ships with the software")
    items: list[ScheduleVersion] = Field(description="the current version of every entered year")


@router.put("/years/{year}", response_model=ScheduleRead)
async def enter_schedule(year: Year, body: ScheduleCreate, who: Admin, uow: UowDep, response: Response) -> ScheduleRead:
    row, new = await schedules.enter(uow=uow, principal=who, year=year, notice=body.notice, days=body.days)
    response.status_code = 201 if new and row["version"] == 1 else 200
    return ScheduleRead.model_validate(await schedules.get(uow=uow, year=year, version=row["version"]))


@router.get("/years", response_model=ScheduleOverview)
async def list_schedules(who: Admin, uow: UowDep) -> ScheduleOverview:
    return ScheduleOverview.model_validate(await schedules.overview(uow=uow))


@router.get("/years/{year}", response_model=ScheduleRead)
async def read_schedule(
    year: Year, who: Admin, uow: UowDep, version: Annotated[int | None, Query(ge=1)] = None
) -> ScheduleRead:
    found = await schedules.get(uow=uow, year=year, version=version)
    if found is None:
        raise not_found()
    return ScheduleRead.model_validate(found)
