import { an, cap, type Generator, type Item, say, World } from "./hard-world.js";
import { AUTHORS, CHARITIES, DREAMS, DRINKS, FEARS, FOODS, GIFTS, INJURIES, INSTRUMENTS, LANGUAGES, PETS, PET_ACK, PET_NAMES, SUBJECTS, TEAMS, TOWNS } from "./hard-single-data.js";

/**
 * Single-fact questions: one user turn states the fact in specific words
 * (a breed, a food, a place); the question asks with a hypernym, a
 * paraphrase or a description ("the animal we took in", "something I can't
 * eat for medical reasons").
 */
function petName(w: World): Item {
  w.claim("pet");
  const pet = w.pick(PETS);
  const name = w.unique("pet-name", PET_NAMES);
  const s = w.session();
  const { phrase } = w.recently(s);
  const user = w.pick([
    `We brought home ${an(pet.breed)} from the rescue centre ${phrase}, and we're going with ${name}. Already chewed through a slipper.`,
    `Introducing ${name}: ${an(pet.breed)}, fourteen weeks old, currently asleep on my foot.`,
    `So the shelter finally approved our application, and ${name} the ${pet.breed} came back with us ${phrase}!`,
    `Small life update: there's now ${an(pet.breed)} called ${name} living here, and the cushions will never recover.`,
    `We adopted ${an(pet.breed)} ${phrase}! ${name} has already claimed the sofa as ${pet.cls === "dog" ? "the official dog bed" : "home territory"}.`,
  ]);
  return {
    category: "single-fact",
    kind: "pet-name",
    episodes: [{ session: s, lines: say(user, w.pick(PET_ACK[pet.cls])) }],
    question: w.pick([
      "What's the name of the little creature that joined our household?",
      "Remind me what we ended up naming our newest family member?",
      "What do we call the animal we took in?",
      "Who's the furry newcomer at my place, by name?",
      "What name did we give the pet we adopted?",
      `What's our new ${pet.cls} called?`,
    ]),
    answer: name,
    literal: true,
  };
}

function siblingJob(w: World): Item {
  const sister = w.random.next() < 0.5;
  w.claim(sister ? "rel:sister" : "rel:brother");
  const name = w.name(sister ? "f" : "m");
  const job = w.pick(["midwife", "paramedic", "structural engineer", "air traffic controller", "vet", "court stenographer", "firefighter", "primary school teacher", "tattoo artist", "sommelier", "marine biologist", "pharmacist"]);
  const rel = sister ? "sister" : "brother";
  const pro = sister ? "she" : "he";
  const s = w.session();
  const user = w.pick([
    `My ${rel} ${name} just finished ${sister ? "her" : "his"} training — ${pro}'s officially ${an(job)} now! We're all so proud.`,
    `Had dinner with my little ${rel} ${name}. ${cap(pro)} qualified as ${an(job)} in the spring and already has horror stories.`,
    `${name}, my ${rel}, started ${sister ? "her" : "his"} first proper job this week — ${an(job)}. Feels like yesterday ${pro} was twelve.`,
  ]);
  return {
    category: "single-fact",
    kind: "sibling-job",
    episodes: [{ session: s, lines: say(user, w.pick(["That's wonderful news, congratulations to them! The first year in any new role is a steep climb, so your support will mean a lot.", "You must be proud. It's a demanding path, and getting through the training is a real achievement."])) }],
    question: w.pick([
      `What does my ${sister ? "female" : "male"} sibling do for a living?`,
      `What line of work is my ${rel} in?`,
      `What profession did ${name} go into?`,
      `What's my ${sister ? "female" : "male"} sibling's occupation?`,
      `What did my ${rel} train to become?`,
    ]),
    answer: job,
    literal: true,
  };
}

function allergy(w: World): Item {
  w.claim("allergy");
  const food = w.unique("food", FOODS);
  const s = w.session();
  const user = w.pick([
    `Note for any recipe ideas: ${food} and I do not get along. My throat swells up and I end up in A&E.`,
    `I can't go anywhere near ${food}, I found that out the hard way at a friend's wedding buffet when I was nineteen.`,
    `Had a scare at lunch, there were ${food} hidden in the sauce and I had to use my EpiPen in the car park.`,
    `Reminder that I'm seriously allergic to ${food}, in case you ever suggest a recipe with it.`,
  ]);
  return {
    category: "single-fact",
    kind: "allergy",
    episodes: [{ session: s, lines: say(user, w.pick(["Noted, I'll keep it out of anything I suggest and flag dishes where it tends to hide, like dressings and sauces.", "That sounds frightening. I'll steer well clear of it, and it's worth always telling restaurants up front."])) }],
    question: w.pick([
      "Is there an ingredient I have to avoid for medical reasons?",
      "What am I allergic to?",
      "Which food could send me to hospital?",
      "What should never go in a meal you suggest for me?",
    ]),
    answer: food,
    literal: true,
  };
}

function instrument(w: World): Item {
  w.claim("instrument");
  const inst = w.pick(INSTRUMENTS);
  const s = w.session();
  const { phrase } = w.recently(s);
  const user = w.pick([
    `Had my first ${inst} lesson ${phrase} and my hands feel like they've been through a mangle.`,
    `I've hired ${an(inst)} for three months to see if I can actually get anywhere with it. The neighbours have been very patient.`,
    `Practised scales on the ${inst} for an hour tonight, I think I'm finally getting somewhere.`,
  ]);
  return {
    category: "single-fact",
    kind: "instrument",
    episodes: [{ session: s, lines: say(user, w.pick(["Brilliant! Ten minutes of practice a day beats one long session a week, especially at the beginning.", "Good for you. The first month is the hardest, after that it starts to feel like music rather than noise."])) }],
    question: w.pick(["Which musical instrument am I learning to play?", "What instrument have I taken up?", "What am I having music classes for?", "What are my weekly lessons for?"]),
    answer: inst,
    literal: true,
  };
}

function language(w: World): Item {
  w.claim("language");
  const lang = w.pick(LANGUAGES);
  const s = w.session();
  const user = w.pick([
    `Fifty days in a row of ${lang} flashcards! The verb endings are still a total mystery.`,
    `My ${lang} tutor says my accent is "very enthusiastic", which I don't think is a compliment.`,
    `Started evening classes in ${lang} at the community college, homework and everything.`,
    `I'm learning ${lang}! Twenty minutes every morning before work.`,
  ]);
  return {
    category: "single-fact",
    kind: "language",
    episodes: [{ session: s, lines: say(user, w.pick(["That's great progress. Listening to podcasts or songs in it, even without understanding everything, helps the sounds stick.", "Ha, enthusiasm is half the battle. Speaking out loud every day, even to yourself, makes a real difference."])) }],
    question: w.pick(["What foreign tongue am I studying?", "Which language am I trying to pick up?", "What am I learning to speak?", "Which language am I learning?", "What language are my classes in?"]),
    answer: lang,
    literal: true,
  };
}

function author(w: World): Item {
  w.claim("author");
  const a = w.pick(AUTHORS);
  const s = w.session();
  const user = w.pick([
    `I've now read everything ${a} ever published. Nobody else comes close for me.`,
    `If I could only keep one shelf, it would be ${a}, no contest. I reread them every winter.`,
    `Found a signed first edition of ${a} in a charity shop. I nearly cried at the till.`,
  ]);
  return {
    category: "single-fact",
    kind: "author",
    episodes: [{ session: s, lines: say(user, w.pick(["What a find. There's nothing like rereading a writer you love and noticing new things each time.", "That's the best kind of loyalty. If you ever want suggestions in a similar vein, just ask."])) }],
    question: w.pick(["Who's my favourite novelist?", "Which writer do I rate above all others?", "Whose books do I love most?", "Which author have I read everything by?"]),
    answer: a,
    literal: true,
  };
}

function hometown(w: World): Item {
  w.claim("hometown");
  const town = w.pick(TOWNS);
  const s = w.session();
  const user = w.pick([
    `I grew up in ${town}, where the only excitement was the Saturday market and the chip shop.`,
    `Going back to ${town} always makes me feel fifteen again. Same bus shelter, same graffiti.`,
    `My parents still live in the house in ${town} where I spent my whole childhood.`,
  ]);
  return {
    category: "single-fact",
    kind: "hometown",
    episodes: [{ session: s, lines: say(user, w.pick(["Small places leave a mark. It's lovely that you still have a connection there.", "There's something grounding about going back somewhere that hasn't changed much."])) }],
    question: w.pick(["Where was I raised?", "What's the place I'm originally from?", "Which town did I spend my early years in?", "Where did I spend my childhood?"]),
    answer: town,
    literal: true,
  };
}

function partnerName(w: World): Item {
  w.claim("partner");
  const gender = w.random.next() < 0.5 ? "f" : "m";
  const name = w.name(gender);
  const word = gender === "f" ? "girlfriend" : "boyfriend";
  const s = w.session();
  const user = w.pick([
    `${name} and I met at a climbing wall four years ago and we've been together ever since.`,
    `My ${word} ${name} thinks I talk to you more than to ${gender === "f" ? "her" : "him"}, which is probably fair.`,
    `${name} — my other half — is making risotto tonight, so life is good.`,
  ]);
  return {
    category: "single-fact",
    kind: "partner-name",
    episodes: [{ session: s, lines: say(user, w.pick(["That's lovely to hear. Enjoy the evening!", "Ha! It sounds like a good partnership all round."])) }],
    question: w.pick(["Who is my significant other?", "What's the name of the person I'm in a relationship with?", "Who am I seeing romantically?", `What's my ${word}'s name?`]),
    answer: name,
    literal: true,
  };
}

function injury(w: World): Item {
  w.claim("injury");
  const hurt = w.pick(INJURIES);
  const s = w.session();
  const user = w.pick([
    `The physio says it's ${hurt}, so no football for at least six weeks.`,
    `X-ray came back: ${hurt}. I did it slipping on wet leaves outside the bakery, very glamorous.`,
    `Update from the clinic: ${hurt}. Rest, ice, and apparently a lot of daytime television.`,
  ]);
  return {
    category: "single-fact",
    kind: "injury",
    episodes: [{ session: s, lines: say(user, w.pick(["Ouch, I'm sorry. Following the rehab exercises exactly, even the boring ones, makes a big difference to how fast it heals.", "That's miserable, but at least you know what it is now. Go easy on yourself while it mends."])) }],
    question: w.pick(["What's the injury I'm recovering from?", "What did the scan show was wrong with me?", "Why am I off sports at the moment?", "What did the physio say I'd done?"]),
    answer: hurt.replace(/\bmy\b/, "your"),
  };
}

function drink(w: World): Item {
  w.claim("drink");
  const d = w.pick(DRINKS);
  const s = w.session();
  const user = w.pick([
    `The place downstairs starts making ${d} as soon as I walk in now. I may have a problem.`,
    `${cap(d)} every morning is the only thing getting me through this month.`,
  ]);
  return {
    category: "single-fact",
    kind: "drink",
    episodes: [{ session: s, lines: say(user, w.pick(["Being a regular has its perks! Just keep an eye on the afternoon ones if sleep gets patchy.", "Ha, a morning ritual like that can be a genuinely nice anchor for the day."])) }],
    question: w.pick(["What's my usual café order?", "How do I take my caffeine fix?", "What do the baristas know to make for me?", "What do I drink every morning?"]),
    answer: d,
    literal: true,
  };
}

function fear(w: World): Item {
  w.claim("fear");
  const f = w.pick(FEARS);
  const s = w.session();
  return {
    category: "single-fact",
    kind: "fear",
    episodes: [{ session: s, lines: say(f.line, w.pick(["That sounds genuinely distressing. Phobias are very common, and gradual exposure with support can help if you ever want to tackle it.", "You're far from alone in that. Be kind to yourself, it isn't something you can just decide to stop feeling."])) }],
    question: w.pick(["What am I terrified of?", "What's my biggest phobia?", "What gives me the creeps more than anything?", "What's my absolute nightmare?"]),
    answer: f.thing,
  };
}

function degree(w: World): Item {
  w.claim("degree");
  const subject = w.pick(SUBJECTS);
  const s = w.session();
  const user = w.pick([
    `When I was at uni doing ${subject}, I basically lived in the library for three years.`,
    `Funny, my ${subject} degree has turned out to be useful for absolutely nothing in my job.`,
    `Bumped into my old ${subject} lecturer at the station, she remembered my dissertation!`,
  ]);
  return {
    category: "single-fact",
    kind: "degree",
    episodes: [{ session: s, lines: say(user, w.pick(["University habits have a way of sticking with you.", "Ha, the skills often transfer in ways that aren't obvious on paper."])) }],
    question: w.pick(["What did I study in college?", "What was my major?", "What's my academic background?", "What did I study at uni?", "What is my degree in?"]),
    answer: subject,
    literal: true,
  };
}

function team(w: World): Item {
  w.claim("team");
  const t = w.pick(TEAMS);
  const s = w.session();
  const { phrase } = w.recently(s);
  const user = w.pick([
    `${cap(t)} lost again ${phrase}. Why do I put myself through this every season?`,
    `I've had a season ticket for ${t} since I was twelve, through thick and thin, mostly thin.`,
    `Watching ${t} play away with my dad is still the highlight of my month.`,
  ]);
  return {
    category: "single-fact",
    kind: "team",
    episodes: [{ session: s, lines: say(user, w.pick(["That's proper loyalty. The bad seasons make the good ones taste better.", "Supporting a side is a lifelong thing, there's no getting out of it now."])) }],
    question: w.pick(["Which club do I support?", "What side am I a fan of?", "Who do I cheer for?", "Which team do I have a season ticket for?", "Which team do I watch with my dad?"]),
    answer: t,
    literal: true,
  };
}

function volunteer(w: World): Item {
  w.claim("volunteer");
  const c = w.pick(CHARITIES);
  const s = w.session();
  return {
    category: "single-fact",
    kind: "volunteer",
    episodes: [{ session: s, lines: say(c.line, w.pick(["That's a lovely thing to give your time to. Just make sure you rest too.", "Good for you. Regular volunteers are what keep places like that going."])) }],
    question: w.pick(["Where do I give my time for free?", "What unpaid work do I do?", "Which charity do I help out at?", "Where do I do my unpaid shifts?"]),
    answer: c.place,
  };
}

function gift(w: World): Item {
  w.claim("rel:mum-gift");
  const g = w.pick(GIFTS);
  const s = w.session();
  const user = w.pick([
    `Mum gave me ${g} for my birthday and I've used it every day since.`,
    `Opened ${g} from my mum this morning! She must have been listening when I hinted in March.`,
  ]);
  return {
    category: "single-fact",
    kind: "mum-gift",
    episodes: [{ session: s, lines: say(user, w.pick(["What a thoughtful present, it sounds like she knows you well.", "That's a lovely surprise. Enjoy it!"])) }],
    question: w.pick(["What present did my mother get me?", "What was my mother's birthday gift to me?", "What did my parent give me for my special day?", "What did Mum give me for my birthday?"]),
    answer: g,
    literal: true,
  };
}

function dream(w: World): Item {
  w.claim("dream");
  const d = w.pick(DREAMS);
  const s = w.session();
  return {
    category: "single-fact",
    kind: "childhood-dream",
    episodes: [{ session: s, lines: say(d.line, w.pick(["That's adorable. Childhood ambitions say a lot about what lights us up.", "Ha! It's never too late to borrow a bit of that energy."])) }],
    question: w.pick(["What did I want to be as a kid?", "What career did I dream of when I was young?", "What was my ambition growing up?", "What was I going to be when I grew up?"]),
    answer: d.job,
  };
}

function bestFriend(w: World): Item {
  w.claim("rel:best-friend");
  const name = w.name();
  const s = w.session();
  const user = w.pick([
    `${name} has been my best mate since we were six — same street, same school, same terrible haircut.`,
    `Thirty years of ${name} putting up with me. We met on the first day of primary school and never stopped talking.`,
  ]);
  return {
    category: "single-fact",
    kind: "best-friend",
    episodes: [{ session: s, lines: say(user, w.pick(["Friendships that old are rare and precious.", "That's wonderful. Someone who has known you that long is a real anchor."])) }],
    question: w.pick(["Who is my oldest friend?", "Who's the pal I've known since childhood?", "Who have I been close to since I was little?", "Who's my oldest mate?"]),
    answer: name,
    literal: true,
  };
}

function floor(w: World): Item {
  w.claim("floor");
  const n = w.pick([["fourth", 4], ["seventh", 7], ["ninth", 9], ["eleventh", 11], ["fourteenth", 14], ["twentieth", 20]] as const);
  const s = w.session();
  const user = w.pick([
    `The lift in our building broke again, so that's ${n[1] * 18} stairs up to the ${n[0]} floor with the shopping.`,
    `The view from the ${n[0]} floor is the one thing that makes this flat worth the rent.`,
  ]);
  return {
    category: "single-fact",
    kind: "floor",
    episodes: [{ session: s, lines: say(user, w.pick(["That's a proper workout! A folding trolley might help on lift-less days.", "A good view is worth a lot, it changes how a home feels."])) }],
    question: w.pick(["Which storey is my apartment on?", "How high up do I live?", "What level of the block is my home?", "Which floor is my flat on?"]),
    answer: `the ${n[0]} floor`,
    literal: true,
  };
}

export const SINGLE_FACT: Generator[] = [
  petName, siblingJob, allergy, instrument, language, author, hometown, partnerName, injury, drink, fear, degree, team, volunteer, gift, dream, bestFriend, floor,
];
