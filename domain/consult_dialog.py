"""The consultation request in a DM, as a pure state machine (the check-in's twin:
domain/checkins.py). Free of Matrix and of storage: the bot keeps the draft in memory only,
renders the replies, and stores the request when the draft reaches SENDING.

The flow: which community (when the member has several) → the text → a scrubbed preview →
`send`, `edit <text>` or `cancel`. `scrub` turns the raw text into (shown text, replacements);
it is applied here, so a draft never holds the raw request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.consult import MAX_REQUEST_CHARS, contains_code, extract_categories
from domain.dialog import Reply, correction, word_of
from domain.errors import InputError
from domain.sectors import extract_wanted

COMMUNITY, TEXT, PREVIEW, SENDING, CANCELLED = "community", "text", "preview", "sending", "cancelled"
REQUEST, FOLLOWUP = "request", "followup"

_SEND = {"send", "envoyer"}
_CANCEL = {"cancel", "annuler"}
_EDIT = ("edit", "modifier")

Scrub = Callable[[str, str], tuple[str, int]]  # (raw text, language) -> (scrubbed text, replacements)


@dataclass(frozen=True)
class Place:
    """A community the member may write to."""
    id: int
    slug: str
    name: str
    lang: str


@dataclass(frozen=True)
class Draft:
    kind: str  # REQUEST or FOLLOWUP
    step: str
    lang: str
    choices: tuple[Place, ...] = ()
    place: Place | None = None
    consultation_id: int | None = None  # the case a follow-up belongs to
    text: str = ""  # the scrubbed text, as previewed
    categories: tuple[str, ...] = ()
    wanted: tuple[str, ...] = ()  # the sectors whose expertise is asked for (domain/sectors.py)
    replaced: int = 0
    pending: str = ""  # a request written before its community was chosen

    @property
    def finished(self) -> bool:
        return self.step in (SENDING, CANCELLED)


def start_request(places: tuple[Place, ...], text: str, *, lang: str, scrub: Scrub) -> Reply:
    """`consult [slug] [text]`. One community, or the slug named first, is chosen at once;
    otherwise the member is asked which. Text that came with the command is previewed."""
    if not places:
        raise InputError("consult.no_community")
    first, rest = (text.split(None, 1) + ["", ""])[:2]
    chosen = next((p for p in places if p.slug == first.lower()), None)
    if chosen is not None:
        text = rest.strip()
    elif len(places) == 1:
        chosen = places[0]
    if chosen is None:
        draft = Draft(REQUEST, COMMUNITY, lang, choices=places, pending=text.strip())
        return Reply(draft, "consult.which", {"slugs": _slugs(places)})
    return _chosen(Draft(REQUEST, TEXT, lang, choices=places), chosen, scrub, text.strip())


def start_followup(place: Place, consultation_id: int, text: str, *, scrub: Scrub) -> Reply:
    """`followup <code> <text>`: straight to the preview of the update."""
    return _preview(Draft(FOLLOWUP, TEXT, place.lang, place=place, consultation_id=consultation_id), text, scrub)


def step(draft: Draft, text: str, *, scrub: Scrub) -> Reply:
    """The member's next message in the DM (the command prefix already taken off)."""
    if draft.finished:
        raise ValueError("the request is already sent or cancelled")
    word = word_of(text)
    if word in _CANCEL:
        return Reply(replace(draft, step=CANCELLED), "consult.cancelled")
    first, _, rest = text.strip().partition(" ")
    if first.lower() in _EDIT:
        if draft.step == COMMUNITY:
            return correction(draft, "consult.nothing_to_edit")
        return _preview(draft, rest, scrub)
    if word in _SEND:
        if draft.step != PREVIEW:
            return correction(draft, "consult.nothing_to_send")
        return Reply(replace(draft, step=SENDING), "")
    if draft.step == COMMUNITY:
        chosen = next((p for p in draft.choices if p.slug == word), None)
        if chosen is None:
            return correction(draft, "consult.which", {"slugs": _slugs(draft.choices)})
        return _chosen(replace(draft, pending=""), chosen, scrub, draft.pending)
    if draft.step == TEXT:
        return _preview(draft, text, scrub)
    return correction(draft, "consult.answer_preview")  # a new text needs `edit`


def takes_text(draft: Draft) -> bool:
    """The step where anything the member writes is the request itself."""
    return draft.step == TEXT


def _slugs(places: tuple[Place, ...]) -> str:
    return ", ".join(p.slug for p in places)


def _chosen(draft: Draft, place: Place, scrub: Scrub, pending: str = "") -> Reply:
    draft = replace(draft, step=TEXT, place=place, lang=place.lang)
    if pending:
        return _preview(draft, pending, scrub)
    return Reply(draft, "consult.intro", {"community": place.name})


def _preview(draft: Draft, raw: str, scrub: Scrub) -> Reply:
    text, categories = extract_categories(raw)
    text, wanted = extract_wanted(text)
    if contains_code(text):  # a case code in a public post would open the case to anyone
        return correction(draft, "consult.contains_code")
    if len(text) > MAX_REQUEST_CHARS:
        return correction(draft, "consult.too_long", {"limit": MAX_REQUEST_CHARS, "length": len(text)})
    if not text:
        return correction(draft, "consult.empty")
    try:
        shown, replaced = scrub(text, draft.lang)
    except InputError as exc:  # the bot's limits on previews
        return correction(draft, exc.key, exc.params)
    draft = replace(draft, step=PREVIEW, text=shown, categories=categories, wanted=wanted, replaced=replaced)
    key = "consult.preview_followup" if draft.kind == FOLLOWUP else "consult.preview"
    return Reply(draft, key, {"text": shown, "count": replaced, "community": draft.place.name,
                              "categories": categories, "wanted": wanted})
