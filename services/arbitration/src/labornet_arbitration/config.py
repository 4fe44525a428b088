from datetime import date

from pydantic import BaseModel, Field, field_validator

from labornet_common.platform.settings import BaseServiceSettings

DEFAULT_CASE_NUMBER_FORMAT = "{short_name}案字〔{year}〕第{seq}号"


class MinimumWageSetting(BaseModel):
    """One row of the minimum-wage table (LABORNET_MINIMUM_WAGES, a JSON list of these)."""

    region_prefix: str = Field(pattern=r"^[0-9]{2,9}$")
    effective_from: date
    monthly_fen: int = Field(gt=0)
    status: str = "configured"


class AverageWageSetting(BaseModel):
    """A province's average annual wage of employees for one year (LABORNET_AVERAGE_WAGES, a JSON
    list): the simplified procedure's amount ground (Rules Art. 56(二)) uses the previous year's."""

    region_prefix: str = Field(pattern=r"^[0-9]{2,9}$")
    year: int = Field(ge=2000, le=2100)
    annual_fen: int = Field(gt=0)


class ArbitrationSettings(BaseServiceSettings):
    service_name: str = "arbitration"
    port: int = 8003
    # Case numbers vary by locality (domain-rules §6: the 人社 template "×劳人仲字[20 ]第 号");
    # placeholders: {short_name} (from the organisations register), {year}, {seq}.
    case_number_format: str = DEFAULT_CASE_NUMBER_FORMAT
    # Added to (and, for the same region and date, replacing) the shipped table in
    # domain/minimum_wage.py: 福州 has no shipped figure, so its deployment must supply one.
    minimum_wages: list[MinimumWageSetting] = Field(default_factory=list)
    # No figure is shipped (none is verified in domain-rules); unset, the amount ground is refused.
    average_wages: list[AverageWageSetting] = Field(default_factory=list)
    # The CJK TrueType/OpenType font embedded (as a subset) in the documents' PDFs; unset, the
    # first CJK font installed on the machine (fonts-wqy-microhei, fonts-noto-cjk).
    document_font: str | None = None
    # Electronic service (电子送达), configured per deployment: the SMTP relay for e-mail, the SMS
    # gateway's HTTP endpoint and the secret its delivery receipts are signed with, and the public
    # address the parties' download links point at (the gateway's).
    e_service_enabled: bool = True
    e_service_smtp_host: str = "127.0.0.1"
    e_service_smtp_port: int = 25
    e_service_smtp_from: str = "songda@labornet.invalid"
    e_service_sms_url: str | None = None
    e_service_sms_secret: str = ""  # unset: derived from the internal secret
    # The worker's app: its endpoint for signed webhooks (Standard Webhooks) and the shared
    # whsec_ secrets (the first signs; any verifies the app's receipts). Unset: no app channel.
    e_service_app_url: str | None = None
    e_service_app_secrets: list[str] = Field(default_factory=list)
    e_service_public_url: str = "http://127.0.0.1:8000"
    e_service_max_attempts: int = Field(default=3, ge=1, le=10)
    e_service_backoff_s: float = Field(default=30.0, gt=0)
    e_service_poll_s: float = Field(default=1.0, gt=0)
    # With nothing due the sender's wait doubles from the poll up to this; a delivery or prompt
    # queued in the same process wakes it at once, one queued by another process waits this long.
    e_service_idle_max_s: float = Field(default=10.0, gt=0)
    # The clock scanner's period, where the consumers run (API or worker); 0 switches it off.
    clock_scan_interval_s: float = Field(default=3600.0, ge=0)

    @field_validator("case_number_format")
    @classmethod
    def _format_has_a_sequence(cls, value: str) -> str:
        from labornet_arbitration.domain.docket import check_format

        check_format(value)
        return value
