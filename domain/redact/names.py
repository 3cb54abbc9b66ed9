"""Person names: known first names and surnames, titles, roles, speech verbs, initials, repeats."""

from __future__ import annotations

import re

from domain.redact.lexicon import Lexicon
from domain.redact.spans import Span
from domain.redact.tokens import Token

TITLES = frozenset("""
mr mrs ms miss mx dr dre docteur docteure doctor prof professeur professeure m mme mlle madame monsieur me maitre
sgt sergeant sergent cst constable cpl corporal caporal officer agent agente det detective lt lieutenant judge
justice juge honourable pastor imam rabbi pasteur insp inspector inspecteur inspectrice
""".split())
ROLES = frozenset("""
mother father mom mum dad partner ex ex-partner husband wife boyfriend girlfriend spouse son daughter child kid
brother sister grandmother grandfather grandma grandpa granddaughter grandson aunt uncle cousin niece nephew
stepfather stepmother stepdad stepmom stepson stepdaughter friend neighbour neighbor colleague coworker co-worker
supervisor manager worker caseworker counsellor counselor therapist lawyer attorney nurse doctor teacher principal
psychologist psychiatrist client baby toddler infant teen teenager girl boy woman man youth victim survivor
ex-husband ex-wife ex-boyfriend ex-girlfriend fiance fiancee roommate landlord employer boss educator
mere pere maman papa conjoint conjointe ex-conjoint ex-conjointe mari epouse epoux chum blonde copain copine fils
fille fillette enfant bebe frere soeur grand-mere grand-pere tante oncle cousine beau-pere belle-mere demi-frere
demi-soeur voisin voisine ami amie collegue intervenant intervenante travailleur travailleuse sociale social ts
educatrice educateur avocat avocate policier policiere enqueteur enqueteure enqueteuse medecin infirmiere infirmier
psychologue psychiatre enseignante enseignant professeur professeure directrice directeur cliente usager usagere
garcon adolescente adolescent femme homme victime partenaire proprietaire patron patronne niece neveu
""".split())
NAMING = frozenset("named called name nom prenom appelle appelee nomme nommee prenomme prenommee aka alias dite dit surnommee surnomme".split())
SPEECH = frozenset("""
said says told tells reported reports disclosed discloses mentioned mentions explained explains texted texts asked
asks wants wanted stated states admitted admits denied denies threatened threatens agreed refused refuses shared
confided added noted believes thinks feels felt lives lived works worked moved left came went returned started
stopped tried needs wrote writes emailed messaged yelled screamed hit hits pushed grabbed choked strangled followed
contacted sent posted broke keeps kept lost got took missed attends attended uses used drinks drank cries cried
called calls showed shows sees saw insists insisted claims claimed indicated indicates describes described
dit disait raconte racontait rapporte affirme explique mentionne appelle veut voulait habite vit vivait travaille
refuse quitte menace consomme boit frappe texte envoie souhaite aimerait demande pense croit confie ajoute nie
reconnait serait aurait sera frequente accepte craint souligne precise indique revele confirme
""".split())
# Everyday English abstract nouns that open sentences ("Hope is…"): "is/has" after them is no evidence
ABSTRACT = frozenset("hope faith grace joy love patience charity mercy liberty destiny karma harmony justice prudence glory unity serenity chance desire spring summer autumn winter".split())
WEAK_VERBS = frozenset("is was has had does did will would can could a est etait avait ira va".split())
PARTICLES = frozenset("de du des van von der den da di del della dos das le la ben bin bint ibn al el abu mac mc st ste saint sainte".split())
LIST_WORDS = frozenset("and et or ou &".split())
_NOT_INITIALS = frozenset({"U.S.", "U.K.", "N.B.", "P.S.", "A.M.", "P.M.", "E.U.", "R.U.", "O.K.", "B.C.", "P.E.I."})
INITIALS = re.compile(r"(?<![\w.])[A-Z]\.(?:\s?-?[A-Z]\.)+(?![\w])|(?<![\w-])[A-Z]-[A-Z](?![\w-])\.?")


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _joined(text: str, a: Token, b: Token) -> bool:
    gap = _gap(text, a, b)
    if a.possessive:
        return False
    # a period joins only after an initial: "J. Tremblay", not "…Roy. Jean…"
    return gap in (" ", "-", "\u00a0") or len(a.text) == 1 and gap in (".", ". ", ".-")


class _Finder:
    def __init__(self, tokens: list[Token], text: str, lex: Lexicon, protected: list[tuple[int, int]], taken: list[tuple[int, int]]):
        self.t, self.text, self.lex = tokens, text, lex
        self.name = [False] * len(tokens)
        self.protected = [any(a <= tok.start and tok.end <= b for a, b in protected) for tok in tokens]
        self.taken = [any(a <= tok.start and tok.end <= b for a, b in taken) for tok in tokens]

    # --- word classes -------------------------------------------------------------------
    def never(self, i: int) -> bool:
        k = self.t[i].key
        return k in self.lex.common or k in ROLES or k in TITLES or k in PARTICLES or k in NAMING

    def nameish(self, i: int) -> bool:
        """A capitalised word that could be part of a proper name."""
        tok = self.t[i]
        return (tok.cap or tok.upper) and not self.never(i) and not self.protected[i] and tok.key not in self.lex.months

    def known(self, i: int) -> bool:
        k = self.t[i].key
        return (self.lex.is_first(k) or self.lex.is_surname(k)) and k not in self.lex.name_words and k not in self.lex.common

    def prev(self, i: int, gap: str = r" ") -> int | None:
        if i > 0 and re.fullmatch(gap, _gap(self.text, self.t[i - 1], self.t[i])):
            return i - 1
        return None

    def nxt(self, i: int, gap: str = r" ") -> int | None:
        if i + 1 < len(self.t) and re.fullmatch(gap, _gap(self.text, self.t[i], self.t[i + 1])):
            return i + 1
        return None

    def context_before(self, i: int) -> bool:
        p = self.prev(i, r" |, | \(|\. ?")
        if p is None:
            return False
        k = self.t[p].key
        if k in TITLES and (self.t[p].cap or k in ("dr", "me")) or k in NAMING:
            return True
        return k in ROLES and not self.t[i].sent_start

    def context_after(self, i: int, strong: bool) -> bool:
        if self.t[i].possessive:
            return True
        n = self.nxt(i, r" |, ")
        if n is None:
            return False
        k = self.t[n].key
        if k in SPEECH:
            return True
        if not strong and k in WEAK_VERBS and _gap(self.text, self.t[i], self.t[n]) == " ":
            return True
        # "Hope, the mother, …" / "Hope, sa mère, …"
        if _gap(self.text, self.t[i], self.t[n]) == ", " and n + 1 < len(self.t):
            return k in ("the", "his", "her", "their", "sa", "son", "la", "le", "l", "notre", "our") and self.t[n + 1].key in ROLES
        return False

    # --- passes -------------------------------------------------------------------------
    def seed(self) -> None:
        lex = self.lex
        for i, tok in enumerate(self.t):
            if self.taken[i] or len(tok.text) < 2 and not self._lone_initial(i):
                continue
            k = tok.key
            if len(tok.text) == 1:
                self.name[i] = True
                continue
            title_before = (p := self.prev(i, r" |\. ?")) is not None and self.t[p].key in TITLES and (self.t[p].cap or self.t[p].key == "dr")
            if title_before and not self.never(i) and k not in lex.months:
                self.name[i] = True
            elif (tok.cap or tok.upper) and k in lex.months:
                self.name[i] = self.context_before(i) or self.context_after(i, strong=True) or self._before_surname(i)
            elif tok.cap or tok.upper:
                if not self.nameish(i) and not (self.protected[i] and self.context_before(i)):
                    continue
                if tok.upper and not self.known(i) and not self.context_before(i):
                    continue  # acronyms: sectors, programmes
                ambiguous = k in lex.name_words
                if self.known(i):
                    self.name[i] = True
                elif not tok.sent_start:
                    self.name[i] = not (k == "will" and tok.sent_start) and not (ambiguous and self._ambiguous_as_word(i))
                else:
                    self.name[i] = (self.context_before(i) or self.context_after(i, strong=k in ABSTRACT)
                                    or self._before_surname(i))
            else:
                if self.protected[i] or k in lex.common:
                    continue
                if k in lex.plain_first:
                    self.name[i] = True
                elif lex.is_first(k) and k not in lex.name_words:
                    self.name[i] = self.context_before(i) or self.context_after(i, strong=True) or self._before_surname(i)
                elif lex.is_first(k) or lex.is_surname(k):
                    self.name[i] = self.context_before(i) and self._ends_phrase(i)

    def _lone_initial(self, i: int) -> bool:
        """A single capital: "J." before a surname, "son fils J.", "(M.)", "J. a dit"."""
        tok = self.t[i]
        if not tok.text.isupper() or tok.text == "I" and self.text[tok.end:tok.end + 1] != ".":
            return False
        after = self.text[tok.end:tok.end + 3]
        n = self.nxt(i, r"\. ?|\.-|-")
        if n is not None and self.t[n].cap and self.nameish(n):
            return True
        if self.context_before(i):
            return True
        if self.text[tok.start - 1:tok.start] == "(" and after.startswith((".)", ")")):
            return True
        return bool(re.match(r"\. [a-zà-ÿ]", after)) and not tok.sent_start

    def _before_surname(self, i: int) -> bool:
        n = self.nxt(i, r" |-")
        return n is not None and (self.t[n].cap or self.t[n].upper) and self.lex.is_surname(self.t[n].key) and not self.never(n)

    def _ambiguous_as_word(self, i: int) -> bool:
        """Hope House, Bill C-75, Grace period: a capitalised common word used as a word."""
        n = self.nxt(i, r" ")
        after = self.text[self.t[i].end:self.t[i].end + 4]
        if self.t[i].key == "bill" and re.match(r" (?:C-)?\d", after):
            return True
        if n is not None and not self.t[n].cap and self.t[n].key not in SPEECH and self.t[n].key not in WEAK_VERBS \
                and self.t[n].key not in LIST_WORDS and not self.context_before(i):
            return True
        return False

    def _ends_phrase(self, i: int) -> bool:
        n = self.nxt(i, r" |, ")
        if n is None:
            return True
        return self.t[n].key in SPEECH or self.t[n].key in LIST_WORDS or self.lex.is_surname(self.t[n].key)

    def extend(self) -> None:
        changed = True
        while changed:
            changed = False
            for i in range(len(self.t) - 1):
                if not self.name[i] or self.name[i + 1] or self.taken[i + 1] or not _joined(self.text, self.t[i], self.t[i + 1]):
                    continue
                j = i + 1
                tok = self.t[j]
                if tok.key in PARTICLES and j + 1 < len(self.t) and self.t[j + 1].cap and _joined(self.text, tok, self.t[j + 1]):
                    self.name[j] = self.name[j + 1] = True
                    changed = True
                elif (tok.cap or tok.upper) and self.nameish(j) and not (tok.upper and not self.known(j)):
                    self.name[j] = changed = True
                elif not tok.cap and self.lex.is_surname(tok.key) and tok.key not in self.lex.common \
                        and tok.key not in self.lex.name_words and not self.protected[j]:
                    self.name[j] = changed = True

    def lists(self) -> None:
        for _ in range(2):
            for i, tok in enumerate(self.t):
                if not self.name[i]:
                    continue
                for j, gap in ((i + 2, r" (?:and|et|or|ou|&) "), (i + 1, r", "), (i - 2, r" (?:and|et|or|ou|&) ")):
                    if not 0 <= j < len(self.t) or self.name[j] or self.taken[j]:
                        continue
                    a, b = (self.t[i], self.t[j]) if j > i else (self.t[j], self.t[i])
                    if not re.fullmatch(gap, self.text[a.end:b.start]):
                        continue
                    if self.nameish(j) and (self.t[j].cap and not self.t[j].upper) or self.lex.is_first(self.t[j].key) and not self.never(j) and self.t[j].key not in self.lex.common:
                        if self.t[j].key not in self.lex.months:
                            self.name[j] = True

    def propagate(self) -> None:
        keys: set[str] = set()
        for i, tok in enumerate(self.t):
            if self.name[i] and len(tok.text) > 1 and not self.never(i):
                keys.add(tok.key)
                keys.update(p for p in tok.key.split("-") if len(p) > 2)
        for i, tok in enumerate(self.t):
            if self.name[i] or self.taken[i] or tok.key not in keys and not self._has_part(tok.key, keys):
                continue
            if tok.key in self.lex.name_words or tok.key in self.lex.months or self.protected[i]:
                self.name[i] = tok.cap and not self.protected[i]
            else:
                self.name[i] = not self.never(i)

    @staticmethod
    def _has_part(key: str, keys: set[str]) -> bool:
        return "-" in key and any(p in keys for p in key.split("-") if len(p) > 2)

    def spans(self) -> list[Span]:
        out: list[Span] = []
        for i, tok in enumerate(self.t):
            if not self.name[i]:
                continue
            end = tok.end
            if len(tok.text) == 1 and self.text[end:end + 1] == ".":
                end += 1
            if out and i > 0 and self.name[i - 1] and _joined(self.text, self.t[i - 1], tok):
                out[-1] = Span(out[-1].start, end, "name")
            else:
                out.append(Span(tok.start, end, "name"))
        return out


def find(tokens: list[Token], text: str, lex: Lexicon, protected: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[Span]:
    f = _Finder(tokens, text, lex, protected, taken)
    f.seed()
    f.extend()
    f.lists()
    f.extend()
    f.propagate()
    out = f.spans()
    for m in INITIALS.finditer(text):
        if m.group().rstrip(".").replace(" ", "") not in {x.rstrip(".") for x in _NOT_INITIALS}:
            out.append(Span(*m.span(), "name"))
    return out
