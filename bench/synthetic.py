"""A synthetic but realistic dataset of any size: projects under the reference programmes, each
with a beneficiary and partners drawn from a shared pool, so that organisations recur."""

from __future__ import annotations

import random
from decimal import Decimal

from graph.model import FundingSource, Role
from loaders import records as r
from loaders.files import Document, Source

_WORDS = "Komunitní plánování sociálních služeb podpora rozvoj síť kvalita region obec kraj".split()
_FORMS = ["o.s.", "z.s.", "o.p.s.", "příspěvková organizace", "z.ú."]
_CALLS = [("CZ.1.04", "3", "3.1", "03", "65"), ("CZ.1.04", "5", "5.1", "01", "12"), ("CZ.1.04", "3", "3.1", "00", "05")]


def dataset(projects: int, organisations: int, partners_per_project: int = 15, seed: int = 7) -> Document:
    rnd = random.Random(seed)
    pool = [f"Organizace {i} {rnd.choice(_WORDS)}, {rnd.choice(_FORMS)}" for i in range(organisations)]
    items = []
    for i in range(projects):
        prog, axis, area, sub, call = rnd.choice(_CALLS)
        reg = f"{prog}/{area}.{sub}/{call}.{i:05d}"
        total = Decimal(rnd.randrange(500_000, 9_000_000))
        esf = (total * Decimal("0.85")).quantize(Decimal("0.01"))
        year = rnd.randrange(2008, 2014)
        members = rnd.sample(pool, partners_per_project + 1)
        items.append(
            r.Project(
                registration_number=reg,
                name=" ".join(rnd.choice(_WORDS) for _ in range(8)),
                start=f"{year}-{rnd.randrange(1, 13):02d}",
                end=f"{year + 2}-{rnd.randrange(1, 13):02d}",
                total_cost_czk=total,
                programme=prog,
                priority_axis=axis,
                area_of_support=area,
                call=call,
                participants=[r.Participant(name=members[0], role=Role.BENEFICIARY)]
                + [r.Participant(name=m, role=Role.PARTNER) for m in members[1:]],
                funding=[
                    r.Funding(source=FundingSource.ESF, amount_czk=esf),
                    r.Funding(source=FundingSource.STATE_BUDGET, amount_czk=total - esf),
                ],
                target_groups=[rnd.choice(["senioři", "rodiny s dětmi", "osoby se zdravotním postižením"])],
            )
        )
    source = Source(f"doc:synthetic{seed:04d}{projects:08d}"[:20], "synthetic.yaml", "synthetic", "0" * 64, "application/yaml",
                    "synthetic.yaml")
    return Document(source, r.Dataset(projects=items))
