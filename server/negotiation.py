"""HTTP content negotiation on the Accept header (RFC 9110 §12.5.1): quality values, wildcards and
specificity; no Accept header means the first offer."""

from __future__ import annotations

from starlette.requests import Request


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    out = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media, q, index))
    return out


def _match(offer: str, media: str) -> int:
    """How specifically ``media`` (a range) matches ``offer``: 2 exact, 1 type/*, 0 */*, -1 not."""
    if media == offer:
        return 2
    kind, _, sub = media.partition("/")
    if sub == "*" and offer.split("/")[0] == kind:
        return 1
    return 0 if media == "*/*" else -1


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer the Accept header prefers most (ties go to the order of ``offers``), or None."""
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _ranges(accept)
    best, best_key = None, None
    for position, offer in enumerate(offers):
        matches = [(_match(offer, media), q, -index) for media, q, index in ranges if _match(offer, media) >= 0]
        if not matches:
            continue
        specificity, q, _ = max(matches)
        if q <= 0:
            continue
        key = (q, specificity, -position)
        if best_key is None or key > best_key:
            best, best_key = offer, key
    return best


def negotiate(request: Request, offers: list[str]) -> str | None:
    return choose(request.headers.get("accept"), offers)
