"""The embedded identity provider's demo accounts: one per role, in the seed regions.

Each names its organisation by its id in the organisations directory (labornet_common.reference):
staff act for that body only. The window clerks sit at the commission's filing window (立案).

Only the scrypt hashes live here; the demo passwords are printed in README.md. They exist for
a laptop demo and the tests: the gateway refuses to offer them in production, where staff
sign in at the organisation's identity provider (settings ``jwks_url``, ``jwt_issuer``).
Seed regions: 洛阳 4103, 威海 3710, 福州鼓楼 350102.
"""

from __future__ import annotations

from dataclasses import dataclass

from labornet_common.security.auth import Principal, Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: Role
    region_scopes: tuple[str, ...]
    org_id: str | None
    password_hash: str

    def principal(self) -> Principal:
        return Principal(
            subject=f"demo:{self.username}",
            name=self.name,
            roles=frozenset({self.role}),
            region_scopes=self.region_scopes,
            org_id=self.org_id,
        )


def _account(
    username: str, name: str, role: Role, scopes: tuple[str, ...], org: str | None, password_hash: str
) -> DemoAccount:
    return DemoAccount(username, name, role, scopes, org, password_hash)


DEMO_ACCOUNTS: dict[str, DemoAccount] = {
    a.username: a
    for a in (
        _account(
            "clerk.luoyang",
            "洛阳市劳动争议一站式窗口 演示窗口员",
            Role.clerk,
            ("4103",),
            "arb-4103",
            "scrypt$16384$8$1$kAaHNBobSvDBRKktqxygQQ$dcR-q1clEGcF9R4ZrZijU9ErsEJW2g5HyLmBq8e0ox8",
        ),
        _account(
            "clerk.gulou",
            "鼓楼区劳动争议一站式窗口 演示窗口员",
            Role.clerk,
            ("350102",),
            "arb-350102",
            "scrypt$16384$8$1$YJ7yYdppt23qr4twqG7GsQ$tmokpjXHmON2g3J03FTClhf9zURqPqZXs-vkzHGLBKM",
        ),
        _account(
            "mediator.luoyang",
            "洛阳 演示调解员",
            Role.mediator,
            ("4103",),
            "med-410311007",
            "scrypt$16384$8$1$ob7U0iDJVpIUZ8IIuE9Nng$Bo2Me-_tVh8LKary3XJr8tZEFOBB9UX-nbTAgA6an_8",
        ),
        # 洛龙区's own centre (workplaces named only by the district go there); the one above is
        # 科技园街道's centre, which has the 派出仲裁庭.
        _account(
            "mediator.luolong",
            "洛龙区 演示调解员",
            Role.mediator,
            ("410311",),
            "med-410311",
            "scrypt$16384$8$1$rI7X5wd3pu9jqHgM_IaShw$42ADz1rC-hBgM-jOGywlN_Mc31cZ4h19lzzOghhZ35c",
        ),
        _account(
            "mediator.gulou",
            "鼓楼 演示调解员",
            Role.mediator,
            ("350102",),
            "med-350102",
            "scrypt$16384$8$1$CGyaI3ZDIWhircgHSIMDAQ$RY39t7AtRLPww3nJLWC5_4j4uIWillLdvXYHTAU0gyY",
        ),
        _account(
            "arbitrator.luoyang",
            "洛阳 演示仲裁员",
            Role.arbitrator,
            ("4103",),
            "arb-4103",
            "scrypt$16384$8$1$O5WMp7jfVZO4v08Sp7UU6w$Ij2tsTGoQN2Z-XgfzhT7bTOtCQd_Vr9zoyzIeWwCyds",
        ),
        _account(
            "arbitrator.weihai",
            "威海 演示仲裁员",
            Role.arbitrator,
            ("3710",),
            "arb-3710",
            "scrypt$16384$8$1$IteDvX1VjLjZ4hewjhbAZQ$7X6Rant6322VjRJB4su_lBUWnRtY4BBNH0as0-5pX5k",
        ),
        # A county commission's arbitrator: 偃师 has its own commission inside 洛阳's region, so the
        # city's arbitrator reads its applications but cannot docket them.
        _account(
            "arbitrator.yanshi",
            "偃师 演示仲裁员",
            Role.arbitrator,
            ("410307",),
            "arb-410307",
            "scrypt$16384$8$1$CiqvjERjkCl4mCNVct6Tcw$zh7bHha9Us5_FeVTMOFDLROBa8Vf2fGnljOffV4coiY",
        ),
        _account(
            "inspector.luoyang",
            "洛阳 演示劳动保障监察员",
            Role.inspector,
            ("4103",),
            "inspection-4103",
            "scrypt$16384$8$1$X5zQuYY1H1Q77iwyQoDVpQ$2UBW1FZOH8SXUenEuc5qowuX20KyghjRRPvHydXgkw0",
        ),
        _account(
            "court.weihai",
            "威海 演示裁审衔接联络员",
            Role.court_liaison,
            ("3710",),
            "court-3710",
            "scrypt$16384$8$1$H58CIehg4KQgYhjxLW2b5A$GqRmynfXJURMUSZhN3hj5det6L6u7eSdBPXgw4FOA68",
        ),
        _account(
            "admin",
            "演示系统管理员",
            Role.admin,
            ("*",),
            None,
            "scrypt$16384$8$1$TMPvrqmnvcNT8M_xGClhBQ$reMLykF9B7NhTBX_oe_v_peMjF02JsmR0FczwA5lD4w",
        ),
    )
}
# Verified against when the username is unknown, so timing does not reveal which names exist.
DECOY_HASH = "scrypt$16384$8$1$kAaHNBobSvDBRKktqxygQQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
