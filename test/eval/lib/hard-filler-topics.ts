/**
 * The chit-chat topics of the hard set's filler (see hard-filler.ts): user
 * lines with {slots} and a pool of assistant sentences each. Several talk
 * about the domains of the planted facts without stating one.
 */
export interface Topic {
  user: string[];
  assistant: string[];
}

export const TOPICS: Topic[] = [
  {
    user: [
      "It's been raining for what feels like nine days straight and I'm going a bit stir-crazy.",
      "Another heatwave is forecast for the weekend. How do people sleep when it's this humid?",
      "We woke up to frost on the windscreen today, winter has properly arrived.",
      "The wind last night knocked over the bins on the whole street, it looked like a crime scene this morning.",
      "Finally some sunshine! I ate my lunch outside for the first time in months.",
      "The fog was so thick on {day} I couldn't see the end of the road.",
    ],
    assistant: [
      "Long grey stretches really do wear people down, so you're in good company.",
      "Even ten minutes outside around midday makes a surprising difference to mood.",
      "A fan facing out of an open window at night pushes the warm air out rather than just stirring it.",
      "Keeping a regular bedtime helps more than usual when the weather scrambles your routine.",
      "Planning one small cosy thing each evening gives a dreary week some shape.",
      "A thermos of something hot by the door makes cold mornings easier to face.",
      "Weather like that is a good excuse for a slow weekend indoors.",
      "Lunch in the sun is one of the cheapest mood boosters there is.",
    ],
  },
  {
    user: [
      "Any suggestions for something to watch tonight? Nothing too heavy, it's been a long week.",
      "We started {show} and I can't tell if I love it or hate it.",
      "Is it worth starting a series that already has seven seasons?",
      "I fell asleep twenty minutes into the film again. Third time this month.",
      "{friend} keeps telling me to watch {show}, should I give in?",
      "Why do streaming services hide the good stuff behind six menus?",
    ],
    assistant: [
      "For a light evening, a warm comedy with a simple premise is usually the safest bet.",
      "Give a new series three episodes before deciding, the first one is often the weakest.",
      "A limited series is a nice middle ground: satisfying, and finished in a weekend.",
      "Falling asleep during films is mostly a sign you need the sleep more than the film.",
      "Watching with friends and pausing for commentary can rescue even an average show.",
      "Friends' recommendations are a mixed bag, but the persistent ones are usually right.",
      "A watchlist on your phone saves the twenty minutes of scrolling every night.",
      "Documentaries are great for evenings when you want to switch off but not feel guilty about it.",
    ],
  },
  {
    user: [
      "Work has been chaotic, the deadlines keep moving and nobody tells us why.",
      "Had one of those rare productive days today, cleared my whole inbox before lunch.",
      "How do I say no to extra projects without sounding like I don't care?",
      "The meeting this morning could have been an email. Two hours, no decisions.",
      "Our office moved the coffee machine to the other floor and morale has collapsed.",
      "A colleague keeps replying-all to everything, is there a polite way to stop it?",
      "I have a presentation on {day} and I haven't started the slides.",
    ],
    assistant: [
      "Writing down each deadline change and what it costs helps you push back with facts instead of feelings.",
      "Saying no lands better when you name what you'd have to drop to take the new thing on.",
      "A short list at the end of each day of what got done keeps a busy week in perspective.",
      "Protecting one focused block every morning makes the rest of the day feel less reactive.",
      "Asking for an agenda and a decision owner before accepting a meeting changes behaviour quickly.",
      "For slides, drafting the three key messages first makes the rest fall into place.",
      "Most reply-all habits stop after a gentle, private word.",
      "It's worth enjoying the productive days, they remind you the job can feel good.",
    ],
  },
  {
    user: [
      "A coworker's leaving do is on {day}, any ideas for a card message that isn't cheesy?",
      "I need a present for {friend}'s housewarming, something better than a candle.",
      "What do you get someone who says they don't want anything for their birthday?",
      "We're doing a Secret Santa at work with a fifteen-pound limit, help.",
    ],
    assistant: [
      "A specific memory in a card beats any clever phrase.",
      "A good olive oil, a plant, or a nice set of tea towels are housewarming gifts people actually use.",
      "For people who claim to want nothing, an experience or their favourite snack usually works.",
      "Secret Santa is easiest with something consumable: good chocolate, coffee, hot sauce.",
      "A handwritten note often means more than the present itself.",
      "If a group is chipping in, one bigger gift is more memorable than several small ones.",
    ],
  },
  {
    user: [
      "The neighbours' terrier barked from six this morning, I've had about four hours of sleep.",
      "{friend} wants me to dog-sit for a week, is that a huge commitment?",
      "There's a cat that sits on our wall every afternoon and judges everyone who walks past.",
      "Saw a fox in the garden last night, it just stared at me and carried on.",
      "{friend}'s hamster escaped and they found it inside the sofa three days later.",
    ],
    assistant: [
      "Early barking is usually boredom; a friendly word with the owners tends to go better than a note.",
      "Earplugs or a white-noise app can save your sleep in the meantime.",
      "A week of dog-sitting is mostly walks, meals on schedule and a lot of company.",
      "Ask for the vet's number and any quirks before the owner leaves, just in case.",
      "Wall-sitting cats are the unofficial supervisors of every street.",
      "Foxes are bolder in towns than people expect, they're rarely any trouble.",
      "Small pets are escape artists, sofas and behind the fridge are the classic hiding places.",
    ],
  },
  {
    user: [
      "I'm trying to cook more at home. What's a dinner I can make in twenty minutes?",
      "What can I do with leftover rice, three eggs and some sad spring onions?",
      "I made {dish} on {day} and it was honestly better than the restaurant version.",
      "A new burger place opened at the end of the road, the queue was around the block.",
      "How long does cooked pasta keep in the fridge?",
      "I keep buying herbs and throwing half of them away, any tricks?",
    ],
    assistant: [
      "A sheet-pan dinner with vegetables and a protein is hard to beat on a weeknight.",
      "Fried rice is the classic answer: cold rice, eggs, spring onions and a splash of soy sauce.",
      "Batch-cooking a grain and a sauce on Sunday makes weeknights much faster.",
      "New places are often better a few weeks after opening, once the kitchen has settled.",
      "Cooked pasta is fine for three to five days in a sealed box in the fridge.",
      "Soft herbs last longer standing in a glass of water like flowers, loosely covered.",
      "Keeping tinned tomatoes, pasta and frozen peas in stock means dinner is always possible.",
      "Home versions often win because you can season them exactly the way you like.",
    ],
  },
  {
    user: [
      "Our book group picked a six-hundred-page doorstop this month and I'm on page forty.",
      "Any tips for reading more? I buy books and then never open them.",
      "I've started listening to audiobooks on walks and I'm getting through loads.",
      "Is it bad to read the last page first? {friend} says it's a crime.",
    ],
    assistant: [
      "Big books go down easier in small daily doses; twenty pages a day adds up quickly.",
      "Keeping a book by the bed instead of your phone is the simplest change for reading more.",
      "It's fine to abandon a book you aren't enjoying, the list is long and life is short.",
      "Audiobooks count, and they fit neatly into walks and chores.",
      "Reading the ending first is more common than people admit, and some studies say it increases enjoyment.",
      "A library card is the cheapest way to try books you're not sure about.",
    ],
  },
  {
    user: [
      "{friend} just got back from a week in Croatia and won't stop showing me photos.",
      "How far ahead should you book trains for a holiday weekend?",
      "My coworker is going to Iceland next month and asked me what to pack, no idea.",
      "Thinking about a quiet weekend away at some point, nowhere fancy.",
      "Why are airport sandwiches so expensive?",
      "{friend} is planning a road trip across Scotland and wants company.",
    ],
    assistant: [
      "Holiday photos are a rite of passage; a polite three-photo limit is fair to ask for.",
      "For busy weekends, booking trains four to six weeks ahead usually gets the cheaper fares.",
      "Iceland packing is all about layers and a proper waterproof, even in summer.",
      "A short trip with a short journey is the best kind of reset.",
      "Airports charge what a captive audience will pay, bringing food from home is the usual workaround.",
      "Road trips work best when everyone agrees on the budget and the driving upfront.",
      "A simple first-night bag means you don't have to unpack everything on arrival.",
    ],
  },
  {
    user: [
      "My {gadget} has become unbearably slow, is it worth fixing or should I replace it?",
      "How do I stop getting so many spam calls?",
      "I finally set up a password manager, do I need to change every old password now?",
      "The {gadget} keeps disconnecting from the wifi for no reason.",
      "Is it safe to buy refurbished electronics?",
      "I dropped my {gadget} down the stairs, it still works but it makes a noise now.",
    ],
    assistant: [
      "Before replacing anything, a factory reset and a clean-up often buys another year or two.",
      "Most phones can silence unknown callers, which cuts spam dramatically.",
      "Start with the important accounts: email, banking, and anything that stores payment details.",
      "Turning on two-factor authentication is the biggest security win after a password manager.",
      "Wifi drop-outs are often fixed by moving the device or restarting the router.",
      "Refurbished from a reputable seller with a warranty is usually a good deal.",
      "Backing up before any repair is cheap insurance.",
      "A new noise after a fall is worth getting checked before it becomes a bigger fault.",
    ],
  },
  {
    user: [
      "Went to a pub quiz with {friend} on {day}, we came second to last.",
      "I keep meaning to get up earlier but the snooze button wins every single time.",
      "Haircut tomorrow and I have no idea what to ask for.",
      "{friend} dragged me to a salsa class, I have two left feet.",
      "I've been trying to drink more water, I'm now mostly thinking about bathrooms.",
    ],
    assistant: [
      "Second to last is a respectable result, the team name matters more anyway.",
      "Putting the alarm across the room is crude but it works.",
      "Bringing a couple of photos is the easiest way to explain a haircut.",
      "Everyone has two left feet in the first salsa class, the instructors have seen it all.",
      "The bathroom phase passes after a week or two as your body adjusts.",
      "A wind-down routine at night makes early mornings much less painful.",
      "Trying something new with a friend is half the fun even when it goes badly.",
    ],
  },
  {
    user: [
      "I spent the whole of {day} clearing out {chore} and found things I don't remember buying.",
      "What's the best way to get limescale off a shower screen?",
      "Our washing machine is making a noise like a helicopter.",
      "Should I paint the hallway myself or get someone in?",
      "The kitchen tap has been dripping for a month and I've been ignoring it.",
    ],
    assistant: [
      "A one-in, one-out rule keeps clutter from creeping back after a big clear-out.",
      "White vinegar and a bit of patience shifts most limescale; a squeegee after each shower stops it coming back.",
      "A loud spin is often an unbalanced load or a coin in the drum filter.",
      "Painting a hallway yourself is doable, most of the work is the prep and the masking.",
      "A dripping tap is usually a cheap washer, and fixing it saves a surprising amount of water.",
      "Doing one small job a weekend stops the list from becoming overwhelming.",
    ],
  },
  {
    user: [
      "I went for a walk around {place} on {day} and ended up staying for hours.",
      "Is it normal to be this sore two days after a yoga class?",
      "{friend} has started doing cold-water swimming and keeps inviting me.",
      "My step count this week is embarrassing.",
      "Is stretching before a walk actually necessary?",
    ],
    assistant: [
      "Unplanned long walks are often the best part of a week.",
      "Soreness that peaks on day two is normal after unfamiliar movement, it fades quickly.",
      "Cold-water swimming is best started in late summer, when the water is warmest, and never alone.",
      "Adding a ten-minute walk after lunch is the easiest way to lift a step count.",
      "Gentle movement warms you up better than static stretching before a walk.",
      "Consistency beats intensity when you're building a habit.",
    ],
  },
  {
    user: [
      "We're trying to stick to a budget this month, any tips that actually work?",
      "Is it worth switching energy supplier, or is it all the same?",
      "I just found three subscriptions I forgot I was paying for.",
      "How much should I keep in an emergency fund?",
    ],
    assistant: [
      "Tracking every purchase for two weeks is boring but shows exactly where the money goes.",
      "Comparing suppliers once a year usually saves something, even if the difference is small.",
      "Forgotten subscriptions are the most common leak, a quarterly check catches them.",
      "Three to six months of essential spending is the usual rule of thumb for an emergency fund.",
      "Paying yourself first, on payday, makes saving automatic.",
      "A cash envelope for groceries sounds old-fashioned but keeps food spending honest.",
    ],
  },
  {
    user: [
      "My tomatoes on the balcony are all leaves and no fruit, what am I doing wrong?",
      "What herbs are easiest to grow on a windowsill?",
      "Something is eating the lettuce and I can't work out what.",
      "{friend} gave me a cutting from her monstera, how do I keep it alive?",
    ],
    assistant: [
      "Lots of leaves and no fruit often means too much nitrogen; a tomato feed higher in potassium helps.",
      "Basil, chives, mint and parsley are the most forgiving windowsill herbs.",
      "Slugs are the usual lettuce thieves; a torchlight check after dark will confirm it.",
      "A cutting roots well in a jar of water in bright, indirect light, change the water weekly.",
      "Most houseplants die from too much water rather than too little.",
      "Turning pots a quarter turn each week keeps plants from leaning toward the light.",
    ],
  },
  {
    user: [
      "{friend} and I had a silly argument about whether a hot dog is a sandwich.",
      "I've been feeling a bit flat this week, nothing specific.",
      "Do you think it's rude to leave a party without saying goodbye?",
      "I laughed so hard at something {friend} said that I snorted in a quiet café.",
      "My group chat has four hundred unread messages and I'm scared to open it.",
    ],
    assistant: [
      "The hot dog debate has ended friendships, you're right to take it seriously.",
      "Flat weeks happen; sleep, daylight and a chat with a friend are the usual gentle fixes.",
      "An Irish goodbye is widely forgiven at big parties, less so at small dinners.",
      "Snorting in a quiet café is a sign of a good friendship.",
      "Marking a busy group chat as read is a perfectly valid life choice.",
      "If the flatness sticks around for a few weeks, it's worth mentioning to someone you trust.",
    ],
  },
  {
    user: [
      "My mum has started sending me voice notes that are eight minutes long.",
      "Family dinner on {day} went surprisingly smoothly, nobody mentioned politics.",
      "How do you split holidays fairly between two families?",
      "My cousin's kids stayed over and the house looks like a tornado went through it.",
      "My dad keeps forwarding me articles about the dangers of screens, on his tablet.",
    ],
    assistant: [
      "Long voice notes are a love language of their own; listening at double speed is allowed.",
      "A calm family dinner deserves to be celebrated.",
      "Alternating years, or splitting the day, are the two arrangements most families settle on.",
      "Kids visiting is exhausting in the best way; the tidy-up can wait until morning.",
      "Parents forwarding articles is mostly a way of saying they're thinking of you.",
      "Setting a regular call time can make family contact feel less random.",
    ],
  },
  {
    user: [
      "What's a good podcast for a long drive?",
      "I've had the same song stuck in my head for three days.",
      "{friend} made me a playlist and it's all songs from 2009.",
      "Are vinyl records actually better or is it nostalgia?",
    ],
    assistant: [
      "Long narrative podcasts are ideal for a drive, an episode can last a motorway.",
      "Listening to the whole song through once is supposedly the cure for an earworm.",
      "A 2009 playlist is a time machine, enjoy the side fringe memories.",
      "Vinyl is mostly about the ritual and the artwork; the sound is different rather than better.",
      "Sharing music is one of the nicest ways friends keep in touch.",
    ],
  },
  {
    user: [
      "I can't seem to fall asleep before one in the morning lately.",
      "Is a nap at four in the afternoon a terrible idea?",
      "Our new mattress arrived and it's so firm it feels like sleeping on a table.",
      "I keep waking at 3am for no reason.",
    ],
    assistant: [
      "A consistent wake-up time, even at weekends, is the strongest lever for falling asleep earlier.",
      "Late naps tend to push bedtime back; twenty minutes before two o'clock is the safer window.",
      "Firm mattresses often soften over the first month, and a topper can help in the meantime.",
      "Waking at 3am is common; keeping the lights low and not checking the time helps you drift back.",
      "Screens off an hour before bed helps more than most people expect.",
    ],
  },
  {
    user: [
      "The bus was forty minutes late this morning and then two came at once.",
      "Roadworks on the main road have doubled everyone's journey.",
      "Someone parked across our driveway again.",
      "Train strike on {day}, so I'm working from the kitchen table.",
    ],
    assistant: [
      "Buses bunching up is a genuinely studied phenomenon, which is small comfort at the stop.",
      "Roadworks always seem to last twice as long as the sign says.",
      "A polite note on the windscreen is usually enough the first time.",
      "A kitchen-table day is a good excuse to take a proper lunch break.",
      "Live travel apps at least let you decide whether to wait or walk.",
    ],
  },
  {
    user: [
      "Did you see the news about the new bridge? They're finally building it.",
      "Our town is getting a new swimming pool, only ten years late.",
      "The local bakery closed down and everyone is in mourning.",
      "There was a street party on {day} and half the neighbours I'd never met turned up.",
    ],
    assistant: [
      "Big local projects always take longer than promised, but they do tend to get used once they open.",
      "Losing a local bakery is a real blow, they're part of a street's character.",
      "Street parties are the best way to finally put names to faces.",
      "A new pool is good news for the whole town, especially families.",
      "Local news often ends up mattering more day to day than the headlines.",
    ],
  },
  {
    user: [
      "I'm thinking of learning to touch type properly, is it worth it at my age?",
      "{friend} is doing an evening class in photography and loves it.",
      "Is it too late to get good at chess if you start as an adult?",
      "I signed up for a free online course and quit after one video. Classic.",
    ],
    assistant: [
      "Touch typing pays back the practice time within weeks, at any age.",
      "Evening classes are a great way to learn and meet people at once.",
      "Adults learn chess perfectly well; puzzles every day are the fastest route to improving.",
      "Online courses have famously low completion rates, picking one with a deadline helps.",
      "Fifteen minutes a day beats an ambitious plan that never starts.",
    ],
  },
  {
    user: [
      "What's a good excuse to leave a phone call that's gone on too long?",
      "I accidentally waved at someone who was waving at the person behind me.",
      "I sent a text to the wrong person and it was about them.",
      "I've been using the wrong name for a neighbour for two years and it's too late now.",
    ],
    assistant: [
      "'I'll let you go' is the classic exit line, it sounds generous and ends the call.",
      "Turning a wrong wave into a stretch is the traditional recovery move.",
      "A quick, honest apology with a bit of humour defuses most misdirected texts.",
      "The wrong-name problem is best solved by getting someone else to say their name in front of you.",
      "Everyone has a collection of small awkward moments, they matter much less to others.",
    ],
  },
  {
    user: [
      "My manager asked everyone to set three goals for the quarter, I have none.",
      "Is it normal to feel tired on a Sunday evening before the week even starts?",
      "{friend} got a promotion and I'm happy for her but also a bit jealous.",
      "Our team is hiring and I've been asked to sit on interview panels.",
    ],
    assistant: [
      "Good quarterly goals are usually small and concrete: one thing to learn, one to ship, one to improve.",
      "The Sunday-evening dip is very common; planning something nice for Monday helps.",
      "Feeling happy and jealous at once is human, it often points to what you want next.",
      "On interview panels, asking everyone the same core questions keeps it fair.",
      "Writing goals down makes them far more likely to happen.",
    ],
  },
];
