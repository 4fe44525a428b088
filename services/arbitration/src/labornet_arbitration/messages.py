"""Arbitration's user-facing messages (Chinese first), registered with the common catalogue."""

from labornet_common.messages import register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "arbitration.wrong_state": ("案件当前状态不允许此操作", "The case's current state does not allow this"),
    "arbitration.refer_instead": (
        "本委无管辖权：应移送有管辖权的仲裁委员会，不得以管辖为由不予受理",
        "This commission lacks jurisdiction: refer the application to a competent commission instead",
    ),
    "arbitration.not_competent": (
        "受移送的仲裁委员会对该争议无管辖权",
        "The receiving commission lacks jurisdiction",
    ),
    "arbitration.unknown_commission": (
        "未知的仲裁委员会",
        "Unknown arbitration commission",
    ),
    "arbitration.unknown_tribunal": (
        "未知或不属于该仲裁委员会的派出仲裁庭",
        "Unknown tribunal, or not of this commission",
    ),
    "arbitration.correction_once": (
        "补正通知只能一次性发出",
        "A correction notice may be issued only once",
    ),
    "arbitration.correction_late": (
        "补正通知应在收到申请之日起5日内发出",
        "Correction must be requested within 5 days",
    ),
    "arbitration.hearing_notice_short": (
        "开庭通知应在开庭五日前送达（劳动争议调解仲裁法第35条）",
        "The hearing notice must reach the parties at least 5 days before the hearing (LDA Art. 35)",
    ),
    "arbitration.panel_required": (
        "劳动者一方十人以上或重大复杂案件须由三名仲裁员组成仲裁庭",
        "10+ workers or a complex case require a three-arbitrator tribunal",
    ),
    "arbitration.tribunal_shape": (
        "仲裁庭组成不正确：独任一名，或首席一名加仲裁员两名",
        "A tribunal is one sole arbitrator, or one presiding and two members",
    ),
    "arbitration.unknown_arbitrator": (
        "仲裁员不属于该仲裁委员会或已回避",
        "Arbitrator not of this commission, or recused",
    ),
    "arbitration.own_recusal": (
        "仲裁员不得决定本人的回避申请",
        "An arbitrator may not decide a recusal request against themselves",
    ),
    "arbitration.extension_limit": (
        "延长审理期限合计不得超过15日",
        "Extensions may total at most 15 days",
    ),
    "arbitration.minimum_wage_unknown": (
        "未配置当地月最低工资标准，无法确定裁决是否终局",
        "No local minimum wage is configured; finality cannot be decided",
    ),
    "arbitration.date_order": ("日期早于案件的前一节点或晚于今日", "Date is before the previous step or in the future"),
    "arbitration.held_elsewhere": (
        "同一争议已在有管辖权的仲裁委员会处理，本委不得重复立案，应移送（劳动争议调解仲裁法第21条）",
        "The same dispute is before the commission that keeps it: refer this application there (LDA Art. 21)",
    ),
    "arbitration.employer_side_fields": (
        "用人单位申请仲裁时须写明用人单位名称及被申请人（劳动者）",
        "An employer's application names the employer and the worker responding",
    ),
}

# Notices to the parties, kept in the case history and carried by the events.
NOTICES: dict[str, str] = {
    "same_dispute_referred": (
        "同一劳动争议（同一用人单位、相同劳动者及仲裁请求）已向{keeper}申请仲裁。依据《劳动争议调解仲裁法》"
        "第二十一条、《劳动人事争议仲裁办案规则》第八条、第九条，由劳动合同履行地（履行地有多个的，最先受理）的"
        "{keeper}管辖；{here}将{applicant}提出的仲裁申请移送{keeper}合并处理，特此告知双方当事人。"
    ),
    "parties_joined": ("追加当事人：劳动者一方现为{count}人。{restart}"),
    "award_period_restarts": "仲裁期限自{on}起重新计算（《劳动人事争议仲裁办案规则》第四十六条）。",
}

register_messages(MESSAGES)
