from labornet_common.platform.migrations import run_env
from labornet_mediation.adapters.orm import metadata

run_env(metadata)
