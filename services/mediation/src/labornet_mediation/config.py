from pydantic import Field

from labornet_common.platform.settings import BaseServiceSettings


class MediationSettings(BaseServiceSettings):
    service_name: str = "mediation"
    port: int = 8002
    # Warn this many days before the 15-day mediation period (LDA Art. 14) runs out.
    mediation_warn_days: int = Field(default=3, ge=0, le=14)
    # How often the background scanner looks for expiring and expired clocks; 0 turns it off.
    mediation_clock_scan_interval_s: float = Field(default=60.0, ge=0)
    # Ceiling on the days the parties may add to the mediation period by agreement, in all. No
    # statute sets one (LDA Art. 14 has no extension; 人社部令17号 allows one by agreement): local policy.
    mediation_max_extension_days: int = Field(default=15, ge=0, le=365)
    # Seed the demo roster of mediators (seed regions) on start; production loads its own.
    mediation_seed_demo_mediators: bool = True
    # Later or corrected State Council holiday notices: {"2027": {"holidays": [...], "workdays": [...]}}.
    mediation_holiday_notices: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
