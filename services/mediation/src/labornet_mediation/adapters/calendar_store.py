"""Mediation's copy of the entered holiday schedules (see labornet_common.platform.holiday_store)."""

from labornet_common.platform.holiday_store import schedules_table
from labornet_mediation.adapters.orm import metadata

holiday_schedules = schedules_table(metadata)
