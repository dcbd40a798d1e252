"""The arrival check (core/safeguarding.py): what is held back from the projector and why,
measured on the labelled notes (tests/core/data) and on awkward input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_app.core import safeguarding as sg
from workshop_app.core.safeguarding import Check, Concern, ReasonKind, check

DATA = Path(__file__).parent / "data"
SETS = ["safeguarding_notes.tsv", "safeguarding_heldout.tsv", "safeguarding_fresh.tsv"]


def read_notes(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, kind, note = line.split("\t")
            rows.append((label, kind, note))
    return rows


#: Labelled notes whose words the property tests below recombine.
SAMPLE_NOTES = [note for _, _, note in read_notes("safeguarding_notes.tsv")]


def caught(label: str, result: Check) -> bool:
    if label == "personal":
        return result.personal_detail
    if label == "disclosure":
        return result.possible_disclosure
    return result.hold


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("label", ["disclosure", "personal"])
def test_at_least_95_percent_of_labelled_notes_are_held_for_their_reason(name, label) -> None:
    notes = [note for lab, _kind, note in read_notes(name) if lab == label]
    missed = [note for note in notes if not caught(label, check(note))]
    recall = 1 - len(missed) / len(notes)
    assert recall >= 0.95, f"recall {recall:.3f} for {label} in {name}; missed: {missed}"


@pytest.mark.parametrize("name", SETS)
def test_at_most_10_percent_of_ordinary_notes_are_held(name) -> None:
    notes = [note for lab, _kind, note in read_notes(name) if lab == "ordinary"]
    held = [(note, [r.label for r in check(note).reasons]) for note in notes]
    held = [h for h in held if h[1]]
    rate = len(held) / len(notes)
    assert rate <= 0.10, f"false holds {rate:.3f} in {name}: {held}"


def test_the_labelled_sets_are_large_enough_and_cover_every_kind() -> None:
    tuning, heldout, fresh = (read_notes(name) for name in SETS)
    # the third author's notes and the probe notes were never used to tune the rules (the
    # second look's reference holds the third's: themes/disclosure.py)
    third, probe = read_notes("safeguarding_third.tsv"), read_notes("safeguarding_probe.tsv")
    assert len(tuning) >= 300 and len(heldout) >= 100 and len(fresh) >= 240 and len(third) >= 300
    rule_kinds = {k.value for k in ReasonKind} - {ReasonKind.READS_LIKE_DISCLOSURE.value}
    for rows in (tuning, fresh, third):
        kinds = {kind for label, kind, _ in rows if label != "ordinary"}
        assert kinds == rule_kinds
    for rows in (fresh, third):
        labels = Counter(label for label, _kind, _note in rows)
        assert labels["ordinary"] >= 105 and labels["personal"] >= 40
        assert labels["disclosure"] >= 70
    files = (tuning, heldout, fresh, third, probe)
    for i, a in enumerate(files):
        for b in files[i + 1 :]:
            assert not {note for *_, note in a} & {note for *_, note in b}


NEW_DETAILS = [
    ("i live at 14 elm road", ReasonKind.STREET_ADDRESS, "14 elm road"),
    ("we moved to 45a Kings Crescent last year", ReasonKind.STREET_ADDRESS, "45a Kings Crescent"),
    ("my nan lives on cherry tree close", ReasonKind.STREET_ADDRESS, "cherry tree close"),
    ("me and jack play fortnite", ReasonKind.LOWERCASE_NAME, "jack"),
    ("my best friend is called zofia", ReasonKind.LOWERCASE_NAME, "zofia"),
    ("add me on snap its coolkid_09", ReasonKind.HANDLE_WITHOUT_AT, "coolkid_09"),
    ("my insta is mia.dances", ReasonKind.HANDLE_WITHOUT_AT, "mia.dances"),
    ("ig: ellie_xo", ReasonKind.HANDLE_WITHOUT_AT, "ellie_xo"),
    ("email jake dot smith at gmail dot com", ReasonKind.SPELLED_EMAIL,
     "jake dot smith at gmail dot com"),
    ("its jane[at]example[dot]org", ReasonKind.SPELLED_EMAIL, "jane[at]example[dot]org"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "fragment"), NEW_DETAILS)
def test_the_new_kinds_of_personal_detail_are_found(text, kind, fragment) -> None:
    result = check(text)
    assert result.hold
    assert (kind, fragment) in [(r.kind, r.fragment) for r in result.reasons]


@pytest.mark.parametrize(
    "text",
    [
        "i live near the park",
        "it takes 5 minutes on the way",
        "my insta is private",
        "i will hope for the best",
        "the app is called roblox",
    ],
)
def test_ordinary_words_are_not_taken_for_personal_details(text) -> None:
    assert not check(text).hold


def test_redaction_findings_are_reasons_too() -> None:
    result = check("text me on 07700 900123 or jo.bloggs@example.com")
    assert [r.kind for r in result.reasons] == [ReasonKind.PHONE, ReasonKind.EMAIL]


def test_a_participants_chosen_name_is_not_flagged_as_a_name() -> None:
    assert check("me and jack made it").hold
    assert not check("me and jack made it", known_names=frozenset({"Jack"})).hold
    assert not check("Jack says hi", known_names=frozenset({"jack"})).hold
    assert not check("my name is zed", known_names=frozenset({"Zed"})).hold
    held = check("me and jack and ellie made it", known_names=frozenset({"Jack"}))
    assert [r.fragment for r in held.reasons] == ["ellie"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a man online keeps asking me for pics", ReasonKind.ASKED_FOR_IMAGES),
        ("sum1 wants me to send nudez", ReasonKind.ASKED_FOR_IMAGES),
        ("someone has a photo of me and wants money", ReasonKind.THREAT),
        ("he said hell post my pics if i dont send more", ReasonKind.THREAT),
        ("he made me promise not to tell", ReasonKind.FIRST_PERSON_HARM),
        ("i dont want to be here anymore", ReasonKind.SELF_HARM),
        ("nobody would care if i was gone", ReasonKind.SELF_HARM),
        ("im scared", ReasonKind.DISTRESS),
    ],
)
def test_possible_disclosures_are_held_with_their_kind(text, kind) -> None:
    result = check(text)
    assert result.hold and result.possible_disclosure
    assert kind in [r.kind for r in result.reasons]


@pytest.mark.parametrize(
    "text",
    [
        "kids get asked for pics online",
        "people can threaten you for money",
        "scammers threaten to post pictures unless you pay",
        "if someone asked me for pics i would tell my mum",
        "my mum says never send pics to anyone",
        "kids who self harm need someone to talk to",
    ],
)
def test_statements_about_the_topic_are_not_held(text) -> None:
    assert not check(text).hold


def test_reasons_carry_plain_labels_and_the_words_that_matched() -> None:
    text = "a man keeps asking me for pics. my snap is jakey_2010"
    result = check(text)
    assert {r.label for r in result.reasons} == {
        "Possible disclosure: someone asking for images",
        "Personal detail: username without @",
        "Possible disclosure: something happening to the writer or someone they know",
    }
    for r in result.reasons:
        assert text[r.start : r.end] == r.fragment
    assert {r.concern for r in result.reasons} == set(Concern)


def test_every_kind_has_a_label_naming_its_concern() -> None:
    for kind in ReasonKind:
        prefix = "Possible disclosure: " if kind.concern is Concern.POSSIBLE_DISCLOSURE else None
        assert kind.label.startswith(prefix or "Personal detail: ")
        assert kind.label == kind.label.strip() and len(kind.label) < 80


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🙂🙂🙂 🐶",
        "x" * 10_000,
        ("he keeps asking me for pics " * 400)[:10_000],
        "at dot " * 1_400,
        "lone \ud800 surrogate \udfff",
        "<script>alert('i want to die')</script>",
        "İstanbul İ " * 50,
        "\x00\t\r\n",
    ],
)
def test_awkward_input_never_raises_and_spans_match(text) -> None:
    result = check(text)
    assert result.hold == bool(result.reasons)
    for r in result.reasons:
        assert text[r.start : r.end] == r.fragment


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_check_whose_spans_are_its_own_words(text) -> None:
    result = check(text)
    assert result.hold == bool(result.reasons)
    for r in result.reasons:
        assert text[r.start : r.end] == r.fragment


ALL_SETS = [*SETS, "safeguarding_third.tsv", "safeguarding_probe.tsv"]


def _rules_match(folded: str) -> bool:
    return any(pattern.search(folded) for _, pattern, _, _ in sg._RULES)


def test_the_one_pass_over_all_rules_matches_exactly_where_some_rule_does() -> None:
    """The check skips the rules one by one when one pass over all of them finds nothing:
    on every labelled note, whole and cut into pieces, the pass and the rules agree, and
    the check finds what the rules one by one find."""
    notes = [note for name in ALL_SETS for _, _, note in read_notes(name)]
    matched = 0
    for note in notes:
        words = note.split()
        pieces = [note] + [" ".join(words[i : i + 6]) for i in range(0, len(words), 3)]
        for text in pieces:
            folded = sg._fold(text)
            assert bool(sg._ANY_RULE.search(folded)) == _rules_match(folded), text
            matched += _rules_match(folded)
        folded = sg._fold(note)
        rules_one_by_one = sg._apply(sg._RULES, note, folded)
        assert sg._disclosures(note, folded) == (
            rules_one_by_one or sg._apply(sg._FALLBACK_RULES, note, folded)
        ), note
    assert matched > 300  # the pieces hit the rules often, not only the whole notes


@given(st.lists(st.sampled_from(sorted({w for n in SAMPLE_NOTES for w in n.split()})), max_size=25))
def test_the_one_pass_agrees_with_the_rules_on_notes_made_of_their_words(words) -> None:
    folded = sg._fold(" ".join(words))
    assert bool(sg._ANY_RULE.search(folded)) == _rules_match(folded)


# Each family of rules added for the fresh set's shapes, with notes that are in no .tsv file:
# (family, notes it must hold for a possible disclosure, ordinary notes it must not hold).
FAMILIES = [
    ("indirect",
     ["something bad happened when i stayed at my cousins and i cant tell anyone",
      "something happened to my best friend at the party"],
     ["something funny happened at school today",
      "something happened with my phone and i lost all my photos"]),
    ("about a sibling, friend or child",
     ["a lady from my dance class keeps messaging my little brother late at night",
      "i think my little sister is talking to an adult online, she wont show me her phone"],
     ["people keep messaging kids on games and its a problem",
      "i like playing with my little sister"]),
    ("a question",
     ["is it normal that my swim coach texts me on my own",
      "is it weird for a grown up to buy me a phone",
      "is it ok if my online friend asks me to send photos"],
     ["is it normal to feel nervous before a test", "is it ok that my mum checks my phone"]),
    ("flattery and age",
     ["she told me im more mature for my age than girls in my class",
      "he keeps telling me i look older than i am",
      "my boyfriend is 22 and im 14",
      "a woman online says shes 13 but her voice sounds old"],
     ["groomers tell children they are mature for their age", "im her favourite grandchild",
      "my mum says i look older with my new haircut"]),
    ("secrecy",
     ["he asked me to delete all our chats", "he said its special between me and him",
      "my cousin has a grown up friend who tells her never to tell her parents",
      "im not allowed to tell anyone about what we do"],
     ["my mum told me to clear my search history",
      "what would you do if someone told you to delete your messages",
      "my mum says never tell strangers your address",
      "our teacher told us not to tell the other class about the surprise"]),
    ("another app, running away, nobody home",
     ["he wants me to download a different app so we can chat in private",
      "some guy told my brother to add him on another account",
      "my mates older brother keeps asking her to come round when nobody is home"],
     ["my friend wants me to go on snapchat with her", "my mum wants me to go to bed at 8",
      "offenders ask children to move to a different app"]),
    ("gifts and being made to",
     ["theres this guy on insta who sends me money and wants something back",
      "my son has been sent loads of gift cards by someone he plays with",
      "a man talked my friend into sending a video", "he got me to turn on my camera",
      "he said i have to do whatever he wants now"],
     ["my friend got me to go to the football club", "my brother got me to try sushi",
      "i have to do what my mum says", "my dad gave me 5 pounds for cleaning the car"]),
    ("threats",
     ["got a message saying send 50 pounds or everyone sees the pics",
      "i sent one pic and now he wants more or hell post it",
      "she knows where i go to school",
      "he has screenshots of our chat and says hell show my mum",
      "my online gf said she would kill herself if i stopped talking to her"],
     ["send me the homework or ill be in trouble", "give it back or ill tell mum",
      "people say pay up or we post it, and kids panic",
      "if someone knew where i lived i would tell the police"]),
    ("images, in phone spelling",
     ["sum1 is askin me 4 nudes", "some boy keeps beggin 4 pics",
      "the man on roblox keeps asking my son for photos",
      "he sends me stuff i dont want to see"],
     ["kids get asked for pictures online all the time",
      "apps should stop people asking for pics", "the video of the goal got shared loads"]),
    ("self-harm said softly",
     ["i dont wanna wake up tomorrow", "i think about not being alive a lot",
      "i bite myself when it gets bad", "i cant see a way out of this"],
     ["i hate maths", "i couldnt find a way out of the maze",
      "i wish i could sleep in every day"]),
    ("distress",
     ["i hate myself for what happened",
      "my son is scared of someone online and wont tell us who",
      "my heart races every time i get a message from him",
      "i keep having panic attacks since the video got shared"],
     ["i hate it when my team loses", "i am scared of the dark",
      "my sister is scared of spiders", "i panic when the teacher asks me to read out loud"]),
    ("done by an adult, meeting, dares, a fake account",
     ["a girl in my class is being sent stuff by a man",
      "mum found messages from a man on my brothers ipad",
      "i met a boy on the xbox and he wants my address",
      "my friend went to meet a guy from snap and didnt come home till late",
      "this lad on tiktok dared me to do a live with no top on",
      "my uncle makes me sit on his lap and i hate it",
      "someone has made a fake account with my face on it",
      "ppl in the group chat r sharing a pic of my best mate"],
     ["we met a famous youtuber at a convention",
      "the school asked for my address for the trip form",
      "i took my top off at the beach because it was so hot",
      "sharing pictures of people without asking is rude",
      "i have a secret den in the garden"]),
    ("since the thing, regret, going on for months",
     ["i dont feel like myself since the thing with my coach",
      "i did something on facetime that i regret and hes got it",
      "its been going on for months and i dont know how to stop it"],
     ["i regret not going to the party", "the rain has been going on for days",
      "my coach told me im the best on the team"]),
    ("a grown-up doing something, in a note about the writer or their people",
     ["when i stay at my grans her boyfriend comes in the bathroom",
      "my mum doesnt know but i have a second phone a man gave me",
      "the youth worker gives me lifts and says dont mention it to staff",
      "i know a girl in year 8 who goes to parties with grown men",
      "i went to a flat with some older people and they gave me alcohol"],
     ["my coach says im getting better at penalties",
      "the older kids at school are really nice to us",
      "my gran buys me comics every week", "i went to meet my cousin at the train station"]),
    ("pressure, a love test, pictures of himself, alone with",
     ["i was forced to send a video and i feel sick thinking about it",
      "he said if i loved him i would prove it",
      "my sons football manager adds the boys on snapchat and sends them pics of himself",
      "im 12 and this man says he can get me modelling work if i send some photos",
      "theres a teacher who is always trying to get me alone",
      "my online friend knows my school and what i look like and i never told him"],
     ["my teacher gave me a sticker for good work", "i love taking selfies with my friends",
      "i sent my nan a photo of my drawing", "my friend showed me a funny meme"]),
    ("kept secret, filmed, late at night, nudity, lures",
     ["he wants me to keep our chats secret",
      "someone recorded me in the changing rooms",
      "my daughters tutor messages her on insta late at night",
      "i keep getting added to group chats with naked pics in them",
      "this person online keeps asking what colour my underwear is",
      "a man at the park asked me and my friend to come see his puppies",
      "me and my sister got in a car with a man we met online"],
     ["i keep my pocket money in a secret tin",
      "my brother films his skateboard tricks and puts them on youtube",
      "my dad takes loads of photos of us on holiday", "my nan sends me messages every morning",
      "i got in the car with my mum after school"]),
    ("ages that do not add up",
     ["my sister is 15 and has a boyfriend who is 24 and she stays out all night",
      "hes 19 and my daughter is 13 and they are dating"],
     ["my sister is 15 and has a part time job", "my cousin is 19 and goes to university"]),
    ("not remembering, telling and nothing changing, being told to die, avoiding",
     ["i was at a party and woke up and didnt know what had happened",
      "i told a teacher last year but nothing happened and it still goes on",
      "i get messages every day saying im ugly and should die",
      "my daughter wont go to her dads anymore and cries when its time to go",
      "i pretend to be ill so i dont have to go to clubs because of a leader there"],
     ["i had a bad dream and told my mum", "i hate when my phone dies",
      "i dont want to go to swimming because the water is cold",
      "i was told off for talking in class"]),
    ("eating, tablets, disappearing",
     ["sometimes i go days without eating so i can feel in control",
      "i had to go to the hospital after i took too many tablets",
      "i dont eat lunch so i can lose weight before they see me again",
      "everyone would be happier if i just disappeared"],
     ["i stopped eating meat last year", "i am always hungry after swimming",
      "my mum says i cant go on tiktok until im older",
      "sometimes i feel like giving up on maths"]),
    ("plain hypotheticals",
     [],
     ["if someone said it was our secret i would tell my mum",
      "when somebody says they will post your pics, tell an adult",
      "if someone asked me to go on a different app i would say no"]),
]  # fmt: skip


def test_the_family_examples_are_in_no_labelled_file() -> None:
    labelled = {note for name in SETS for *_, note in read_notes(name)}
    examples = {note for _family, held, ordinary in FAMILIES for note in held + ordinary}
    assert not examples & labelled


@pytest.mark.parametrize(
    ("family", "note"),
    [(family, note) for family, held, _ordinary in FAMILIES for note in held],
)
def test_each_new_family_holds_notes_beyond_the_labelled_files(family, note) -> None:
    result = check(note)
    assert result.possible_disclosure, family
    for r in result.reasons:
        assert note[r.start : r.end] == r.fragment and r.label.startswith(
            ("Possible disclosure: ", "Personal detail: ")
        )


@pytest.mark.parametrize(
    ("family", "note"),
    [(family, note) for family, _held, ordinary in FAMILIES for note in ordinary],
)
def test_each_new_family_lets_ordinary_notes_through(family, note) -> None:
    assert not check(note).hold, (family, [(r.label, r.fragment) for r in check(note).reasons])


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("my dads number is 0 7 7 0 0 9 0 0 1 8 3", ReasonKind.PHONE, "0 7 7 0 0 9 0 0 1 8 3"),
        ("ring me on oh seven seven double oh nine double oh five six seven", ReasonKind.PHONE,
         "oh seven seven double oh nine double oh five six seven"),
        ("she goes to hillside primary", ReasonKind.SCHOOL, "hillside primary"),
        ("i am at st johns academy in year 9", ReasonKind.SCHOOL, "st johns academy"),
        ("our house is number 5 on birch grove", ReasonKind.STREET_ADDRESS,
         "number 5 on birch grove"),
    ],
)  # fmt: skip
def test_phone_numbers_in_words_lower_case_schools_and_house_numbers_are_found(
    text, kind, fragment
) -> None:
    assert (kind, fragment) in [(r.kind, r.fragment) for r in check(text).reasons]


@pytest.mark.parametrize(
    "text",
    [
        "we walk to school every day",
        "i want to go to art college when im older",
        "my number one favourite game is minecraft",
        "call it one two three four five six seven eight nine ten",
        "we won three two one at the weekend",
        "a named lead in every school",
    ],
)
def test_counting_and_school_words_are_not_taken_for_personal_details(text) -> None:
    assert not check(text).hold, [(r.label, r.fragment) for r in check(text).reasons]
