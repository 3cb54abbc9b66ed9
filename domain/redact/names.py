"""Person names: known first names and surnames, titles, roles, speech verbs, initials, repeats."""

from __future__ import annotations

import re

from domain.redact.lexicon import Lexicon
from domain.redact.spans import Span
from domain.redact.tokens import Token, fold_same_length

TITLES = frozenset("""
mr mrs ms miss mx dr dre docteur docteure doctor prof professeur professeure m mme mlle madame monsieur me maitre
sgt sergeant sergent cst constable cpl corporal caporal officer agent agente det detective lt lieutenant judge
justice juge honourable pastor imam rabbi pasteur insp inspector inspecteur inspectrice
""".split())
# Titles that are also given names ("her son Justice is 6"): a title before a name, a name otherwise
TITLES_ALSO_NAMES = frozenset({"justice"})
# Short titles count only capitalised: "me", "m" and "ms" are everyday words in lower case
TITLE_ABBREVIATIONS = frozenset("mr mrs ms miss mx m mme mlle me madame monsieur det lt cpl cst sgt insp prof".split())
# ...but with their period, these count in lower case too: "mrs. p. from the school", "mme. roy"
LOWER_DOT_TITLES = frozenset("mr mrs mme mlle dr dre sgt cst det insp".split())
# ...and these, no everyday word, even without it: "la mère, mme roy", "mrs patel called"
LOWER_TITLES = frozenset("mrs mme mlle sgt cst insp".split())
ROLES = frozenset("""
mother father mom mum dad partner ex ex-partner husband wife boyfriend girlfriend spouse son daughter child kid
brother sister grandmother grandfather grandma grandpa granddaughter grandson aunt uncle cousin niece nephew
stepfather stepmother stepdad stepmom stepson stepdaughter friend neighbour neighbor colleague coworker co-worker
supervisor manager worker caseworker counsellor counselor therapist lawyer attorney nurse doctor teacher principal
psychologist psychiatrist client baby toddler infant teen teenager girl boy woman man youth victim survivor
ex-husband ex-wife ex-boyfriend ex-girlfriend fiance fiancee roommate landlord employer boss educator
mere pere maman papa conjoint conjointe ex-conjoint ex-conjointe mari epouse epoux chum blonde copain copine fils
bf gf bff hubby ex-bf ex-gf bd bm mil fil sil bil nan nana nanny granny gramma auntie bro sis stepbro stepsis
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
reconnait serait aurait sera frequente accepte craint souligne precise indique revele confirme presente
montre fait dort pleure mange joue parle crie refusait allait venait voit voyait sort sortait rentre rentre arrive
arrivait passe passait garde gardait cherche cherchait suit suivait ecrit ecrivait publie publiait conduit
sends sent plays sleeps eats speaks visits visited picks picked drove drives writes wrote posts seems seemed looks
looked goes comes gets keeps stays stayed
""".split())
# Everyday English abstract nouns that open sentences ("Hope is…"): "is/has" after them is no evidence
ABSTRACT = frozenset("hope faith grace joy love patience charity mercy liberty destiny karma harmony justice prudence glory unity serenity chance desire spring summer autumn winter".split())
WEAK_VERBS = frozenset("is was has had does did will would can could a est etait avait ira va".split())
PARTICLES = frozenset("de du des van von der den da di del della dos das le la ben bin bint ibn al el abu mac mc st ste saint sainte".split())
DETERMINERS = frozenset("a an the of is no some any lost my her his their our your its this that la le les une un de des du sans en sa son ses ma mon ta ton leur notre votre cette ce".split())
MODALS = frozenset("will would can could".split())
STRICT_PREPOSITIONS = frozenset("par a avec chez by to with".split())
PREPOSITIONS = frozenset("par to with avec a de chez pour for from by about sur".split())
# Right after a sentence's first word these mark it as the subject: "Jack also sends…"
SUBJECT_ADVERBS = frozenset("also then still never always just now really already often aussi ne lui me m l s y va vient".split())
LIST_WORDS = frozenset("and et or ou &".split())
# Verbs and prepositions of contact: a known first name after them is a person even in lower case
# ("texted zoé", "parlé avec maude", "met w/ kyle")
CONTACT = frozenset("""
texted text called call phoned messaged emailed told asked met saw visited with w avec texte texté appele appelé
parle parlé rencontre rencontré vu ecrit écrit and et
ask asked asking cc cc'd talked spoke pinged ping dm dm'd dmd tell telling texting calling emailing messaging
""".split())
# ...and the verbs among them, after which a lower-case word no dictionary knows is a name too ("ask rach")
CONTACT_VERBS = frozenset("texted text called phoned messaged emailed told asked ask asking cc cc'd talked spoke pinged ping dm "
                          "dm'd dmd tell telling texting calling emailing messaging texte texté appele appelé".split())
# Words that name someone: "a guy named tank", "goes by \"bear\"", "aka big mike", "surnommé ti-gars"
NAMED_AS = re.compile(r"(?i)\b(?:named|nicknamed|goes\s+by|go\s+by|went\s+by|a\.?k\.?a\.?|surnommée?|qu'on\s+appelle|"
                    r"calls?\s+(?:him|her|them)(?=\s+[\"“'‘])|appelle\s+(?:le|la)(?=\s+[\"“«]))\s+[\"“'‘«]?\s?"
                    r"(?P<name>[^\W\d_][\w'’-]{1,30}(?:\s+(?!and\b|et\b)[^\W\d_][\w'’-]{1,30})?)(?=[\"”'’»]|\s*[,.;:!?)]|\s|$)")
# Letters no English or French word has (Vietnamese, Polish, Turkish, Czech, Icelandic…): a word
# with one of them is a name, whatever its case ("Nguyễn", "Thị", "Łukasz", "Şükrü")
FOREIGN_LETTERS = re.compile(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐơƠưƯăĂĩĨũŨ"
                             r"ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
                             r"łŁśŚźŹżŻńŃąĄęĘşŞğĞıİřŘšŠžŽčČďĎťŤňŇůŮőŐűŰðÐþÞ]")
# Scripts other than Latin inside an English or French request: names (Han, Hangul, kana,
# Arabic, Hebrew, Cyrillic, Greek, Devanagari, Ge'ez, Thai…), one run of words is one name
OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0900-\u097f"
                          r"\u0e00-\u0e7f\u1200-\u137f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+"
                          r"(?:[ \u00b7\u30fb][\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0900-\u097f"
                          r"\u0e00-\u0e7f\u1200-\u137f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+){0,3}")


def _greek_symbol(found: str) -> bool:
    """One Greek letter alone is a symbol (Σ for a total, μ, π), not a name."""
    return len(found) == 1 and "\u0370" <= found <= "\u03ff"


# Labels of a case-file header or a form whose value is a person's name
FIELD_LABELS = frozenset("""
client cliente usager usagere patient patiente name nom prenom mother father mere pere child enfant worker
intervenant intervenante referent referente ts caseworker victim victime accused accuse prevenu survivor
partner conjoint conjointe ex aggressor agresseur parent parents youth jeune member membre
""".split())
# Particles that are no English or French word: a capitalised word after them is a surname
NAME_PARTICLES = frozenset("van von der den ter ten ibn bin bint abu ould".split())
INITIALS = re.compile(r"(?<![\w.])[A-Z]\.(?:\s?-?[A-Z]\.)+(?![\w])|(?<![\w-])[A-Z]-[A-Z](?![\w-])\.?")


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _joined(text: str, a: Token, b: Token) -> bool:
    gap = _gap(text, a, b)
    if a.possessive:
        return False
    # a period joins only after an initial: "J. Tremblay", not "…Roy. Jean…"
    return gap in (" ", "-", "\u00a0") or len(a.text) == 1 and gap in (".", ". ", ".-")


def _covered(tokens: list[Token], size: int, ranges: list[tuple[int, int]]) -> list[bool]:
    mask = bytearray(size)
    for a, b in ranges:
        mask[a:b] = b"\x01" * (b - a)
    return [0 not in mask[t.start:t.end] for t in tokens]


class _Finder:
    def __init__(self, tokens: list[Token], text: str, lex: Lexicon, protected: list[tuple[int, int]],
                 taken: list[tuple[int, int]], lang: str):
        self.t, self.text, self.lex, self.lang = tokens, text, lex, lang
        self.name = [False] * len(tokens)
        self.why = [""] * len(tokens)  # the rule that found each name, for `copbot redact --explain`
        self.protected = _covered(tokens, len(text), protected)
        self.taken = _covered(tokens, len(text), taken)

    # --- word classes -------------------------------------------------------------------
    def never(self, i: int) -> bool:
        tok = self.t[i]
        k = tok.key
        if tok.upper and k in self.lex.not_a_name_in_capitals:
            return True
        if k in self.lex.not_a_name and not self.lex.is_first(k):
            return True  # "Youngest in daycare", "Tho": shorthand and superlatives, unless a first name (Ben)
        return k in self.lex.common or k in ROLES or k in TITLES and k not in TITLES_ALSO_NAMES or k in NAMING or k in PARTICLES and not tok.cap

    def nameish(self, i: int) -> bool:
        """A capitalised word that could be part of a proper name."""
        tok = self.t[i]
        return (tok.cap or tok.upper) and not self.never(i) and not self.protected[i] and tok.key not in self.lex.months

    def known(self, i: int) -> bool:
        k = self.t[i].key
        return (self.lex.is_first(k) or self.lex.is_surname(k)) and not self.amb(k) and k not in self.lex.common

    def amb(self, k: str) -> bool:
        return self.lex.ambiguous(k, self.lang)

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
        if self._title(p):
            return True
        if "." in _gap(self.text, self.t[p], self.t[i]):
            return False  # only a title's period leads into a name
        if k in NAME_PARTICLES and not self.t[p].cap and self.t[i].cap:
            return True  # "van der Berg", "ibn Rushd": a capitalised word after a particle
        return k in NAMING or k in ROLES and not self.t[i].sent_start

    def context_after(self, i: int, strong: bool) -> bool:
        if self.t[i].possessive:
            return True
        return self._paren_after(i) or self._after_words(i, strong)

    def _paren_after(self, i: int) -> bool:
        # "Pierre (le conjoint)", "Léa (6 ans)"
        return bool(re.match(r" \((?:\d{1,2}(?:\)|,| ans| an\b| yo|-year| years| mois| months)|(?:the|his|her|le|la|l'|sa|son|un|une|a|an|she|he|they|elle|il|not|pas) )",
                    self.text[self.t[i].end:self.t[i].end + 12]))

    def _after_words(self, i: int, strong: bool) -> bool:
        n = self.nxt(i, r" |, ")
        if n is None:
            return False
        k = self.t[n].key
        if k in SPEECH:
            return True
        if k in WEAK_VERBS and re.match(r" (?:born|nee?|née)\b", self.text[self.t[n].end:self.t[n].end + 6]):
            return True
        if not strong and (k in WEAK_VERBS or k in SUBJECT_ADVERBS) and _gap(self.text, self.t[i], self.t[n]) == " ":
            return True
        # "Hope, the mother, …" / "Hope, sa mère, …"
        if _gap(self.text, self.t[i], self.t[n]) == ", " and n + 1 < len(self.t):
            return k in ("the", "his", "her", "their", "sa", "son", "la", "le", "l", "notre", "our") and self.t[n + 1].key in ROLES
        return False

    # --- passes -------------------------------------------------------------------------
    def header_fields(self) -> None:
        """Case-file headers and forms: "Client: SMITH, Jennifer", "Usager : Tremblay, Kevin", "Mother: Kayla R."
        — after a field label and its colon, the capitalised or upper-case words are the person's name."""
        for i, tok in enumerate(self.t[:-1]):
            if tok.key not in FIELD_LABELS or not re.fullmatch(r"\s?:\s{1,2}", _gap(self.text, tok, self.t[i + 1])):
                continue
            j = i + 1
            while j < len(self.t) and j - i <= 4 and (self.t[j].cap or self.t[j].upper) and not self.taken[j] \
                    and not self.protected[j] and not self.never(j) and self.t[j].key not in self.lex.months \
                    and (self.t[j].upper or len(self.t[j].text) == 1 or not self.lex.is_word(self.t[j].key)
                         or self.lex.is_first(self.t[j].key) or self.lex.is_surname(self.t[j].key)):
                self.name[j] = True
                self.why[j] = "after a field label (Client: SMITH, Jennifer)"
                if j + 1 < len(self.t) and not re.fullmatch(r" |, |-|\. ?", _gap(self.text, self.t[j], self.t[j + 1])):
                    break
                j += 1

    def seed(self) -> None:
        lex = self.lex
        for i, tok in enumerate(self.t):
            if self.taken[i] or len(tok.text) < 2 and not self._lone_initial(i):
                continue
            k = tok.key
            if len(tok.text) == 1:
                self.why[i] = "single-letter initial"
                self.name[i] = True
                continue
            if FOREIGN_LETTERS.search(tok.text) and not self.protected[i]:
                self.why[i] = "letters no English or French word has"
                self.name[i] = True
                continue
            title_before = (p := self.prev(i, r" |\. ?")) is not None and self._title(p)
            # after a title a name is capitalised or no everyday word: "Justice system feels slow" is no name
            if title_before and not self.never(i) and k not in lex.months and (tok.cap or tok.upper or not lex.is_word(k)):
                self.why[i] = "after a title"
                self.name[i] = True
            elif (tok.cap or tok.upper) and k in lex.months:
                self.why[i] = "month name with context"
                self.name[i] = self.context_before(i) or self.context_after(i, strong=True) or self._before_surname(i)
            elif tok.cap or tok.upper:
                if not self.nameish(i) and not (self.protected[i] and self.context_before(i)):
                    continue
                if tok.upper and len(tok.text) <= 3 and tok.possessive and (n := self.nxt(i, r"['’]s ")) is not None \
                        and self.t[n].key in ROLES and not self.protected[i]:
                    self.why[i] = "initials before a role (KJ's mom)"
                    self.name[i] = True
                    continue
                if tok.upper and not self.known(i) and not self.context_before(i):
                    continue  # acronyms: sectors, programmes
                ambiguous = self.amb(k)
                word = ambiguous or lex.is_word(k) and not self.known(i)
                if self.known(i):
                    self.why[i] = "known first name or surname"
                    self.name[i] = True
                elif not word:
                    self.why[i] = "capitalised word no dictionary knows"
                    self.name[i] = True  # a capitalised word no dictionary knows is a proper noun
                elif ambiguous and not tok.sent_start:
                    self.why[i] = "name that is also a word, mid-sentence"
                    self.name[i] = not self._ambiguous_as_word(i)
                else:
                    self.why[i] = "name that is also a word, with context"
                    # a word in no name list ("the Fire Department came") needs a title, role or
                    # naming word before it; a speech verb after it is not enough
                    listed = ambiguous or lex.is_first(k) or lex.is_surname(k) or "'" in k
                    self.name[i] = (self.context_before(i) or self._paren_after(i) or tok.possessive and not self._title_after(i)
                                    or listed and self.context_after(i, strong=k in ABSTRACT or not ambiguous)
                                    or self._before_surname(i))
            else:
                if self.protected[i] or k in lex.common or k in lex.not_a_name or k in ROLES or k in TITLES:
                    continue
                if k in lex.plain_first:
                    self.why[i] = "known first name in lower case"
                    self.name[i] = True
                elif lex.is_first(k) and not self.amb(k) and not lex.is_word(k):
                    self.why[i] = "lower-case first name with context"
                    self.name[i] = (self.context_before(i) or self.context_after(i, strong=True) or self._before_surname(i)
                                    or self._after_preposition(i))
                elif lex.is_first(k) or lex.is_surname(k) or not lex.is_word(k) and len(k) > 2:
                    self.why[i] = "lower-case name with context"
                    self.name[i] = self.context_before(i) and self._ends_phrase(i) or lex.is_first(k) and self._after_preposition(i, strict=True)
                # two everyday words are no name in lower case: "she will grant him", "many weeks"
                if not self.name[i] and lex.is_first(k) and (n := self.nxt(i)) is not None and not self.taken[n] and not (
                        lex.is_word(k) and lex.is_word(self.t[n].key) and not self.t[n].cap) and (
                        self._lower_surname(n) or self._before_surname(i)):
                    self.why[i] = "lower-case first name before a surname"
                    self.name[i] = True
                if not self.name[i]:
                    self.why[i] = "lower-case word after a role or a verb of contact"
                    self.name[i] = self._lower_after_role(i) or self._lower_after_contact(i)

    def _title_after(self, i: int) -> bool:
        """"Native Women's Association", "Jordan's Principle": a word's possessive before a capitalised
        everyday word that is no name is part of a title, not a person's."""
        n = self.nxt(i, r"['’]s ")
        if n is None:
            return False
        t = self.t[n]
        return t.cap and not t.sent_start and self.lex.is_word(t.key) and not self.lex.is_first(t.key) \
            and not self.lex.is_surname(t.key)

    def _lower_after_role(self, i: int) -> bool:
        """"her son gazza", "my client tommy", "the ex, darnell,": a lower-case word right after a role
        that no dictionary knows is the person's name."""
        tok = self.t[i]
        k = tok.key
        p = self.prev(i, r" |, | \(")
        initials = len(k) == 2 and not re.search(r"[aeiouy]", k)  # "her bf tj", "son chum jp"
        if p is None or self.t[p].key not in ROLES or len(k) < 3 and not initials or k in self.lex.not_a_name \
                or self.lex.is_word(k) and not initials or self.amb(k):
            return False
        return k not in ROLES and k not in TITLES and k not in self.lex.months and k not in self.lex.keep

    def _lower_after_contact(self, i: int) -> bool:
        """"texted zoé", "parlé avec maude": a known first name after a verb or preposition of contact."""
        k = self.t[i].key
        p = self.prev(i, r" |/ | w/ ?")
        if p is None and i > 0 and re.fullmatch(r" w/ ?| w/", _gap(self.text, self.t[i - 1], self.t[i])):
            p = i - 1
        if p is None or self.t[p].key not in CONTACT:
            return False
        if self.t[p].key in CONTACT_VERBS and not self.lex.is_word(k) and len(k) >= 3 and re.search(r"[aeiouyà-ÿ]", k) \
                and k not in self.lex.keep and k not in self.lex.not_a_name and k not in self.lex.months and k not in ROLES \
                and k not in TITLES and k not in self.lex.common:
            return True  # "ask rach", "texted kenz": a word no dictionary knows after a verb of contact
        return self.lex.is_first(k) and not self.amb(k) and not (self.lex.is_word(k) and k not in self.lex.plain_first) \
            and k not in self.lex.keep

    def _title(self, p: int) -> bool:
        """A title: capitalised, a long one in lower case ("docteure"), or a short one with its period."""
        k = self.t[p].key
        if k not in TITLES:
            return False
        return self.t[p].cap or k not in TITLE_ABBREVIATIONS or k in LOWER_TITLES \
            or k in LOWER_DOT_TITLES and self.text[self.t[p].end:self.t[p].end + 1] == "."

    def _lone_initial(self, i: int) -> bool:
        """A single capital: "J." before a surname, "son fils J.", "(M.)", "J. a dit"; a lower-case
        initial with its period after a title or a name ("mrs. p.", "brittany r.")."""
        tok = self.t[i]
        if tok.text.islower() and self.text[tok.end:tok.end + 1] == "." and (p := self.prev(i, r" |\. ")) is not None \
                and (self._title(p) or self.name[p]):
            return True
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
        return bool(re.match(r"\. (?:[a-zà-ÿ]|\()|\.,", after))

    def _before_surname(self, i: int) -> bool:
        n = self.nxt(i, r" |-")
        if n is None or not (self.t[n].cap or self.t[n].upper) or self.never(n) or self.protected[n]:
            return False
        k = self.t[n].key
        return self.lex.is_surname(k) or not self.lex.is_word(k) and k not in self.lex.name_words

    def _lower_surname(self, j: int) -> bool:
        """A lower-case word after a first name that reads as its surname ("louis germain est…")."""
        tok = self.t[j]
        k = tok.key
        if tok.cap or self.protected[j] or k in self.lex.common or k in SPEECH or k in WEAK_VERBS or len(k) < 3:
            return False
        if self.lex.is_surname(k) or not self.lex.is_word(k) and not self.amb(k):
            return True
        if k in NAMING or self.lex.is_word(self.t[j - 1].key):
            return False  # "real name would…": a first name that is also a word needs a real surname
        n = self.nxt(j, r" |, ")
        return n is not None and (self.t[n].key in SPEECH or self.t[n].key in WEAK_VERBS)

    def _after_preposition(self, i: int, strict: bool = False) -> bool:
        """"pris par roger." — a lower-case first name closing a sentence after a preposition."""
        p = self.prev(i)
        after = self.text[self.t[i].end:self.t[i].end + 1]
        preps = STRICT_PREPOSITIONS if strict else PREPOSITIONS
        if p is not None and self.t[p].key == "a" and self.t[p].text not in ("à", "À"):
            return False  # "l'association a aidé": the verb, not the preposition à
        return p is not None and self.t[p].key in preps and (after == "" or after in ".,;:!?)")

    def _ambiguous_as_word(self, i: int) -> bool:
        """Hope House, Bill C-75, Grace period: a capitalised common word used as a word."""
        after = self.text[self.t[i].end:self.t[i].end + 4]
        if self.t[i].key == "bill" and re.match(r" (?:C-)?\d", after):
            return True
        return False

    def _ends_phrase(self, i: int) -> bool:
        n = self.nxt(i, r" |, ")
        if n is None:
            return bool(re.match(r"[.,;:!?)]|$", self.text[self.t[i].end:self.t[i].end + 1]))
        k = self.t[n].key
        return k in SPEECH or k in LIST_WORDS or k in WEAK_VERBS and k not in MODALS or self.lex.is_surname(k)

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
                elif (tok.cap or tok.upper) and (self.nameish(j) or tok.key in self.lex.months and tok.cap and not tok.upper) \
                        and not (tok.upper and not self.known(j)):
                    self.name[j] = changed = True
                elif not tok.cap and self._lower_surname(j):
                    self.name[j] = changed = True

    def extend_back(self) -> None:
        for i in range(len(self.t) - 1, 0, -1):
            j = i - 1
            if self.name[i] and not self.name[j] and not self.taken[j] and _joined(self.text, self.t[j], self.t[i]) \
                    and self.t[j].cap and self.lex.is_first(self.t[j].key) and not self.never(j) and not self.protected[j] \
                    and self.t[j].key not in self.lex.months:
                self.name[j] = True
            elif self.name[i] and not self.name[j] and not self.taken[j] and _joined(self.text, self.t[j], self.t[i]) \
                    and self.t[j].cap and not self.t[j].text.isascii() and FOREIGN_LETTERS.search(self.t[i].text) \
                    and not self.protected[j]:
                self.name[j] = True  # "Lê Thị Thu": the family name before a Vietnamese given name

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
                    k = self.t[j].key
                    # "nat and steph": a lower-case word no dictionary knows next to a lower-case name
                    lower_pair = not tok.cap and not self.t[j].cap and not self.t[j].upper and len(k) >= 3 \
                        and not self.lex.is_word(k) and re.search(r"[aeiouyà-ÿ]", k) and k not in self.lex.keep \
                        and k not in self.lex.not_a_name and not self.never(j) and not self.protected[j]
                    if lower_pair or self.nameish(j) and (self.t[j].cap and not self.t[j].upper) or self.lex.is_first(self.t[j].key) and not self.never(j) and self.t[j].key not in self.lex.common:
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
            if self.protected[i]:
                continue
            if self.amb(tok.key) or tok.key in self.lex.months:
                self.name[i] = tok.cap or self._lower_repeat(i)
            else:
                self.name[i] = not self.never(i)

    def _lower_repeat(self, i: int) -> bool:
        """"hope" again after "Hope said…": a name unless it reads as the word ("lost hope", "will be")."""
        p = self.prev(i, r" |, ")
        if p is not None and self.text[self.t[p].start:self.t[p].end] != "à" and (self.t[p].key in DETERMINERS or self.t[p].key in self.lex.common and self.t[p].key not in ("and", "et", "said", "told", "with", "avec", "to", "a")):
            return False
        if i + 1 >= len(self.t):
            return True
        gap = _gap(self.text, self.t[i], self.t[i + 1])
        k = self.t[i + 1].key
        return gap.strip() != "" or k in SPEECH or k in ("is", "was", "has", "had", "est", "a", "avait", "etait", "and", "et") or self.name[i + 1]

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
                out[-1] = Span(out[-1].start, end, "name", out[-1].rule or self.why[i])
            else:
                out.append(Span(tok.start, end, "name", "name: " + (self.why[i] or "next to a name, in a list or repeated")))
        return out


_NAMED_AFTER = frozenset("guy man woman girl boy kid dude lady someone person friend cousin is was also one gars fille femme homme "
                          "dog cat he she they il elle".split())


def find(tokens: list[Token], text: str, lex: Lexicon, protected: list[tuple[int, int]],
         taken: list[tuple[int, int]], lang: str = "en") -> list[Span]:
    f = _Finder(tokens, text, lex, protected, taken, lang)
    f.seed()
    f.header_fields()
    f.extend()
    f.extend_back()
    f.lists()
    f.extend()
    f.propagate()
    out = f.spans()
    out += [Span(*m.span(), "name", "name: a script other than Latin") for m in OTHER_SCRIPT.finditer(text)
            if not _greek_symbol(m.group())]
    for m in NAMED_AS.finditer(text):
        words = fold_same_length(m.group("name")).split()
        # "named in the order", "goes by the book": a function word, role or kept term is no name
        while words and (words[-1] in lex.common or words[-1] in ROLES or words[-1] in lex.keep):
            words.pop()
        quoted = m.group()[m.start("name") - m.start() - 1:][:1] in "\"“'‘«"
        before = fold_same_length(text[max(0, m.start() - 20):m.start()]).split()
        # an everyday word unquoted ("a guy named tank") needs a person before "named": "and named shelters" is no name
        person_before = bool(before) and (before[-1] in ROLES or before[-1] in _NAMED_AFTER)
        if words and words[0] not in lex.common and words[0] not in ROLES and words[0] not in TITLES \
                and words[0] not in lex.keep and words[0] not in lex.months \
                and (quoted or person_before or not lex.is_word(words[0]) or lex.is_first(words[0])):
            start = m.start("name")
            end = start + len(" ".join(m.group("name").split()[:len(words)]))
            out.append(Span(start, end, "name", "name: after 'named', 'goes by', 'aka'"))
    for m in INITIALS.finditer(text):
        if m.group().rstrip(".").replace(" ", "") not in lex.not_initials:
            out.append(Span(*m.span(), "name", "name: initials"))
    return out
