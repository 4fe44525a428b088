from labornet_common.settings import BaseServiceSettings
from labornet_gateway.security_settings import SecuritySettings
from labornet_gateway.webhooks.settings import WebhookSettings


class GatewaySettings(SecuritySettings, WebhookSettings, BaseServiceSettings):
    service_name: str = "gateway"
    port: int = 8000
    intake_url: str = "http://127.0.0.1:8001"
    mediation_url: str = "http://127.0.0.1:8002"
    arbitration_url: str = "http://127.0.0.1:8003"
    wage_arrears_url: str = "http://127.0.0.1:8004"
    upstream_timeout_s: float = 15.0
    max_body_bytes: int = 1_000_000

    def upstreams(self) -> dict[str, str]:
        return {
            "intake": self.intake_url,
            "mediation": self.mediation_url,
            "arbitration": self.arbitration_url,
            "wage-arrears": self.wage_arrears_url,
        }
