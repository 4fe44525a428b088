"""Arbitration's user-facing messages (Chinese first), registered with the common catalogue."""

from labornet_common.platform.messages import register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    "arbitration.e_service_address": (
        "电子送达地址无效：电子邮件送达须提供有效的电子邮箱，短信送达只发往登记的手机号码",
        "Invalid address for electronic service: e-mail needs a valid address; SMS goes to the phone on file",
    ),
    "arbitration.e_service_no_phone": (
        "未登记手机号码，不能以短信方式电子送达",
        "No phone on file: SMS service is not possible",
    ),
    "arbitration.documents_font_missing": (
        "文书无法生成：未配置中文字体（LABORNET_DOCUMENT_FONT）",
        "Documents cannot be rendered: no CJK font (LABORNET_DOCUMENT_FONT)",
    ),
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
    "arbitration.arbitrator_retired": (
        "该仲裁员已不在仲裁员名册中，不能组成新的仲裁庭",
        "The arbitrator has retired from the roster and cannot sit on a new tribunal",
    ),
    "arbitration.arbitrator_exists": (
        "仲裁员编号或账号已在名册中",
        "An arbitrator with this id or account is already on the roster",
    ),
    "arbitration.no_successor": (
        "仲裁委员会没有其他在册仲裁员可以接替该仲裁员，以下未结案件的仲裁庭无法重新组成，暂不能办理",
        "No other arbitrator on the commission's roster can take this arbitrator's seat on the open cases "
        "named; the change is refused",
    ),
    "arbitration.arbitrator_retired_already": ("该仲裁员已退出名册", "The arbitrator has already retired"),
    "arbitration.same_commission": ("仲裁员已在该仲裁委员会", "The arbitrator already serves this commission"),
    "arbitration.commission_out_of_scope": (
        "仲裁委员会不在您的管辖地区",
        "The commission is outside your region",
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
    "arbitration.settlement_missing": (
        "撤回申请时记录和解的，须写明和解内容",
        "A withdrawal with a settlement must state the settlement",
    ),
    "arbitration.no_written_notice": (
        "未书面通知开庭的，不能按撤回申请处理或缺席裁决（劳动争议调解仲裁法第36条）",
        "Without a written hearing notice there is no deemed withdrawal or default award (LDA Art. 36)",
    ),
    "arbitration.absence_before_hearing": (
        "缺席只能在开庭之日或之后记录，且不得晚于今日",
        "An absence is recorded on or after the hearing day, and not in the future",
    ),
    "arbitration.postpone_reason": ("申请延期开庭须说明正当理由", "A postponement request must state its reason"),
    "arbitration.postpone_late": (
        "当事人申请延期开庭应在开庭三日前提出（劳动争议调解仲裁法第35条）",
        "A party must ask for postponement at least 3 days before the hearing (LDA Art. 35)",
    ),
    "arbitration.postpone_new_day": (
        "决定延期的，须另定晚于原开庭日的开庭日期",
        "A granted postponement needs a new hearing day after the original one",
    ),
    "arbitration.simplified_no_ground": (
        "适用简易处理须具备事实清楚、标的额不超过本省上年度职工年平均工资或双方同意之一（办案规则第56条）",
        "The simplified procedure needs a ground of Rules Art. 56",
    ),
    "arbitration.average_wage_unknown": (
        "未配置本省上年度职工年平均工资，无法按标的额适用简易处理",
        "No provincial average wage is configured; the amount ground cannot be applied",
    ),
    "arbitration.simplified_amount": (
        "标的额超过本省上年度职工年平均工资，不能以此适用简易处理（办案规则第56条）",
        "The amount exceeds the province's average annual wage (Rules Art. 56)",
    ),
    "arbitration.simplified_excluded": (
        "涉及国家利益、社会公共利益、有重大社会影响、被申请人下落不明或集体争议的案件不适用简易处理（办案规则第57条）",
        "Excluded from the simplified procedure (Rules Art. 57)",
    ),
    "arbitration.simplified_sole": (
        "简易处理的案件由一名仲裁员独任仲裁",
        "A simplified case is heard by a sole arbitrator",
    ),
    "arbitration.converted_panel": (
        "转为一般程序的案件应组成三人仲裁庭",
        "A case converted to the ordinary procedure sits as three arbitrators",
    ),
    "arbitration.not_simplified": ("本案未适用简易处理", "The case is not under the simplified procedure"),
    "arbitration.convert_late": (
        "转为一般程序应在仲裁期限届满前决定（办案规则第60条）",
        "Conversion must be decided before the award period ends",
    ),
    "arbitration.convert_reason": ("转为一般程序须说明理由", "A conversion must state its reason"),
    "arbitration.provisional_worker_only": (
        "先予执行只能由劳动者申请（劳动争议调解仲裁法第44条）",
        "Only the worker may apply for provisional execution (LDA Art. 44)",
    ),
    "arbitration.provisional_items": ("请列明先予执行的事项和金额", "List the items and amounts to execute"),
    "arbitration.provisional_category": (
        "先予执行限于本案请求中的劳动报酬、工伤医疗费、经济补偿或者赔偿金（劳动争议调解仲裁法第44条）",
        "Provisional execution is for the case's remuneration, injury medical, compensation or damages claims",
    ),
    "arbitration.provisional_court": (
        "准予先予执行的，须写明移送执行的人民法院",
        "A granted ruling names the court it is transferred to",
    ),
    "arbitration.partial_items": ("请列明先行裁决的事项", "List the items of the partial award"),
    "arbitration.partial_category": (
        "先行裁决的事项须为本案尚未裁决的请求",
        "A partial award decides claims of the case not yet decided",
    ),
    "arbitration.partial_whole": (
        "对全部剩余请求作出的裁决应为最终裁决，而非先行裁决",
        "Deciding every remaining claim is the award itself, not a partial one",
    ),
    "arbitration.unknown_partial_award": ("未找到该先行裁决", "No such partial award"),
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
