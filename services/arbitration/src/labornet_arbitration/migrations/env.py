from labornet_arbitration.adapters.orm import metadata
from labornet_common.migrations import run_env

run_env(metadata)
