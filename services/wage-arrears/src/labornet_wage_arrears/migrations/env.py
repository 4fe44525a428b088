from labornet_common.migrations import run_env
from labornet_wage_arrears.adapters.orm import metadata

run_env(metadata)
