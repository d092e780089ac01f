"""How an extraction decided: one `Decision` per field (title, published_at, authors, source) and
one for the body route, each naming the rule that chose the value and the candidates it beat.
`govnews extract --explain` prints them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """A value some rule proposed, and that rule's name."""

    value: object
    rule: str


@dataclass(frozen=True)
class Decision:
    """The value chosen for `name`, the rule that chose it, and the candidates it beat."""

    name: str
    value: object
    rule: str
    beaten: tuple[Candidate, ...] = field(default=())
