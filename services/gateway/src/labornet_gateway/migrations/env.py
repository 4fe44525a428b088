from labornet_common.platform.migrations import run_env
from labornet_gateway.adapters.orm import metadata

run_env(metadata)
