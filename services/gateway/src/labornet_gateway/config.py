from labornet_common.platform.runtime import Runtime
from labornet_common.platform.settings import BaseServiceSettings
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


def gateway_settings(runtime: Runtime) -> GatewaySettings:
    """The gateway's own settings from the runtime the platform built with them."""
    settings = runtime.settings
    if not isinstance(settings, GatewaySettings):
        raise TypeError(f"the gateway runs with GatewaySettings, not {type(settings).__name__}")
    return settings
