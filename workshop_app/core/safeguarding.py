"""The arrival check: should a note be held back from the projector until a facilitator sees it?

`check` looks for two things, leaning towards holding (a false hold costs the facilitator a
click; a disclosure on the projector costs a child far more):

- **personal details**: everything `core.redaction.find_personal_details` finds, and four
  kinds it does not (they live here, not in redaction, because the privacy review's exports
  keep their own list): a street address ("14 elm road", "i live on maple avenue"); a given
  name in lower case ("me and jack"), or any name after "my name is" / "is called"; a
  username without @ after a platform ("my insta is mia.dances", "ig: ellie_xo") or with an
  underscore; an email written out ("jake dot smith at gmail dot com", "jane[at]x[dot]org").
  Names in `known_names` (the participants' own chosen names) are not flagged as names.
- **possible disclosures or distress**: phrase rules, not a trained model. Each pairs a
  first-person marker (me, my, I, "he made me", "someone keeps", "sent me", "my daughter")
  with a family of harm words (pics/photos/nudes, send, share, post, threaten, money,
  blackmail, touch, secret, hurt, die, cut, scared), in children's spelling too ("pics",
  "nudez", "sum1", "ppl", "dont tell", "im scared"). General statements about online harm in
  the third person ("kids get asked for pics online") do not match; a first-person match
  that a conditional plainly makes hypothetical ("if someone asked me for pics I would tell")
  is let through unless the same sentence also reports something ("he said", "keeps", "now").

Every reason names its kind, a plain label for the facilitator and the words that matched.
Pure: standard library only, no model; the caller decides what holding means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from workshop_app.core.redaction import (
    GIVEN_NAMES,
    ORDINARY_WORD_NAMES,
    DetailKind,
    find_personal_details,
)


class Concern(StrEnum):
    PERSONAL_DETAIL = "personal_detail"
    POSSIBLE_DISCLOSURE = "possible_disclosure"


class ReasonKind(StrEnum):
    # personal details found by core.redaction (same values as DetailKind)
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    WEB = "web"
    HANDLE = "handle"
    SCHOOL = "school"
    NAME = "name"
    # personal details found here
    STREET_ADDRESS = "street_address"
    LOWERCASE_NAME = "lowercase_name"
    HANDLE_WITHOUT_AT = "handle_without_at"
    SPELLED_EMAIL = "spelled_email"
    # possible disclosures or distress
    FIRST_PERSON_HARM = "first_person_harm"
    THREAT = "threat"
    ASKED_FOR_IMAGES = "asked_for_images"
    SELF_HARM = "self_harm"
    DISTRESS = "distress"

    @property
    def concern(self) -> Concern:
        if self in _DISCLOSURE_LABELS:
            return Concern.POSSIBLE_DISCLOSURE
        return Concern.PERSONAL_DETAIL

    @property
    def label(self) -> str:
        """Words for the facilitator, e.g. "Possible disclosure: someone asking for images"."""
        if self in _DISCLOSURE_LABELS:
            return f"Possible disclosure: {_DISCLOSURE_LABELS[self]}"
        if self in _NEW_DETAIL_LABELS:
            return f"Personal detail: {_NEW_DETAIL_LABELS[self]}"
        return f"Personal detail: {DetailKind(self.value).label.lower()}"


_NEW_DETAIL_LABELS = {
    ReasonKind.STREET_ADDRESS: "street address",
    ReasonKind.LOWERCASE_NAME: "a name (in lower case, or one the names list lacks)",
    ReasonKind.HANDLE_WITHOUT_AT: "username without @",
    ReasonKind.SPELLED_EMAIL: "email address written out in words",
}
_DISCLOSURE_LABELS = {
    ReasonKind.FIRST_PERSON_HARM: "something happening to the writer or someone they know",
    ReasonKind.THREAT: "a threat",
    ReasonKind.ASKED_FOR_IMAGES: "someone asking for images",
    ReasonKind.SELF_HARM: "wanting to hurt themselves",
    ReasonKind.DISTRESS: "distress",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a note is held: `text[start:end] == fragment`, the words that matched."""

    kind: ReasonKind
    fragment: str
    start: int
    end: int

    @property
    def concern(self) -> Concern:
        return self.kind.concern

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True, slots=True)
class Check:
    """The arrival check of one note: held when there is any reason."""

    hold: bool
    reasons: tuple[Reason, ...]

    @property
    def possible_disclosure(self) -> bool:
        return any(r.concern is Concern.POSSIBLE_DISCLOSURE for r in self.reasons)

    @property
    def personal_detail(self) -> bool:
        return any(r.concern is Concern.PERSONAL_DETAIL for r in self.reasons)


def check(text: str, *, known_names: frozenset[str] = frozenset()) -> Check:
    """Whether `text` should be held back, and why (personal details first, in reading order,
    then possible disclosures, one reason per kind)."""
    folded = _fold(text)
    known = frozenset(n.casefold() for n in known_names)
    reasons = _personal_details(text, folded, known) + _disclosures(text, folded)
    return Check(hold=bool(reasons), reasons=tuple(reasons))


def reason_kinds(result: Check) -> tuple[str, ...]:
    """What a note stores of its check: each reason's kind once, in the check's order (the
    words that matched are the note's own and are not stored twice)."""
    return tuple(dict.fromkeys(r.kind.value for r in result.reasons))


def kinds_of(stored: Iterable[str]) -> tuple[ReasonKind, ...]:
    """The kinds a note stores, as ReasonKinds (a kind this version does not know is left
    out rather than refused: the note stays held either way)."""
    known = {k.value for k in ReasonKind}
    return tuple(ReasonKind(k) for k in stored if k in known)


def is_disclosure(stored: Iterable[str]) -> bool:
    """Whether any stored kind is a possible disclosure or distress."""
    return any(k.concern is Concern.POSSIBLE_DISCLOSURE for k in kinds_of(stored))


def hold_labels(stored: Iterable[str]) -> list[str]:
    """The facilitator's words for why a note is held, possible disclosures first."""
    kinds = sorted(kinds_of(stored), key=lambda k: k.concern is not Concern.POSSIBLE_DISCLOSURE)
    return [k.label for k in kinds]


def _fold(text: str) -> str:
    """Lower case with the same length as `text` (so spans match), curly apostrophes plain."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.replace("’", "'").replace("‘", "'")


# ---------------------------------------------------------------- personal details


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SUFFIX = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|crescent|cres|way|grove|gardens"
    r"|gdns|place|court|terrace|tce|hill|walk|mews|square|sq|row|view|rise|parade|park)"
)
_NOT_A_STREET_WORD = (
    r"(?!(?:the|a|an|on|in|at|of|to|and|or|my|your|his|her|our|for|with|by|is|was|are|it|i"
    r"|min\w*|hour\w*|days?|weeks?|years?|months?|times?|people|kids|pounds|quid|more|other)\b)"
)
_NUMBERED_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+(?:the\s+green\b|(?:{_NOT_A_STREET_WORD}[a-z'-]+\s+){{1,3}}"
    rf"{_SUFFIX}\b)"
)
_CUED_ADDRESS = re.compile(
    r"\b(?:lives?|living|lived|moved|stay(?:s|ing)?|(?:house|home|flat|address)(?: is)?)"
    r"\s+(?:on|at|in|to|down|off)\s+((?:the\s+)?(?:"
    rf"{_NOT_A_STREET_WORD}[a-z'-]+\s+){{1,3}}{_SUFFIX.replace('|park', '')}\b)"
)

_LOWER_NAMES = frozenset(n.lower() for n in GIVEN_NAMES) - frozenset(
    n.lower() for n in ORDINARY_WORD_NAMES
) - frozenset({"teddy", "bobby", "mason", "jordan", "georgia", "florence", "victoria", "aria",
               "stanley", "harley", "ivy"})  # fmt: skip
_LOWER_WORD = re.compile(r"(?<![\w@.'-])[a-z]+(?![\w@'-]|\.\w)")
_NAME_CUE = re.compile(
    r"\b(?:my name is|my names|my name's|i'?m called|i am called|call me|(?<!it )(?<!it's )"
    r"(?<!its )(?:is|was) called|named)\s+([a-z][a-z'-]{1,20})\b"
)
_NOT_A_NAME = _words(
    """the a an it that this me him her them us you out off up names stupid something
    nothing anything what roblox snapchat snap tiktok instagram insta minecraft fortnite
    discord youtube whatsapp facebook twitter kik a lot"""
)

_PLATFORM = (
    r"(?:insta(?:gram)?|ig|snap(?:chat)?|sc|tik ?tok|tt|discord|roblox|fortnite|xbox|psn"
    r"|playstation|ps[45]|steam|minecraft|twitch|youtube|yt|twitter|kik|telegram|threads"
    r"|facebook|fb|epic|gamer ?tag|user ?name|handle)\b"
)
_USERNAME = r"([a-z0-9_][a-z0-9_.#-]*[a-z0-9_]|[a-z0-9_]{3,})"
_PLATFORM_NAME = (
    rf"{_PLATFORM}(?:\s+(?:user ?name|name|tag|gamer ?tag|handle|account|acc|id))?(?:\s+on\s+\w+)?"
)
# "my insta is mia.dances" needs its "is"; "add me on discord shadowfox" does not.
_HANDLE_CUED = re.compile(
    rf"\b(?:my\s+{_PLATFORM_NAME}\s*(?:is|its|it's|=|:|-)|(?:add|follow|find|message|msg|dm)"
    rf" me(?: on)?\s+{_PLATFORM_NAME}\s*(?:is|its|it's|=|:|-|as|at)?)\s*{_USERNAME}"
)
_HANDLE_COLON = re.compile(rf"\b{_PLATFORM}\s*[:=-]\s*{_USERNAME}")
_HANDLE_SHAPE = re.compile(r"(?<![\w@.#-])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9](?![\w@-])")
_NOT_A_HANDLE = _words(
    """private public banned deleted blocked down new old the a an my not good bad fun boring
    on off and so really very just same gone hacked rubbish ok okay locked full better best
    cool great mine different here there called it is what where this that too all always
    never account acc name names mum dad lol lmao haha yes no"""
)

_PROVIDERS = (
    r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|aol|btinternet|live|protonmail|proton"
    r"|msn|sky|virginmedia|talktalk|mail)"
)
_AT = r"\s*(?:\(at\)|\[at\]|\{at\}|\bat\b|@)\s*"
_WORD_DOT = r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*"
_DOT = rf"(?:{_WORD_DOT}|\s*\.\s*)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.+-])[a-z0-9][\w.+-]*+(?:\s+dot\s+[\w+-]++){{0,3}}{_AT}"
    rf"(?:{_PROVIDERS}\b(?:{_DOT}[a-z]{{2,}}\b)*|[\w-]+(?:{_WORD_DOT}[a-z]{{2,}}\b)+)"
)


def _personal_details(text: str, folded: str, known: frozenset[str]) -> list[Reason]:
    found: list[Reason] = [
        Reason(ReasonKind.SPELLED_EMAIL, text[m.start() : m.end()], m.start(), m.end())
        for m in _SPELLED_EMAIL.finditer(folded)
        if not _inside_plain_email(text, m.start(), m.end())
    ]
    for f in find_personal_details(text):
        if f.kind is DetailKind.NAME and f.fragment.casefold() in known:
            continue  # the participant's own chosen name
        found.append(Reason(ReasonKind(f.kind.value), f.fragment, f.start, f.end))
    for kind, spans in (
        (ReasonKind.STREET_ADDRESS, _addresses(folded)),
        (ReasonKind.HANDLE_WITHOUT_AT, _handles(folded)),
        (ReasonKind.LOWERCASE_NAME, _lower_names(text, folded, known)),
    ):
        found += [Reason(kind, text[s:e], s, e) for s, e in spans]
    kept: list[Reason] = []
    for r in found:
        if not any(r.start < k.end and k.start < r.end for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)


def _inside_plain_email(text: str, start: int, end: int) -> bool:
    return "@" in text[start:end] and " " not in text[start:end].strip()


def _addresses(folded: str) -> Iterator[tuple[int, int]]:
    for m in _NUMBERED_ADDRESS.finditer(folded):
        yield m.start(), m.end()
    for m in _CUED_ADDRESS.finditer(folded):
        yield m.start(1), m.end(1)


def _handles(folded: str) -> Iterator[tuple[int, int]]:
    for pattern in (_HANDLE_CUED, _HANDLE_COLON, _HANDLE_SHAPE):
        for m in pattern.finditer(folded):
            group = 1 if pattern.groups else 0
            if m.group(group).strip(".") not in _NOT_A_HANDLE:
                yield m.start(group), m.end(group)


def _lower_names(text: str, folded: str, known: frozenset[str]) -> Iterator[tuple[int, int]]:
    for m in _LOWER_WORD.finditer(text):
        if m.group() in _LOWER_NAMES and m.group() not in known:
            yield m.start(), m.end()
    for m in _NAME_CUE.finditer(folded):
        word = m.group(1)
        if word not in _NOT_A_NAME and word not in known:
            yield m.start(1), m.end(1)


# ---------------------------------------------------------------- possible disclosures

# Word families, on lower-cased text, children's spelling included.
_S = r"[^.!?\n]"  # within one sentence
_IMG = (
    r"(?:pics?|pix|piks?|pictures?|pitures?|photos?|fotos?|nudes?|nudez|noodz?|nudies|"
    r"selfies?|images?|vids?|videos?|snaps|camera|cam|webcam|video ?call|facetime)"
)
_ME = r"(?:me|us)"
_MY_PEOPLE = (
    r"my (?:son|daughter|child|kid|boy|girl|friend|best friend|bestie|mate|sister|brother|"
    r"little sister|little brother|cousin|niece|nephew|grandson|granddaughter|step ?son|"
    r"step ?daughter)"
)
_SOMEONE = (
    r"(?:he|she|someone|somebody|some ?one|sum1|some1|sumone|a (?:man|guy|boy|girl|woman|"
    r"lady|person|grown ?up|stranger|player)|an (?:adult|older \w+|account)|a account|"
    r"this (?:man|guy|boy|girl|woman|person|account|player|adult)|my \w+)"
)
_FIRST = r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|mine|myself|us|our)\b"
_SPREAD = r"(?:post|share|send|show|leak|put|spread|upload|tell|expose|release|sell)"
_HE_WILL = (
    r"(?:(?:he|she|they|it|someone|sum1|some1|somebody)\s+(?:will|would|is going to|are going"
    r" to|is gonna|are gonna|going to|gonna|wants to|is threatening to|(?:said|says|told me|"
    r"keeps saying) (?:he|she|they|it)(?:'ll|ll| will| would|'d|d))|he'?ll|she'?ll|they'?ll"
    r"|it'?ll|hed|he'd|she'd|shed|theyd|they'd)"
)


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# (kind, pattern, needs a first-person word in its sentence, a hypothetical can cancel it)
_RULES: tuple[tuple[ReasonKind, re.Pattern[str], bool, bool], ...] = (
    # someone asking for (or sending) images
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:ask|asks|asked|asking|beg|begs|begged|begging|pressur\w*|want|wants|wanted|"
        rf"wanting|keeps? on at|tell|tells|told|make|makes|made|forc\w*|offer\w*|brib\w*|"
        rf"dar(?:e|es|ed)|trying to get|tried to get)\s+(?:{_ME}|{_MY_PEOPLE})\b{_S}{{0,30}}?"
        rf"\b(?:for|send|show|take|go on|turn|do)\b{_S}{{0,30}}?\b{_IMG}\b"), False, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:i|we|{_MY_PEOPLE})\s+(?:\w+\s+)?(?:was|were|been|being|get|gets|got|getting|"
        rf"is|are)\s+(?:\w+\s+)?(?:asked|sent|begged|pressured|offered|told)\b{_S}{{0,30}}?"
        rf"\b{_IMG}\b"), False, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:sent|send|sends|sending|showed|shows|show)\s+(?:{_ME}|{_MY_PEOPLE})\s+"
        rf"(?:\w+\s+){{0,3}}?{_IMG}\b"), False, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:i|i've|ive|i have|i had)\s+(?:\w+\s+)?(?:sent|send|shared|gave|showed)\s+"
        rf"(?:\w+\s+){{0,3}}?{_IMG}\b{_S}{{0,30}}?\b(?:to (?:him|her|them|someone|somebody|"
        rf"sum1|some1|a|an|this|that|my (?:boyfriend|girlfriend|bf|gf|ex))|now)\b"), False, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b{_SOMEONE}\s+(?:\w+\s+)?(?:said|says|told me|tells me|keeps saying)\b"
        rf"(?!\s+(?:to\s+)?(?:never|not|don'?t|dont|do not|no)\b){_S}{{0,40}}?\b{_IMG}\b"),
        False, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b{_SOMEONE}\s+(?:\w+\s+)?(?:ask|asks|asked|asking|wants|wanted|begs|begging|"
        rf"keeps asking)\s+(?:for\s+)?(?:\w+\s+){{0,2}}?{_IMG}\b"), False, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:wants?|wanted|asking for|asked for|asks for)\s+(?:\w+\s+){{0,2}}?{_IMG}\s+of\s+"
        rf"(?:me|my|myself|us)\b|\b(?:wants?|wanted|asking for|asked for)\s+one back\b|\b(?:"
        rf"asked|asking|asks|wants?|wanted|begging|begs)\s+(?:me\s+)?for\s+(?:my|me|your)\s+"
        rf"(?:\w+\s+)?{_IMG}\b"),
        False, True),
    # threats, blackmail, money
    (ReasonKind.THREAT, _r(rf"\bthreat\w*\s+(?:to\s+)?{_S}{{0,30}}?{_FIRST}"), False, True),
    (ReasonKind.THREAT, _r(rf"\b{_SOMEONE}\s+(?:\w+\s+)?threat\w*"), True, True),
    (ReasonKind.THREAT, _r(
        r"\b(?:blackmail\w*|sextort\w*|extort\w*)\s+(?:me|us|my)\b|\b(?:i'm|im|i am|i was|"
        r"i've been|ive been|i have been|i got|i get|i'm getting|im getting|we are|we were|"
        r"my \w+ (?:is|was|has been|got))\s+(?:\w+\s+)?(?:being\s+)?(?:blackmailed|threatened|"
        r"extorted|sextorted)"), False, True),
    (ReasonKind.THREAT, _r(
        rf"\b{_HE_WILL}\s+(?:\w+\s+)?{_SPREAD}\b{_S}{{0,40}}?\b(?:my|me|i|us|our|mum|mom|dad|"
        rf"parents|family|school|everyone|every1|friends|internet|online)\b"), False, True),
    (ReasonKind.THREAT, _r(
        r"\b(?:wants?|wanted|asking for|asked for|asks for|demand\w*|pay|paid|send|give)\s+"
        r"(?:\w+\s+){0,2}?(?:money|£\s?\d+|\$\s?\d+|\d+\s?(?:pounds|quid)|gift ?cards?|cash|"
        r"robux|v-?bucks)"), True, True),
    (ReasonKind.THREAT, _r(
        rf"\b(?:has|have|got|had|kept|saved|screenshotted)\s+(?:\w+\s+){{0,2}}?{_IMG}\s+(?:of "
        rf"me|of us|of my|i sent)\b|\b(?:has|have|got|had)\s+my\s+(?:\w+\s+)?{_IMG}"),
        False, True),
    (ReasonKind.THREAT, _r(
        rf"\b(?:unless i|if i (?:don'?t|dont|do not|tell|block|report|say|stop)|or else)\b"
        rf"{_S}{{0,50}}?\b(?:{_SPREAD}|happen|hurt|kill|regret|come|find|pay|sorry)\w*|\b(?:"
        rf"{_SPREAD}|hurt|kill)\w*\b{_S}{{0,40}}?\b(?:unless i|if i (?:don'?t|dont|do not|tell"
        rf"|block|report|stop))\b"), False, True),
    (ReasonKind.THREAT, _r(
        r"\b(?:knows?|found out|find out|finds out)\s+where\s+(?:i|we)\s+live|\b(?:come|coming"
        r"|turn up|show up|find)\s+(?:to\s+|at\s+|round\s+)?(?:my|our)\s+(?:house|home|school|"
        r"flat)"), False, True),
    # something happening to the writer (or a child they know)
    (ReasonKind.FIRST_PERSON_HARM, _r(r"\b(?:touch|touches|touched|touching)\s+(?:me|my|us)\b"),
        False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:our|it'?s|its|it is)\s+(?:little\s+)?secret\b|\bkeep (?:it|this|us) (?:a |our )?"
        r"secret\b"), True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:said|says|told me|tells me|keeps saying|made me promise|asked me)\s+(?:\w+\s+)"
        rf"{{0,2}}?(?:not to|never to|don'?t|dont|do not)\s+tell\b|\b{_SOMEONE}\s+(?:said|says"
        rf"|told me|tells me)\s+(?:don'?t|dont|do not|not to)\s+tell"), True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:made|makes|make|forced|forces|tricked|tricks|pressured|groomed|manipulated|"
        r"bribed|blackmailed)\s+(?:me|us)\s+(?:\w+\s+)?(?:do|doing|promise|keep|send|take|meet"
        r"|go|watch|look|into|feel|delete|uncomfortable|touch|show|lie)\b"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:wants?|wanted|asked|asking|keeps asking|trying|tried)\s+(?:me\s+)?to\s+meet\b"),
        True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:i|we)\s+(?:met|meet|went to meet)\s+(?:up\s+with\s+)?(?:someone|somebody|a|an|"
        rf"him|her|them|this)\b{_S}{{0,30}}?\b(?:online|on an? \w+|on the internet|on (?:snap|"
        rf"tiktok|roblox|insta|discord|fortnite)|from online)"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:happened|happening|happens|was done|did (?:this|that|stuff|things))\s+to\s+me\b"),
        False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:i'?m|im|i am|i was|i've been|ive been|i have been|i think i'?m|i think im|"
        rf"{_MY_PEOPLE} (?:is|was|has been))\s+(?:being\s+)?(?:groomed|abused|hurt|followed|"
        r"stalked|harassed|bullied|touched|assaulted|exploited|hit)\b"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b{_SOMEONE}\s+(?:\w+\s+)?(?:hurt|hurts|hits|hit|touched|touches|abused|abuses|"
        rf"follows|followed|grabbed|kissed|films|filmed)\s+(?:me|us)\b"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:keeps?|kept|won'?t stop|wont stop|never stops?|always)\s+(?:\w+\s+)?(?:messaging"
        r"|texting|calling|adding|following|sending|dm'?ing|contacting|asking|snapping|"
        r"commenting on|watching|bothering|harassing|touching)\s+(?:me|us)\b|\bwo(?:n'?|)t "
        r"leave (?:me|us) alone|\b(?:messages|messaged|texts|texted|dms|calls|snaps)\s+me\s+"
        rf"{_S}{{0,20}}?(?:at night|every night|in the night|all the time|and says|and tells)"),
        False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:gave|gives|give|sent|buys|bought|offered|offers|promised)\s+(?:me|us)\s+(?:\w+\s+)"
        r"{0,2}?(?:money|gifts?|gift ?cards?|robux|v-?bucks|presents?|skins?|£\s?\d+)\b|\bi owe "
        r"(?:him|her|them)\b"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:does|did|do|doing)\s+(?:stuff|things|something|sth)\s+(?:\w+\s+){0,2}?(?:i don'?t"
        r" like|i dont like|i didn'?t like|i didnt like|to me|that make me|that makes me|i "
        r"don'?t want|i dont want)"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:older than me|way older|much older|years older)\b"), True, True),
    # wanting to hurt oneself (never cancelled by a conditional)
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:kill|killing|killed|hurt|hurting|cut|cutting|harm|harming|starve|starving|"
        r"punish\w*)\s+myself\b|\bi (?:cut|cuts)(?: again| my (?:arms?|wrists?|legs?))|\b(?:been|"
        r"started|keep|kept|stop|stopped)\s+cutting\b|\bcutting again\b"), False, False),
    (ReasonKind.SELF_HARM, _r(r"\bself[- ]?harm\w*|\bsuicid\w*"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:want|wanna|wanted|wish|going|gonna|like)\s+(?:to\s+)?(?:just\s+)?(?:die|be dead|"
        r"disappear|end it|end my life|not exist|not be alive|not wake up|not be here|sleep "
        r"forever)\b|\bdisappear\w*\s+(?:forever|for good|and never)"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:don'?t|dont|do not|doesn'?t)\s+want\s+to\s+(?:be here|be alive|live|exist|wake up"
        r"|be around|go on)\b|\b(?:not|never) wake up\b"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:better off|happier) without me\b|\b(?:care|notice|matter|miss me|be happier|be "
        r"better off)\s+if\s+i\s+(?:was|were|wasn'?t|wasnt|died|disappeared|left|wasn't)\b|\bif "
        r"i (?:wasn'?t|wasnt|weren'?t|was not) (?:here|around|alive)\b|\b(?:if i was gone|when "
        r"i'?m gone|if i died)\b|\b(?:no one|nobody|no1|noone|no body) (?:would|will) (?:\w+ )?"
        r"miss me\b"), False, False),
    (ReasonKind.SELF_HARM, _r(
        r"\bwish (?:i was|i were|i'd|i had) (?:dead|never been born|never born|not born|not here"
        r"|gone)|\bwish i (?:wasn'?t|wasnt|weren'?t) (?:here|alive|born)|\bnever been born\b"),
        False, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:no|any|the) point (?:in |of )?(?:me |my )?(?:being alive|living|going on|life|me"
        r"|being here|anything)\b|\b(?:think\w*|thought)\s+(?:about|of)\s+(?:end\w*|kill\w*|"
        r"dying|death|suicide|hurting myself|not being here)|\b(?:feel like|want to|wanna|going "
        r"to|gonna)\s+(?:end\w*|kill\w*)\s+(?:it|myself|my life|everything)\b"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:i|im|i'm|i am|i feel like|i want to)\s+(?:\w+\s+)?giv(?:e|ing) up\b|\bcan'?t "
        r"(?:do this|go on|cope|take it|take this)(?: any ?more)?\b|\bcant (?:do this|go on|cope"
        r"|take it)\b|\bend (?:it all|my life)\b"), True, False),
    # distress
    (ReasonKind.DISTRESS, _r(
        r"\b(?:i'?m|im|i am|i feel|i'?ve been|ive been|i get|i was|i keep feeling)\s+(?:\w+\s+)?"
        r"(?:scared|frightened|terrified|afraid|petrified|ashamed|trapped|dirty|disgusting|"
        r"unsafe|hopeless|worthless|desperate|alone)\b"), False, True),
    (ReasonKind.DISTRESS, _r(
        rf"\b(?:i'?m|im|i am|i feel|i'?ve been|ive been|i get|i was)\s+(?:\w+\s+)?(?:worried|"
        rf"helpless|upset|anxious|embarrassed|lonely|sick|panicking|panicky)\b{_S}{{0,25}}?\b(?:"
        rf"he|she|they|him|her|them|someone|my phone|messages?|what happened|all the time|every "
        rf"time|every day|tell|find out|will)\b"), False, True),
    (ReasonKind.DISTRESS, _r(
        r"\b(?:help me|please help|pls help|plz help|someone help|i need help|need help)\b|"
        r"\bi (?:don'?t|dont|do not) know (?:what to do|who to (?:tell|talk to|ask)|what to say)"),
        False, False),
    (ReasonKind.DISTRESS, _r(
        r"\bi\s+(?:\w+\s+)?(?:can'?t|cant|cannot|can not|could not|couldn'?t|couldnt|am scared "
        r"to|'m scared to|m scared to|am afraid to|too scared to)\s+tell\s+(?:anyone|anybody|any1|"
        r"my|no one|nobody|mum|dad|them|the teacher|a teacher|her|him)"), False, True),
    (ReasonKind.DISTRESS, _r(
        r"\b(?:nobody|no one|no1|noone|no body)\s+(?:\w+\s+)?(?:listens to|believes|cares about"
        r"|understands|helps|would believe|will believe)\s+me\b|\b(?:no ?one|nobody|no1|no "
        r"body) to (?:talk|tell) to\b"), False, False),
    (ReasonKind.DISTRESS, _r(
        r"\bcan'?t stop (?:crying|shaking|thinking about (?:it|what|him|her))|\bcant stop "
        r"(?:crying|shaking)|\bcry(?:ing)? (?:every|all) (?:night|day|the time)|\bcan'?t sleep\b"
        r"|\bcant sleep\b"), True, False),
    (ReasonKind.DISTRESS, _r(
        r"\b(?:don'?t|dont|do not|never) feel safe|\bnot safe (?:at home|anymore|any more|here)"
        r"|\b(?:please|pls|plz)\s+(?:don'?t|dont|do not)\s+tell|\b(?:it'?s|its|it is|it was)\s+"
        r"(?:all\s+)?my (?:own )?fault\b|\bscared to go home\b"), False, True),
)  # fmt: skip

_FIRST_PERSON = re.compile(_FIRST)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|what if|in case|imagine|suppose|pretend|would|wouldn'?t|wouldnt|should|could"
    r"|might|never|when someone|when people|whenever|how to)\b|\w'd\b"
)
_REPORTED = re.compile(
    r"\b(?:said|says|told me|tells me|keeps|kept|happened|yesterday|last (?:night|week|month|"
    r"year)|again|now (?:he|she|they)|still|already)\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    before = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, start)), default=0)
    after = _SENTENCE_END.search(folded, end)
    return before, after.start() if after else len(folded)


def _disclosures(text: str, folded: str) -> list[Reason]:
    found: dict[ReasonKind, Reason] = {}
    for kind, pattern, needs_first_person, cancellable in _RULES:
        if kind in found:
            continue
        for m in pattern.finditer(folded):
            s_start, s_end = _sentence(folded, m.start(), m.end())
            sentence = folded[s_start:s_end]
            if needs_first_person and not _FIRST_PERSON.search(sentence):
                continue
            if (
                cancellable
                and _HYPOTHETICAL.search(folded, s_start, m.start())
                and not _REPORTED.search(sentence)
            ):
                continue
            found[kind] = Reason(kind, text[m.start() : m.end()], m.start(), m.end())
            break
    return sorted(found.values(), key=lambda r: r.start)
