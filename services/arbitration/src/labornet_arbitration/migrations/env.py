from labornet_common.migrations import run_env
from labornet_arbitration.adapters.orm import metadata

run_env(metadata)
