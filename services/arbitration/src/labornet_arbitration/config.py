from labornet_common.settings import BaseServiceSettings


class ArbitrationSettings(BaseServiceSettings):
    service_name: str = "arbitration"
    port: int = 8003
