"""The arbitrator's forms for arbitration as practised: withdrawal, deemed withdrawal and default
award (LDA Art. 36), postponement (Art. 35), the simplified procedure (Rules Arts. 56-61),
先予执行 (Art. 44), partial awards (Art. 43 ¶2) and 公告送达. Form fields to API bodies, and
the words the screens use; the arbitration service decides and explains every refusal."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from labornet_gateway.console.action_forms import blank_free, fen, text

DONE = {
    "withdrawal": "已记录撤回仲裁申请，仲裁程序终结。",
    "deemed-withdrawal": "已按撤回仲裁申请处理，仲裁程序终结。",
    "default-award": "已缺席裁决。",
    "postponement": "已记录延期开庭申请及决定。",
    "simplified": "本案已适用简易处理。",
    "conversion": "本案已转为按一般程序处理。",
    "provisional-execution": "已就先予执行申请作出裁决。",
    "partial-award": "已作出先行裁决。",
    "partial-award-service": "已记录先行裁决书送达。",
    "publication": "已记录公告送达。",
}
# Forms whose items are rows like the award's (items.N.category, amount, description, granted).
ITEM_FORMS = ("default-award", "partial-award", "provisional-execution")

LABELS: dict[str, dict[str, str]] = {
    "modes": {"simplified": "简易处理（独任仲裁）", "converted": "由简易处理转为一般程序", "": "一般程序"},
    "grounds": {
        "clear_facts": "事实清楚、权利义务关系明确、争议不大",
        "amount_within_average_wage": "标的额不超过本省上年度职工年平均工资",
        "parties_agree": "双方当事人同意简易处理",
    },
    "exclusions": {
        "public_interest": "涉及国家利益、社会公共利益",
        "major_impact": "有重大社会影响",
        "respondent_missing": "被申请人下落不明",
        "collective": "集体劳动争议（劳动者一方十人以上）",
    },
    "documents": {
        "application_copy": "仲裁申请书副本",
        "hearing_notice": "开庭通知",
        "award": "裁决书",
        "other": "其他仲裁文书",
    },
    "parties": {"worker": "劳动者", "employer": "用人单位", "tribunal": "仲裁庭（依职权）"},
    "provisional_categories": {
        "labor_remuneration": "劳动报酬",
        "injury_medical": "工伤医疗费",
        "economic_compensation": "经济补偿",
        "damages": "赔偿金",
    },
    "closures": {"withdrawn": "申请人撤回仲裁申请", "deemed_withdrawn": "视为撤回仲裁申请（第三十六条）"},
}


def _items(form: FormData, *, granted: bool) -> tuple[list[dict[str, Any]], list[int]]:
    items, rows = [], []
    for row in range(50):  # the API's limit
        prefix = f"items.{row}."
        category = text(form, prefix + "category")
        if not category:
            continue  # an unused row
        amount = text(form, prefix + "amount")
        item = {
            "category": category,
            "description": text(form, prefix + "description"),
            "amount_fen": fen(amount) if amount else None,
        }
        if granted:
            item["granted"] = form.get(prefix + "granted") == "on"
        items.append(blank_free(item))
        rows.append(row)
    return items, rows


def body(action: str, form: FormData) -> tuple[dict[str, Any], list[int]]:
    """The API's body for one of DONE's forms; for item forms also the rows sent, in order."""
    on = text(form, "on")
    if action == "withdrawal":
        settled = form.get("settled") == "on"
        return blank_free({"settled": settled, "settlement": text(form, "settlement") if settled else "", "on": on}), []
    if action == "deemed-withdrawal":
        return blank_free({"reason": text(form, "reason"), "on": on}), []
    if action in ("default-award", "partial-award"):
        items, rows = _items(form, granted=True)
        extra = {"reason": text(form, "reason")} if action == "default-award" else {}
        return blank_free({**extra, "items": items, "on": on}), rows
    if action == "provisional-execution":
        items, rows = _items(form, granted=False)
        return (
            blank_free(
                {
                    "items": items,
                    "rights_clear": form.get("rights_clear") == "on",
                    "living_seriously_affected": form.get("living_seriously_affected") == "on",
                    "court_name": text(form, "court_name"),
                    "on": on,
                }
            ),
            rows,
        )
    if action == "postponement":
        granted = text(form, "granted") == "yes"
        keys = ("hearing_on", "hearing_time", "notice_served_on", "venue") if granted else ()
        return blank_free(
            {
                "requested_by": text(form, "requested_by"),
                "requested_on": on,
                "reason": text(form, "reason"),
                "granted": granted,
                **{k: text(form, k) for k in keys},
            }
        ), []
    if action == "simplified":
        return blank_free({"grounds": form.getlist("grounds"), "exclusions": form.getlist("exclusions"), "on": on}), []
    if action == "conversion":
        return blank_free({"reason": text(form, "reason"), "on": on}), []
    if action == "partial-award-service":
        return blank_free({"part_id": text(form, "part_id"), "on": on}), []
    if action == "publication":
        return blank_free({"document": text(form, "document"), "published_on": text(form, "published_on")}), []
    return blank_free({"on": on}), []
