"""Practice-domain tags (shared/domain.md §3), as data.

The tags come from a national IPV specialist competency framework: a stem,
a core, an outer core for risk, leaves and petals. Prompts, reported practice
impacts and summaries all use these identifiers, so they must stay stable:
rename a tag only with a data migration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    id: str       # stable identifier, e.g. "reflexive.self_care"
    family: str   # part of the framework: stem, core, outer_core, leaves, petals, blank_petals
    group: str    # the framework's own heading for the area, in its wording


# (family, group, tag ids), in the framework's order; the order is kept for listings.
_FRAMEWORK: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("stem", "Organizational support", ("org.support",)),
    ("core", "Service user-centered approaches", (
        "core.gender_power", "core.intersectional", "core.strengths", "core.decolonize",
        "core.trauma_informed")),
    ("outer_core", "Recognize, assess, and communicate risk", ("risk.assess", "risk.children")),
    ("leaves", "Navigate laws and ethics", ("law.reporting", "law.confidentiality", "law.court")),
    ("leaves", "Engage in advocacy", ("advocacy.systems",)),
    ("leaves", "Collaborate across systems", ("collab.risk", "collab.roles_resources", "collab.power")),
    ("leaves", "Maintain empathy through reflexive practice and self-care", (
        "reflexive.practice", "reflexive.self_care", "reflexive.supervision", "reflexive.reactions")),
    ("petals", "Support and collaborate with survivors", (
        "survivor.safety", "survivor.empowerment", "survivor.substance_use")),
    ("petals", "Recognize and respond to infant, child, and youth experiences of violence", (
        "child.voice_healing",)),
    ("petals", "Intervene to end abusive behaviour", ("men.accountability", "men.fathering")),
    # The framework leaves these areas undocumented ("blank petals"); domain.md reserves
    # other.* for them. The names after "other." are ours.
    ("blank_petals", "Not yet documented by the framework", (
        "other.2slgbtqia", "other.men_victims", "other.gbv", "other.indigenous_led",
        "other.black_communities", "other.newcomers", "other.older_adults", "other.disability")),
)

TAGS: dict[str, Tag] = {
    tag_id: Tag(tag_id, family, group) for family, group, ids in _FRAMEWORK for tag_id in ids
}
FAMILIES = tuple(dict.fromkeys(family for family, _, _ in _FRAMEWORK))
GROUPS = tuple(group for _, group, _ in _FRAMEWORK)


def is_tag(name: str) -> bool:
    return name in TAGS


def normalise(text: str) -> str:
    """What a person typed ("#Reflexive.Self_Care") as a tag identifier; check it with is_tag."""
    return text.strip().lstrip("#").strip().lower()


def in_family(family: str) -> tuple[str, ...]:
    return tuple(t.id for t in TAGS.values() if t.family == family)


def pull_hashtags(text: str, pattern: re.Pattern, name_of: Callable[[re.Match], str | None]) -> tuple[str, list[str]]:
    """Take the #tags that `name_of` knows out of a text: the text without them (spaces
    tidied) and their names, first seen first. Unknown #words stay as they were written.
    Consultation categories and wanted sectors are read this way."""
    found: list[str] = []

    def take(match: re.Match) -> str:
        name = name_of(match)
        if name is None:
            return match.group(0)
        if name not in found:
            found.append(name)
        return ""

    cleaned = re.sub(r"[ \t]{2,}", " ", pattern.sub(take, text))
    return cleaned.strip(), found
