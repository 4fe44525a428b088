from labornet_common.migrations import run_env
from labornet_gateway.adapters.orm import metadata

run_env(metadata)
