"""Wage arrears' copy of the entered holiday schedules (see labornet_common.platform.holiday_store): the
desk's working-day periods (若干规定 Art. 18, Ordinance Art. 17) read the same live calendar."""

from labornet_common.platform.holiday_store import schedules_table
from labornet_wage_arrears.adapters.orm import metadata

holiday_schedules = schedules_table(metadata)
