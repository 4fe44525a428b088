from labornet_common.migrations import run_env
from labornet_intake.adapters.orm import metadata

run_env(metadata)
