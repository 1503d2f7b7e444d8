"""The known partners, found by acronym or name in headings and text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import fold


@dataclass
class PartnerIndex:
    partners: list[dict]
    by_acronym: dict[str, str] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)  # (folded name, acronym)
    pattern: re.Pattern | None = None

    @classmethod
    def build(cls, partners: list[dict] | None) -> "PartnerIndex":
        index = cls(partners=list(partners or []))
        alternatives = []
        for p in index.partners:
            acronym = p["acronym"]
            index.by_acronym[fold(acronym)] = acronym
            alternatives.append(re.escape(acronym))
            if " " in acronym:  # "UN DESA" is also written "UNDESA"
                alternatives.append(re.escape(acronym.replace(" ", "")))
                index.by_acronym[fold(acronym.replace(" ", ""))] = acronym
            for name in [p.get("name", "")] + list(p.get("aliases", [])):
                if name:
                    index.names.append((fold(name), acronym))
        if alternatives:
            alternatives.sort(key=len, reverse=True)
            index.pattern = re.compile(r"(?<!\w)(" + "|".join(alternatives) + r")(?!\w)")
        return index

    def find(self, text: str) -> list[tuple[int, str]]:
        """(position, acronym) of every partner named in text, by acronym (exact case) or full name."""
        found: list[tuple[int, str]] = []
        if self.pattern:
            found += [(m.start(), m.group(1)) for m in self.pattern.finditer(text)]
        folded = fold(text)
        for name, acronym in self.names:
            if len(name) > 6:
                at = folded.find(name)
                if at >= 0:
                    # a position in the folded text is close enough for ordering
                    found.append((at, acronym))
        canonical = []
        for pos, acr in sorted(found):
            canonical.append((pos, self.by_acronym.get(fold(acr), acr)))
        return canonical

    def abbreviate(self, text: str) -> str:
        """Replace each known partner's full name with its acronym ("The Network of Institutes and Schools ...
        (NISPAcee)" -> "NISPAcee"), so that splitting a list of organizers keeps names whole."""
        if not hasattr(self, "_name_patterns"):
            self._name_patterns = []
            for p in self.partners:
                for name in [p.get("name", "")] + list(p.get("aliases", [])):
                    words = re.findall(r"\w+", name)
                    if len(words) >= 2:
                        body = r"\W+".join(re.escape(w) for w in words)
                        self._name_patterns.append((re.compile(
                            rf"(?:\bthe\s+)?\b{body}\b(?:\s*\(\s*{re.escape(p['acronym'])}\s*\))?", re.I),
                            p["acronym"]))
        for pattern, acronym in self._name_patterns:
            text = pattern.sub(acronym, text)
        return text

    def match_heading(self, text: str) -> str | None:
        """The partner a section heading names ("ICAP Events", "News from EROPA"), if it names nothing else."""
        rest = _heading_words(text)
        if not rest:
            return None
        if rest in self.by_acronym:
            return self.by_acronym[rest]
        for name, acronym in self.names:
            name, short = _heading_words(name), _heading_words(acronym)
            if rest in (name, f"{name} {short}", f"{short} {name}"):
                return acronym
        return None


def _heading_words(text: str) -> str:
    """A heading's words without the generic ones ("News from", "Events", "and"), for comparing names."""
    rest = re.sub(r"\b(events?|news|noticias|eventos|actualites|nouvelles|publications?|publicaciones|"
                  r"activities|actividades|updates?|corner|section|highlights|from|the|de|del|la|les|des|"
                  r"and|y|et|partner|partners|socio|member|of|in|for)\b", " ", fold(text))
    return " ".join(rest.split())
