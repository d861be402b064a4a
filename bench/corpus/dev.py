"""The development corpus: replies built from templates written for training and tuning the wording judge.

Every reply is labelled with its intent and the techniques and triggers a trainer would name.
The blind corpus (blind.py) is written separately, with its own situations, frames and words,
and is never trained or tuned on.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from bench.corpus._style import render


@dataclass(frozen=True)
class Situation:
    setting: str
    customer: str
    events: tuple[str, ...]      # what happened, in the trainee's words (for paraphrasing)
    offers: tuple[str, ...]      # a next step the trainee can offer
    reasons: tuple[str, ...]     # why a rule exists
    facts: tuple[str, ...]       # plain procedural information


SITUATIONS = [
    Situation("retail", "I've been stood in this queue for forty minutes and only one till is open!",
              ("you've been waiting forty minutes with only one till open", "you've been stuck in the queue for ages",
               "you've been queuing for forty minutes"),
              ("I'll open the next till right now", "I can take you at the service desk", "let me call a colleague to open another till"),
              ("half the team are off sick today", "the second till broke this morning"),
              ("The service desk can take card payments.", "Till four is opening in a minute.")),
    Situation("retail", "This kettle broke after two days and I want my money back.",
              ("the kettle stopped working after two days", "it broke almost as soon as you got it home", "you want a refund for the kettle"),
              ("I can refund it or swap it for a new one", "let me get you a replacement from the back", "I'll process the refund now"),
              ("we have to log faulty items for the supplier", "the refund goes back to the card you paid with"),
              ("Refunds take three to five working days to show.", "I'll need the card you paid with.")),
    Situation("retail", "You charged me twice for the same shopping!",
              ("you were charged twice for one shop", "the payment went through two times", "you've paid twice for the same things"),
              ("I'll check the transactions with you now", "I can refund the second payment straight away", "let me print the transaction log"),
              ("the card machine sometimes sends a payment twice when it drops connection", "pending payments usually drop off within a day"),
              ("The second charge may show as pending.", "The bank usually clears duplicates in a day or two.")),
    Situation("retail", "I've got no receipt but I bought this here last week.",
              ("you bought it here last week but the receipt's gone", "you've lost the receipt", "you haven't got the receipt any more"),
              ("I can look it up on your card", "I can offer store credit", "let me see if I can find the sale on the system"),
              ("without a receipt we can't prove the price you paid", "it stops people returning stolen goods"),
              ("We can look up card payments from the last ninety days.", "Store credit doesn't expire.")),
    Situation("retail", "The price on the shelf says two pounds and you charged me four!",
              ("the shelf said two pounds but you were charged four", "the label and the till don't match", "the price on the shelf was different"),
              ("I'll honour the shelf price", "let me go and check the label with you", "I can refund the difference"),
              ("the labels get changed overnight and one was missed", "the promotion ended yesterday"),
              ("The offer ended on Sunday.", "Shelf labels are updated every Monday.")),
    Situation("retail", "My online order was supposed to come today and it hasn't turned up.",
              ("your order was due today and it hasn't arrived", "the parcel didn't turn up", "you were promised delivery today"),
              ("I'll ring the courier now", "I can track the parcel for you", "let me book a redelivery for tomorrow morning"),
              ("the courier had a van break down", "the depot was short of drivers"),
              ("Deliveries run until eight in the evening.", "Your tracking number is on the confirmation email.")),
    Situation("security", "I paid for everything, why is the alarm going off?",
              ("the alarm went off even though you paid", "you've paid and the gate still beeped", "you were stopped by the alarm after paying"),
              ("let me check the receipt with you", "I'll take the tag off and you can go", "we can sort it at the desk in a minute"),
              ("sometimes a tag isn't switched off at the till", "the gates pick up tags from other shops"),
              ("The gates sometimes react to tags from other stores.", "It only takes a minute to check.")),
    Situation("security", "Why won't you let me in? My mates are all inside!",
              ("your friends are already inside and you've been stopped", "you're being kept out while your mates are in", "you want to join your friends"),
              ("I can call your mates out to you", "you can come back once you've had some water", "I can get you a taxi home"),
              ("the licence means we can't let anyone in who seems drunk", "the venue's at capacity"),
              ("Entry closes at one.", "The venue holds four hundred people.")),
    Situation("security", "I'm not opening my bag for you, I've done nothing wrong.",
              ("you don't want your bag searched", "you feel you're being treated like a thief", "you've done nothing wrong and you're being checked"),
              ("we can do it somewhere more private", "you can open it yourself and I'll just look", "you're free to leave it in the cloakroom"),
              ("everyone's bag is checked at events like this", "the event's insurance requires bag checks"),
              ("Bag checks are at the side entrance.", "Large bags go in the cloakroom.")),
    Situation("security", "I've been waiting an hour in the cold and you keep letting people in ahead of me!",
              ("you've been out in the cold for an hour", "people seem to be jumping ahead of you", "you've waited an hour and others got in first"),
              ("I'll get you in next", "you can wait inside the lobby out of the cold", "let me check the list for you"),
              ("the people going in were on the guest list", "we can only let people in as others leave"),
              ("The guest list has its own queue.", "We let people in as others leave.")),
    Situation("security", "Don't touch me! I was just sitting here, I'm not doing anything.",
              ("you were just sitting here minding your own business", "you feel you've been picked on for sitting here", "you haven't done anything"),
              ("you can sit on the bench just inside", "I can help you find somewhere warm", "we can talk over here where it's quieter"),
              ("the doorway is a fire exit and has to stay clear", "people need to get past with pushchairs"),
              ("The fire exit needs to stay clear.", "The centre closes at nine.")),
    Situation("security", "Your colleague just grabbed my arm, I want to make a complaint!",
              ("my colleague grabbed your arm", "you were handled roughly", "you want to complain about how you were treated"),
              ("I'll take your complaint down myself", "I can get the duty manager for you", "let me give you the complaints form and help you fill it in"),
              ("we review the cameras for every complaint", "every complaint goes to the manager"),
              ("Complaints go to the duty manager.", "The cameras record the whole entrance.")),
]

NAMES = ["Dana", "Mr Patel", "Mrs Okafor", "Sam", "Jordan", "Chris", "Ms Lewis", "Tom", "Aisha", "sir", "madam", "mate"]

EMOTIONS = ["frustrated", "upset", "angry", "annoyed", "worried", "stressed", "fed up", "let down", "embarrassed",
            "anxious", "really upset", "disappointed", "exhausted", "furious", "wound up", "humiliated", "confused",
            "overwhelmed", "shaken", "rattled", "on edge", "singled out", "ignored", "cheated", "hurt",
            "gutted", "livid", "shaken up", "mortified", "heartbroken", "panicked", "scared", "nervous", "fuming",
            "devastated", "sick of it", "at the end of your tether", "bummed out", "drained", "stressed out",
            "hacked off", "miffed", "uneasy", "put out", "unsettled", "at your wits' end", "worn out"]
SITUATION_WORDS = ["frustrating", "stressful", "annoying", "upsetting", "embarrassing", "worrying", "exhausting",
                   "maddening", "unfair", "horrible", "awful", "a nightmare", "infuriating", "scary", "mortifying", "a pain",
                   "disheartening", "nerve-racking", "a real hassle", "rubbish", "hard to deal with"]

FEELING_FRAMES = [
    "I can see you're {emotion}.", "You sound really {emotion}.", "You must be {emotion}.", "You seem {emotion} about this.",
    "It sounds like you're feeling {emotion}.", "I can tell you're {emotion}.", "I'd be {emotion} too.",
    "No wonder you're {emotion}.", "You're obviously {emotion}, and that's fair.", "That sounds {situation}.",
    "That must be {situation}.", "This must be really {situation} for you.", "I can hear how {emotion} you are.",
    "You look {emotion}, and I get why.", "I can imagine you're {emotion} right now.",
    "You've every reason to feel {emotion}.", "I'd be just as {emotion} in your shoes.",
    "It's {situation}, I know.", "I can see this has left you {emotion}.", "Feeling {emotion} about this makes sense.",
    "You look {emotion}.", "I bet you're {emotion}.", "You must be so {emotion} with us.", "I'd be {emotion} in your place.",
    "You're {emotion}, and that's understandable.", "Anyone would be {emotion} after that.", "It's {situation} when that happens.",
    "I can tell you're feeling {emotion}.", "You're clearly {emotion}.", "Seems like you're {emotion}.",
    "I get that you're {emotion}.", "Sounds like you're {emotion} with the whole thing.", "You seem {emotion}, and I get it.",
]
PARAPHRASE_FRAMES = [
    "So {event}.", "So if I've got this right, {event}.", "Let me check I've understood: {event}.",
    "What I'm hearing is {event}.", "You're telling me {event}.", "So what's happened is {event}.",
    "Okay, so {event}.", "If I understand you, {event}.", "Just so I've got it, {event}.",
    "So basically {event}, yeah?", "Right, so {event}.", "Sounds like {event}.", "It sounds like {event}.",
    "Let me get this right: {event}.", "Just to check, {event}?", "If I'm following you, {event}.",
    "From what you're saying, {event}.", "So what you're telling me is {event}.", "Okay, {event}, is that right?",
    "Okay, so {event}, yeah?", "If I've heard you right, {event}.",
]
QUESTIONS = [
    "What happened?", "Can you tell me what happened?", "What would help most right now?", "How can I help?",
    "What would you like me to do?", "Talk me through it.", "What were you hoping we'd do?", "What would make this right for you?",
    "Can you tell me a bit more about it?", "How long have you been waiting?", "What did they say to you?",
    "What's the best way I can sort this for you?", "What do you need from me right now?", "How are you doing?",
    "Are you okay?", "What went wrong with it?", "Where are you trying to get to?", "What would be fair, do you think?",
    "Walk me through what happened at the till.", "What time do you need to be away by?", "Is there anything else going on?",
    "What can I do to help?", "How did it happen?", "Help me understand what went on.", "What would you prefer?",
    "What's happened?", "What's been going on?", "How can we fix this?", "What are you after?", "Tell me what happened.",
    "What was the problem with it?", "What would be the best outcome for you?", "Where did things go wrong?",
    "What do you think would help?", "What's bothering you the most?", "How are you holding up?",
    "Can you explain what happened?", "Why don't you tell me what happened?",
    "How did you get on with the online form?", "What went on at the door?",
]
EMPATHY = [
    "I understand.", "I hear you.", "That's not okay.", "That's not good enough.", "Anyone would be annoyed.",
    "I'd feel the same.", "That makes sense.", "You have every right to be upset.", "Fair enough.", "You're right.",
    "I get it.", "I completely understand why you're cross.", "That shouldn't have happened.", "I know it's not what you want to hear.",
    "You've been really patient.", "I'm on your side here.", "I'm here to help.", "I really want to sort this for you.",
    "It's completely understandable.", "Nobody's blaming you.", "You haven't done anything wrong.", "It's not your fault.",
    "I'm not accusing you of anything.", "Nobody's going to think badly of you.", "I'm listening.",
]
APOLOGIES = [
    "I'm really sorry.", "I'm so sorry about that.", "Sorry for the wait.", "I apologise.", "My apologies.",
    "That's our mistake.", "We got this wrong.", "I'm sorry this happened.", "Sorry about all this.",
    "I'm sorry you've had to wait.", "We let you down, and I'm sorry.",
]
SUPPORT = [
    "Take your time.", "It's okay, there's no rush.", "I'm glad you came and told me.", "You did the right thing coming over.",
    "Do you want a glass of water?", "You're not on your own with this.", "We'll work it out together.",
    "Don't worry, it happens to everyone.", "It's alright, you're safe here.", "Maybe we can sit down and go through it.",
    "Perhaps I can help with that.", "Do you think it'd help to sit down for a minute?", "The coffee's on me, don't worry about it.",
    "Some people find the machines confusing, I'll walk you through it.", "It looks as if the order went to the wrong branch.",
    "Morning sunshine, how are you getting on?", "Maybe I could ring them for you.", "Perhaps we should start again, my fault.",
    "Do you think the manager could help? I can fetch her.", "It's on us, honestly.", "I'm here if you need anything.",
    "You've had a rough day, haven't you.", "That's a lot to deal with.", "It's okay to be upset about it.",
    "Thanks for bearing with me, I know it's been a long wait.", "Honestly, it's no trouble at all.",
    "You're doing fine.", "Give yourself a minute, there's no hurry.", "I'd be the same, honestly.",
    "Don't worry, we'll sort it.", "No problem at all, I'll get on it.", "It's alright, these things happen.",
    "Let's get you sorted.", "Come and sit down for a minute.", "I'll fetch you some water.", "You're fine, honestly.",
    "Happy to help.", "Leave it with me.", "I'll be straight back with an answer.", "Of course, I'll do that now.",
    "It's okay, you're not in any bother.", "We'll get to the bottom of it.", "I'll walk you over there.",
    "That's no good at all, let's fix it.", "Oh no, let's see what we can do.", "Right, let's put this right.",
    "I'm glad you said something.", "You've been great about this.", "I really do want to help you.",
    "That's a fair question.", "Sure thing, I'll find out.", "No worries, we'll get you taken care of.",
    "Oh dear, let's see what's gone on.", "We'll get you home, don't worry.",
    "I'm not going anywhere, we'll sort it.", "Let's take it one step at a time.", "You're alright, I've got you.",
]
BOUNDARIES = [
    "I can't let you in tonight, but I can call you a taxi or you can wait here with your friends.",
    "I can't do a cash refund without the receipt, but I can give you store credit or look it up on your card.",
    "You can't stay in the doorway, but you're welcome to wait just inside where it's warm.",
    "I can't open the fire exit, but I can walk you round to the main entrance.",
    "You can open the bag yourself or we can do it in the side room, whichever you prefer.",
    "It's your choice: wait for the manager here or I can take your number and she'll call you.",
    "I need you to lower your voice so I can help you properly; then we can sort this out.",
    "I'm happy to help once we've stepped away from the queue.",
    "I can't change the price on the till myself, but I can get the manager to approve it now.",
]
NEUTRAL = [
    "Okay.", "Right.", "One moment.", "Card or cash?", "It's in aisle five.", "The lift is on the left.",
    "The manager is in at ten.", "Can I see your receipt?", "I need to see some ID.", "We close at nine.",
    "Next available slot is Tuesday.", "That's twelve pounds fifty.", "Put your bag on the table, please.",
    "Your order number is on the email.", "The toilets are upstairs.", "Sign here.", "That's the one.",
    "We don't sell those any more.", "The system's updating.", "The form is on the website.",
    "I'll need your name and address.", "The queue starts over there.", "It's the blue one.",
    "Is that everything?", "Do you have a loyalty card?", "The bus stop is outside.", "One second.",
    "You'll need your receipt for that one.", "You'll need to scan the barcode first.", "You'll need ID to get in.",
    "You'll need a wristband for upstairs.", "You'll want the returns desk for that.", "You'll need the card you paid with.",
    "You'll see the refund in a few days.", "You'll need shoes for the club, it's the dress code.",
]
# Questions that gather details are procedural, not an invitation to talk it through.
INFO_QUESTIONS = [
    "Can I have your order number?", "What's your postcode?", "Which card did you pay with?", "Did you keep the box?",
    "What size is it?", "What time was your booking?", "Have you got your ticket?", "Was it bought in store or online?",
    "Which shelf was it on?", "Can you put it on the counter, please?", "Can I see the bank statement?",
    "Did you buy anything today?", "What date did you buy it?", "Is it the large or the small one?",
    "Have you got ID on you?", "Can you spell your surname?", "Did you pay by card?", "Is this the one?",
    "Can I take a phone number?", "Which entrance did you use?", "Are you with the party on the list?",
    "Do you have the email on your phone?", "What's the name on the booking?", "Can you step over to the desk?",
]
# Statements about the goods or the rules: information, not a reflection of what they said.
INFO_STATEMENTS = [
    "That item went up in price on Monday.", "It has to be tested first.", "The club's closed for tonight.",
    "My colleague will be with you shortly.", "Your coat is at the cloakroom.", "I'm the supervisor on duty.",
    "The refund has gone through on our side.", "The parcel left the depot this morning.", "The kettle is under warranty.",
    "The box needs to come back with it.", "The tag is still on the jacket.", "The alarm is linked to the tags.",
    "The queue for the guest list is separate.", "We checked the stock this morning.", "The sale price ended yesterday.",
    "Your order shows as dispatched.", "The cameras cover the whole floor.", "The turnstiles were reset an hour ago.",
]
THANKS = ["Thanks for waiting.", "Thank you for your patience.", "Cheers for bearing with us.", "Thanks for telling me."]

TRIGGERS: dict[str, list[str]] = {
    "insult": [
        "You're an idiot.", "Don't be stupid.", "What's wrong with you?", "Are you thick or something?", "You're a joke.",
        "Grow up.", "Get a life.", "You're embarrassing yourself.", "Absolute moron.", "What a clown.",
        "Shut up.", "You muppet.", "Don't be such a baby.", "You people are all the same.", "Are you deaf?",
        "Can you not read?", "You numpty.", "Nobody asked you.", "You're a waste of space.", "What a loser.",
        "You're pathetic.", "Sod off.", "Piss off.", "Get lost.", "Jesus, you're dense.", "You absolute weirdo.",
        "Listen sunshine, nobody cares.", "You're not very bright, are you?", "You plonker.", "Typical drunk.",
        "You're a nightmare.", "Honestly, what an idiot.", "Are you brain dead?", "You're clueless.", "Don't be so thick.",
        "You're a pain in the neck.", "What a muppet.", "You've got the brains of a goldfish.", "You're a joke, mate.",
        "Pathetic.", "Stop whining like a kid.", "What planet are you on?", "You haven't got a clue, have you?",
        "Bloody hell, you're slow.", "You're so rude.", "Dude, you're such a tool.", "You're acting like a baby.",
        "Who do you think you are?", "Don't be a pillock.", "Get a brain.", "Honestly, are you daft?", "Oh, shut your face.",
        "You're a liar.", "You're such a drama queen.", "Nobody likes a whinger.", "You're hard work, you are.",
        "What is it with you people?", "Use your head.", "You're being a prat.", "Useless, absolutely useless.",
    ],
    "dismissal": [
        "Not my problem.", "Whatever.", "I don't care.", "Take it up with head office.", "Next!", "Deal with it.",
        "Not my department.", "You're not the only customer.", "Who cares?", "So what?", "Tough luck.",
        "I haven't got time for this.", "Go and shop somewhere else then.", "It's only a kettle.", "Yeah, yeah.",
        "Heard it all before.", "Is that it?", "It is what it is.", "Don't know, don't care.", "Not my fault.",
        "You'll just have to wait like everyone else.", "Ugh, not this again.", "I'm busy.", "Go away.",
        "Maybe try another shop next time.", "Nobody else has complained.", "Are you done?", "That's your problem.",
        "Can't help, sorry.", "Yeah, not my thing.", "Right. Anyway.", "And? Loads of people wait.", "It's only ten minutes.",
        "Try online.", "Whatever, mate.", "Not my area, try upstairs.", "Fine. Complain if you want.",
        "It's not the end of the world.", "Don't look at me.", "You'll survive.", "Nobody else seems bothered.",
        "I wouldn't know, would I.", "That's a head office thing.", "Mm. Next please.", "Can't do anything about that, sorry.",
        "You'll be fine, it's nothing.", "Not really my concern.", "It is what it is, innit.", "Life's not fair.",
        "I've got people waiting.", "Just go online and sort it.", "Not much I can do, is there.", "Meh.",
        "Is that all?", "So? It's a couple of quid.", "Dunno, mate.", "Ask them, not me.", "Not interested.",
    ],
    "calm_down": [
        "Calm down.", "Relax.", "Chill out.", "Stop shouting.", "Keep your voice down.", "Calm down, sir.",
        "There's no need to get so worked up.", "Take a deep breath.", "Settle down.", "Behave yourself.",
        "Stop being so dramatic.", "Why are you getting so angry?", "Get a grip.", "That's enough.",
        "Calm yourself down.", "Breathe.", "Chill, man.", "Lower your voice.", "Don't get hysterical.", "Stop making a fuss.",
        "Quit yelling.", "You're getting way too worked up.", "Just relax, will you?", "Whoa, chill.",
    ],
    "blame": [
        "You should have checked.", "That's your fault.", "If you'd read the email you'd know.", "You obviously dropped it.",
        "You must have lost the receipt.", "You should have kept the receipt.", "You should have called us sooner.",
        "That's on you.", "Why didn't you check?", "You were supposed to bring ID.", "You've only got yourself to blame.",
        "You did this to yourself.", "Did you even read the sign?", "If you'd turned up on time this wouldn't happen.",
        "You should have come in earlier.", "You should have read the terms.", "You should have told us sooner.",
        "You should have checked before you paid.", "Next time read the label.", "Most people check first.",
        "That's what you get for not reading it.", "You didn't read it properly.",
    ],
    "policy": [
        "Rules are rules.", "It's our policy.", "There's nothing I can do.", "I just work here.",
        "You'll have to fill out this form.", "Computer says no.", "It's not up to me.", "Company policy, sorry.",
        "I don't make the rules.", "My hands are tied.", "No exceptions.", "That's the rule.", "End of discussion.",
        "It's out of my hands.", "I'm just doing my job.", "You'll have to call customer services.",
        "That's policy.", "We don't make exceptions.", "It's against company policy.", "You'll need to fill in a complaint form.",
        "You'll have to put it in writing.", "You'll have to email customer services.", "I'm not allowed.",
        "We can't do that, it's policy.", "Head office won't have it.", "It's procedure.", "That's impossible.",
    ],
    "threat": [
        "Leave or I'll call the police.", "Last warning.", "Try me.", "You'll be banned.", "Keep going and see what happens.",
        "I'm calling security.", "One more word and you're out.", "Don't make me call the police.", "You'd better watch it.",
        "Do you want to get arrested?", "I'll have you removed.", "Walk away or you're barred.",
        "Keep it up and you're out.", "Do that again and you're barred.", "One more time and I call the police.",
        "You're done here.", "Don't test me.", "I'll have you thrown out.", "Any more and you're out on the street.",
    ],
    "sarcasm": [
        "Oh, well done.", "Congratulations.", "Great, another one.", "Sure you did.", "Oh I'm so sorry, your majesty.",
        "Wow, what a tragedy.", "Let me guess, it's our fault.", "Because that's so likely.", "Thanks for nothing.",
        "Nice try.", "Big deal.", "Oh how awful for you.", "Well spotted, Sherlock.", "Funny how it's always our fault.",
    "Oh, brilliant.", "Yeah, sure you did.", "Wow, you must be a genius.", "Oh dear, how will you cope.",
    "Right, and pigs might fly.", "Shall I fetch you a medal?", "Oh, poor baby.", "Cheers for that, really helpful.",
    "Oh well done, you found the exit.", "Yeah, I'll get right on that.", "Wow, real grown up.",
    ],
    "argue": [
        "You're wrong.", "That's not what happened.", "No it isn't.", "Actually, you're mistaken.", "That's not true.",
        "The till is always right.", "I never said that.", "You're not listening.", "You don't understand.",
        "How many times do I have to say it?", "As I already said, no.", "Do you really think I'd lie?",
        "I know what I'm talking about.", "You've got it wrong.",
        "That's not how it works.", "You must have misread it.", "No, that's not right.", "That's not what it says.",
        "I think you'll find you're wrong.", "Nah, you've got that wrong.", "That's rubbish.",
    ],
    "command": [
        "Move. Now.", "Get out.", "Leave now.", "Out!", "Get up and go.", "I'm in charge here.", "Do what I say.",
        "Back off.", "Step back. Now.", "Bag on the table.", "Get out of the doorway.", "Move it.", "Out you go.",
        "Hands out of your pockets. Now.", "Right, you. Up.", "Just leave.", "Get off the counter now.", "Shift.",
        "Because I said so.", "Do as you're told.", "What I say goes.", "Get out of my shop.",
        "I run this door.", "My shop, my rules.", "I'm the boss here, not you.", "I'm security, you do what I say.",
        "I'm not asking, I'm telling.", "You don't get a say.", "It's my call, not yours.", "Don't argue, just do it.",
        "Because I told you to.",
    ],
}
# Negated triggers are reassurance, not triggers.
NEGATED = [
    "I'm not saying you're wrong.", "Nobody is calling the police.", "I'm not blaming you at all.",
    "I'm not going to tell you to calm down; you've every right to be annoyed.", "No one thinks you stole anything.",
    "I'm not here to argue with you.", "It's not your fault, honestly.", "I'm not going to search you in front of everyone.",
    "Nobody's going to throw you out.", "I don't think you're being unreasonable.",
]
CONNECT_BUT = [", but ", " but ", ". But ", ", though ", ". Still, "]
# Bare orders put together, so the model meets orders as a shape, not as a list of lines.
ORDER_VERBS = [
    "Move", "Get out", "Leave", "Back off", "Step back", "Get up", "Get off the counter", "Get out of the doorway",
    "Get away from the door", "Clear off", "Shift", "Go", "Put it down", "Drop it", "Open the bag", "Empty your pockets",
    "Turn around", "Wait outside", "Get back in the queue", "Out of the shop", "Stand over there", "Sit down",
    "Keep walking", "Hands up", "Hand it over", "Give me that", "Off the premises", "Out", "Walk", "Go home",
    "Get out of here", "Out the door", "Bag on the counter", "Arms out", "Move your car", "Get off the phone",
]
ORDER_BEFORE = ["", "", "Oi. ", "Right, you. ", "Hey! ", "Mate, ", "Sir, ", "Listen. ", "Buddy, ", "Come on, ", "You. "]
ORDER_AFTER = ["", ".", " now.", " right now.", ". Go on.", ". I said now.", " immediately.", ", now!", ". Move it.",
               ". Now.", ", I won't say it twice.", " this minute."]


@dataclass
class Row:
    reply: str
    intent: str
    techniques: tuple[str, ...]
    triggers: tuple[str, ...]
    kind: str
    setting: str
    customer_line: str
    style: str
    # The list entries and frames the reply was made from ("feeling:You must be {emotion}."), '|'-joined.
    template: str = ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if not text.startswith(("I ", "I'", "Mr", "Mrs", "Ms")) else text


def _fill(frame: str, rng: random.Random, s: Situation) -> str:
    return frame.format(emotion=rng.choice(EMOTIONS), situation=rng.choice(SITUATION_WORDS),
                        event=rng.choice(s.events))


class _Picker:
    """rng.choice that notes what it chose (the random sequence is the same as rng.choice's)."""

    def __init__(self, rng: random.Random, kind: str, used: list[str] | None) -> None:
        self.rng, self.kind, self.used = rng, kind, used

    def __call__(self, items: list[str] | tuple[str, ...]) -> str:
        item = self.rng.choice(items)
        if self.used is not None:
            self.used.append(f"{self.kind}:{item}")
        return item


def _part(kind: str, rng: random.Random, s: Situation,
          used: list[str] | None = None) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """One sentence of a given kind, with the techniques and triggers it shows; the list entry (or
    frame) it was made from is added to `used`, so rows can be grouped by template."""
    pick = _Picker(rng, kind, used)
    if kind == "feeling":
        return _fill(pick(FEELING_FRAMES), rng, s), ("name_emotion",), ()
    if kind == "paraphrase":
        return _fill(pick(PARAPHRASE_FRAMES), rng, s), ("reflect",), ()
    if kind == "question":
        return pick(QUESTIONS), ("open_question",), ()
    if kind == "empathy":
        return pick(EMPATHY), ("empathy",), ()
    if kind == "apology":
        return pick(APOLOGIES), ("apologise",), ()
    if kind == "offer":
        o = pick(s.offers)
        o = o[:1].upper() + o[1:]
        frames = ["{o}.", "{o}, if that helps.", "{o}, how does that sound?"]
        if o.startswith("I can "):
            frames.append("What I can do is " + o[len("I can "):] + ".")
        return rng.choice(frames).format(o=o), ("offer_options",), ()
    if kind == "support":
        return pick(SUPPORT), ("empathy",), ()
    if kind == "boundary":
        return pick(BOUNDARIES), ("set_boundary",), ()
    if kind == "reason":
        r = pick(s.reasons)
        return rng.choice(["That's because {r}.", "The reason is {r}.", "It's because {r}."]).format(r=r), ("explain_why",), ()
    if kind == "fact":
        return pick(list(s.facts) + NEUTRAL + INFO_QUESTIONS + INFO_STATEMENTS), (), ()
    if kind == "thanks":
        return pick(THANKS), ("thank",), ()
    if kind == "negated":
        return pick(NEGATED), ("empathy",), ()
    if kind == "command" and rng.random() < 0.5:
        verb = pick(ORDER_VERBS)
        before, after = rng.choice(ORDER_BEFORE), rng.choice(ORDER_AFTER)
        text = before + (verb if not before or before.endswith(". ") else verb[:1].lower() + verb[1:]) + (after or ".")
        return text, (), ("command",)
    trigger = kind
    return pick(TRIGGERS[trigger]), (), (trigger,)


GOOD = ["feeling", "paraphrase", "question", "empathy", "apology", "offer", "support", "boundary", "negated"]


def _compose(rng: random.Random, s: Situation) -> tuple[list[str], str, str]:
    """Which parts make a reply, its intent, and its kind (for reporting)."""
    roll = rng.random()
    if roll < 0.42:
        first = rng.choice(GOOD)
        parts = [first]
        if rng.random() < 0.6:
            parts.append(rng.choice(GOOD + ["reason", "fact", "thanks", "offer", "question"]))
        return parts, "deescalate", "supportive" if first in ("support", "negated", "empathy") else first
    if roll < 0.45:
        # A thank-you and a reason add up to calming (phrases.yaml: 0.6 + 0.7 passes 0.9).
        return ["thanks", "reason"], "deescalate", "thanks"
    if roll < 0.62:
        parts = [rng.choice(["fact", "fact", "reason", "thanks"])]
        if rng.random() < 0.3:
            parts.append("fact")
        return parts, "neutral", "procedural"
    trigger = rng.choice(list(TRIGGERS))
    r2 = rng.random()
    if r2 < 0.55:
        return [trigger], "escalate", trigger
    if r2 < 0.75:
        return ([trigger, "fact"] if rng.random() < 0.5 else ["fact", trigger]), "escalate", trigger
    # Mixed: something good, then the trigger ("I'm sorry, but calm down").
    return [rng.choice(["apology", "empathy", "feeling", "thanks"]), "BUT", trigger], "escalate", "mixed"


def generate(n: int, seed: int = 16) -> Iterator[Row]:
    rng = random.Random(seed)
    seen: set[str] = set()
    made = 0
    while made < n:
        s = rng.choice(SITUATIONS)
        parts, intent, kind = _compose(rng, s)
        texts: list[str] = []
        techniques: list[str] = []
        triggers: list[str] = []
        used: list[str] = []
        joiner_next = " "
        for p in parts:
            if p == "BUT":
                joiner_next = rng.choice(CONNECT_BUT)
                continue
            text, t, g = _part(p, rng, s, used)
            if texts and joiner_next != " ":
                texts[-1] = texts[-1].rstrip(".!?")
                text = _lower_first(text) if not joiner_next.startswith(".") else text
            texts.append((joiner_next if texts else "") + text)
            joiner_next = " "
            techniques += [x for x in t if x not in techniques]
            triggers += [x for x in g if x not in triggers]
        reply = "".join(texts).strip()
        if intent != "escalate" and rng.random() < 0.15:
            name = rng.choice(NAMES)
            reply = reply.rstrip(".") + f", {name}." if rng.random() < 0.5 else f"{name}, " + _lower_first(reply)
        said, style = render(reply, rng)
        if said in seen or not said.strip():
            continue
        seen.add(said)
        made += 1
        yield Row(said, intent, tuple(techniques), tuple(triggers), kind, s.setting, s.customer, style,
                  "|".join(used))
