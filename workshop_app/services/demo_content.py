"""The fictional content of the demo project written by `workshop-app demo`.

Everything here is invented: the borough of Riverside, its venues, the workshops, the
anonymous sticky notes and the draft standards. Nothing comes from a real workshop, person,
school or service. The notes are written to sound like the groups who would write them
(children, young people, parents and carers, practitioners) and deliberately paraphrase one
another across groups, so that theme suggestions have something to find. Nothing is graphic
and nothing is a disclosure; the focus is prevention and good services.

This module is pure data; `workshop_app.services.demo` turns it into a project, with seeded
participants, votes and consensus ratings.

Shapes:

- PROJECT: title and locality.
- GROUPS: stakeholder groups; `kind` is one of child, parent, practitioner, community, other.
- SESSIONS: in date order. Each brainstorm entry fills the session plan's brainstorm activities
  in order; a note's `theme` names one of that session's themes, or None for unsorted.
  `theme_priority` (1-10) weights the seeded dot votes.
- STANDARDS: draft standards with NICE-style measures, what each means for every audience,
  the statement in children's words (`child_wording`, shown to children's groups), the
  (session key, theme name) pairs it came from, and how adults (`support`) and children
  (`child_support`) should rate it in the consensus round.
"""

from __future__ import annotations

from typing import Any

PROJECT: dict[str, str] = {
    "title": "Safer Online Together: quality standards for preventing online child sexual "
    "exploitation and abuse",
    "locality": "Riverside (fictional borough)",
}

GROUPS: list[dict[str, Any]] = [
    {"key": "cyp-8-12", "name": "Children 8–12", "kind": "child", "child_friendly": True},
    {"key": "yp-13-18", "name": "Young people 13–18", "kind": "child", "child_friendly": True},
    {"key": "parents", "name": "Parents and carers", "kind": "parent", "child_friendly": False},
    {
        "key": "practitioners",
        "name": "Practitioners",
        "kind": "practitioner",
        "child_friendly": False,
    },
]

SESSIONS: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ children 8-12
    {
        "key": "prep-cyp",
        "title": "Children's workshop (8–12): having fun and staying safe online",
        "date": "2026-09-12",
        "venue": "Riverside Central Library – community room",
        "plan_id": "prep-children-8-12",
        "groups": ["cyp-8-12"],
        "state": "closed",
        "participants": {"cyp-8-12": 11},
        "themes": [
            {"name": "Strangers in games and chats", "colour": "#F28482"},
            {"name": "Telling a trusted adult", "colour": "#8ECAE6"},
            {"name": "Not getting into trouble", "colour": "#F7D06B"},
            {"name": "Safer games and apps", "colour": "#84DCC6"},
            {"name": "Grown-ups who understand games", "colour": "#A7C957"},
            {"name": "Learning at school", "colour": "#C3A6E0"},
        ],
        "brainstorms": [
            {
                "prompt_hint": "What is fun online, and what makes you feel worried or unsure?",
                "notes": [
                    {
                        "text": "I like making videos with my friends",
                        "group": "cyp-8-12",
                        "theme": None,
                    },
                    {
                        "text": "games where people you dont know can talk to you",
                        "group": "cyp-8-12",
                        "theme": "Strangers in games and chats",
                    },
                    {
                        "text": "when someone you dont know sends you a friend request",
                        "group": "cyp-8-12",
                        "theme": "Strangers in games and chats",
                    },
                    {
                        "text": "people pretending to be a kid when they are a grown up",
                        "group": "cyp-8-12",
                        "theme": "Strangers in games and chats",
                    },
                    {
                        "text": "voice chat in games with grown ups in it",
                        "group": "cyp-8-12",
                        "theme": "Strangers in games and chats",
                    },
                    {
                        "text": "when someone asks what school you go to",
                        "group": "cyp-8-12",
                        "theme": "Strangers in games and chats",
                    },
                    {
                        "text": "someone I didnt know kept asking me to add them on another app",
                        "group": "cyp-8-12",
                        "theme": "Strangers in games and chats",
                    },
                    {
                        "text": "my friend got mean messages and she was sad",
                        "group": "cyp-8-12",
                        "theme": None,
                    },
                ],
            },
            {
                "prompt_hint": "If something online made you feel worried, who would you tell "
                "and what would help?",
                "notes": [
                    {
                        "text": "I would tell my mum",
                        "group": "cyp-8-12",
                        "theme": "Telling a trusted adult",
                    },
                    {
                        "text": "my nan because she never gets cross",
                        "group": "cyp-8-12",
                        "theme": "Telling a trusted adult",
                    },
                    {
                        "text": "my class teacher",
                        "group": "cyp-8-12",
                        "theme": "Telling a trusted adult",
                    },
                    {
                        "text": "I wouldnt tell because they would take my tablet away",
                        "group": "cyp-8-12",
                        "theme": "Not getting into trouble",
                    },
                    {
                        "text": "scared I will get told off",
                        "group": "cyp-8-12",
                        "theme": "Not getting into trouble",
                    },
                    {
                        "text": "my dad but only if he promises not to be angry",
                        "group": "cyp-8-12",
                        "theme": "Not getting into trouble",
                    },
                    {
                        "text": "you can block them and then tell a grown up",
                        "group": "cyp-8-12",
                        "theme": "Safer games and apps",
                    },
                    {
                        "text": "a help button in the game that goes to a real person",
                        "group": "cyp-8-12",
                        "theme": "Safer games and apps",
                    },
                ],
            },
            {
                "prompt_hint": "What should grown-ups do to help keep children safe online?",
                "notes": [
                    {
                        "text": "grown ups should play the games too so they know what there like",
                        "group": "cyp-8-12",
                        "theme": "Grown-ups who understand games",
                    },
                    {
                        "text": "my mum doesnt know how my games work",
                        "group": "cyp-8-12",
                        "theme": "Grown-ups who understand games",
                    },
                    {
                        "text": "dont just say no to everything",
                        "group": "cyp-8-12",
                        "theme": "Grown-ups who understand games",
                    },
                    {
                        "text": "teach us at school what to do if it happens",
                        "group": "cyp-8-12",
                        "theme": "Learning at school",
                    },
                    {
                        "text": "more lessons about it not just one assembly",
                        "group": "cyp-8-12",
                        "theme": "Learning at school",
                    },
                    {
                        "text": "learn it when you are little like year 3",
                        "group": "cyp-8-12",
                        "theme": "Learning at school",
                    },
                    {
                        "text": "tell us it is never our fault",
                        "group": "cyp-8-12",
                        "theme": "Not getting into trouble",
                    },
                    {
                        "text": "make the games check how old you are",
                        "group": "cyp-8-12",
                        "theme": "Safer games and apps",
                    },
                    {
                        "text": "put up a poster of who you can talk to",
                        "group": "cyp-8-12",
                        "theme": "Telling a trusted adult",
                    },
                    {"text": "ask kids what we think", "group": "cyp-8-12", "theme": None},
                ],
            },
        ],
        "theme_priority": {
            "Telling a trusted adult": 9,
            "Not getting into trouble": 8,
            "Strangers in games and chats": 7,
            "Safer games and apps": 6,
            "Learning at school": 5,
            "Grown-ups who understand games": 5,
        },
    },
    # ------------------------------------------------------------------ young people 13-18
    {
        "key": "prep-yp",
        "title": "Young people's workshop (13–18): what would actually help",
        "date": "2026-09-19",
        "venue": "Riverside Youth Hub",
        "plan_id": "prep-young-people-13-18",
        "groups": ["yp-13-18"],
        "state": "closed",
        "participants": {"yp-13-18": 12},
        "themes": [
            {"name": "Fake profiles and pressure", "colour": "#F28482"},
            {"name": "Fear of being blamed", "colour": "#F7D06B"},
            {"name": "Safer apps and reporting", "colour": "#84DCC6"},
            {"name": "Someone to talk to", "colour": "#8ECAE6"},
            {"name": "Adults who get it", "colour": "#A7C957"},
            {"name": "Better lessons", "colour": "#C3A6E0"},
            {"name": "Trust and confidentiality", "colour": "#F4A261"},
        ],
        "brainstorms": [
            {
                "prompt_hint": "What makes being online feel risky or uncomfortable for people "
                "your age?",
                "notes": [
                    {
                        "text": "ppl making fake accounts and pretending to be our age",
                        "group": "yp-13-18",
                        "theme": "Fake profiles and pressure",
                    },
                    {
                        "text": "random adds from ppl with no mutuals",
                        "group": "yp-13-18",
                        "theme": "Fake profiles and pressure",
                    },
                    {
                        "text": "getting pressured to send pics + ppl saying everyone does it",
                        "group": "yp-13-18",
                        "theme": "Fake profiles and pressure",
                    },
                    {
                        "text": "someone in my year gets messages from an older guy and doesnt "
                        "know what to do",
                        "group": "yp-13-18",
                        "theme": "Fake profiles and pressure",
                    },
                    {
                        "text": "being asked to move to a diff app where its 'more private'",
                        "group": "yp-13-18",
                        "theme": "Fake profiles and pressure",
                    },
                    {
                        "text": "screenshots get round the whole year in like 5 mins",
                        "group": "yp-13-18",
                        "theme": None,
                    },
                    {
                        "text": "boys get targeted too but lessons only ever talk about girls",
                        "group": "yp-13-18",
                        "theme": "Better lessons",
                    },
                ],
            },
            {
                "prompt_hint": "What stops young people telling someone or reporting when "
                "something feels wrong?",
                "notes": [
                    {
                        "text": "youll get blamed for sending it in the first place",
                        "group": "yp-13-18",
                        "theme": "Fear of being blamed",
                    },
                    {
                        "text": "embarrassing!!",
                        "group": "yp-13-18",
                        "theme": "Fear of being blamed",
                    },
                    {
                        "text": "scared parents will take ur phone = social death",
                        "group": "yp-13-18",
                        "theme": "Fear of being blamed",
                    },
                    {
                        "text": "teachers tell other teachers and then everyone knows",
                        "group": "yp-13-18",
                        "theme": "Trust and confidentiality",
                    },
                    {
                        "text": "dont want police turning up at my house over it",
                        "group": "yp-13-18",
                        "theme": "Trust and confidentiality",
                    },
                    {
                        "text": "reporting on apps does literally nothing",
                        "group": "yp-13-18",
                        "theme": "Safer apps and reporting",
                    },
                    {
                        "text": "u report it and get an automated reply days later",
                        "group": "yp-13-18",
                        "theme": "Safer apps and reporting",
                    },
                    {
                        "text": "not sure if its serious enough to tell anyone",
                        "group": "yp-13-18",
                        "theme": "Someone to talk to",
                    },
                    {
                        "text": "adults dont understand the apps so whats the point",
                        "group": "yp-13-18",
                        "theme": "Adults who get it",
                    },
                    {
                        "text": "my mum doesnt get TikTok lol",
                        "group": "yp-13-18",
                        "theme": "Adults who get it",
                    },
                ],
            },
            {
                "prompt_hint": "What would good help and support look like?",
                "notes": [
                    {
                        "text": "anonymous way to ask for advice w/o giving ur name",
                        "group": "yp-13-18",
                        "theme": "Someone to talk to",
                    },
                    {
                        "text": "youth workers r easier to talk to than teachers",
                        "group": "yp-13-18",
                        "theme": "Someone to talk to",
                    },
                    {
                        "text": "someone who doesnt freak out 🙏",
                        "group": "yp-13-18",
                        "theme": "Adults who get it",
                    },
                    {
                        "text": "RSE that isnt cringe and talks about real stuff",
                        "group": "yp-13-18",
                        "theme": "Better lessons",
                    },
                    {
                        "text": "lessons from ppl who are actually young, not a ppt from 2015",
                        "group": "yp-13-18",
                        "theme": "Better lessons",
                    },
                    {
                        "text": "tell us what happens after we report, step by step",
                        "group": "yp-13-18",
                        "theme": "Safer apps and reporting",
                    },
                    {
                        "text": "apps should check ages properly",
                        "group": "yp-13-18",
                        "theme": "Safer apps and reporting",
                    },
                    {
                        "text": "dont read all our messages, just be there if we need u",
                        "group": "yp-13-18",
                        "theme": "Trust and confidentiality",
                    },
                    {
                        "text": "peer mentors - older students who get it",
                        "group": "yp-13-18",
                        "theme": "Someone to talk to",
                    },
                    {
                        "text": "ask us before making new rules about phones",
                        "group": "yp-13-18",
                        "theme": None,
                    },
                ],
            },
        ],
        "theme_priority": {
            "Fear of being blamed": 9,
            "Safer apps and reporting": 8,
            "Someone to talk to": 8,
            "Trust and confidentiality": 7,
            "Adults who get it": 6,
            "Better lessons": 6,
            "Fake profiles and pressure": 5,
        },
    },
    # ------------------------------------------------------------------ parents and carers
    {
        "key": "prep-parents",
        "title": "Parents and carers workshop: keeping up and knowing what to do",
        "date": "2026-09-24",
        "venue": "North Riverside Family Hub",
        "plan_id": "prep-parents-carers",
        "groups": ["parents"],
        "state": "closed",
        "participants": {"parents": 13},
        "themes": [
            {"name": "Keeping up with apps and games", "colour": "#F4A261"},
            {"name": "Knowing what to say", "colour": "#8ECAE6"},
            {"name": "Information from schools", "colour": "#C3A6E0"},
            {"name": "Getting the response right", "colour": "#F7D06B"},
            {"name": "Where to get help", "colour": "#84DCC6"},
            {"name": "Settings and controls", "colour": "#A7C957"},
        ],
        "brainstorms": [
            {
                "prompt_hint": "What worries you most about your child's life online?",
                "notes": [
                    {
                        "text": "Who they're actually talking to when they're gaming with "
                        "headphones on",
                        "group": "parents",
                        "theme": "Keeping up with apps and games",
                    },
                    {
                        "text": "That someone could be pretending to be a child",
                        "group": "parents",
                        "theme": None,
                    },
                    {
                        "text": "How fast it moves – one minute it's a game, next it's private "
                        "messages",
                        "group": "parents",
                        "theme": "Keeping up with apps and games",
                    },
                    {
                        "text": "I'm fairly sure my daughter has accounts I don't know about",
                        "group": "parents",
                        "theme": "Keeping up with apps and games",
                    },
                    {
                        "text": "Phones in bedrooms at night",
                        "group": "parents",
                        "theme": "Settings and controls",
                    },
                    {
                        "text": "I worry she wouldn't tell me if something happened",
                        "group": "parents",
                        "theme": "Knowing what to say",
                    },
                    {
                        "text": "Younger ones seeing what the older siblings are on",
                        "group": "parents",
                        "theme": "Settings and controls",
                    },
                ],
            },
            {
                "prompt_hint": "What gets in the way of you helping your child stay safe online?",
                "notes": [
                    {
                        "text": "I don't understand half the apps they use",
                        "group": "parents",
                        "theme": "Keeping up with apps and games",
                    },
                    {
                        "text": "Parental controls are different on every device and the kids get "
                        "round them anyway",
                        "group": "parents",
                        "theme": "Settings and controls",
                    },
                    {
                        "text": "Working shifts so I'm not always there in the evenings",
                        "group": "parents",
                        "theme": None,
                    },
                    {
                        "text": "Scared of overreacting and pushing him away",
                        "group": "parents",
                        "theme": "Getting the response right",
                    },
                    {
                        "text": "If I take the phone off him he just won't tell me next time",
                        "group": "parents",
                        "theme": "Getting the response right",
                    },
                    {
                        "text": "English is not my first language and the guidance is all in "
                        "English",
                        "group": "parents",
                        "theme": "Where to get help",
                    },
                    {
                        "text": "School only tells us after something has happened",
                        "group": "parents",
                        "theme": "Information from schools",
                    },
                    {
                        "text": "Don't know who to call – police? school? the app?",
                        "group": "parents",
                        "theme": "Where to get help",
                    },
                    {
                        "text": "Feel judged if I ask for help, like I've failed as a parent",
                        "group": "parents",
                        "theme": "Where to get help",
                    },
                    {
                        "text": "My son knows way more about tech than me",
                        "group": "parents",
                        "theme": "Keeping up with apps and games",
                    },
                ],
            },
            {
                "prompt_hint": "What would help you as a parent or carer?",
                "notes": [
                    {
                        "text": "Short sessions at school pick-up time, not 7pm on a weeknight",
                        "group": "parents",
                        "theme": "Information from schools",
                    },
                    {
                        "text": "A simple guide – what to do in the first hour",
                        "group": "parents",
                        "theme": "Getting the response right",
                    },
                    {
                        "text": "Tell us what they're taught so we can back it up at home",
                        "group": "parents",
                        "theme": "Information from schools",
                    },
                    {
                        "text": "Help starting the conversation without it being awkward",
                        "group": "parents",
                        "theme": "Knowing what to say",
                    },
                    {
                        "text": "One helpline or website for the whole area",
                        "group": "parents",
                        "theme": "Where to get help",
                    },
                    {
                        "text": "Other parents to talk to – it's not just me",
                        "group": "parents",
                        "theme": None,
                    },
                    {
                        "text": "Step by step help setting up controls on a new phone",
                        "group": "parents",
                        "theme": "Settings and controls",
                    },
                    {
                        "text": "Knowing that asking for advice won't automatically mean social "
                        "services",
                        "group": "parents",
                        "theme": "Where to get help",
                    },
                    {
                        "text": "Tips for talking to a 9 yr old vs a 15 yr old",
                        "group": "parents",
                        "theme": "Knowing what to say",
                    },
                    {
                        "text": "Regular updates on new apps, in plain English please",
                        "group": "parents",
                        "theme": "Information from schools",
                    },
                ],
            },
        ],
        "theme_priority": {
            "Keeping up with apps and games": 9,
            "Information from schools": 8,
            "Getting the response right": 7,
            "Where to get help": 7,
            "Knowing what to say": 6,
            "Settings and controls": 5,
        },
    },
    # ------------------------------------------------------------------ practitioners
    {
        "key": "prep-practitioners",
        "title": "Practitioners workshop: what works and what's missing",
        "date": "2026-10-01",
        "venue": "Riverside Civic Centre – Committee Room 2",
        "plan_id": "prep-practitioners",
        "groups": ["practitioners"],
        "state": "closed",
        "participants": {"practitioners": 14},
        "themes": [
            {"name": "Information sharing", "colour": "#8ECAE6"},
            {"name": "Training and confidence", "colour": "#A7C957"},
            {"name": "Thresholds and referral routes", "colour": "#F4A261"},
            {"name": "Consistent messages", "colour": "#C3A6E0"},
            {"name": "Response times and follow-up", "colour": "#F28482"},
            {"name": "Working with children and families", "colour": "#84DCC6"},
        ],
        "brainstorms": [
            {
                "prompt_hint": "What currently works well locally in preventing and responding "
                "to OCSEA?",
                "notes": [
                    {
                        "text": "Termly DSL network meetings are really useful – keep them",
                        "group": "practitioners",
                        "theme": "Information sharing",
                    },
                    {
                        "text": "MASH consultation line is helpful when you can get through",
                        "group": "practitioners",
                        "theme": "Thresholds and referral routes",
                    },
                    {
                        "text": "Good links between school nurses and DSLs in some schools",
                        "group": "practitioners",
                        "theme": "Information sharing",
                    },
                    {
                        "text": "Young people often tell youth workers first – they trust us",
                        "group": "practitioners",
                        "theme": "Working with children and families",
                    },
                    {
                        "text": "More CEOP reports from schools since last year's training",
                        "group": "practitioners",
                        "theme": "Training and confidence",
                    },
                ],
            },
            {
                "prompt_hint": "Where are the gaps or barriers?",
                "notes": [
                    {
                        "text": "Every agency uses different words – online abuse, CSE, OCSEA, HSB",
                        "group": "practitioners",
                        "theme": "Consistent messages",
                    },
                    {
                        "text": "Unclear when an online-only concern meets threshold for referral",
                        "group": "practitioners",
                        "theme": "Thresholds and referral routes",
                    },
                    {
                        "text": "No feedback loop – we refer into MASH and never hear back",
                        "group": "practitioners",
                        "theme": "Information sharing",
                    },
                    {
                        "text": "Police response to online reports can take weeks and families "
                        "lose trust",
                        "group": "practitioners",
                        "theme": "Response times and follow-up",
                    },
                    {
                        "text": "Training is one-off and out of date by the time it's delivered",
                        "group": "practitioners",
                        "theme": "Training and confidence",
                    },
                    {
                        "text": "GPs and health visitors rarely included in online safety training",
                        "group": "practitioners",
                        "theme": "Training and confidence",
                    },
                    {
                        "text": "Vol sector not invited to strategy meetings even when we know the "
                        "child best",
                        "group": "practitioners",
                        "theme": "Information sharing",
                    },
                    {
                        "text": "Staff unsure what to do with evidence on a device – need clear "
                        "guidance",
                        "group": "practitioners",
                        "theme": "Training and confidence",
                    },
                    {
                        "text": "Mixed messages to YP: 'never share anything' vs 'come and talk "
                        "to us'",
                        "group": "practitioners",
                        "theme": "Consistent messages",
                    },
                    {
                        "text": "Victim-blaming language still creeps into some assemblies",
                        "group": "practitioners",
                        "theme": "Consistent messages",
                    },
                    {
                        "text": "Parents only engage after an incident, hard to reach before",
                        "group": "practitioners",
                        "theme": "Working with children and families",
                    },
                    {
                        "text": "Caseloads mean online concerns get lower priority than offline "
                        "ones",
                        "group": "practitioners",
                        "theme": "Thresholds and referral routes",
                    },
                ],
            },
            {
                "prompt_hint": "What would a good, joined-up local response look like?",
                "notes": [
                    {
                        "text": "One shared local pathway for online concerns, on one page",
                        "group": "practitioners",
                        "theme": "Thresholds and referral routes",
                    },
                    {
                        "text": "Multi-agency training together, not in silos",
                        "group": "practitioners",
                        "theme": "Training and confidence",
                    },
                    {
                        "text": "Agreed timescale for police to contact the family after a report",
                        "group": "practitioners",
                        "theme": "Response times and follow-up",
                    },
                    {
                        "text": "Named OCSEA lead in every agency",
                        "group": "practitioners",
                        "theme": None,
                    },
                    {
                        "text": "Same key messages for children in schools, clubs and health "
                        "settings",
                        "group": "practitioners",
                        "theme": "Consistent messages",
                    },
                    {
                        "text": "Outcome feedback to referrers within 5 working days",
                        "group": "practitioners",
                        "theme": "Response times and follow-up",
                    },
                    {
                        "text": "Co-deliver parent sessions with schools and youth services",
                        "group": "practitioners",
                        "theme": "Working with children and families",
                    },
                    {
                        "text": "Check in with the YP after the report, don't just close the case",
                        "group": "practitioners",
                        "theme": "Response times and follow-up",
                    },
                    {
                        "text": "Escalation route when platforms don't respond to reports",
                        "group": "practitioners",
                        "theme": None,
                    },
                    {
                        "text": "Proper supervision for staff holding these cases",
                        "group": "practitioners",
                        "theme": "Training and confidence",
                    },
                ],
            },
        ],
        "theme_priority": {
            "Information sharing": 9,
            "Thresholds and referral routes": 8,
            "Training and confidence": 8,
            "Consistent messages": 7,
            "Response times and follow-up": 7,
            "Working with children and families": 5,
        },
    },
    # ------------------------------------------------------------------ joint priorities
    {
        "key": "joint-priorities",
        "title": "Joint priorities workshop",
        "date": "2026-10-17",
        "venue": "Riverside Community Centre – main hall",
        "plan_id": "joint-priorities",
        "groups": ["cyp-8-12", "yp-13-18", "parents", "practitioners"],
        "state": "closed",
        "participants": {"cyp-8-12": 8, "yp-13-18": 9, "parents": 10, "practitioners": 12},
        "themes": [
            {"name": "Someone to tell", "colour": "#8ECAE6"},
            {"name": "Responding without blame", "colour": "#F7D06B"},
            {"name": "Adults who understand the apps", "colour": "#A7C957"},
            {"name": "Safer platforms and reporting", "colour": "#84DCC6"},
            {"name": "Joined-up services", "colour": "#F4A261"},
            {"name": "Education that starts early", "colour": "#C3A6E0"},
        ],
        "brainstorms": [
            {
                "prompt_hint": "Looking at the themes from all the preparatory workshops: what "
                "matters most, and what is missing?",
                "notes": [
                    {
                        "text": "grown ups should not be cross when you tell them",
                        "group": "cyp-8-12",
                        "theme": "Responding without blame",
                    },
                    {
                        "text": "teachers and mums and dads should say the same thing",
                        "group": "cyp-8-12",
                        "theme": "Joined-up services",
                    },
                    {
                        "text": "the not blaming thing is the most important one tbh",
                        "group": "yp-13-18",
                        "theme": "Responding without blame",
                    },
                    {
                        "text": "younger kids said the same as us about getting in trouble 👀",
                        "group": "yp-13-18",
                        "theme": "Responding without blame",
                    },
                    {
                        "text": "agree w the parents, adults need to learn the apps – but ask us "
                        "dont guess",
                        "group": "yp-13-18",
                        "theme": "Adults who understand the apps",
                    },
                    {
                        "text": "LGBTQ+ ppl might not want to tell family, need other options",
                        "group": "yp-13-18",
                        "theme": "Someone to tell",
                    },
                    {
                        "text": "Hearing the children say they're scared of getting into trouble "
                        "was eye-opening",
                        "group": "parents",
                        "theme": "Responding without blame",
                    },
                    {
                        "text": "Parents need the same training as teachers, not just a leaflet",
                        "group": "parents",
                        "theme": "Adults who understand the apps",
                    },
                    {
                        "text": "What happens after you report? Nobody explains it",
                        "group": "parents",
                        "theme": "Safer platforms and reporting",
                    },
                    {
                        "text": "What about children who don't have a trusted adult at home?",
                        "group": "parents",
                        "theme": None,
                    },
                    {
                        "text": "Strong overlap – every group wants a calm, non-judgemental first "
                        "response",
                        "group": "practitioners",
                        "theme": "Responding without blame",
                    },
                    {
                        "text": "Surprised how much YP value youth workers – build on it",
                        "group": "practitioners",
                        "theme": "Someone to tell",
                    },
                    {
                        "text": "Children with SEND are missing from the themes so far",
                        "group": "practitioners",
                        "theme": None,
                    },
                    {
                        "text": "Training offer must include health and the voluntary sector",
                        "group": "practitioners",
                        "theme": "Adults who understand the apps",
                    },
                ],
            },
            {
                "prompt_hint": "What would 'good' look like in Riverside two years from now?",
                "notes": [
                    {
                        "text": "a worry box in every class",
                        "group": "cyp-8-12",
                        "theme": "Someone to tell",
                    },
                    {
                        "text": "games have a help button that works",
                        "group": "cyp-8-12",
                        "theme": "Safer platforms and reporting",
                    },
                    {
                        "text": "learn about it from year 1",
                        "group": "cyp-8-12",
                        "theme": "Education that starts early",
                    },
                    {
                        "text": "RSE from yr 7 is too late, loads of ppl have phones at 9",
                        "group": "yp-13-18",
                        "theme": "Education that starts early",
                    },
                    {
                        "text": "apps have to show how fast they deal with reports",
                        "group": "yp-13-18",
                        "theme": "Safer platforms and reporting",
                    },
                    {
                        "text": "same youth worker the whole time, not passed around",
                        "group": "yp-13-18",
                        "theme": "Joined-up services",
                    },
                    {
                        "text": "adults who actually know what a finsta is 😂",
                        "group": "yp-13-18",
                        "theme": "Adults who understand the apps",
                    },
                    {
                        "text": "One place for help that every parent knows about",
                        "group": "parents",
                        "theme": "Joined-up services",
                    },
                    {
                        "text": "Schools and clubs giving us the same message",
                        "group": "parents",
                        "theme": "Joined-up services",
                    },
                    {
                        "text": "Start in primary and bring parents in at the same time",
                        "group": "parents",
                        "theme": "Education that starts early",
                    },
                    {
                        "text": "I'd like to learn alongside my child, not in a separate session",
                        "group": "parents",
                        "theme": "Adults who understand the apps",
                    },
                    {
                        "text": "Families always hear back after a referral – we close the loop",
                        "group": "practitioners",
                        "theme": "Joined-up services",
                    },
                    {
                        "text": "Shared log of platform reports so we can see what happens locally",
                        "group": "practitioners",
                        "theme": "Safer platforms and reporting",
                    },
                    {
                        "text": "Age-appropriate learning from Year 1, same language in every "
                        "setting",
                        "group": "practitioners",
                        "theme": "Education that starts early",
                    },
                ],
            },
        ],
        "theme_priority": {
            "Someone to tell": 9,
            "Responding without blame": 9,
            "Joined-up services": 8,
            "Adults who understand the apps": 7,
            "Education that starts early": 7,
            "Safer platforms and reporting": 6,
        },
    },
    # ------------------------------------------------------------------ standards drafting
    {
        "key": "standards-drafting",
        "title": "Standards drafting workshop",
        "date": "2026-11-12",
        "venue": "Riverside Civic Centre – Committee Room 2",
        "plan_id": "standards-drafting",
        "groups": ["yp-13-18", "parents", "practitioners"],
        "state": "closed",
        "participants": {"yp-13-18": 4, "parents": 4, "practitioners": 8},
        "themes": [
            {"name": "Wording and clarity", "colour": "#C3A6E0"},
            {"name": "Is it measurable?", "colour": "#84DCC6"},
            {"name": "Young people's voice", "colour": "#F28482"},
            {"name": "Capacity and resources", "colour": "#F7D06B"},
            {"name": "Who is responsible", "colour": "#8ECAE6"},
        ],
        "brainstorms": [
            {
                "prompt_hint": "Feedback on the first draft standards: what is clear, what is "
                "missing, what would you change?",
                "notes": [
                    {
                        "text": "'Trusted adult' needs a definition – does it include peers?",
                        "group": "practitioners",
                        "theme": "Wording and clarity",
                    },
                    {
                        "text": "Training measure: count staff trained in the last 2 years, not "
                        "ever",
                        "group": "practitioners",
                        "theme": "Is it measurable?",
                    },
                    {
                        "text": "Who holds the data on police contact times? Check with the "
                        "police analyst",
                        "group": "practitioners",
                        "theme": "Is it measurable?",
                    },
                    {
                        "text": "Can't promise a 24 hour response without extra capacity",
                        "group": "practitioners",
                        "theme": "Capacity and resources",
                    },
                    {
                        "text": "Standard 4 should say 'agreed local pathway', not name MASH",
                        "group": "practitioners",
                        "theme": "Wording and clarity",
                    },
                    {
                        "text": "Platform one should be developmental – we don't control the apps",
                        "group": "practitioners",
                        "theme": "Who is responsible",
                    },
                    {
                        "text": "Make the parent version one side of A4, plain English",
                        "group": "parents",
                        "theme": "Wording and clarity",
                    },
                    {
                        "text": "Glad 'without blame' is near the top",
                        "group": "parents",
                        "theme": "Wording and clarity",
                    },
                    {
                        "text": "How will parents know if a school is meeting these?",
                        "group": "parents",
                        "theme": "Is it measurable?",
                    },
                    {
                        "text": "Translate it into the main community languages",
                        "group": "parents",
                        "theme": None,
                    },
                    {
                        "text": "put the young ppl version in words we actually use",
                        "group": "yp-13-18",
                        "theme": "Young people's voice",
                    },
                    {
                        "text": "survey us every yr to see if its working, not just count training",
                        "group": "yp-13-18",
                        "theme": "Is it measurable?",
                    },
                    {
                        "text": "add that u get told what happens after you report",
                        "group": "yp-13-18",
                        "theme": "Young people's voice",
                    },
                    {
                        "text": "cool that our stuff is actually in here 👍",
                        "group": "yp-13-18",
                        "theme": None,
                    },
                    {
                        "text": "Health needs naming – GP practices and school nursing",
                        "group": "practitioners",
                        "theme": "Who is responsible",
                    },
                    {
                        "text": "Vol sector funding is short-term – keep it realistic for small "
                        "groups",
                        "group": "practitioners",
                        "theme": "Capacity and resources",
                    },
                    {
                        "text": "Who checks that it's actually happening?",
                        "group": "parents",
                        "theme": "Who is responsible",
                    },
                    {
                        "text": "Link to the partnership's annual audit – not extra paperwork",
                        "group": "practitioners",
                        "theme": "Capacity and resources",
                    },
                    {
                        "text": "dont make it only about girls",
                        "group": "yp-13-18",
                        "theme": "Young people's voice",
                    },
                    {
                        "text": "CYP outcome: % who can name who to tell – use the existing pupil "
                        "survey",
                        "group": "practitioners",
                        "theme": "Is it measurable?",
                    },
                    {
                        "text": "Education standard says 'secondary' – needs to start in primary",
                        "group": "practitioners",
                        "theme": "Wording and clarity",
                    },
                    {
                        "text": "Should parents as partners be a standard of its own?",
                        "group": "parents",
                        "theme": None,
                    },
                    {
                        "text": "Needs sign-off from the safeguarding partnership before the "
                        "consensus round",
                        "group": "practitioners",
                        "theme": "Who is responsible",
                    },
                    {
                        "text": "the trusted adult one is the most important, keep it first",
                        "group": "yp-13-18",
                        "theme": "Young people's voice",
                    },
                    {
                        "text": "Time for training is the real barrier – cover for teachers",
                        "group": "practitioners",
                        "theme": "Capacity and resources",
                    },
                ],
            },
        ],
        "theme_priority": {
            "Is it measurable?": 8,
            "Young people's voice": 7,
            "Capacity and resources": 7,
            "Wording and clarity": 6,
            "Who is responsible": 6,
        },
    },
    # ------------------------------------------------------------------ consensus rounds
    {
        "key": "consensus-round-1",
        "title": "Consensus round 1: rating the draft standards",
        "date": "2026-11-21",
        "venue": "Riverside Community Centre – main hall",
        "plan_id": "consensus-round",
        "groups": ["cyp-8-12", "yp-13-18", "parents", "practitioners"],
        "state": "closed",
        "participants": {"cyp-8-12": 10, "yp-13-18": 12, "parents": 13, "practitioners": 14},
        "themes": [],
        "brainstorms": [],
        "theme_priority": {},
    },
    {
        "key": "consensus-round-2",
        "title": "Consensus round 2: revised standards",
        "date": "2027-01-23",
        "venue": "Riverside Community Centre – main hall",
        "plan_id": "consensus-round",
        "groups": ["cyp-8-12", "yp-13-18", "parents", "practitioners"],
        "state": "planned",
        "participants": {},
        "themes": [],
        "brainstorms": [],
        "theme_priority": {},
    },
]

# Between the consensus rounds the statement that round 1 rated lowest ("Help to report on
# apps and games") was reworded; round 2 rates the new wording and shows people round 1's
# results.
ROUND_TWO_REVISION: dict[str, Any] = {
    "standard": 4,
    "statement": "Children and young people who are helped by a local service to report "
    "something on an app or game are told, within 10 working days, what the service and the "
    "platform did about it, and who to go to next if nothing changed.",
    "child_wording": "If a grown-up helps you report something on an app or game, you hear "
    "within two weeks what was done, and who to ask next if nothing changed.",
}

STANDARDS: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ 1
    {
        "title": "A trusted adult to tell",
        "statement": "Children and young people aged 6 to 18 can name at least one trusted "
        "adult they would tell if something online worried them or made them feel "
        "uncomfortable.",
        "child_wording": "You know at least one grown-up you can tell if something online "
        "worries you or makes you feel uncomfortable.",
        "rationale": "Telling someone was the first thing children aged 8 to 12 said they would "
        "do, and young people asked for more than one route, including youth workers, peer "
        "mentors and anonymous advice. Every group at the joint workshop placed 'someone to "
        "tell' among its top priorities. Parents and practitioners also raised children who "
        "may not have a trusted adult at home, so adults outside the family matter too.",
        "level": "expected",
        "measures": [
            {
                "type": "structure",
                "description": "Evidence that schools and youth settings tell children and "
                "young people, in child-friendly language, which adults they can talk to about "
                "online worries.",
                "numerator": "Number of schools and youth settings with named staff and a "
                "child-friendly 'who to tell' display or web page",
                "denominator": "Number of schools and youth settings in the borough",
                "data_source": "Annual safeguarding self-assessment returned to the local "
                "safeguarding partnership",
            },
            {
                "type": "outcome",
                "description": "Proportion of children and young people who can name a trusted "
                "adult they would tell about something online.",
                "numerator": "Number of respondents aged 8 to 18 who name at least one trusted "
                "adult",
                "denominator": "Number of respondents aged 8 to 18 who answer the question",
                "data_source": "Borough pupil wellbeing survey (annual)",
            },
        ],
        "audiences": {
            "commissioners": (
                "Commissioners fund a named lead in every school and youth setting and ask "
                "providers to report each year how children are told which adults they can "
                "talk to."
            ),
            "police": "Officers who work with schools and youth settings reinforce the 'tell a "
            "trusted adult' message and explain in plain language what the police do when a "
            "concern is reported.",
            "social_care": "Social workers help each child they support to identify a trusted "
            "adult and record who this is in the child's plan, especially where there is no "
            "safe adult at home.",
            "education": "Schools make sure every pupil knows at least two adults in school they "
            "can talk to about online worries, and check this through the annual pupil survey.",
            "health": "School nurses, GPs and mental health staff ask children about their "
            "online lives in routine contacts and make clear that online worries can be talked "
            "about.",
            "youth_voluntary": "Youth workers, coaches and volunteers know they may be the adult "
            "a young person chooses to tell, and are trained to respond and to pass concerns "
            "on.",
            "parents_carers": "Let your child know they can always tell you, or another adult "
            "they trust, if something online worries them – and that they will not be in "
            "trouble for telling.",
            "children_young_people": "You should have at least one grown-up you trust who you "
            "can tell if anything online worries you. It could be someone at home, at school or "
            "at a club.",
        },
        "definitions": {
            "Trusted adult": "An adult the child or young person chooses and feels safe with – "
            "for example a parent or carer, relative, teacher, youth worker, coach or school "
            "nurse – who knows how to respond and where to get help.",
        },
        "sources": [
            ("prep-cyp", "Telling a trusted adult"),
            ("prep-yp", "Someone to talk to"),
            ("joint-priorities", "Someone to tell"),
        ],
        "references": (
            "Working Together to Safeguard Children (HM Government, 2023)",
            "Keeping Children Safe in Education (Department for Education, 2024)",
        ),
        "support": "strong",
        "child_support": "strong",
    },
    # ------------------------------------------------------------------ 2
    {
        "title": "Responding without blame",
        "statement": "Children and young people who tell an adult about something that worried "
        "them online get a calm, non-blaming response and are not punished for telling, for "
        "example by having their phone or device taken away.",
        "child_wording": "If you tell a grown-up about something online that worried you, "
        "they stay calm, they don't blame you, and you don't get in trouble or lose your phone.",
        "rationale": "Fear of getting into trouble – being blamed or losing their phone – was "
        "the main reason children and young people gave for not telling anyone. Parents said "
        "they were afraid of overreacting, and practitioners noted that victim-blaming "
        "language still appears in some settings. At the joint workshop every group named a "
        "calm first response as a shared priority.",
        "level": "expected",
        "measures": [
            {
                "type": "structure",
                "description": "Evidence that partner agencies have adopted shared guidance on "
                "responding without blame, available in the borough's main community languages.",
                "numerator": "Number of partner agencies that have adopted the shared guidance",
                "denominator": "Number of partner agencies in the local safeguarding partnership",
                "data_source": "Local safeguarding partnership records",
            },
            {
                "type": "process",
                "description": "Proportion of practitioners working with children who have "
                "completed training on responding to online concerns without blame in the last "
                "2 years.",
                "numerator": "Number of practitioners who completed the training in the last 24 "
                "months",
                "denominator": "Number of practitioners in roles working directly with children",
                "data_source": "Partner agency training records",
            },
            {
                "type": "outcome",
                "description": "Proportion of children and young people who told an adult about "
                "something online and felt listened to and not blamed.",
                "numerator": "Number of respondents who told an adult and say they felt "
                "listened to and not blamed",
                "denominator": "Number of respondents who say they told an adult about "
                "something online in the past year",
                "data_source": "Borough pupil wellbeing survey (annual)",
            },
        ],
        "audiences": {
            "commissioners": (
                "Commissioners make shared non-blaming guidance and the training behind it a "
                "condition of contracts for services that work with children."
            ),
            "police": "Officers use non-blaming language with children and families, and "
            "explain when a device is needed as evidence so that it is not experienced as a "
            "punishment.",
            "social_care": "Practitioners make clear to children and families that the child is "
            "not to blame, and avoid language in assessments and plans that suggests otherwise.",
            "education": "Staff respond calmly and follow the school's safeguarding procedure, "
            "and schools review assemblies and lessons to remove victim-blaming messages.",
            "health": "Clinicians respond to online worries without judgement and reassure the "
            "child that telling was the right thing to do.",
            "youth_voluntary": "Staff and volunteers thank young people for telling, stay calm, "
            "and pass concerns on through the agreed route without questioning the young "
            "person's choices.",
            "parents_carers": "If your child tells you about something online, stay calm, thank "
            "them for telling you, and avoid taking their phone away as a punishment. Ask for "
            "advice about what to do next.",
            "children_young_people": "If you tell an adult about something online, they should "
            "stay calm and listen. It is never your fault, and you should not be punished for "
            "telling.",
        },
        "definitions": {
            "Non-blaming response": "A response that makes clear the child or young person is "
            "not responsible for what happened, avoids questions such as 'why did you…', and "
            "focuses on their safety and wellbeing.",
            "Punished for telling": "Any consequence for the child because they told, such as "
            "losing their phone or being told off. Keeping a device safe as evidence, explained "
            "to the child, is not a punishment.",
        },
        "sources": [
            ("prep-cyp", "Not getting into trouble"),
            ("prep-yp", "Fear of being blamed"),
            ("prep-parents", "Getting the response right"),
            ("joint-priorities", "Responding without blame"),
        ],
        "references": (
            "NICE guideline NG76: Child abuse and neglect (2017)",
            "Working Together to Safeguard Children (HM Government, 2023)",
        ),
        "support": "mixed",
        "child_support": "strong",
    },
    # ------------------------------------------------------------------ 3
    {
        "title": "Adults who understand the apps",
        "statement": "Parents, carers and practitioners who work with children have access to "
        "practical learning about the apps and games children use, refreshed at least every "
        "12 months.",
        "child_wording": "The grown-ups around you learn about the apps and games you use, "
        "and keep learning every year.",
        "rationale": "Children, young people and parents all said that adults often do not "
        "understand the apps and games children use, and young people said this is one reason "
        "they do not tell. Parents asked for plain-English updates at times they can attend, "
        "and practitioners described training that is one-off and quickly out of date. Young "
        "people asked to help shape the learning so that it reflects how they actually use "
        "apps.",
        "level": "expected",
        "measures": [
            {
                "type": "structure",
                "description": "Evidence of a borough-wide learning offer on apps and games for "
                "parents, carers and practitioners, reviewed with young people every 12 months.",
                "numerator": "Number of partner agencies and schools promoting the current "
                "learning offer",
                "denominator": "Number of partner agencies and schools in the borough",
                "data_source": "Local safeguarding partnership learning and development records",
            },
            {
                "type": "process",
                "description": "Proportion of practitioners working with children who have "
                "completed the apps and games learning in the last 12 months.",
                "numerator": "Number of practitioners who completed the learning in the last 12 "
                "months",
                "denominator": "Number of practitioners in roles working directly with children",
                "data_source": "Partner agency training records",
            },
            {
                "type": "process",
                "description": "Proportion of schools that offered at least one session on apps "
                "and games for parents and carers in the school year.",
                "numerator": "Number of schools that offered at least one parent and carer "
                "session in the school year",
                "denominator": "Number of schools in the borough",
                "data_source": "School safeguarding self-assessment",
            },
        ],
        "audiences": {
            "commissioners": (
                "Commissioners fund a yearly, refreshed learning offer about apps and games "
                "for parents, carers and practitioners, and ask for attendance figures."
            ),
            "police": "Officers who work with schools and families keep up to date with the "
            "platforms children use and share local reporting trends with the learning offer.",
            "social_care": "Social workers complete the annual learning and use it to talk "
            "confidently with children and families about their online lives.",
            "education": "Schools give staff time to complete the annual learning and offer "
            "parent and carer sessions at times families can attend, such as pick-up time.",
            "health": "GPs, health visitors and school nurses can join the learning and use it "
            "in routine conversations with families.",
            "youth_voluntary": "Youth and voluntary groups can join the learning free of charge, "
            "and young people from local groups help to deliver it.",
            "parents_carers": "You can go to short, free sessions each year about the apps and "
            "games children use, in plain English and at times that suit working parents.",
            "children_young_people": "The adults around you will learn about the apps and games "
            "you use – and young people will help teach them.",
        },
        "definitions": {
            "Apps and games": "Social media, messaging, video-sharing and gaming platforms, "
            "including the chat and voice features inside games.",
        },
        "sources": [
            ("prep-cyp", "Grown-ups who understand games"),
            ("prep-yp", "Adults who get it"),
            ("prep-parents", "Keeping up with apps and games"),
            ("prep-practitioners", "Training and confidence"),
            ("joint-priorities", "Adults who understand the apps"),
        ],
        "references": ("Education for a Connected World (UK Council for Internet Safety, 2020)",),
        "support": "strong",
        "child_support": "strong",
    },
    # ------------------------------------------------------------------ 4
    {
        "title": "Joined-up pathway with feedback",
        "statement": "Practitioners who refer a concern about online child sexual exploitation "
        "or abuse through the agreed local multi-agency pathway are told the outcome of their "
        "referral within 5 working days.",
        "child_wording": "When a worker asks other services for help to keep you safe, they "
        "find out what happened within a week, so they can keep helping you.",
        "rationale": "Practitioners described a missing feedback loop: referrals go in and "
        "they rarely hear back, which makes it hard to keep supporting the child and family. "
        "Voluntary sector staff said they are often left out even when they know the child "
        "best. Parents asked for one place to go for help, and young people asked not to be "
        "passed between services. The drafting workshop replaced an earlier 24-hour response "
        "target with this feedback standard because of concerns about capacity.",
        "level": "expected",
        "measures": [
            {
                "type": "structure",
                "description": "Evidence of a single, published local pathway for online "
                "concerns that all partner agencies, including voluntary sector groups, have "
                "signed up to.",
                "numerator": "Number of agencies, including voluntary sector groups, signed up "
                "to the published pathway",
                "denominator": "Number of agencies in the local safeguarding partnership and "
                "the voluntary sector safeguarding network",
                "data_source": "Local safeguarding partnership records",
            },
            {
                "type": "process",
                "description": "Proportion of referrals about online concerns where the referrer "
                "was told the outcome within 5 working days.",
                "numerator": "Number of referrals about online concerns where outcome feedback "
                "was sent to the referrer within 5 working days",
                "denominator": "Number of referrals about online concerns received through the "
                "pathway",
                "data_source": "Multi-Agency Safeguarding Hub (MASH) case records",
            },
            {
                "type": "outcome",
                "description": "Proportion of families who say they understood what would "
                "happen next after a referral about an online concern.",
                "numerator": "Number of responding families who say they understood what would "
                "happen next",
                "denominator": "Number of families responding to the feedback survey after a "
                "referral about an online concern",
                "data_source": "Family feedback survey at case closure",
            },
        ],
        "audiences": {
            "commissioners": (
                "Commissioners require every partner in the pathway to record and report how "
                "many referrers are told the outcome within 5 working days."
            ),
            "police": "Police actions on referrals about online concerns are recorded through "
            "the pathway so that the referrer can be told the outcome within 5 working days.",
            "social_care": "The MASH sends outcome feedback to everyone who refers an online "
            "concern within 5 working days, including voluntary sector referrers.",
            "education": "Designated safeguarding leads use the agreed pathway for online "
            "concerns and follow up if they have not heard back within 5 working days.",
            "health": "Health professionals use the same pathway as other agencies and receive "
            "the same feedback on their referrals.",
            "youth_voluntary": "Youth and voluntary groups can refer through the pathway and are "
            "told the outcome, so they can keep supporting the young person.",
            "parents_carers": "If a professional passes on a concern about your child, there is "
            "one agreed route, and the professional you know will be told what happens next so "
            "they can keep you informed.",
            "children_young_people": "If an adult passes on a worry about you, the services "
            "involved work together and tell them what is happening, so you are not left "
            "waiting or passed around.",
        },
        "definitions": {
            "Local multi-agency pathway": "The agreed route, set by the local safeguarding "
            "partnership, through which concerns are shared between schools, health, police, "
            "children's social care and voluntary sector services.",
            "MASH": "Multi-Agency Safeguarding Hub: the team in which partner agencies share "
            "information and decide on the response to safeguarding referrals.",
        },
        "sources": [
            ("prep-practitioners", "Information sharing"),
            ("prep-practitioners", "Thresholds and referral routes"),
            ("prep-practitioners", "Response times and follow-up"),
            ("prep-parents", "Where to get help"),
            ("joint-priorities", "Joined-up services"),
        ],
        "support": "strong",
        "child_support": "mixed",
    },
    # ------------------------------------------------------------------ 5
    {
        "title": "Help to report on apps and games",
        "statement": "Children and young people who are helped by a local service to report "
        "something on an app or game are told what happened to their report within 10 working "
        "days.",
        "child_wording": "If a grown-up helps you report something on an app or game, you "
        "are told what happened within two weeks.",
        "rationale": "Young people said that reporting on apps 'does literally nothing' and "
        "asked to be told what happens after they report, step by step. Children wanted a help "
        "button that reaches a real person. Practitioners supported a shared local log of "
        "reports to platforms, but pointed out that local services cannot control how quickly "
        "platforms respond, so this standard is developmental.",
        "level": "developmental",
        "measures": [
            {
                "type": "structure",
                "description": "Evidence of a shared local log of reports made to platforms and "
                "national reporting routes with the help of local services.",
                "numerator": "Number of partner agencies recording platform reports in the "
                "shared log",
                "denominator": "Number of partner agencies in the local safeguarding partnership",
                "data_source": "Shared platform reporting log",
            },
            {
                "type": "process",
                "description": "Proportion of reports made with help from a local service where "
                "the child or young person was told the outcome within 10 working days.",
                "numerator": "Number of logged reports where the child or young person was told "
                "the outcome, or that there was no answer yet, within 10 working days",
                "denominator": "Number of reports recorded in the shared log",
                "data_source": "Shared platform reporting log",
            },
        ],
        "audiences": {
            "police": "Officers advise on national reporting routes, such as reporting to CEOP, "
            "and record reports made with police help in the shared log.",
            "social_care": "Social workers help children they support to report on platforms "
            "where appropriate, and tell them what happened to the report.",
            "education": "Designated safeguarding leads help pupils to report on platforms, "
            "record the report in the shared log and tell the pupil what happened.",
            "health": "Health staff know the national reporting routes and can point children "
            "and families to them, or to a local service that can help.",
            "youth_voluntary": "Youth workers can help young people report on apps and games, "
            "and keep in touch with them even when a platform is slow to answer.",
            "parents_carers": "You can ask your child's school or youth club for help to report "
            "something on an app or game, and they will let you and your child know what "
            "happened.",
            "children_young_people": "If a grown-up or service helps you report something on an "
            "app or game, they should tell you what happened next – even if the answer is 'we "
            "are still waiting'.",
        },
        "definitions": {
            "National reporting routes": "Services where children, families and professionals "
            "can report online sexual abuse or ask for images to be removed – for example the "
            "National Crime Agency's CEOP Safety Centre, and Report Remove, run by Childline "
            "and the Internet Watch Foundation.",
        },
        "sources": [
            ("prep-cyp", "Safer games and apps"),
            ("prep-yp", "Safer apps and reporting"),
            ("joint-priorities", "Safer platforms and reporting"),
        ],
        "references": ("Online Safety Act 2023",),
        "support": "weak",
        "child_support": "mixed",
    },
    # ------------------------------------------------------------------ 6
    {
        "title": "Education that starts early",
        "statement": "Children and young people have age-appropriate learning about online "
        "safety, healthy relationships and who to tell in every school year from Year 1.",
        "child_wording": "Every year at school, from Year 1, you learn about staying safe "
        "online, being kind to each other and who you can tell.",
        "rationale": "Children aged 8 to 12 asked for more than 'one assembly' and suggested "
        "starting when children are younger; young people said relationships education "
        "starts too late and can feel out of date. Parents asked to know what is being taught "
        "so they can back it up at home, and practitioners wanted the same language used in "
        "every setting. The drafting workshop widened an earlier draft that covered secondary "
        "schools only.",
        "level": "expected",
        "measures": [
            {
                "type": "structure",
                "description": "Proportion of schools whose curriculum includes online safety, "
                "healthy relationships and who to tell in every year group.",
                "numerator": "Number of schools whose curriculum plan covers online safety, "
                "healthy relationships and who to tell in every year group",
                "denominator": "Number of primary, secondary and special schools in the borough",
                "data_source": "School safeguarding self-assessment and curriculum plans",
            },
            {
                "type": "process",
                "description": "Proportion of schools that share a summary of what is taught "
                "about online safety with parents and carers each school year.",
                "numerator": "Number of schools that shared a summary with parents and carers "
                "this school year",
                "denominator": "Number of schools in the borough",
                "data_source": "School safeguarding self-assessment",
            },
            {
                "type": "outcome",
                "description": "Proportion of pupils who say what they learned at school would "
                "help them know what to do if something online worried them.",
                "numerator": "Number of respondents who agree that school learning would help "
                "them know what to do",
                "denominator": "Number of respondents who answer the question",
                "data_source": "Borough pupil wellbeing survey (annual)",
            },
        ],
        "audiences": {
            "police": "Police contributions to lessons follow the agreed local key messages and "
            "the school's curriculum, rather than one-off talks.",
            "social_care": "Social workers know what children learn at school about online "
            "safety and use the same words when they talk with children and families.",
            "education": "Schools plan age-appropriate online safety and relationships learning "
            "for every year group, shaped with pupils, and share what is taught with families.",
            "health": "School nurses and health promotion teams support lessons and use the "
            "same key messages in health settings.",
            "youth_voluntary": "Youth groups and clubs reinforce what children learn at school, "
            "using the same key messages and language.",
            "parents_carers": "Your child's school will tell you each year what your child is "
            "learning about staying safe online, so you can talk about it at home.",
            "children_young_people": "You should learn about staying safe online, and who to "
            "tell, every year at school – starting when you are young, and in a way that feels "
            "real.",
        },
        "definitions": {
            "Age-appropriate": "Matched to the child's age, stage of development and needs, "
            "including the needs of children with special educational needs and disabilities "
            "(SEND).",
            "Key messages": "A short set of agreed messages for children and families, used in "
            "the same words by schools, health, police, social care and youth services.",
        },
        "sources": [
            ("prep-cyp", "Learning at school"),
            ("prep-yp", "Better lessons"),
            ("prep-parents", "Information from schools"),
            ("prep-practitioners", "Consistent messages"),
            ("joint-priorities", "Education that starts early"),
        ],
        "references": (
            "Relationships Education, Relationships and Sex Education and Health Education: "
            "statutory guidance (Department for Education, 2019)",
            "Education for a Connected World (UK Council for Internet Safety, 2020)",
        ),
        "support": "strong",
        "child_support": "mixed",
    },
]
