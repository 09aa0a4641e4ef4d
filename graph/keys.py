"""How each node's ``id`` is made from its natural key: the key functions of every label.

Every loader builds ids here, so that two sources naming the same thing meet on one node. The
model (``graph.model.NODES``, each label's ``key_doc``) documents the forms with examples that a test
reproduces with these functions. The functions take what the sources state, already read by the
loaders (a name key, a repaired name): a key is a pure function of it.
"""

from __future__ import annotations

from collections.abc import Callable

from graph.text import fold, slug

# The prefixes of the built ids (graph.model.key_strength ranks an organisation's and a project's).
ICO, GOVERNS, ORG, PROJECT_NAME = "ico:", "gov:", "org:", "name:"


def code(value: str) -> str:
    """A node whose natural key is a code is keyed by the code as the sources give it: a project by
    its registration number, a Czech municipality by its RÚIAN code (kód obce), an okres by its LAU 1
    code, an ORP district by its ČSÚ code (CIS0065), a region by its NUTS code, a country by its
    ISO 3166-1 alpha-2 code, a programme by its code."""
    return value


def project_by_name(name: str, anchor: str | None = None) -> str:
    """A project whose sources state no number: ``name:`` + the name's slug, and ``@`` + the slug of
    what tells it from another of that name (its beneficiary's name key, else a place)."""
    return f"{PROJECT_NAME}{slug(name)}" + (f"@{slug(anchor)}" if anchor is not None else "")


def organisation_by_ico(ico: str) -> str:
    return f"{ICO}{ico}"


def organisation_governing(place_id: str) -> str:
    """The body (obec, kraj) that is the legal person of a place: ``gov:`` + the place's id."""
    return f"{GOVERNS}{place_id}"


def organisation_by_name(country: str | None, name_key: str) -> str:
    """``org:`` + the country (XX where the source does not tell) + the slug of the name key."""
    return f"{ORG}{country or 'XX'}:{slug(name_key)}"


def municipality_abroad(area: str, name: str) -> str:
    """A municipality abroad: its region's NUTS code (else its country's code) + the name's slug."""
    return f"{area}:{slug(name)}"


def microregion(name: str) -> str:
    return f"mr:{slug(name)}"


def priority_axis(programme_code: str, axis: str) -> str:
    return f"{programme_code}/{axis}"


def call(registration_number: str) -> str:
    """The registration number up to the call: CZ.1.04/3.1.03/65.00042 -> CZ.1.04/3.1.03/65;
    CZ.04.1.05/3.2.55.1/1823 -> CZ.04.1.05/3.2.55.1."""
    head, _, last = registration_number.rpartition("/")
    return f"{head}/{last.rpartition('.')[0]}" if "." in last else head


def funding_share(project_id: str, source: str, provider_key: str | None = None) -> str:
    """``<project id>#<funding source>``, and ``-`` + the slug of the provider's name key when the
    source names who provided it (two regions' budgets are two shares)."""
    return f"{project_id}#{source}" + (f"-{slug(provider_key)}" if provider_key is not None else "")


def target_group(name: str) -> str:
    """``tg:`` + the slug of the vocabulary's name (else of the stated words)."""
    return f"tg:{slug(name)}"


def working_group(project_id: str, name: str) -> str:
    """Working groups are a project's own: ``wg:`` + the project id's slug + the name's slug."""
    return f"wg:{slug(project_id)}:{slug(name)}"


# Words of a plan's name that say what it is, not whose: a name of only these names no place.
_PLAN_WORDS = {"komunitni", "strednedoby", "akcni", "plan", "rozvoje", "socialnich", "a", "navaznych", "sluzeb"}


def output(name: str, start: str | None, end: str | None, project_id: str) -> str:
    """``out:`` + the slug of the name + ``@<start>-<end>`` when a period is stated; a name that says
    no place ("Akční plán rozvoje sociálních služeb") is told apart by the producing project's id."""
    period = f"@{start or ''}-{end or ''}" if start or end else ""
    whose = f"~{slug(project_id)}" if set(fold(name).split()) <= _PLAN_WORDS else ""
    return f"out:{slug(name)}{period}{whose}"


def source_document(sha256_hex: str) -> str:
    """``doc:`` + the first 16 hex digits of the SHA-256 of the document's bytes."""
    return f"doc:{sha256_hex[:16]}"


# The key functions of each label of graph.model.NODES (a test holds the two to each other).
BY_LABEL: dict[str, tuple[Callable[..., str], ...]] = {
    "Project": (code, project_by_name),
    "Organisation": (organisation_by_ico, organisation_governing, organisation_by_name),
    "Municipality": (code, municipality_abroad),
    "Okres": (code,),
    "Orp": (code,),
    "Pou": (code,),
    "Region": (code,),
    "Country": (code,),
    "Microregion": (microregion,),
    "Programme": (code,),
    "PriorityAxis": (priority_axis,),
    "Call": (call,),
    "TargetGroup": (target_group,),
    "Output": (output,),
    "WorkingGroup": (working_group,),
    "FundingShare": (funding_share,),
    "SourceDocument": (source_document,),
}
