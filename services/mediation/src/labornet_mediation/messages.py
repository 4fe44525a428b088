"""Mediation's user-facing messages (Chinese first, English second)."""

from labornet_common.platform.messages import register_messages

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
    "mediation.extension_days": ("延长的天数至少为一日", "Add at least one day"),
    "mediation.extension_not_agreed": (
        "延长调解期限须经双方当事人同意",
        "Extending the mediation period needs both parties' agreement",
    ),
    "mediation.extension_in_future": ("同意延长的日期不能晚于今天", "The agreement cannot be dated after today"),
    "mediation.extension_late": (
        "调解期限已届满，不能再延长；当事人可以依法申请仲裁（劳动争议调解仲裁法第十四条）",
        "The mediation period already ended: it cannot be extended; a party may apply for arbitration (LDA Art. 14)",
    ),
    "mediation.extension_too_long": (
        "延长的天数累计超过本地规定的上限",
        "The days added in all exceed the local ceiling",
    ),
    "mediation.committee_composition": (
        "企业劳动争议调解委员会应写明组成：职工代表、企业代表和主任（劳动争议调解仲裁法第十条）",
        "An enterprise committee needs its make-up: both sides' representatives and its chair (LDA Art. 10)",
    ),
    "mediation.committee_workers": (
        "企业劳动争议调解委员会应有职工代表（劳动争议调解仲裁法第十条）",
        "An enterprise committee needs workers' representatives (LDA Art. 10)",
    ),
    "mediation.committee_employer": (
        "企业劳动争议调解委员会应有企业代表（劳动争议调解仲裁法第十条）",
        "An enterprise committee needs the enterprise's representatives (LDA Art. 10)",
    ),
    "mediation.committee_chair": (
        "调解委员会主任由工会成员或者双方推举的人员担任（劳动争议调解仲裁法第十条）",
        "The chair is a union member or a person both sides elect (LDA Art. 10)",
    ),
    "mediation.committee_enterprise": (
        "请填写调解委员会所在企业的名称或统一社会信用代码",
        "Give the committee's enterprise: its name or credit code",
    ),
    "mediation.committee_other_enterprise": (
        "企业劳动争议调解委员会只调解本企业发生的劳动争议",
        "An enterprise committee mediates only its own enterprise's disputes",
    ),
    "mediation.composition_not_enterprise": (
        "只有企业劳动争议调解委员会填写组成",
        "Only an enterprise committee has a make-up to give",
    ),
    "mediation.centre_serves": ("请填写本调解组织服务的街道或县区", "Give the streets or counties the centre serves"),
    "mediation.centre_serves_outside": (
        "服务区域应在调解组织所在县区内",
        "A centre serves within its own county",
    ),
    "mediation.tribunal_unknown": ("未找到该派出仲裁庭", "Unknown dispatched tribunal"),
    "mediation.commission_unknown": ("未找到该仲裁委员会", "Unknown arbitration commission"),
    "mediation.division_out_of_scope": ("该地区不在您的管理范围内", "This area is outside your region"),
    "mediation.register_reference": ("机构名录中的引用不存在", "The register names a body that does not exist"),
    "mediation.mediator_exists": ("该调解员已在本调解组织登记", "This mediator is already on the roster"),
    "mediation.mediator_retired": ("该调解员已不再担任调解员", "This mediator has retired"),
    "mediation.same_centre": ("该调解员已在此调解组织", "The mediator already serves at this centre"),
    "mediation.centre_has_open_cases": (
        "该调解组织仍有未办结的案件，不能撤销",
        "The centre still has open cases: it cannot be retired",
    ),
    "mediation.centre_has_mediators": (
        "请先调出或注销该调解组织的调解员",
        "Move or retire the centre's mediators first",
    ),
}

register_messages(MESSAGES)
