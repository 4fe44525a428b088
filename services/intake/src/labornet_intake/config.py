from labornet_common.settings import BaseServiceSettings


class IntakeSettings(BaseServiceSettings):
    service_name: str = "intake"
    port: int = 8001
