"""Intake's copy of the entered holiday schedules (see labornet_common.platform.holiday_store): limitation
(LDA Art. 27) and the joint-acceptance answer date read the same live calendar."""

from labornet_common.platform.holiday_store import schedules_table
from labornet_intake.adapters.orm import metadata

holiday_schedules = schedules_table(metadata)
