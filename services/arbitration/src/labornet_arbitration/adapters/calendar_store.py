"""Arbitration's copy of the entered holiday schedules (see labornet_common.platform.holiday_store)."""

from labornet_arbitration.adapters.orm import metadata
from labornet_common.platform.holiday_store import schedules_table

holiday_schedules = schedules_table(metadata)
