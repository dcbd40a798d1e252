"""Which language a note is written in, and whether the English theme model can read it.

The theme model reads English. A note in Urdu or Arabic script is noise to it, and a Polish
or Romanian note is read as a handful of sub-word pieces that land wherever they land. Such
notes are held back from grouping and shown as "not sure: written in another language".

    language_of(text) -> Language(code, name, readable)

How it decides (pure, deterministic, a few microseconds a note):

1. Script. Letters are counted by script. When letters of another script than Latin
   outnumber the Latin ones (and there are at least two), that script decides: Arabic
   script is Urdu when Urdu-only letters (ٹ ڈ ڑ ں ے ہ ھ, and ک گ ی پ چ that Arabic lacks) or
   common Urdu words appear, Persian when Persian words outweigh them, else Arabic;
   Cyrillic is Ukrainian or Russian by their own letters; other scripts are named by the
   language they mostly write. None of these is readable.
2. Latin script. Each word token is evidence for a language when it is one of that
   language's common words (a list with every English word taken out) or carries a letter
   only that language uses (Polish ą ć ę ł ń ś ź ż; Romanian ă â î ș ț; …). Words are
   evidence for English when they are common English words (function words, workshop
   words, text-speak) that the other language's list does not also hold: "to", "i", "a",
   "on" count for nobody against Polish.
3. A note is flagged (not readable) only when one other language has at least two words
   of evidence, more than English has, and English words make up less than 40 % of the
   note's words. So English wins ties; a mixed note with substantial English stays readable
   ("my son uses tiktok i nie wiem": 3 English words of 6, 2 Polish) while one that is
   mostly Polish is flagged ("my son uses tiktok i nie wiem co robic": 3 of 9, 4 Polish);
   one foreign word or a Polish name never flags a note ("dziękuję", "Mrs Wiśniewska").
4. Too little evidence either way (under two words: "ok", "lol", "roblox", emoji, numbers)
   gives ``und`` (undetermined), which is readable: a note is never flagged on no evidence.

Languages named in Latin script: English, Polish, Romanian, Lithuanian, Portuguese, Spanish.
A Latin-script language not on that list (French, Slovak, Somali…) is not recognised and stays
readable; measured in ``benchmarks/multilingual.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Language", "language_of"]


@dataclass(frozen=True, slots=True)
class Language:
    """A note's language: ISO 639-1 ``code`` ("und" when undetermined), English ``name``,
    and whether the (English) theme model can read it."""

    code: str
    name: str
    readable: bool


UNDETERMINED = Language("und", "undetermined", readable=True)
ENGLISH = Language("en", "English", readable=True)

#: Share of a note's words that must be English for a mixed note to stay readable.
ENGLISH_SHARE = 0.4
#: Words of evidence another language needs before a note is flagged.
MIN_EVIDENCE = 2

_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common English words: function words, the everyday words of workshop notes, and the
# spellings people use on phones. Any word here never counts as evidence of another language.
_EN = _words(
    """
    a about above after again against all almost also always am an and any anyone anything
    are aren arent around as at away back be because been before being below between both
    but by can cannot cant could couldnt did didnt do does doesnt doing done dont down during
    each either else enough even ever every everyone everything few first for from further
    get gets getting got had hadnt has hasnt have havent having he her here hers herself him
    himself his how however i if in into is isnt it its itself just know knew known last
    least less let like made make makes many may me might more most much must my myself need
    needs never new next no nobody nor not nothing now of off often old on once one only or
    other others our ours ourselves out over own quite rather really right said same say
    says see seen she should shouldnt since so some someone something sometimes still such
    than that thats the their theirs them themselves then there these they thing things
    think this those though through to too took under until up upon us very was wasnt way
    we well were werent what whatever when where whether which while who whoever whole whom
    whose why will with within without wont would wouldnt yet you your yours yourself
    yourselves im ive id ill youre theyre weve hes shes its lets ok okay yes yeah yep nope
    lol idk ngl tbh fr omg lmao btw pls plz u ur r y cos cuz coz gonna wanna gotta innit
    aint bare proper peak mate mates mum mums mam dad dads mom nan grandad bro sis lads
    boys girls kids kid child children childs son sons daughter daughters brother sister
    cousin nephew niece friend friends family families parent parents carer carers people
    person adult adults man men woman women teen teens teenager teenagers baby boy girl
    year years age aged old young younger older day days night nights week weeks month
    months time times hour hours minute minutes today tomorrow yesterday ago morning
    school schools class teacher teachers pupil pupils student students staff college
    home house room phone phones app apps game games gaming online internet chat chats
    message messages messaging text texts picture pictures pic pics photo photos image
    images video videos account accounts friend request report reported reporting reports
    block blocked police social worker workers service services agency agencies health
    help helps helped support safe safety risk risks danger dangerous abuse grooming groom
    groomed stranger strangers threat threats threatened money pay paid paying gift cards
    card bank training trained train course lesson lessons meeting meetings plan plans
    rules rule law information info share shared sharing tell told telling tells talk
    talked talking talks listen listened listening ask asked asking asks want wanted
    wants go goes going went come came coming take taken takes give gave given send sent
    sending keep kept look looked looking find found feel felt feels happen happened
    happens start started stop stopped try tried use used uses using play played playing
    plays work works worked working learn learned read write wrote written set put show
    shown understand understood believe trust trusted worry worried scared afraid angry
    upset sad happy fault blame wrong bad good better best worse worst real actually
    easy hard important sure able free open private public own big small little long
    short full whole different same sorry thanks thank please hello hi street road town
    club clubs group groups youth centre center team teams first second third last next
    one two three four five six seven eight nine ten hundred thousand
    """
)

# Common words of each recognised language, as typed with and without diacritics. Words
# that are also English are removed below, so only unambiguous words count.
_LISTS: dict[str, str] = {
    "pl": """
    nie jest są sa się sie że ze na w z co jak ale czy tak już juz mi mnie mój moj moja moje
    mojego mojej syn syna córka corka dziecko dziecka dzieci dzieciom dzieciaki ona oni ich
    jego jej ma mam mają maja być byc był byl była byla bo tylko bardzo też tez kiedy gdzie
    dlaczego wiem wie wiedzą wiedza wiedzieć wiedziec może moze można mozna trzeba powinni
    powinny powinien który ktory która ktora które ktore dla przez przy od po pod nad o za
    lub albo oraz ta tego tej tym tu tam teraz zawsze nigdy nic coś cos ktoś ktos wszyscy
    wszystko każdy kazdy każda kazda każdemu kazdemu samo nas nam nami was wam jestem
    jesteśmy jestesmy chcę chce robić robic telefon telefonie telefonu szkoła szkola szkole
    rodzice rodziców rodzicow internecie proszę prosze dziękuję dziekuje żeby zeby aby
    jeśli jesli jeżeli jezeli gdy więc wiec ile lat grze gry grać grac ludzie ludźmi ludzmi
    nasz nasze naszych pomoc pomóc pomoc policja policji powiedzieć powiedziec wina winy
    potrzebujemy sieci siedzi caly cały czas
    i a to on do go no im u ten
    """,
    "ro": """
    și si în nu este sunt să sa că ca la pe de cu din pentru care ce mai dacă daca ar
    trebui trebuie copilul copiii copii copiilor copil meu mea mei lui ei el ea noi voi le
    li îi ii își isi nimic ceva cineva când cand unde cum foarte doar fost fi fie au ai are
    avem aveți aveti spre fără fara sau dar însă insa toate toți toti tot fiecare
    telefonul telefoane școala scoala școală scoală părinții parintii părinți parinti
    vorbește vorbeste știu stiu știe stie nevoie despre între intre acum niciodată
    niciodata mult bine ne vă va lor cel cei cea cele acest această aceasta asta ăsta asa
    așa pot poate putea face fac zis spus spune spuna spună cere cerut bani poze poza
    pozele jocuri joc jocul străini straini oameni mi se o un una unui
    a in e am are
    """,
    "lt": """
    ir yra kad ne su kaip aš mano vaikas vaikai vaiko vaikų tėvai tevai nėra nera bet jis
    ji jie tai ką ka kur kodėl kodel labai dar mokykla mokykloje telefonas telefone reikia
    gali nori nežinau nezinau man mes jūs jus savo
    i
    """,
    "pt": """
    não nao é que para uma um os ele ela meu minha filho filha está esta são sao mas
    muito também tambem isso quando porque escola pais criança crianca crianças criancas
    você voce eles elas nós nos tem têm estão estao sei sabe
    a o e no do da se me
    """,
    "es": """
    que el la los las es y con para una un mi hijo hija está esta pero muy también tambien
    cuando porque escuela padres niño nino niños ninos niña qué cómo como sé sabe tiene
    están estan del al
    a no me se
    """,
}

# Letters that, within the Latin-script languages recognised here, belong to one only.
_LETTERS: dict[str, str] = {
    "pl": "ąćęłńśźż",
    "ro": "ăâîșşțţ",
    "lt": "ėįųūčš",
    "pt": "ãõçê",
    "es": "ñ¿¡",
}

_NAMES = {
    "en": "English",
    "pl": "Polish",
    "ro": "Romanian",
    "lt": "Lithuanian",
    "pt": "Portuguese",
    "es": "Spanish",
    "ur": "Urdu",
    "ar": "Arabic",
    "fa": "Persian",
}

_OWN: dict[str, frozenset[str]] = {code: _words(text) for code, text in _LISTS.items()}
#: Evidence for each language: its own words that are not English words.
_FOREIGN: dict[str, frozenset[str]] = {code: words - _EN for code, words in _OWN.items()}
#: English evidence against each language: English words that language does not also use.
_ENGLISH_VS: dict[str, frozenset[str]] = {code: _EN - words for code, words in _OWN.items()}

# --- scripts -------------------------------------------------------------------------------

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
#: (first, last, code, name) for other scripts; the language named is the one the script
#: mostly writes in English towns, the name says when the script is shared.
_SCRIPTS: tuple[tuple[int, int, str, str], ...] = (
    (0x0370, 0x03FF, "el", "Greek"),
    (0x0400, 0x052F, "und-Cyrl", "Cyrillic script"),
    (0x0530, 0x058F, "hy", "Armenian"),
    (0x0590, 0x05FF, "he", "Hebrew"),
    (0x0700, 0x074F, "syr", "Syriac"),
    (0x0780, 0x07BF, "dv", "Dhivehi"),
    (0x0900, 0x097F, "und-Deva", "Devanagari script (Hindi, Nepali, Marathi…)"),
    (0x0980, 0x09FF, "bn", "Bengali"),
    (0x0A00, 0x0A7F, "pa", "Punjabi (Gurmukhi)"),
    (0x0A80, 0x0AFF, "gu", "Gujarati"),
    (0x0B80, 0x0BFF, "ta", "Tamil"),
    (0x0C00, 0x0C7F, "te", "Telugu"),
    (0x0C80, 0x0CFF, "kn", "Kannada"),
    (0x0D00, 0x0D7F, "ml", "Malayalam"),
    (0x0D80, 0x0DFF, "si", "Sinhala"),
    (0x0E00, 0x0E7F, "th", "Thai"),
    (0x10A0, 0x10FF, "ka", "Georgian"),
    (0x1100, 0x11FF, "ko", "Korean"),
    (0x1200, 0x139F, "und-Ethi", "Ge'ez script (Amharic, Tigrinya…)"),
    (0x1780, 0x17FF, "km", "Khmer"),
    (0x3040, 0x30FF, "ja", "Japanese"),
    (0x3400, 0x4DBF, "zh", "Chinese"),
    (0x4E00, 0x9FFF, "zh", "Chinese"),
    (0xAC00, 0xD7AF, "ko", "Korean"),
)

_URDU_LETTERS = frozenset("ٹڈڑںےۓہۂھ")
#: Letters Arabic lacks but Urdu (and Persian) use.
_NOT_ARABIC_LETTERS = frozenset("پچژگکی")
_URDU_WORDS = _words("ہے ہیں کے کی کا میں اور کو نہیں سے یہ وہ پر بھی تھا تھی ہو کہ کیا")
#: Persian words that are not also common Arabic words ("من" and "ما" are).
_PERSIAN_WORDS = _words("است این را برای می که نمی هست هستند آنها شما")


def _script_of(char: str) -> tuple[str, str] | None:
    """(code, name) of the script of a non-Latin letter, or None for Latin and the rest."""
    point = ord(char)
    if point < 0x0370:
        return None
    for first, last in _ARABIC_RANGES:
        if first <= point <= last:
            return ("ar", "Arabic")
    if 0x3040 <= point <= 0x30FF or 0x31F0 <= point <= 0x31FF:
        return ("ja", "Japanese")
    for first, last, code, name in _SCRIPTS:
        if first <= point <= last:
            return (code, name)
    return None


def _arabic_script(text: str) -> Language:
    tokens = text.split()
    letters = set(text)
    urdu = 2 * len(letters & _URDU_LETTERS) + len(letters & _NOT_ARABIC_LETTERS)
    urdu += 2 * sum(token in _URDU_WORDS for token in tokens)
    persian = 2 * sum(token in _PERSIAN_WORDS for token in tokens)
    if persian > urdu and not letters & _URDU_LETTERS:
        return Language("fa", _NAMES["fa"], readable=False)
    if urdu:
        return Language("ur", _NAMES["ur"], readable=False)
    return Language("ar", _NAMES["ar"], readable=False)


def _cyrillic(text: str) -> Language:
    letters = set(text.lower())
    if letters & set("іїєґ"):
        return Language("uk", "Ukrainian", readable=False)
    if letters & set("ыэъё"):
        return Language("ru", "Russian", readable=False)
    if letters & set("ўі"):
        return Language("be", "Belarusian", readable=False)
    return Language("und-Cyrl", "Cyrillic script", readable=False)


def _other_script(text: str) -> Language | None:
    """The script that outnumbers Latin letters (at least two letters), if any."""
    counts: dict[tuple[str, str], int] = {}
    latin = 0
    for char in text:
        if not char.isalpha():
            continue
        script = _script_of(char)
        if script is None:
            latin += 1
        else:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    if count < 2 or count <= latin:
        return None
    code, name = script
    if code == "ar":
        return _arabic_script(text)
    if code == "und-Cyrl":
        return _cyrillic(text)
    if code == "zh" and ("ja", "Japanese") in counts:
        return Language("ja", "Japanese", readable=False)
    return Language(code, name, readable=False)


def _latin(text: str) -> Language:
    tokens = _WORD.findall(text.lower())
    if not tokens:
        return UNDETERMINED
    # Evidence is counted once per distinct word, and never from a one-letter word alone
    # ("w/o" is not Polish "w" + "o"; "amazon com … com" is not Portuguese "com").
    distinct = {t for t in tokens if len(t) > 1}
    best, best_score = "", 0
    for code, words in _FOREIGN.items():
        letters = _LETTERS[code]
        score = sum(token in words or any(char in letters for char in token) for token in distinct)
        if score > best_score:
            best, best_score = code, score
    english = sum(token in _ENGLISH_VS.get(best, _EN) for token in tokens)
    if (
        best_score >= MIN_EVIDENCE
        and best_score > english
        and english < ENGLISH_SHARE * len(tokens)
    ):
        return Language(best, _NAMES[best], readable=False)
    if english + best_score < MIN_EVIDENCE:
        return UNDETERMINED
    return ENGLISH


def language_of(text: str) -> Language:
    """The language ``text`` is written in and whether the English theme model reads it.

    Never raises for any ``str`` (empty, emoji-only, lone surrogates, very long text).
    Undetermined text (too short, names, numbers, emoji) is readable.
    """
    other = _other_script(text)
    if other is not None:
        return other
    return _latin(text)
