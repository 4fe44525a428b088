from labornet_common.platform.migrations import run_env
from labornet_wage_arrears.adapters.orm import metadata

run_env(metadata)
