from labornet_common.platform.settings import BaseServiceSettings


class IntakeSettings(BaseServiceSettings):
    service_name: str = "intake"
    port: int = 8001
    # 一地投诉、区域联动受理: no national law fixes how long the owning region has to answer a
    # forwarded complaint; regional pacts do (川渝 2020: assistance answered within 10 working
    # days). Set it to the pact that binds the regions of the deployment.
    joint_answer_working_days: int = 10
