from labornet_arbitration.adapters.orm import metadata
from labornet_common.platform.migrations import run_env

run_env(metadata)
