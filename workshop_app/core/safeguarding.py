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
  It also reads a phone number given one digit at a time or in words ("0 7 7 0 0 ...",
  "oh seven seven double oh ...") in a sentence about a number, a school named in lower case
  after "at/to/from" ("st marys primary school", "oakfield academy") and "number 27 on oak
  street".
- **possible disclosures or distress**: phrase rules, not a trained model. Each pairs a
  first-person marker (me, my, I, "he made me", "someone keeps", "sent me", "my daughter")
  with a family of harm words (pics/photos/nudes, send, share, post, threaten, money,
  blackmail, touch, secret, hurt, die, cut, scared), in children's spelling too ("pics",
  "nudez", "sum1", "ppl", "askin me 4", "dont tell", "im scared"). Besides "it happened to
  me", the rules know the other shapes a disclosure takes: told indirectly ("something
  happened at my uncles that i cant talk about"), about a sibling, friend or child ("a man
  keeps sending my little sister messages"), as a question ("is it normal for an adult to
  text a kid every night"), and grooming without sexual words (flattery: "mature for my
  age", "says shes 13 but sounds old", an adult's age beside a child's; secrecy: "delete our
  messages", "so my parents dont see", "just between us", "not allowed to tell" (not about
  a surprise or a present); another app; running away; gifts "and wants something back";
  "comes in my room at night"; "when nobody is home"; "got my cousin to send"; a child
  "talking to an adult online", "being sent stuff by a man", "wants my address", going to
  meet someone from an app, dares with no top on, a fake account with my face), threats
  that turn on the writer ("pay or everyone sees it", "she'd kill herself if I stopped"),
  images already shared and what follows ("panic attacks since the video got shared",
  "since the thing with my coach", "its been going on for months"). One broad rule: a
  grown-up (a man, an older boy, a coach or tutor, mum's boyfriend, someone online) doing
  something (gives, sends, takes, films, comes in, asks, makes) in a sentence about the
  writer or someone they know, looked at only when no other rule holds the note. Self-harm
  also covers not eating to lose weight, too many tablets and "happier if i just
  disappeared". General statements about online harm in the third person ("kids get asked
  for pics online") do not match; a first-person match that a conditional plainly makes
  hypothetical ("if someone asked me for pics I would tell") is let through unless the same
  sentence also reports something ("he said", "keeps", "now", "is it normal that") without
  going on to say what the writer would do.

Every reason names its kind, a plain label for the facilitator and the words that matched.
Pure: standard library only, no model; the caller decides what holding means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

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
    # the second look: the note's sentence vector near labelled disclosures (themes/disclosure.py)
    READS_LIKE_DISCLOSURE = "reads_like_disclosure"

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
    ReasonKind.READS_LIKE_DISCLOSURE: "reads like one, though no particular words matched",
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


def with_second_look(kinds: tuple[str, ...], reads_like_disclosure: bool) -> tuple[str, ...]:
    """The stored kinds once the second look has read the note: its reason is added only when
    no rule found a possible disclosure (beside a particular reason it would tell the
    facilitator nothing more, as with the fallback rule)."""
    if not reads_like_disclosure or is_disclosure(kinds):
        return kinds
    return (*kinds, ReasonKind.READS_LIKE_DISCLOSURE.value)


def kinds_of(stored: Iterable[str]) -> tuple[ReasonKind, ...]:
    """The kinds a note stores, as ReasonKinds (a kind this version does not know is left
    out rather than refused: the note stays held either way)."""
    return tuple(ReasonKind(k) for k in stored if k in _KNOWN_KINDS)


_KNOWN_KINDS = frozenset(k.value for k in ReasonKind)


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
_NUMBER_ON_STREET = re.compile(
    rf"\b(?:number|no\.?|num)\s+\d{{1,4}}[a-z]?,?\s+(?:on|in|at|of|down)\s+(?:the\s+)?"
    rf"(?:{_NOT_A_STREET_WORD}[a-z'-]+\s+){{1,3}}{_SUFFIX}\b"
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
    r"(?<!its )(?:is|was) called|(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bof )(?<!\bwith )"
    r"(?<!\band )(?<!\bany )(?<!\beach )(?<!\bour )named)\s+([a-z][a-z'-]{1,20})\b"
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

# A phone number the redaction list does not read: one digit at a time ("0 7 7 0 0 9 ..."),
# or in words ("oh seven seven double oh nine ..."), in a sentence about a number.
_DIGIT_WORD = (
    r"(?:zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|treble"
    r"|\d)"
)
_SPELLED_PHONE = re.compile(
    rf"(?<![\w+])(?:\+\s?)?{_DIGIT_WORD}(?:[\s,.-]{{1,2}}{_DIGIT_WORD}){{8,15}}(?![\w])"
)
_PHONE_CUE = re.compile(
    r"\b(?:numbers?|no|num|call|ring|text|txt|phone|mobile|mob|cell|whatsapp|digits|contact)"
    r"\b"
)
_DIGIT_VALUE = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
# A school named in lower case after "at/to/from": "st marys primary school", "oakfield
# academy", "parkview secondary" (the privacy review reads only capitalised names).
_NOT_A_SCHOOL_WORD = (
    r"(?!(?:the|a|an|my|our|your|his|her|their|this|that|these|those|every|each|some|any|no"
    r"|all|its|it|one|local|big|small|little|new|old|primary|secondary|high|grammar|junior"
    r"|infant|nursery|senior|middle|special|boarding|private|state|public|faith|catholic"
    r"|church|free|sixth|form|year|upper|lower|independent|community|prep|after|before"
    r"|holiday|sunday|summer|forest|home|good|bad|best|worst|whole|same|next|last|first"
    r"|other|another|different|normal|real|online|night|evening|driving|art|drama|dance"
    r"|music|football|swimming|coding|sports?|is|was|are|and|or|but|so|if|at|to|from|in|on"
    r"|of|for|with|by|go|goes|went|going|back|straight|i|im|we|he|she|they|you|kids|children"
    r"|boys|girls|uni|university|police|fire|bus|ballet|gymnastics|karate|swim|language"
    r"|film|cooking|theatre|stage|bible|flight|law|medical|nursing|business|beauty|hair"
    r"|training|ski|surf|riding|teach|walk|cycle|drive|run|ride|our)\b)"
)
_LOWER_SCHOOL = re.compile(
    r"\b(?:at|to|from|attends?|attended|attending)\s+((?:st\.?\s+|saint\s+)?"
    rf"(?:{_NOT_A_SCHOOL_WORD}[a-z][a-z'-]+\s+){{1,3}}(?:(?:(?:primary|junior|infants?"
    r"|secondary|high|grammar|prep|community|catholic|c of e|ce)\s+)?(?:school|academy"
    r"|college)|primary|secondary|juniors|infants|high|grammar))\b"
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
        (ReasonKind.PHONE, _spelled_phones(folded)),
        (ReasonKind.SCHOOL, ((m.start(1), m.end(1)) for m in _LOWER_SCHOOL.finditer(folded))),
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


def _spelled_phones(folded: str) -> Iterator[tuple[int, int]]:
    if not _PHONE_CUE.search(folded):
        return
    for m in _SPELLED_PHONE.finditer(folded):
        digits, times = "", 1
        for word in re.findall(r"[a-z]+|\d", m.group()):
            if word in ("double", "triple", "treble"):
                times = 2 if word == "double" else 3
                continue
            digits += _DIGIT_VALUE.get(word, word) * times
            times = 1
        steps = {int(b) - int(a) for a, b in pairwise(digits)}
        if 9 <= len(digits) <= 13 and len(set(digits)) > 2 and steps not in ({1}, {-1}):
            yield m.start(), m.end()  # (counting "one two three ..." is no number)


def _addresses(folded: str) -> Iterator[tuple[int, int]]:
    for pattern in (_NUMBERED_ADDRESS, _NUMBER_ON_STREET):
        for m in pattern.finditer(folded):
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
    if not _LOWER_NAMES.isdisjoint(_LOWER_WORD.findall(text)):  # most notes name no one
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
    r"selfies?|images?|vids?|videos?|snaps|camera|cam|webcam|video ?call|facetime|"
    r"screen ?shots?|screenies|recordings?|clips?)"
)
_ME = r"(?:me|us)"
_MY_PEOPLE = (
    r"my (?:son|daughter|child|kid|boy|girl|friend|best friend|bestie|mate|best mate|bff|sister"
    r"|brother|little sister|little brother|cousin|niece|nephew|grandson|granddaughter|step ?son"
    r"|step ?daughter|friends|mates|kids|children|pupils?|students?)"
)
_SOMEONE = (
    r"(?:he|she|someone|somebody|some ?one|sum1|some1|sumone|a (?:man|guy|boy|girl|woman|"
    r"lady|person|grown ?up|stranger|player)|an (?:adult|older \w+|account)|a account|"
    r"this (?:man|guy|boy|girl|woman|person|account|player|adult)|my \w+)"
)
_FIRST = r"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|mine|myself|us|our)\b"
_ASK = r"(?:ask|asks|asked|asking|askin|askd|beg|begs|begged|begging|beggin)"
_TO_ME = rf"(?:{_ME}|{_MY_PEOPLE})"
_BAD = r"(?:(?:bad|weird|scary|horrible|awful|strange|wrong|really bad|not ok)\s+)"
_NOT_TELL = r"(?:not to|never to|don'?t|dont|do not|not|never)\s+(?:tell|say)"
# A sentence about a happy secret ("don't tell her about the surprise") or advice ("never tell
# strangers your address") is no secrecy cue.
_NOT_A_HAPPY_SECRET = (
    r"(?!\s+(?:strangers|people online|anyone online|(?:anyone |anybody |strangers |people )?"
    r"(?:your|ur)\b))"
    rf"(?!{_S}*\b(?:surprises?|presents?|birthday|party|christmas|spoilers?|ending|lies|fibs"
    rf"|jokes?|answers?|password)\b)"
)
_ADULT = (
    r"(?:an? (?:man|guy|lad|adult|grown ?up|older \w+|stranger|woman|lady)|someone (?:older|"
    r"much older|way older)|this (?:man|guy|lad|adult|woman))"
)
_PLACE_ONLINE = (
    r"(?:online|the internet|an? (?:app|game)|snap\w*|insta\w*|tik ?tok|roblox|discord|fortnite"
    r"|xbox|playstation|whatsapp|facebook|the (?:app|game)|omegle|kik|telegram)"
)
_MINOR = rf"(?:i'?m|im|i am|{_MY_PEOPLE}\s+is|(?:she|he)(?:'?s| is))\s+(?:only\s+)?(?:[6-9]|1[0-7])"
_GROWN = (
    r"(?:he|she|they|bf|gf|boyfriend|girlfriend)(?:\s+who)?(?:'?s|\s+is)?\s+(?:like\s+)?"
    r"(?:1[89]|[2-6]\d)"
)
# An adult, or someone older, in a child's life: who the broad rule below is about.
_GROWN_UP = (
    r"(?:(?:an? |this |some |the |that )?(?:man|men|guy|lad|adult|grown ?ups?|older (?:boy|girl|"
    r"man|lad|guy|woman|kid|person|people|teen\w*|one)|stranger|woman|lady|youth worker|tutor|"
    r"coach|(?:mums?|mom'?s|moms|dads?|grans?|nans?|aunt\w*|sisters?|brothers?)'?s? (?:boyfriend"
    r"|girlfriend|mate|friend|partner)|(?:her|his|their) (?:boyfriend|girlfriend|partner)|step ?"
    r"(?:dad|father|brother|mum|mom)|someone (?:online|on "
    r"\w+|from \w+|older)|an account|a player)\b)"
)
_DOES = (
    r"(?:gives?|gave|giving|buys?|bought|buying|sends?|sent|sending|takes?|took|taking|drives?|"
    r"drove|films?|filmed|filming|comes? in|came in|coming in|dms?|dm'?d|messages?|messaged|adds|"
    r"messaging|asks?|asked|asking|wants?|wanted|makes?|made|making|looks? at|looking at|"
    r"touch\w*|hugs?|hugged|kiss\w*|picks? (?:me|her|him|us) up|lifts?)"
)
_GIFT = (
    r"(?:money|cash|gifts?|gift ?cards?|robux|v-?bucks|presents?|skins?|credits?|vapes?|"
    r"£\s?\d+)"
)

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
        rf"\b(?:{_ASK}|pressur\w*|want|wants|wanted|"
        rf"wanting|keeps? on at|tell|tells|told|make|makes|made|forc\w*|offer\w*|brib\w*|"
        rf"dar(?:e|es|ed)|trying to get|tried to get)\s+(?:{_ME}|{_MY_PEOPLE})\b{_S}{{0,30}}?"
        rf"\b(?:for|4|send|show|take|go on|turn|do)\b{_S}{{0,30}}?\b{_IMG}\b"), False, True),
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
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:(?:asking|askin|begging|beggin|demanding)\s+(?:for|4)|wanting)\s+(?:\w+\s+)?"
        rf"{_IMG}\b"), True, True),
    (ReasonKind.ASKED_FOR_IMAGES, _r(
        rf"\b(?:keeps?|kept|won'?t stop|wont stop|always)\s+(?:on\s+)?(?:asking|askin|begging|"
        rf"beggin|going on)\s+(?:about\s+|for\s+|4\s+)(?:\w+\s+)?{_IMG}\b"), False, True),
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
        rf"\b(?:pay|send|give|transfer)\b{_S}{{0,30}}?\bor\s+(?:else\s+)?(?:{_HE_WILL}\s+"
        rf"(?:\w+\s+)?{_SPREAD}|(?:every ?(?:one|1|body)|the whole|all (?:my|your))\b"
        rf"{_S}{{0,20}}?\b(?:sees?|see|will see|gets?|knows?|finds? out))\b|\bor\s+(?:else\s+)?"
        rf"{_HE_WILL}\s+(?:\w+\s+)?{_SPREAD}\s+(?:it|them|those|that|everything|the \w+)\b"),
        True, True),
    (ReasonKind.THREAT, _r(
        r"\b(?:kill|hurt|harm|cut)\s+(?:herself|himself|themselves|themself)\s+if\s+(?:i|we)\b"
        ), False, False),
    (ReasonKind.THREAT, _r(
        r"\b(?:knows?|knew|found out|find out|finds out)\s+where\s+(?:i|we)\s+(?:live|go to "
        r"school|went to school|go|sleep|stay)|\b(?:come|coming"
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
        r"|go|watch|look|into|feel|delete|uncomfortable|touch|show|lie|sit|stay|sleep|kiss|hug|"
        r"come)\b"), False, True),
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
        r" like|i dont like|i didn'?t like|i didnt like|to me|to (?:her|him|them|us)|that make me|"
        r"that makes me|i don'?t want|i dont want)"), False, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:older than me|way older|much older|years older)\b"), True, True),
    # indirect: "something happened at my uncle's that I can't talk about"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\bsomething\s+{_BAD}?(?:happened|happens|is happening|went on|has happened)\b"
        rf"{_S}{{0,50}}?\b(?:can'?t|cant|cannot|can not|not allowed to|too scared to|scared to|"
        rf"afraid to|don'?t want to|dont want to|never)\s+(?:talk|tell|say|speak)|\bsomething\s+"
        rf"{_BAD}?happened\s+(?:to {_TO_ME}|at (?:my|his|her|their)|with (?:him|her|them|this "
        rf"\w+)|when i)\b"), True, True),
    # about a sibling, friend or child: "a man keeps sending my little sister messages"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:keeps?|kept|won'?t stop|wont stop|never stops?|always)\s+(?:\w+\s+)?(?:messaging"
        rf"|texting|calling|adding|following|sending|dm'?ing|contacting|snapping|bothering|"
        rf"harassing|touching)\s+{_MY_PEOPLE}\b|\b(?:an? (?:man|guy|grown ?up|adult|stranger|"
        rf"older \w+)|someone|somebody|sum1|some1)\s+(?:\w+\s+)?(?:messages|messaged|texts|"
        rf"texted|dms|calls|snaps|sends|sent)\s+{_MY_PEOPLE}\b"), True, True),
    # grooming by flattery: "he said im mature for my age", "people my age wouldnt understand"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:mature|grown ?up|advanced|special|old)\s+for\s+(?:my|her|his|your)\s+age\b|"
        r"\b(?:i'?m|im|i am|i was|i'?m like)\s+(?:his|her|their)\s+(?:favourite|favorite|fave|"
        r"fav|special)\b(?!\s+(?:grand\w*|pupil|student|player|niece|nephew|child|kid))|"
        r"\b(?:people|kids|boys|girls|friends|anyone)\s+(?:my|your|our)\s+age"
        rf"\b{_S}{{0,30}}?\b(?:wouldn'?t|wouldnt|don'?t|dont|can'?t|cant|won'?t|wont|never)\s+"
        r"(?:understand|get it|get us)"), True, True),
    # secrecy: told to delete or hide, "so my parents dont see", "just between us"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:told|tells|asked|asks|wants|wanted|makes|made|said|says)\s+(?:{_TO_ME}|him|"
        rf"her)\s+(?:\w+\s+)?to\s+(?:(?:delete|hide|clear|wipe)\s+(?:all\s+)?(?:our|his|her|"
        rf"their|them|it|everything|the (?:chats?|messages|texts|dms))|lie|keep (?:it |this |us )?"
        rf"(?:quiet|secret|between))\b|\bso (?:that )?(?:my |our )?(?:parents|mum|mom|mam|"
        rf"dad|nobody|no one|no1|teachers?|family|carers?) (?:don'?t|dont|can'?t|cant|won'?t|"
        rf"wont|doesn'?t|doesnt|never|wouldn'?t|wouldnt) (?:see|find out|know|find|check)\b|\b"
        rf"(?:secret|special|private|stays?|keep (?:it|this))\s+between\s+(?:us|you and me|me "
        rf"and \w+)\b|\bjust us (?:two|2)\b"), True, True),
    # not to tell, about someone else: "a man who tells him not to tell anyone"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:said|says|told|tells|keeps saying|made|makes|asked)\s+(?:{_TO_ME}|him|her|"
        rf"them)?\b{_S}{{0,40}}?\b{_NOT_TELL}\b{_NOT_A_HAPPY_SECRET}|\b(?:not|never) allowed "
        rf"to (?:tell|say)\b{_NOT_A_HAPPY_SECRET}"), True, True),
    # moving to another app, running away: "wants me to go on a different app"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:wants?|wanted|asked|asks|keeps asking|kept asking|told|tells|trying to get|"
        rf"tried to get|begging|got)\s+{_TO_ME}\s+to\s+(?:(?:go|move|talk|chat|come|switch|add"
        rf"|download|get|message|text)\b{_S}{{0,25}}?\b(?:(?:on|onto|to|over to|in)\s+)?(?:a\s+|an"
        rf"\s+)?(?:different|another|other|private|secret|separate)\s+(?:app|account|chat|server|"
        rf"number|phone|platform|site|game)|run ?away|leave home|come away|come to (?:his|her|"
        rf"their) (?:house|place|flat))\b"), True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:i|we)\s+(?:have to|has to|got to|gotta|must)\s+do\s+(?:what|whatever|everything|"
        r"anything)\s+(?:he|she|they|him|her)\s+(?:says?|tells?|wants?)\b"), False, True),
    # gifts and what they are for: "sends me money and wants something back"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:sends?|sent|gives?|gave|buys?|bought|offer\w*|promis\w*)\s+{_TO_ME}\s+(?:\w+\s+)"
        rf"{{0,3}}?{_GIFT}\b|\b(?:i|we|{_MY_PEOPLE})\s+(?:\w+\s+)?(?:was|were|been|got|gets|get|"
        rf"is|are)\s+(?:sent|given|offered|bought)\s+(?:\w+\s+){{0,3}}?{_GIFT}\b|\b(?:wants?|"
        rf"wanted|expects?|expected|asking for|asks for)\s+(?:something|stuff|things|a favour|"
        rf"favours)\s+(?:back|in return)\b"), True, True),
    # someone coming to where a child sleeps, or choosing when nobody is around
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:comes?|came|coming|gets?|got|goes|went)\s+(?:in|into)\s+(?:my|her|his|our)\s+"
        rf"(?:room|bed|bedroom)\b{_S}{{0,40}}?\b(?:at night|in the night|when (?:i'?m|im|i am|"
        rf"she'?s|shes|he'?s|hes) (?:asleep|sleeping|in bed|alone|changing)|(?:i|she|he) (?:don'?t"
        rf"|dont|doesn'?t|doesnt|didn'?t|didnt) (?:like|want) it)|\b(?:when|while)\s+(?:nobody|no "
        rf"?one|no1|no body)\s+(?:else\s+)?(?:is|was|'?s)\s+(?:home|around|in|there|looking|"
        rf"watching|about)\b"), True, True),
    # flattery about age, and age that does not add up
    (ReasonKind.FIRST_PERSON_HARM, _r(
        r"\b(?:says|said|tells me|told me|keeps telling me|keeps saying|thinks)\s+(?:that\s+)?"
        r"(?:i|i'?m|im|i am|my \w+|she|he)\s+(?:look|looks|seem|seems|act|acts|sound|sounds|am|"
        r"is|'m)?\s*(?:so\s+|really\s+|much\s+|way\s+|more\s+)?(?:older|mature|grown ?up)\s+"
        r"(?:than|for)\b|\b(?:says|said|claims?|claimed|told me)\s+(?:he'?s|hes|she'?s|shes|"
        r"they'?re|theyre|he is|she is|they are|to be)\s+(?:only\s+)?\d{1,2}\b[^.!?\n]{0,40}?\b"
        r"(?:but|and)\b[^.!?\n]{0,25}?\b(?:sounds?|looks?|seems?|voice|really|actually|older)\b"
        rf"|\b{_GROWN}\b{_S}{{0,40}}?\b{_MINOR}\b|\b{_MINOR}\b{_S}{{0,40}}?\b{_GROWN}\b"),
        False, True),
    # a child talking with an adult online, or hiding the phone
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:{_MY_PEOPLE}|i|i'?ve|ive|i'?m|im|i am|i was|i have)\s+(?:\w+\s+){{0,2}}?(?:talking|"
        rf"talks|chatting|chats|speaking|messaging|texting)\s+(?:to|with)\s+(?:an? (?:adult|grown "
        rf"?up|man|guy|woman|older \w+)|someone (?:older|much older|way older|"
        rf"(?:she|he|i|they) (?:doesn'?t|doesnt|don'?t|dont|has never|have never|never) (?:know|"
        rf"met))|people (?:much |way )?older)\b|\b(?:won'?t|wont|doesn'?t|doesnt|never)\s+(?:show"
        rf"|let)\s+(?:me|us|anyone)\s+(?:see\s+)?(?:her|his|their)\s+(?:phone|messages|chats|"
        rf"screen)\b|\b(?:hides|hid|hiding|deletes|deleted|deleting)\s+(?:her|his|their)\s+"
        rf"(?:phone|messages|chats|texts|dms)\b"), True, True),
    # being sent what one does not want: "he sends me stuff i dont want to see"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:sends?|sent|sending|shows?|showed|showing)\s+{_TO_ME}\s+(?:\w+\s+){{0,2}}?(?:stuff"
        rf"|things|pics?|pictures?|photos?|videos?|vids?|links?|messages)\b{_S}{{0,20}}?\b(?:i|"
        rf"she|he|we)\s+(?:don'?t|dont|didn'?t|didnt|do not|doesn'?t|doesnt)\s+(?:want to see|wanna"
        rf" see|want to look at|want|like|ask for|asked for)"), True, True),
    # done to a child by an adult: "being sent stuff by a man", "mum found messages from a man"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:being|been|was|were|got|gets|getting|is|are)\s+(?:sent|asked|messaged|followed|"
        rf"touched|added|contacted|groomed|dared|filmed|watched|texted|snapchatted)\b{_S}{{0,30}}?"
        rf"\bby\s+{_ADULT}\b|\b(?:found|saw|seen|read|noticed)\s+(?:\w+\s+)?(?:messages|chats|"
        rf"texts|dms|pics|photos|videos)\s+(?:from|with|to)\s+{_ADULT}\b"), True, True),
    # someone wanting where a child lives or goes: "he wants my address"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:he|she|they|someone|somebody|sum1|some1|people|a (?:man|guy|boy|girl|lad|woman|"
        rf"lady|person|stranger|player)|this (?:man|guy|boy|girl|lad|woman|person|account|player))"
        rf"\b{_S}{{0,20}}?\b(?:wants?|wanted|asked for|asks for|asking for|keeps asking for|"
        rf"asked me for|asking me for|asks me for|keeps asking me for|begging for)\s+(?:"
        rf"{_TO_ME}'?s?\s+|my\s+|her\s+|his\s+)(?:home\s+|real\s+)?(?:address|location|postcode|school|"
        rf"real name)\b"),
        True, True),
    # meeting someone from online, the writer or someone they know
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:{_MY_PEOPLE}|he|she)\s+(?:\w+\s+)?(?:met|meets|meeting|went to meet|is meeting|"
        rf"going to meet|gone to meet|wants to meet)\s+(?:up\s+with\s+)?(?:someone|somebody|a|an"
        rf"|this)\b{_S}{{0,30}}?\b(?:from|off|on)\s+{_PLACE_ONLINE}\b"), True, True),
    # clothes, dares, a lap: the shape of it, never the detail
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:dared|dare|dares|daring|asked|asks|told|tells|wants?|wanted|made|makes|got)\s+"
        rf"{_TO_ME}\b{_S}{{0,40}}?\b(?:no|without (?:a|my|her|his|any))\s+(?:top|clothes|shirt|"
        rf"t-?shirt|trousers|pants|bra)\b|\b(?:sit|sat|sitting) on (?:his|her|their) (?:lap|"
        rf"knee)\b"), True, True),
    # someone pretending to be the writer, or sharing a picture of them
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:fake|pretend)\s+(?:account|profile|page)\s+(?:of|with|using|pretending to be|as)"
        rf"\s+(?:me|my|us|{_MY_PEOPLE})\b|\b(?:sharing|shared|posting|posted|sending round|sent "
        rf"round|spreading|spread|leaked|leaking|passing round|passed round)\s+(?:\w+\s+){{0,2}}?"
        rf"{_IMG}\s+(?:of|with)\s+(?:me|us|my|{_MY_PEOPLE})\b"), False, True),
    # kept secret, filmed, late-night messages, nudity sent, lures
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:wants?|wanted|told|tells|asked|asks|makes|made|said|says)\s+{_TO_ME}\s+(?:to\s+)?"
        rf"keep\s+(?:\w+\s+){{0,3}}?(?:secret|private|hidden|quiet|between)\b{_NOT_A_HAPPY_SECRET}|"
        rf"\bkeep\s+(?:our|us)\s+(?:\w+\s+)?(?:secret|private|hidden)\b{_NOT_A_HAPPY_SECRET}"),
        True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:recorded|filmed|videoed|photographed|took (?:\w+\s+)?(?:pics?|photos?|pictures?|"
        rf"videos?) of)\s+(?:me|us|{_MY_PEOPLE})\b{_S}{{0,30}}?\b(?:in the (?:changing|toilets?|"
        rf"shower|bath|bedroom|loos?)|without|when (?:i|she|he) (?:was|wasn'?t|wasnt)|while (?:i|"
        rf"she|he))|\b(?:messages?|messaged|texts?|texted|dms?|calls?|called|snaps?|facetimes?)\s+"
        rf"(?:me|us|him|her|them|{_MY_PEOPLE})\b{_S}{{0,30}}?\b(?:late at night|in the night|at "
        rf"night|every night|after midnight|when (?:i'?m|im|she'?s|shes|he'?s|hes) in bed)\b"),
        True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:get|gets|getting|got|been|being|was|were|added|sent|shown|showed|show|send|sends|"
        rf"receiv\w*)\b{_S}{{0,30}}?\b(?:naked|nude|rude|dirty|sexual|inappropriate)\s+(?:pics?|"
        rf"photos?|pictures?|videos?|vids?|images?|stuff|things)\b|\b(?:ask\w*|wants? to (?:see|"
        rf"know)|talk\w* about|comment\w* on|said|says|tells me)\b{_S}{{0,30}}?\b(?:my|your|her|"
        rf"his)\s+(?:underwear|knickers|bra|boxers|bum|boobs|privates|private parts)\b"),
        True, True),
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b{_ADULT}\b{_S}{{0,30}}?\b(?:asked|asks|wants|wanted|told|tells|invited|invites)\s+"
        rf"{_TO_ME}(?:\s+and\s+my\s+\w+)?\s+to\s+(?:come|go|get)\b|\b(?:got|get|getting|went|go)"
        rf"\s+in(?:to)?\s+(?:a|his|her|their|the)\s+car\s+with\s+(?:{_ADULT}|him|someone|"
        rf"somebody)\b"), True, True),
    # pressure: made to, a love test, pictures of himself, offers for photos, alone with
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:i|we|{_MY_PEOPLE})\s+(?:was|were|got|been|is|are|am|'m|m|have been|has been)\s+"
        rf"(?:\w+\s+)?(?:forced|made|pressured|pressurised|tricked|blackmailed|bribed|groomed)\s+"
        rf"(?:to|into)\b|\bif\s+(?:i|you|u)\s+(?:really\s+)?(?:loved?|liked?|cared? about|trusted?)"
        rf"\s+(?:him|her|them|me)\b{_S}{{0,30}}?\b(?:prove|would|you'?d|i'?d|id|youd|send|do)\b|\b"
        rf"(?:sends?|sent|sending|shows?|showed)\s+(?:me|us|them|him|her|the (?:boys|girls|kids)|"
        rf"kids|{_MY_PEOPLE})\s+(?:\w+\s+)?{_IMG}\s+of\s+(?:himself|herself|themselves)\b|\b(?:"
        rf"says|said|told me|promis\w*|offer\w*|can get me|will give me|would give me)\b{_S}"
        rf"{{0,40}}?\bif\s+(?:i|you)\s+(?:send|sent|show|do|did|take)\b{_S}{{0,15}}?\b{_IMG}\b|\b"
        rf"(?:get|got|getting|gets)\s+(?:{_TO_ME}|her|him)\s+(?:on (?:my|her|his|our) own|alone|by "
        rf"(?:my|her|him)self)\b|\balone with (?:me|her|him|{_MY_PEOPLE})\b|\bsent\s+(?:some|them"
        rf"|it|one|a few|loads)\s+(?:\w+\s+)?to\s+(?:himself|herself|themselves|his (?:own )?phone"
        rf"|her (?:own )?phone)\b|\b(?:knows?|knew|found out)\b{_S}{{0,40}}?\b(?:i|we)\s+(?:never|"
        rf"didn'?t|didnt|did not)\s+(?:told|tell|give|gave)\s+(?:him|her|them)\b"), True, False),
    # avoiding a place or a person: "wont go to her dads and cries", "because of a leader there"
    (ReasonKind.DISTRESS, _r(
        rf"\b(?:won'?t|wont|doesn'?t|doesnt|refuses to|don'?t|dont)\s+(?:want to\s+)?go\s+(?:to|"
        rf"near|round|back to)\s+(?:her|his|my|their)\s+\w+\b{_S}{{0,40}}?\b(?:cries|crying|"
        rf"cried|scared|upset|panics|shakes|shaking)\b|\b(?:avoid\w*|pretend\w* to be (?:ill|sick)"
        rf"|scared|don'?t want to go|dont want to go|won'?t go|wont go|hide|hiding)\b{_S}{{0,60}}?"
        rf"\bbecause of\s+(?:him|her|them|{_GROWN_UP}|an? \w+ there|the \w+ there|my \w+)"),
        True, True),
    # manipulation: "got my cousin to send pictures"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:got|gets|persuaded|persuades|convinced|convinces|talked|tricked|tricks)\s+"
        rf"{_TO_ME}\s+(?:into|to)\s+(?:send\w*|show\w*|meet\w*|film\w*|delet\w*|lie|lying|turn"
        rf"(?:ing)? on|video ?call\w*|go on (?:cam|camera|video))\b"), True, True),
    # a question about someone's behaviour: "is it normal for an adult to text a kid"
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b(?:is it|is that|is this|its it)\s+(?:normal|ok|okay|alright|weird|wrong|bad|"
        rf"allowed|fine|legal)\s+(?:that|for|if|when)\s+(?:an?\s+|my\s+|the\s+)?(?:\w+\s+)?"
        rf"(?:adult|older|grown ?up|man|guy|coach|teacher|stranger|someone|somebody|sum1|he|"
        rf"she|uncle|cousin|neighbour|\w+'?s (?:dad|mum|brother))\b{_S}{{0,40}}?\b(?:ask\w*|send"
        rf"\w*|text\w*|messag\w*|dm\w*|call\w*|want\w*|meet\w*|touch\w*|hug\w*|kiss\w*|buy\w*|"
        rf"bought|gives?|gave|film\w*|follow\w*)\b"), False, True),
    # wanting to hurt oneself (never cancelled by a conditional)
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:kill|killing|killed|hurt|hurting|cut|cutting|harm|harming|starve|starving|"
        r"punish\w*|scratch\w*|burn\w*|hit|hitting|punch\w*|bite|biting|bruis\w*)\s+"
        r"myself\b|\bi (?:cut|cuts)(?: again| my (?:arms?|wrists?|legs?))|\b(?:been|"
        r"started|keep|kept|stop|stopped)\s+cutting\b|\bcutting again\b"), False, False),
    (ReasonKind.SELF_HARM, _r(r"\bself[- ]?harm\w*|\bsuicid\w*"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:took|take|taken|taking|swallowed)\s+(?:too many|loads of|a lot of|all (?:my|the|"
        r"mums?|dads?)|a bunch of)\s+(?:\w+\s+)?(?:tablets|pills|paracetamol|meds|medicine)|\b(?:go"
        r"|went|going|gone)\s+(?:\w+\s+)?(?:days?|a day|all day)\s+without\s+(?:eating|food)|\b"
        r"(?:stopped|stop|not) eating\b(?!\s+(?:meat|sweets|chocolate|sugar|dairy|fish|junk))|\b"
        r"(?:make|making) myself (?:sick|throw up)\b|\b(?:don'?t|dont|do not|stopped|skip|"
        r"skipping|not)\s+(?:eat|eating)\b[^.!?\n]{0,30}?\b(?:lose weight|thin|thinner|fat|"
        r"skinny)\b"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:want|wanna|wanted|wish|going|gonna|like)\s+(?:to\s+)?(?:just\s+)?(?:die|be dead|"
        r"disappear|end it|end my life|not exist|not be alive|not wake up|not be here|sleep "
        r"forever)\b|\bdisappear\w*\s+(?:forever|for good|and never)"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:don'?t|dont|do not|doesn'?t)\s+(?:want\s+to|wanna)\s+(?:be here|be alive|live|"
        r"exist|wake up|be around|go on)\b|\b(?:not|never) (?:wake|waking) up\b"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:no|see a|see any) way out\b(?!\s+of\s+(?:the|that|a|an)\b)|\bwish i could "
        r"(?:disappear|vanish|sleep forever|stop existing)\b"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:better off|happier) without me\b|\b(?:care|notice|matter|miss me|be happier|be "
        r"better off)\s+if\s+i\s+(?:just\s+)?(?:was|were|wasn'?t|wasnt|died|disappeared|left|"
        r"wasn't)\b|\bif "
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
        r"dying|death|suicide|hurting myself|not being (?:here|alive|around))|\b(?:feel like|"
        r"want to|wanna|going to|gonna)\s+(?:end\w*|kill\w*)\s+(?:it|myself|my life|everything)"
        r"\b"), True, False),
    (ReasonKind.SELF_HARM, _r(
        r"\b(?:i|im|i'm|i am|i feel like|i want to)\s+(?:\w+\s+)?giv(?:e|ing) up\b(?!\s+on\s+(?!me"
        r"\b|myself|life|everything|living))|\bcan'?t (?:do this|go on|cope|take it|take this)(?:"
        r" any ?more)?\b(?<!go on)|\bcan'?t go on\b(?!\s+(?:a|an|the|my|his|her|tiktok|snap\w*|"
        r"insta\w*|roblox|youtube|fortnite|minecraft|holiday|trips?|rides?|\w+ing)\b)|\bend (?:it "
        r"all|my life)\b"), True, False),
    # distress
    (ReasonKind.DISTRESS, _r(
        r"\b(?:i'?m|im|i am|i feel|i'?ve been|ive been|i get|i was|i keep feeling)\s+(?:\w+\s+)?"
        r"(?:scared|frightened|terrified|afraid|petrified|ashamed|trapped|dirty|disgusting|"
        r"unsafe|hopeless|worthless|desperate|alone)\b(?!\s+of\s+(?:the\s+)?(?:spiders?|the dark"
        r"|dark|dogs?|heights|clowns|snakes|bees|wasps|needles|ghosts|horror|dentists?|exams?|"
        r"tests?|thunder|storms?|water|the sea|deep water|injections|monsters)\b)"
        r"|\bi\s+(?:\w+\s+)?(?:hate|blame|loathe)\s+myself\b"), False, True),
    # about someone else: "my sister is scared of someone and wont say who"
    (ReasonKind.DISTRESS, _r(
        rf"\b{_MY_PEOPLE}\s+(?:is|was|has been|seems|gets|got)\s+(?:\w+\s+)?(?:scared|"
        rf"frightened|terrified|afraid|petrified)\s+(?:of\s+(?:someone|somebody|a man|a guy|an "
        rf"adult|him|her|them|going (?:online|home|out))|to (?:go home|go online|tell|say|"
        rf"sleep))\b|\b(?:won'?t|wont|will not|doesn'?t|doesnt|can'?t|cant)\s+(?:say|tell "
        rf"(?:me|us|anyone))\s+(?:who|what happened to (?:him|her|them)|what (?:he|she|they) "
        rf"did)\b"), True, True),
    # after images were shared, or since something happened
    (ReasonKind.DISTRESS, _r(
        rf"\b(?:panic attacks?|nightmares|flashbacks|can'?t eat|cant eat|can'?t breathe|cant "
        rf"breathe|not eating|not sleeping|keep crying|been crying)\b{_S}{{0,30}}?\b(?:since|"
        rf"because|after|about)\b{_S}{{0,30}}?\b(?:he|she|they|him|her|them|it happened|what "
        rf"happened|someone|messages?|shared|posted|leaked|{_IMG})\b|\b(?:my|our|her|his|{_MY_PEOPLE}"
        rf"'?s?)\s+(?:\w+\s+)?{_IMG}\s+(?:got|was|were|has been|have been|is being|are being|"
        rf"gets|get)\s+(?:shared|posted|leaked|sent round|sent around|spread|put online|"
        rf"uploaded|passed round|passed around)\b"), True, True),
    # not remembering, telling and nothing changing, being told to die
    (ReasonKind.DISTRESS, _r(
        rf"\bwoke up\b{_S}{{0,40}}?\b(?:didn'?t|didnt|don'?t|dont|did not|couldn'?t|couldnt|can'?t"
        rf"|cant)\s+(?:know|remember)|\b(?:don'?t|dont|can'?t|cant|didn'?t|didnt)\s+remember\s+"
        rf"(?:what happened|how i got|anything after)|\b(?:told|tell)\s+(?:a|my|the)\s+(?:teacher|"
        rf"adult|parent|mum|dad|police|someone)\b{_S}{{0,30}}?\b(?:but|and)\s+(?:nothing|no one|"
        rf"nobody|they didn'?t|they didnt|she didn'?t|she didnt|he didn'?t|he didnt)\b|\bstill "
        rf"(?:goes on|happens|happening|going on)\b"), True, True),
    (ReasonKind.THREAT, _r(
        r"\b(?:saying|says|said|telling me|tells me|told me|calls? me|called me)\b[^.!?\n]{0,30}?"
        r"\b(?:should|to|go|gonna|must|hope i)\s+(?:just\s+)?(?:die|kill (?:myself|yourself|"
        r"urself))\b|\bkys\b"), False, False),
    # since "the thing", regret, "going on for months"
    (ReasonKind.DISTRESS, _r(
        rf"\b(?:since|after|ever since)\s+(?:the (?:thing|stuff) (?:with|at)|what happened|it "
        rf"happened|what (?:he|she|they) did|that (?:night|day|time) (?:at|with))\b|\b(?:did|sent"
        rf"|showed|said)\s+(?:something|stuff|things|an? {_IMG})\b{_S}{{0,30}}?\b(?:regret|"
        rf"shouldn'?t have|shouldnt have|wish i (?:didn'?t|didnt|hadn'?t|hadnt))|\b(?:it'?s|its|"
        rf"it has|this has|it'?s been|its been|this is|it is)\s+(?:been\s+)?(?:going on|happening)"
        rf"\s+(?:for|since)\b|\bi\s+(?:don'?t|dont|do not)\s+know\s+how\s+to\s+(?:stop|make "
        rf"(?:it|him|her|them) stop|get (?:out|away))\b"), True, True),
    # the body's fear: "my tummy hurts every time I get a notification from him"
    (ReasonKind.DISTRESS, _r(
        rf"\b(?:feel sick|feel ill|tummy hurts|stomach hurts|belly hurts|shak(?:e|ing)|heart "
        rf"(?:races|pounds)|panic|freeze|cry|hide)\b{_S}{{0,20}}?\b(?:every time|whenever|when)"
        rf"\b{_S}{{0,40}}?\b(?:from (?:him|her|them)|my phone|notifications?|messages?|texts?|"
        rf"snaps?|dms?)\b"), True, True),
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

# Looked at only when no rule above holds the note: the least particular shape, whose reason
# would add nothing beside a particular one.
_FALLBACK_RULES: tuple[tuple[ReasonKind, re.Pattern[str], bool, bool], ...] = (
    # broad: a grown-up in the sentence doing something, in a note about the writer or their
    # people ("her boyfriend comes in the bathroom", "a man gave me a phone")
    (ReasonKind.FIRST_PERSON_HARM, _r(
        rf"\b{_GROWN_UP}{_S}{{0,25}}?\b{_DOES}\b|\b{_DOES}\s+(?:\w+\s+){{0,3}}?(?:from|by|with|for)"
        rf"\s+{_GROWN_UP}|\b(?:goes|go|went|going|been)\s+(?:\w+\s+){{0,2}}?with\s+(?:grown|older"
        rf"|adult)\s+(?:men|man|guys|lads|blokes)\b"), True, True),
)  # fmt: skip

# A first-person word, or a sentence that starts without its "I" ("got a msg saying ...").
_FIRST_PERSON = re.compile(rf"{_FIRST}|^\s*(?:got|get|getting|keep getting|been|had)\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:if|what if|in case|imagine|suppose|pretend|would|wouldn'?t|wouldnt|should|could"
    r"|might|never|when (?:someone|somebody|some ?one|sum1|people|anyone|anybody|a stranger)"
    r"|whenever|how to)\b|\w'd\b"
)
_REPORTED = re.compile(
    r"(?<!someone )(?<!somebody )(?<!anyone )(?<!anybody )(?<!people )(?<!you )"
    r"\b(?:said|says|told me|tells me)\b|\b(?:keeps|kept|happened|yesterday|last (?:night|"
    r"week|month|year)|again|now (?:he|she|they)|still|already|is (?:it|this|that) (?:normal"
    r"|ok|okay|alright|weird|wrong|bad|allowed|fine|legal))\b"
)
# ("if someone said ..." is no report: what a generic someone says is not.) What a plain
# hypothetical goes on to say ("if he said ..., I would ..."): then a reporting word inside
# the "if" part does not make it a report.
_CONSEQUENCE = re.compile(
    r"\b(?:i|we|you|u)\s+(?:would|wouldn'?t|wouldnt|should|shouldn'?t|shouldnt|could|need to"
    r"|must)\b|\b(?:i'?d|id|you'?d|youd)\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    before = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, start)), default=0)
    after = _SENTENCE_END.search(folded, end)
    return before, after.start() if after else len(folded)


_ANYONE = re.compile(r"(?:someone|somebody|some ?one|sum1|some1|anyone|anybody|people)\b")


def _hypothetical(folded: str, s_start: int, s_end: int, m: re.Match[str]) -> bool:
    """Whether a conditional before the match makes it plainly hypothetical: "if/when
    someone ..." (the "someone" may open the match itself), unless the sentence also reports
    something ("he said", "keeps") and does not go on to say what the writer would do ("if
    someone said it was our secret I would tell")."""
    lead = _ANYONE.match(folded, m.start())
    if not _HYPOTHETICAL.search(folded, s_start, lead.end() if lead else m.start()):
        return False
    return not _REPORTED.search(folded, s_start, s_end) or bool(
        _CONSEQUENCE.search(folded, m.end(), s_end)
    )


def _any_of(rules: tuple[tuple[ReasonKind, re.Pattern[str], bool, bool], ...]) -> re.Pattern[str]:
    """One pattern that matches wherever any of the rules' patterns matches (an alternation
    of them, each kept whole; none has a back-reference or a named group, which renumbering
    would break). Most notes match no rule: one pass over them instead of eighty."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern, _, _ in rules))


_ANY_RULE = _any_of(_RULES)


def _disclosures(text: str, folded: str) -> list[Reason]:
    found = _apply(_RULES, text, folded) if _ANY_RULE.search(folded) else []
    return found or _apply(_FALLBACK_RULES, text, folded)


def _apply(
    rules: tuple[tuple[ReasonKind, re.Pattern[str], bool, bool], ...], text: str, folded: str
) -> list[Reason]:
    found: dict[ReasonKind, Reason] = {}
    for kind, pattern, needs_first_person, cancellable in rules:
        if kind in found:
            continue
        for m in pattern.finditer(folded):
            s_start, s_end = _sentence(folded, m.start(), m.end())
            if needs_first_person and not _FIRST_PERSON.search(folded[s_start:s_end]):
                continue
            if cancellable and _hypothetical(folded, s_start, s_end, m):
                continue
            found[kind] = Reason(kind, text[m.start() : m.end()], m.start(), m.end())
            break
    return sorted(found.values(), key=lambda r: r.start)
