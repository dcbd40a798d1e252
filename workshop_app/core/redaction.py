"""Personal details in participant text: finding them, and taking them out of exports.

The privacy review (services/privacy.py) lists what `find_personal_details` suspects in
each note; the facilitator decides, fragment by fragment, whether exports show the words
or "[removed]" (`apply`). The detectors lean towards asking: a false alarm costs the
facilitator a click, a missed phone number costs a child's privacy. They are plain
regular expressions and a list of given names, so their choices can be explained:

- email addresses; web addresses (http://, https://, www., and bare domains such as
  example.co.uk with a known ending); @handles;
- phone numbers: UK numbers starting 0 with 10 or 11 digits (07700 900123, 0113 496 0000,
  020-7946-0000) and international ones starting + or 00 with 9 to 15 digits;
- UK postcodes in full (SW1A 1AA, any case), and an outward code alone (LS6) only where
  the words make it clearly a postcode ("live in LS6", "postcode M14", "the LS6 area");
- school names: capitalised words before School, Academy, College, Primary, High School,
  Infants, Juniors, Nursery… ("St Mary's Primary", "Riverside Academy");
- personal names: common UK given names, capitalised, with a following capitalised
  surname taken along ("Sam Jones"). Given names that are also ordinary words (Will, May,
  Rose, Grace, Hope, Mark, Bill, Frank…) count only after the start of a sentence or with a
  surname; months (May, June…) only with a surname.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

REMOVED = "[removed]"


class DetailKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    WEB = "web"
    HANDLE = "handle"
    SCHOOL = "school"
    NAME = "name"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DetailKind.EMAIL: "Email address",
    DetailKind.PHONE: "Phone number",
    DetailKind.POSTCODE: "Postcode",
    DetailKind.WEB: "Web address",
    DetailKind.HANDLE: "Social media handle",
    DetailKind.SCHOOL: "School name",
    DetailKind.NAME: "Personal name",
}


class Decision(StrEnum):
    REMOVE = "remove"  # exports show "[removed]"
    KEEP = "keep"  # exports show the words as written

    @property
    def label(self) -> str:
        return "Removed from exports" if self is Decision.REMOVE else "Kept"


@dataclass(frozen=True, slots=True)
class Finding:
    """Words that look like a personal detail: `text[start:end] == fragment`."""

    kind: DetailKind
    fragment: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Redaction:
    """The facilitator's decision about one fragment of one note."""

    id: str
    note_id: str
    fragment: str
    kind: DetailKind
    decision: Decision
    created_at: datetime
    deleted_at: datetime | None = None  # undone


def apply(text: str, fragments: Iterable[str]) -> str:
    """`text` with every occurrence of each fragment replaced by "[removed]".

    Longer fragments go first, so a fragment inside another ("Sam" in "Sam Jones") never
    leaves part of the longer one behind.
    """
    for fragment in sorted({f for f in fragments if f}, key=len, reverse=True):
        text = text.replace(fragment, REMOVED)
    return text


def find_personal_details(text: str) -> list[Finding]:
    """What in `text` looks like a personal detail, in reading order, never overlapping
    (where two detectors claim the same words, the first in the list above wins)."""
    taken: list[Finding] = []
    for detector in _DETECTORS:
        for found in detector(text):
            if found.fragment and not any(
                found.start < t.end and t.start < found.end for t in taken
            ):
                taken.append(found)
    return sorted(taken, key=lambda f: f.start)


# ---------------------------------------------------------------- the detectors


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TRAILING = ".,;:!?)]}'\"’”"  # punctuation that ends a sentence, not an address

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_TLDS = (
    r"(?:co|org|ac|gov|sch|nhs|police|ltd|me|net)\.uk|com|org|net|uk|io|tv|me|gg|app|ly"
    r"|info|biz|co|edu|gov|xyz|online|site|games|live|chat"
)
_DOMAIN = re.compile(
    rf"(?i)(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"]*)?"
)
_HANDLE = re.compile(r"(?<![\w@.])@(?=[A-Za-z0-9_.]*[A-Za-z])[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29})")


def _trimmed(kind: DetailKind, text: str, start: int, end: int) -> Finding:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return Finding(kind, text[start:end], start, end)


def _emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield _trimmed(DetailKind.EMAIL, text, m.start(), m.end())


def _urls(text: str) -> Iterator[Finding]:
    for m in _URL.finditer(text):
        yield _trimmed(DetailKind.WEB, text, m.start(), m.end())


def _domains(text: str) -> Iterator[Finding]:
    for m in _DOMAIN.finditer(text):
        yield _trimmed(DetailKind.WEB, text, m.start(), m.end())


def _handles(text: str) -> Iterator[Finding]:
    for m in _HANDLE.finditer(text):
        yield _trimmed(DetailKind.HANDLE, text, m.start(), m.end())


# A run of digits with single spaces, dots or dashes between groups, starting with 0
# (UK: 0, then 9 or 10 more digits), "(0113)" or + / 00 and a country code.
_PHONE = re.compile(
    r"(?<![\w+.])(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|\(0\d{2,4}\)[ .-]?|0)"
    r"\d{1,6}(?:[ .-]?\d{2,6}){0,4}(?![\w]|[.,]\d)"
)


def _phones(text: str) -> Iterator[Finding]:
    for m in _PHONE.finditer(text):
        fragment = m.group()
        digits = re.sub(r"\D", "", fragment)
        if fragment.startswith("+") or fragment.startswith("00"):
            ok = 9 <= len(digits) <= 15
        else:
            ok = 10 <= len(digits) <= 11
        if ok:
            yield Finding(DetailKind.PHONE, fragment, m.start(), m.end())


_OUTWARD = r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)"
_FULL_POSTCODE = re.compile(rf"(?i)\b{_OUTWARD} ?\d[ABD-HJLNP-UW-Z]{{2}}\b")
# An outward code alone is only a postcode where the words around it say so.
_OUTWARD_AFTER_CUE = re.compile(
    r"(?i:\b(?:post ?code(?: is)?|live[sd]? (?:in|near|round|around)|living (?:in|near))"
    rf"\s+(?:the\s+)?)({_OUTWARD})\b"
)
_OUTWARD_BEFORE_AREA = re.compile(rf"\b({_OUTWARD})\s+(?i:area|postcode)\b")


def _postcodes(text: str) -> Iterator[Finding]:
    for m in _FULL_POSTCODE.finditer(text):
        if any(c.isdigit() for c in m.group()):
            yield Finding(DetailKind.POSTCODE, m.group(), m.start(), m.end())
    for pattern in (_OUTWARD_AFTER_CUE, _OUTWARD_BEFORE_AREA):
        for m in pattern.finditer(text):
            yield Finding(DetailKind.POSTCODE, m.group(1), m.start(1), m.end(1))


_SCHOOL_WORDS = (
    r"(?:(?:Primary|Junior|Infant|Secondary|High|Grammar|Free|Community|Prep|Preparatory"
    r"|Special|Middle|Upper|Lower|Independent)\s+School|Infant\s+and\s+Junior\s+School"
    r"|Sixth\s+Form(?:\s+College)?|School|Academy|College|Primary|Infants|Juniors"
    r"|Nursery|High)"
)
_SCHOOL = re.compile(
    r"\b((?:(?:St\.?|Saint|[A-Z][A-Za-z'’-]*|C\s+of\s+E|RC|CE)\s+(?:(?:of|and|&|upon|on|the"
    rf"|de|la|in)\s+)?){{1,5}}){_SCHOOL_WORDS}\b"
)
# Words that start a phrase without naming a school ("My School", "The Academy").
_NOT_A_SCHOOL_NAME = _words(
    """My Our Your Their His Her The This That These Those At In A An Every Each Some Any
    No Local Big Small New Old Primary Secondary High Grammar Junior Infant Nursery Senior
    Middle Special Boarding Private State Faith Catholic Church Free Sixth Form Year
    Upper Lower Independent Community Prep After Before Holiday Sunday Summer Forest
    Home Secondary Good Bad Best Worst Whole Same Next Last First Which What When At
    And Or But So If Then I I'm Im We He She They It Is Was Going Went Go Like Love Hate
    Art Drama Dance Music Football Swimming Coding"""
)


def _schools(text: str) -> Iterator[Finding]:
    for m in _SCHOOL.finditer(text):
        start, fragment = m.start(), m.group()
        # Drop the words at the front that do not name anything ("My", "The", "Primary").
        while True:
            word = re.match(r"\S+\s+", fragment)
            if word is None or word.group().strip() not in _NOT_A_SCHOOL_NAME:
                break
            start += word.end()
            fragment = fragment[word.end() :]
        words = fragment.split()
        named = [w for w in words[:-1] if w[0].isupper() and w not in _NOT_A_SCHOOL_NAME]
        if named:
            yield Finding(DetailKind.SCHOOL, fragment, start, start + len(fragment))


# Common UK given names (ONS baby names of recent decades and names common among parents
# and practitioners). Case-sensitive: only a capitalised word counts.
GIVEN_NAMES = _words(
    """Aaliyah Aaron Abdul Abdullah Abigail Ada Adam Adrian Ahmed Aidan Aisha Alan Albert
    Alex Alexander Alexandra Alfie Ali Alice Alicia Alison Amanda Amelia Amir Amy Andrea
    Andrew Angela Anna Anne Annie Anthony Archie Arlo Arthur Ava Ayesha Barbara Barry Ben
    Benjamin Beth Bethany Billy Bobby Bradley Brandon Brian Caitlin Callum Cameron Carl
    Caroline Catherine Charles Charlie Charlotte Chloe Chris Christine Christopher Claire
    Clare Connor Craig Daniel Danielle Darren David Dawn Debbie Deborah Declan Dennis Diane
    Dominic Donna Dylan Edward Eleanor Elijah Elizabeth Ella Ellie Elliot Elsie Emily Emma
    Eric Erin Ethan Evie Ewan Fatima Finley Finn Florence Frankie Freddie Freya Gareth
    Gary Gavin Gemma Geoffrey George Georgia Gordon Graham Hannah Harley Harper Harriet
    Harrison Harry Harvey Hassan Hayley Heather Helen Henry Hollie Hussain Ian Ibrahim
    Imogen Isaac Isabel Isabella Isabelle Isla Ismail Jack Jacob Jake James Jamie Jane
    Janet Jasmine Jason Jayden Jennifer Jenny Jessica Jill Joanne Joe Joel John Jonathan
    Jordan Joseph Joshua Julie Karen Kate Katie Kayla Keith Kelly Kerry Kevin Kieran Kyle
    Laura Lauren Layla Leah Leo Leon Lewis Liam Linda Lisa Logan Lola Louie Louis Louise
    Lucas Lucy Luke Lydia Maisie Maria Martin Mason Matilda Matthew Maya Megan Melissa
    Mia Michael Michelle Millie Mohamed Mohammad Mohammed Molly Muhammad Nancy Naomi Natalie
    Nathan Neil Nicholas Nicola Noah Oliver Olivia Omar Oscar Owen Paige Patrick Paul
    Paula Peter Phoebe Phillip Priya Rachel Rebecca Reece Rhys Richard Riley Robert Robyn
    Ronnie Rory Rosie Ryan Sadie Samantha Samuel Sandra Sara Sarah Scarlett Scott Sean
    Sharon Shaun Sienna Simon Sofia Sophia Sophie Stacey Stanley Stephanie Stephen Steven
    Stuart Susan Tariq Teddy Theo Thomas Tilly Toby Tom Tommy Tony Tracey Tyler Usman
    Victoria Wayne William Willow Yasmin Yusuf Zac Zachary Zainab Zara Zoe Sam Jo Kim Lee
    Ellis Jess Alfie Bella Aria Ivy Evelyn Poppy Ruby Daisy Lily Holly Jade Amber"""
)
# Given names that are also ordinary words: a name only after the start of a sentence,
# or with a capitalised surname after it.
ORDINARY_WORD_NAMES = _words(
    """Will May Rose Grace Hope Mark Bill Frank Faith Joy Sky Summer Autumn Dawn Max Guy
    Pat Sue Bob Rob Ray Don Dean Drew Reed Miles Rich Sunny Angel Carol Eve Chase Hunter
    Robin Ivy Poppy Ruby Daisy Lily Holly Jade Amber Crystal Heather Jean Kit Jay Art
    Bella Matt Mo Nick Tim Victor Harper Grant Bee Penny Iris Willow"""
)
MONTH_NAMES = frozenset({"April", "May", "June", "August"})  # a name only with a surname

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_SURNAME = re.compile(r"[ \t]+([A-Z](?:['’][A-Z])?[a-z][A-Za-z-]*)")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+[A-Z](?:['’][A-Z])?[a-z][A-Za-z-]*")
_NOT_A_SURNAME = _words(
    """The And But So Is Was Are Were Has Had Have Said Says Can Could Would Should
    Will May Might Must Did Does Do Not Too Also Then When Where What Why How Who Which
    From To At In On Of For With By Or If As It Its He She They We You Me Him Her Them
    Us My Our Your Their Mum Dad Nan Gran Grandad Aunt Auntie Uncle Miss Mrs Mr Ms Sir
    Yes No Ok Okay Thanks Please Because Year Day Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday Road Academy School College Primary High"""
)
_SENTENCE_END = ".!?:;\n"
_QUOTES = "\"'“”‘’("


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t" + _QUOTES)
    return not before or before[-1] in _SENTENCE_END


def _names(text: str) -> Iterator[Finding]:
    for m in _TITLED.finditer(text):  # "Mr Smith", "Miss O'Neill": a teacher, a neighbour
        yield Finding(DetailKind.NAME, m.group(), m.start(), m.end())
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        if word not in GIVEN_NAMES and word not in ORDINARY_WORD_NAMES and word not in MONTH_NAMES:
            continue
        rest = text[m.end() :]
        if re.match(r"['’](?!s\b)\w", rest):
            continue  # "Don't", "Will've"
        if re.search(r"\b(?:St\.?|Saint)\s+$", text[: m.start()]):
            continue  # "St John Ambulance", "St Mark's": a saint, a place
        surname = _SURNAME.match(rest)
        if surname and surname.group(1) in _NOT_A_SURNAME | GIVEN_NAMES | MONTH_NAMES:
            surname = None
        if surname is None:
            if word in MONTH_NAMES:
                continue  # "in May", "June was hot"
            if word in ORDINARY_WORD_NAMES and _at_sentence_start(text, m.start()):
                continue  # "Will it help?", "Hope you are ok"
        end = m.end() + (surname.end() if surname else 0)
        yield Finding(DetailKind.NAME, text[m.start() : end], m.start(), end)


_DETECTORS = (_emails, _urls, _handles, _phones, _postcodes, _domains, _schools, _names)
