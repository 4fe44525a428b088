from pydantic import Field

from labornet_common.platform.settings import BaseServiceSettings
from labornet_wage_arrears.domain.config import RuleBook


class WageArrearsSettings(BaseServiceSettings):
    service_name: str = "wage-arrears"
    port: int = 8004
    # Alert rules: national defaults plus overrides by division-code prefix, as JSON in
    # LABORNET_ALERT_RULES, e.g. {"regions": {"41": {"crime_single_fen": 1000000}}}.
    alert_rules: RuleBook = Field(default_factory=RuleBook)
    alert_scan_interval_s: float = Field(60.0, ge=0)  # how often the escalation clock is checked (0: off)
