"""Representatives of a collective dispute: chosen with the filing, or recorded (and replaced)
later by staff as the case becomes collective. Only the unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence

from labornet_common.platform.problems import Forbidden, InvalidInput
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher
from labornet_intake.adapters import records, repository
from labornet_intake.adapters import representatives as stored
from labornet_intake.domain import policy
from labornet_intake.domain import representatives as rules
from labornet_intake.domain.model import Complaint
from labornet_intake.domain.representatives import Representative


def _check(complaint: Complaint, chosen: Sequence[Representative]) -> None:
    found = rules.problems(chosen, collective=complaint.collective)
    if found:
        raise InvalidInput(list(found))


async def record_on_filing(
    *,
    uow: UnitOfWork,
    complaint: Complaint,
    chosen: Sequence[Representative],
    principal: Principal | None,
    cipher: PiiCipher,
) -> None:
    """The representatives a filing names, on the case it opened or joined (before its notes
    are saved and its events collected)."""
    if not chosen:
        return
    _check(complaint, chosen)
    complaint.choose_representatives(list(chosen))
    await stored.replace(
        session=uow.session,
        case_id=complaint.case_id,
        chosen=chosen,
        cipher=cipher,
        recorded_by=policy.filer_of(principal),
    )


def _same(before: Sequence[Representative], after: Sequence[Representative]) -> bool:
    def as_tuple(people: Sequence[Representative]) -> list[tuple[str, str | None, str | None]]:
        return [(p.name.strip(), p.id_number, p.phone) for p in people]

    return as_tuple(before) == as_tuple(after)


async def replace_representatives(
    *,
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    chosen: Sequence[Representative],
    cipher: PiiCipher,
) -> Complaint | None:
    """Record (or replace) the case's representatives; None when the case is missing or out of
    the caller's reach. The same list again changes nothing and announces nothing."""
    async with uow:
        complaint = await repository.get(session=uow.session, case_id=case_id, cipher=cipher, for_update=True)
        if complaint is None or not policy.can_read(principal, complaint):
            return None
        if not policy.may_record_representatives(principal):
            raise Forbidden()
        if not chosen:
            raise InvalidInput.at(rules.FIELD, "representatives.count")
        _check(complaint, chosen)
        complaint.representatives = (await stored.of_cases(session=uow.session, case_ids=[case_id], cipher=cipher)).get(
            case_id, []
        )
        if not _same(complaint.representatives, chosen):
            complaint.choose_representatives(list(chosen))
            await stored.replace(
                session=uow.session, case_id=case_id, chosen=chosen, cipher=cipher, recorded_by=principal.subject
            )
            await records.add_notes(session=uow.session, case_id=case_id, texts=complaint.pull_notes())
            await uow.commit()
    return policy.as_seen_by(principal, complaint)


async def attach(*, uow: UnitOfWork, complaints: Sequence[Complaint], cipher: PiiCipher) -> None:
    """Read side: give each complaint its representatives (inside the caller's unit of work)."""
    found = await stored.of_cases(session=uow.session, case_ids=[c.case_id for c in complaints], cipher=cipher)
    for complaint in complaints:
        complaint.representatives = found.get(complaint.case_id, [])
