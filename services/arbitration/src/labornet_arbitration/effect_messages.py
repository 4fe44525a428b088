"""The award's effect in plain words (Chinese first, English second), keyed by effect.py's codes.

Placeholders: {effective_on} {served_on} {suit_due_on} {set_aside_due_on} {may_sue_by} are dates;
{suit_due} {set_aside_due} {may_sue} read "（截至…）" when the date is known, else nothing.
"""

from labornet_common.platform.messages import register_messages

_LDA = "《劳动争议调解仲裁法》"
_INTERP = "《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》"
_MIXED = f"本裁决同时包含终局和非终局裁决事项，任何一方起诉的，整个裁决按非终局裁决处理（{_INTERP}第二十条）。"
_NONFINAL_RULE = (
    "当事人可自收到裁决书之日起十五日内向人民法院起诉{suit_due}；"
    + f"期满不起诉的，裁决书发生法律效力（{_LDA}第五十条）。"
)

EFFECT_MESSAGES: dict[str, tuple[str, str]] = {
    "award.effect.mediation_pending": (
        f"仲裁调解书经双方当事人签收后发生法律效力（{_LDA}第四十二条）。",
        "The mediation document takes effect once both parties sign for it (LDA Art. 42).",
    ),
    "award.effect.mediation_effective": (
        f"仲裁调解书已于{{effective_on}}经双方签收，发生法律效力（{_LDA}第四十二条）。",
        "The mediation document took effect on {effective_on} (LDA Art. 42).",
    ),
    "award.effect.final": (
        f"本裁决为终局裁决，自作出之日（{{effective_on}}）起发生法律效力（{_LDA}第四十七条）。"
        f"劳动者不服的，可自收到裁决书之日起十五日内向人民法院起诉{{suit_due}}（第四十八条）；"
        f"用人单位可自收到裁决书之日起三十日内向仲裁委员会所在地的中级人民法院申请撤销裁决{{set_aside_due}}（第四十九条）。",
        "A final award, effective when made ({effective_on}, LDA Art. 47). The worker may sue within 15 days "
        "of receipt (Art. 48); the employer may apply to set it aside within 30 days (Art. 49).",
    ),
    "award.effect.final_employer_suit": (
        f"本裁决为终局裁决，已于{{effective_on}}发生法律效力。用人单位不能对终局裁决起诉，人民法院不予受理；"
        f"用人单位只能自收到裁决书之日起三十日内申请撤销裁决{{set_aside_due}}（{_LDA}第四十八条、第四十九条）。"
        "用人单位的起诉不影响裁决的效力。",
        "A final award, effective since {effective_on}. The employer cannot sue on it (the court refuses "
        "such a suit); its remedy is to apply to set it aside within 30 days (LDA Arts. 48-49). The suit "
        "changes nothing.",
    ),
    "award.effect.challenged": (
        f"劳动者已在期限内向人民法院起诉，终局裁决在人民法院审理期间不发生约束力，争议由人民法院审理（{_LDA}第四十八条）。",
        "The worker sued in time: the final award does not bind while the court hears the dispute (LDA Art. 48).",
    ),
    "award.effect.set_aside_applied": (
        f"用人单位已申请撤销终局裁决。裁决仍然有效，但在人民法院作出裁定前中止执行（{_LDA}第四十九条；{_INTERP}第二十五条）。",
        "The employer applied to set the final award aside: it stays in effect, enforcement is suspended until "
        "the court rules (LDA Art. 49; Interp-I Art. 25).",
    ),
    "award.effect.set_aside": (
        f"人民法院已裁定撤销仲裁裁决，裁决不发生法律效力。当事人可以自收到裁定书之日起十五日内就该劳动争议事项"
        f"向人民法院起诉{{may_sue}}（{_LDA}第四十九条第二款）。",
        "The court set the award aside: it has no effect. The parties may sue within 15 days of receiving "
        "the ruling (LDA Art. 49 ¶2).",
    ),
    "award.effect.non_final_pending_unserved": (
        "本裁决为非终局裁决，尚未发生法律效力。" + _NONFINAL_RULE,
        "A non-final award, not yet in effect: 15 days to sue from receipt; then it takes effect (LDA Art. 50).",
    ),
    "award.effect.non_final_pending_served": (
        "本裁决为非终局裁决，尚未发生法律效力。裁决书已于{served_on}送达。" + _NONFINAL_RULE,
        "A non-final award, served on {served_on}, not yet in effect: suit by {suit_due_on}; without a suit "
        "it takes effect (LDA Art. 50).",
    ),
    "award.effect.non_final_in_court": (
        f"当事人已在期限内向人民法院起诉，裁决不发生法律效力，争议由人民法院审理（{_LDA}第五十条）。",
        "A party sued in time: the award does not take effect; the court hears the dispute (LDA Art. 50).",
    ),
    "award.effect.non_final_effective": (
        f"起诉期限届满无人起诉，裁决书自{{effective_on}}起发生法律效力（{_LDA}第五十条）。",
        "Nobody sued in time: the award took effect on {effective_on} (LDA Art. 50).",
    ),
    "award.effect.mixed_pending_unserved": (
        "尚未发生法律效力。" + _MIXED + _NONFINAL_RULE,
        "A mixed award, not yet in effect: a suit by either party makes it non-final (Interp-I Art. 20); "
        "15 days to sue from receipt (LDA Art. 50).",
    ),
    "award.effect.mixed_pending_served": (
        "尚未发生法律效力。裁决书已于{served_on}送达。" + _MIXED + _NONFINAL_RULE,
        "A mixed award, served on {served_on}, not yet in effect: suit by {suit_due_on}; a suit by either "
        "party makes it non-final (Interp-I Art. 20, LDA Art. 50).",
    ),
    "award.effect.mixed_in_court": (
        f"一方当事人已在期限内向人民法院起诉，整个裁决按非终局裁决处理，不发生法律效力，争议由人民法院审理"
        f"（{_INTERP}第二十条；{_LDA}第五十条）。",
        "A party sued in time: the whole award is treated as non-final and does not take effect "
        "(Interp-I Art. 20; LDA Art. 50).",
    ),
    "award.effect.mixed_effective": (
        f"起诉期限届满无人起诉，裁决书（含终局和非终局事项）自{{effective_on}}起发生法律效力"
        f"（{_LDA}第五十条；{_INTERP}第二十条）。",
        "Nobody sued in time: the whole award took effect on {effective_on} (LDA Art. 50; Interp-I Art. 20).",
    ),
}

register_messages(EFFECT_MESSAGES)
