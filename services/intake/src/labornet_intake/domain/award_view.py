"""What the worker reads about the hearing, the award, its service, its effect and the court (pure).

The texts are the catalogue below (plain Chinese, each with its article); the functions pick
one by the event's award type, reason or effect and fill in its dates. Older events, written
before the award type or the hearing time were sent, still read sensibly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

_LDA = "《劳动争议调解仲裁法》"
_INTERP = "最高人民法院劳动争议司法解释（一）"
_WHOLE = f"本裁决同时含终局和非终局事项，任何一方起诉的，整个裁决按非终局裁决处理（{_INTERP}第二十条）。"

TEXTS: dict[str, str] = {
    "hearing": "仲裁庭定于{hearing_on}{hearing_time}在{venue}开庭审理，请携带身份证件和证据材料按时到庭"
    "（开庭通知于{notice_served_on}送达）。",
    "hearing.no_time": "（具体时间以开庭通知为准）",
    "issued.final": f"仲裁委员会已于{{issued_on}}作出终局裁决，裁决自作出之日起发生法律效力（{_LDA}第四十七条）。",
    "issued.non_final": "仲裁委员会已于{issued_on}作出裁决（非终局裁决），尚未发生法律效力。",
    "issued.mixed": "仲裁委员会已于{issued_on}作出裁决，尚未发生法律效力。" + _WHOLE,
    "issued.mediation": f"仲裁委员会已于{{issued_on}}制作调解书，双方签收后发生法律效力（{_LDA}第四十二条）。",
    "issued": "仲裁委员会已作出裁决。",
    "served.final": "裁决书已于{served_on}送达。您如不服，可在{suit_due_on}前（含当日）"
    f"向人民法院起诉（{_LDA}第四十八条）；"
    "用人单位可在{set_aside_due_on}前（含当日）向仲裁委员会所在地的中级人民法院申请撤销裁决（第四十九条）。",
    "served.non_final": f"裁决书已于{{served_on}}送达，尚未发生法律效力。双方如不服，可在{{suit_due_on}}前（含当日）"
    f"向人民法院起诉；期满无人起诉的，裁决书发生法律效力（{_LDA}第五十条）。",
    "served.mediation": f"调解书已于{{served_on}}由双方签收，发生法律效力（{_LDA}第四十二条）。",
    "served": "仲裁文书已于{served_on}送达。",
    "served.suit_due": "裁决书已于{served_on}送达，起诉期限至{suit_due_on}。",
    "served.last_window": "各方的期限从各自签收之日起算（《民事诉讼法》第八十五条），"
    "最后一方的起诉期限至{last_suit_due_on}；期满均未起诉的，裁决书发生法律效力。",
    "party_served.worker.final": "裁决书已于{served_on}送达给您。您如不服，可在{suit_due_on}前（含当日）"
    f"向人民法院起诉（{_LDA}第四十八条）。",
    "party_served.worker": "裁决书已于{served_on}送达给您。您如不服，可在{suit_due_on}前（含当日）"
    f"向人民法院起诉（{_LDA}第五十条）。",
    "party_served.worker.mediation": "调解书已于{served_on}由您签收，待用人单位签收后发生法律效力"
    f"（{_LDA}第四十二条）。",
    "party_served.employer": "裁决书已于{served_on}送达用人单位。",
    "effective.final": "终局裁决自{effective_on}起发生法律效力。用人单位不履行的，您可以向人民法院申请强制执行"
    f"（{_LDA}第五十一条）。",
    "effective.non_final": "起诉期限届满无人起诉，裁决书自{effective_on}起发生法律效力。用人单位不履行的，"
    f"您可以向人民法院申请强制执行（{_LDA}第五十、五十一条）。",
    "effective.mediation": f"调解书自{{effective_on}}起发生法律效力（{_LDA}第四十二条）。",
    "effective": "仲裁裁决已于{effective_on}发生法律效力。",
    "not_effective.suit_in_time": "{party}已在期限内向人民法院起诉，裁决不发生法律效力，"
    f"争议由人民法院审理（{_LDA}第五十条）。",
    "not_effective.suit_in_time.mixed": f"{{party}}已在期限内向人民法院起诉，整个裁决按非终局裁决处理，不发生法律效力，"
    f"争议由人民法院审理（{_INTERP}第二十条；{_LDA}第五十条）。",
    "not_effective.challenged_by_worker": "劳动者已在期限内向人民法院起诉，终局裁决在人民法院审理期间不发生约束力，"
    f"争议由人民法院审理（{_LDA}第四十八条）。",
    "not_effective.set_aside": "人民法院已裁定撤销仲裁裁决，裁决不发生法律效力。双方可在{may_sue_by}前（含当日）"
    f"就该争议向人民法院起诉（{_LDA}第四十九条）。",
    "court.no_effect_on_final_award": "用人单位对终局裁决起诉，人民法院不予受理，裁决效力不受影响；"
    f"用人单位只能申请撤销裁决（{_LDA}第四十八条、第四十九条）。",
    "court.set_aside_pending": "用人单位已申请撤销终局裁决：裁决仍然有效，在人民法院裁定前暂停执行"
    f"（{_INTERP}第二十五条）。",
    "court.set_aside_rejected": "人民法院驳回了撤销裁决的申请，裁决继续有效，可以申请强制执行。",
    "court.set_aside_refused_worker_suit_pending": "劳动者已起诉，用人单位撤销裁决的申请人民法院不予受理"
    f"（{_INTERP}第二十一条）。",
    "court.set_aside_out_of_time": "用人单位申请撤销裁决已超过三十日期限，裁决效力不受影响。",
    "court.suit_out_of_time": "起诉已超过十五日期限，不影响裁决的效力。",
    "court.provisional_ruling_not_suable": "对先予执行裁决起诉的，人民法院不予受理，先予执行裁决继续执行"
    f"（{_INTERP}第十条）。",
    "court.partial_award_not_effective": "当事人已在期限内对先行裁决向人民法院起诉，先行裁决不发生法律效力，"
    f"其余请求仍由仲裁庭继续审理（{_LDA}第四十三条、第五十条）。",
    "court.partial_final_award_challenged_by_worker": "劳动者已在期限内对终局的先行裁决向人民法院起诉，"
    f"该先行裁决在人民法院审理期间不发生约束力（{_LDA}第四十八条）。",
    "party.worker": "劳动者",
    "party.employer": "用人单位",
    "party": "一方当事人",
    "lawsuit": "{party}已向人民法院起诉",
    "set_aside_decided.set_aside": "人民法院已裁定撤销仲裁裁决",
    "set_aside_decided.rejected": "人民法院已裁定驳回撤销仲裁裁决的申请",
    "set_aside_decided": "人民法院已就撤销仲裁裁决的申请作出裁定",
}


def chinese_date(value: Any) -> str:
    """``2026-10-08`` -> ``2026年10月8日``; anything else as it is."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "")
    return f"{day.year}年{day.month}月{day.day}日"


def _dates(data: Mapping[str, Any]) -> dict[str, str]:
    return {
        k: chinese_date(v) if k.endswith("_on") or k.endswith("_by") else str(v)
        for k, v in data.items()
        if v is not None
    }


def _pick(prefix: str, variant: str | None) -> str:
    return TEXTS.get(f"{prefix}.{variant}", TEXTS[prefix])


def _party(data: Mapping[str, Any]) -> str:
    return _pick("party", data.get("party"))


def hearing(data: Mapping[str, Any]) -> str:
    time = str(data.get("hearing_time") or "")[:5]
    values = {**_dates(data), "hearing_time": f" {time}" if time else TEXTS["hearing.no_time"]}
    return TEXTS["hearing"].format_map(values)


def issued(data: Mapping[str, Any]) -> str:
    variant = "mediation" if data.get("kind") == "mediation" else data.get("award_type")
    return _pick("issued", variant).format_map(_dates(data))


def served(data: Mapping[str, Any]) -> str:
    """The award served on every party: the worker reads their own day and window (LDA Arts.
    48, 50 run from each party's own receipt), and when the last window ends later, that one."""
    kind = "mediation" if data.get("kind") == "mediation" else data.get("award_type")
    own = {**data, **_own_dates(data, "worker")}
    if kind is None:  # an event older than the award type
        return _pick("served", "suit_due" if own.get("suit_due_on") else None).format_map(_dates(own))
    text = _pick("served", "non_final" if kind == "mixed" else kind).format_map(_dates(own))
    last = data.get("suit_due_on")
    if kind in ("non_final", "mixed") and last and own.get("suit_due_on") != last:
        text += TEXTS["served.last_window"].format(last_suit_due_on=chinese_date(last))
    return text + _WHOLE if kind == "mixed" else text


def party_served(data: Mapping[str, Any]) -> str:
    """One party received the award before the other (its own window runs from its own day)."""
    if data.get("party") != "worker":
        return TEXTS["party_served.employer"].format_map(_dates(data))
    kind = "mediation" if data.get("kind") == "mediation" else data.get("award_type")
    variant = "final" if kind == "final" else "mediation" if kind == "mediation" else None
    return _pick("party_served.worker", variant).format_map(_dates(data))


def _own_dates(data: Mapping[str, Any], party: str) -> dict[str, Any]:
    for entry in data.get("parties") or []:
        if isinstance(entry, Mapping) and entry.get("party") == party:
            return {k: entry[k] for k in ("served_on", "suit_due_on") if entry.get(k)}
    return {}


def effective(data: Mapping[str, Any]) -> str:
    kind = "mediation" if data.get("kind") == "mediation" else data.get("award_type")
    return _pick("effective", "non_final" if kind == "mixed" else kind).format_map(_dates(data))


def not_effective(data: Mapping[str, Any]) -> str:
    reason = str(data.get("reason"))
    key = f"not_effective.{reason}"
    if reason == "suit_in_time" and data.get("award_type") == "mixed":
        key += ".mixed"
    return TEXTS.get(key, TEXTS["not_effective.suit_in_time"]).format_map({**_dates(data), "party": _party(data)})


def court_effect(data: Mapping[str, Any]) -> str | None:
    """What a court event did on the arbitration side, when it is not told by another line."""
    return TEXTS.get(f"court.{data.get('effect')}")


def lawsuit(data: Mapping[str, Any]) -> str:
    return TEXTS["lawsuit"].format(party=_party(data))


def set_aside_decided(data: Mapping[str, Any]) -> str:
    return _pick("set_aside_decided", data.get("outcome") or None)


DESCRIBERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "cn.labornet.arbitration.hearing.scheduled.v1": hearing,
    "cn.labornet.arbitration.award.issued.v1": issued,
    "cn.labornet.arbitration.award.served.v1": served,
    "cn.labornet.arbitration.award.party_served.v1": party_served,
    "cn.labornet.arbitration.award.effective.v1": effective,
    "cn.labornet.arbitration.award.not_effective.v1": not_effective,
    "cn.labornet.arbitration.court_event.recorded.v1": court_effect,
    "cn.labornet.court.lawsuit_filed.v1": lawsuit,
    "cn.labornet.court.set_aside_decided.v1": set_aside_decided,
}
