from labornet_common.settings import BaseServiceSettings


class MediationSettings(BaseServiceSettings):
    service_name: str = "mediation"
    port: int = 8002
