"""The gateway's own user-facing messages (Chinese first), registered with the common catalogue."""

from labornet_common.platform.messages import register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "court.case_key_missing": (
        "请写明案号（case_number）或案件编号（case_id）",
        "Name the case by its docket number (case_number) or its case id (case_id)",
    ),
    "court.case_keys_disagree": (
        "案号与案件编号指向不同的案件，请核对",
        "The docket number and the case id name different cases",
    ),
    "court.webhook_id_invalid": (
        "消息编号（webhook-id）应为1至200个字母、数字或 _ . : - 字符",
        "webhook-id must be 1 to 200 letters, digits or _ . : - characters",
    ),
    "court.case_unknown": (
        "未找到该案件，或该案件不在贵院辖区内；本次回调未被接收，请核对后以同一消息编号重新发送",
        "No such case within your court's regions; the callback was not accepted: "
        "correct it and send it again (the same webhook-id may be reused)",
    ),
    "reports.enterprise_removed": (
        "该企业已从和谐劳动关系企业名册中移除",
        "The enterprise has already been removed from the register of named enterprises",
    ),
    "reports.enterprise_region": (
        "命名地区不在您的管辖范围内",
        "The naming region is outside your regions",
    ),
}

register_messages(MESSAGES)
