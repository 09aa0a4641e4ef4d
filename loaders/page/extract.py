"""The extractor: a page's structure read by every rule, the facts put together as one project
(or "no project here"), every fact with its span."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from loaders import czech
from loaders import records as r
from loaders.errors import Problem
from loaders.normalise import repair_transcript
from loaders.page.reference import reference
from loaders.page.rules import links, money, outputs, parties, period, places, programme, title
from loaders.page.structure import Page


@dataclass
class Extraction:
    source: str
    project: r.Project | None = None
    organisations: list[r.Organisation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "no project here": nothing is loaded


def extract(text: str, source: str) -> Extraction:
    """What a page states, before resolution. Problems name the file, the characters and the field.
    A transcript's letter slips ("sluţeb") are repaired first, one character for one: spans hold."""
    page = Page(repair_transcript(text), source)
    out = Extraction(source)
    stated = title.registration_number(page)
    reg = czech.RegistrationNumber.parse(stated.number) if stated and stated.number else None
    name = title.name(page)
    if reg is None and (name is None or title.only_a_title(page)):
        why = ("the page speaks of a project but names it nowhere, by name or registration number: nothing "
               "identifies it" if name is None and "projekt" in page.folded else
               "the page names no project and states no registration number, beneficiary, period or cost")
        out.warnings.append(f"{source}: no project here ({why})")
        return out
    if stated and reg is None:
        out.warnings.append(f"{source}: characters {stated.span[0]}–{stated.span[1]}: registration number "
                            f"{stated.stated!r} is cut short or malformed; the project is kept without it")
    if name is None:
        page.problem(None, "name", "no project name found (a title line or “Název projektu:”)")
        assert reg is not None  # a page without a name or a number has no project (returned above)
        name = reg.text  # stands in, so that the other facts still show; the load refuses it
    participants, organisations = parties.organisations(page)
    funding, total, co_funders = money.money(page)
    start, end = period.period(page)
    stated_programme = programme.programme(page)
    fields = dict(
        registration_number=reg and reg.text, name=name,
        registration_number_stated=stated.stated if stated and (stated.repaired or reg is None) else None,
        description=title.description(page), start=start, end=end,
        total_cost_czk=total, programme=reg.programme if reg else programme.code_of(stated_programme),
        programme_stated=stated_programme,
        priority_axis=reg and reg.priority_axis, priority_axis_name=reg and programme.axis_name(page, reg.priority_axis),
        area_of_support=reg and reg.area_of_support, call=reg.call if reg else programme.call(page), call_name=programme.call_name(page),
        participants=participants + co_funders, funding=funding, target_groups=places.target_groups(page),
        working_groups=places.working_groups(page), outputs=outputs.outputs(page), places=places.places(page, name),
        spans=page.spans,
    )
    follows, followed_by = (
        [n for n in named if not reg or n != reg.text] for named in links.links(page))  # a page names its own number too
    for key, named in (("follows", follows), ("followed_by", followed_by)):
        for i, text_named in enumerate(named):
            at = page.text.find(text_named)
            if at >= 0:
                page.note(f"{key}[{i}]", (at, at + len(text_named)))
    fields |= {"follows": follows, "followed_by": followed_by}
    try:
        out.project = r.Project.model_validate(fields)
        out.organisations = [r.Organisation.model_validate(o) for o in organisations]
    except ValidationError as exc:
        for err in exc.errors():
            where = str(err["loc"][0]) if err["loc"] else "end"  # the one check across fields
            span = page.spans.get(where or "") or page.spans.get("end")
            page.problem(span, where, err["msg"].removeprefix("Value error, "))
    out.problems = page.problems
    return out


def extraction_json(ex: Extraction) -> dict:
    """What ``kpss extract`` prints for one page: amounts as decimal strings, dates as precise as
    the source, unknown values null, every fact with its character span."""
    p = ex.project
    doc: dict = {"source": ex.source, "problems": [str(problem) for problem in ex.problems], "warnings": ex.warnings}
    if p is None:
        return doc | {"project": None, "participants": [], "funding": [], "target_groups": [], "working_groups": [],
                      "places": [], "place_details": [], "outputs": [], "follows": [], "followed_by": [],
                      "organisations": []}
    dump = p.model_dump(mode="json")
    unnamed = any(problem.field == "name" for problem in ex.problems)
    doc["project"] = {
        "registration_number": p.registration_number, "registration_number_stated": p.registration_number_stated,
        "name": None if unnamed else p.name, "description": p.description,
        "start": p.start, "end": p.end, "total_cost_czk": dump["total_cost_czk"],
        "programme": {"code": p.programme, "name": p.programme_stated
                      or (reference().programme_names.get(p.programme) if p.programme else None)},
        "priority_axis": p.priority_axis, "priority_axis_name": p.priority_axis_name,
        "area_of_support": p.area_of_support, "call": p.call, "call_name": p.call_name,
        "spans": dump["spans"],
    }
    doc["participants"] = dump["participants"]
    doc["funding"] = dump["funding"]
    doc["target_groups"] = p.target_groups
    doc["working_groups"] = p.working_groups
    doc["places"] = [place.name for place in p.places]
    doc["place_details"] = dump["places"]
    doc["outputs"] = dump["outputs"]
    doc["follows"], doc["followed_by"] = p.follows, p.followed_by
    doc["organisations"] = [o.model_dump(mode="json", exclude_defaults=True) for o in ex.organisations]
    return doc
