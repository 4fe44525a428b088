"""Mediation's user-facing messages (Chinese first, English second)."""

from labornet_common.messages import register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "mediation.wrong_state": ("案件当前状态不允许此操作", "The case's current state does not allow this"),
    "mediation.stale": ("案件已被他人修改，请刷新后重试", "The case changed meanwhile; reload and retry"),
    "mediation.centre_unknown": ("未找到该调解组织", "Unknown mediation centre"),
    "mediation.no_centre": ("该地区没有可受理的调解组织", "No mediation centre serves this area"),
    "mediation.mediator_unknown": ("该调解员不在本调解组织", "This mediator does not serve at the case's centre"),
    "mediation.mediator_recused": ("该调解员已回避本案", "This mediator stepped aside from this case"),
    "mediation.no_mediator": ("本调解组织暂无可指派的调解员", "No mediator of this centre is available"),
    "mediation.not_assigned": ("该调解员未承办本案", "That mediator is not on this case"),
    "mediation.terms_missing": ("调解协议至少应有一项履行内容", "An agreement needs at least one term"),
    "mediation.term_item": ("不是有效的争议事项", "Not a valid claim category"),
    "mediation.term_due_before_effect": (
        "履行期限早于协议生效日期",
        "A term falls due before the agreement takes effect",
    ),
    "mediation.not_signed": (
        "调解协议书须经双方当事人签名或盖章、调解员签名并加盖调解组织印章后生效（劳动争议调解仲裁法第十四条）",
        "The agreement takes effect once both parties and the mediator sign and the centre seals (LDA Art. 14)",
    ),
    "mediation.unpaid_amount": (
        "未履行金额应大于零且不超过该项约定的金额",
        "The unpaid amount must be above zero and at most the term's amount",
    ),
    "mediation.unpaid_not_monetary": (
        "该项为非金钱给付事项，不能填写未付金额",
        "This term pays no money: it has no unpaid amount",
    ),
    "mediation.term_amount": ("金钱给付事项应填写金额", "A payment term needs an amount"),
    "mediation.term_amount_not_monetary": ("非金钱给付事项不填写金额", "A non-monetary term carries no amount"),
    "mediation.term_obligation": ("不是有效的履行事项", "Not a valid non-monetary obligation"),
    "mediation.term_description": ("请写明应当履行的内容", "Say what is to be done"),
    "mediation.items_missing": ("请至少填写一项协议事项的履行情况", "Give the outcome of at least one term"),
    "mediation.term_unknown": ("调解协议中没有该项", "The agreement has no such term"),
    "mediation.term_already_recorded": ("该项的履行情况已记录", "This term's outcome is already recorded"),
    "mediation.breach_before_due": (
        "履行期限尚未届满，不能记录为未履行（劳动争议调解仲裁法第十五条）",
        "The term is not yet due: it cannot be recorded as breached (LDA Art. 15)",
    ),
    "mediation.no_agreement": ("本案没有调解协议", "The case has no mediation agreement"),
    "mediation.payment_order_ineligible": (
        "仅就支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金的协议事项，用人单位未按期履行的，可申请支付令"
        "（劳动争议调解仲裁法第十六条）",
        "A payment order is only for unpaid terms on wages, injury medical fees, economic compensation or "
        "damages (LDA Art. 16)",
    ),
    "mediation.judicial_confirmation_late": (
        "司法确认应自调解协议生效之日起三十日内申请（民事诉讼法第二百零五条）",
        "Judicial confirmation must be requested within 30 days of the agreement taking effect (CPL Art. 205)",
    ),
    "mediation.court_request_exists": ("已提出过该项申请", "This court request was already made"),
    "mediation.no_commission": ("未找到有管辖权的劳动人事争议仲裁委员会", "No arbitration commission has jurisdiction"),
    "mediation.effective_in_future": (
        "调解协议生效日期不能晚于今天",
        "The agreement cannot take effect after today",
    ),
    "mediation.received_in_future": ("收到申请日期不能晚于今天", "The date of receipt cannot be in the future"),
    "mediation.session_place": ("请填写调解地点或视频链接", "Give a place or a video link"),
}

register_messages(MESSAGES)
