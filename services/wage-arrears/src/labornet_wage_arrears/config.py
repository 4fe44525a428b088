from labornet_common.settings import BaseServiceSettings


class WageArrearsSettings(BaseServiceSettings):
    service_name: str = "wage-arrears"
    port: int = 8004
