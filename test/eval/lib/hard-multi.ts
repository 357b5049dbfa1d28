import { an, cap, Conflict, type Gender, type Generator, type Item, type Line, say, World } from "./hard-world.js";
import { PET_NAMES, PETS } from "./hard-single-data.js";

/**
 * Multi-hop questions: the answer joins two turns in different sessions, as
 * a person is introduced by relation in one ("my brother Leo") and a fact
 * about them is told by name only in a later one ("Leo got the job at the
 * aquarium"); or an object, a count or an age is built from two statements.
 * The question names neither the person nor the object.
 */
interface Relation {
  key: string;
  gender?: Gender;
  /** How the user introduces the person ("my brother"). */
  intro: string;
  /** How a question refers to them, without the intro's words. */
  asked: string[];
  /** Facts that suit the relation. */
  facts: FactKind[];
}

type FactKind = "job" | "move" | "baby" | "engaged" | "race" | "hobby" | "vehicle" | "surgery" | "school" | "prize";

const RELATIONS: Relation[] = [
  { key: "brother", gender: "m", intro: "my brother", asked: ["my male sibling", "my brother"], facts: ["job", "move", "baby", "engaged", "race", "hobby", "vehicle"] },
  { key: "sister", gender: "f", intro: "my sister", asked: ["my female sibling", "my sister"], facts: ["job", "move", "baby", "engaged", "race", "hobby", "vehicle"] },
  { key: "mum", gender: "f", intro: "my mum", asked: ["my mother", "the woman who raised me", "my mum"], facts: ["move", "hobby", "surgery", "vehicle", "race", "prize"] },
  { key: "dad", gender: "m", intro: "my dad", asked: ["my father", "the man who raised me", "my dad"], facts: ["move", "hobby", "surgery", "vehicle", "race", "prize"] },
  { key: "cousin", intro: "my cousin", asked: ["my aunt's child", "the relative on my aunt's side", "my cousin"], facts: ["job", "move", "baby", "engaged", "race", "hobby"] },
  { key: "best-friend", intro: "my best friend", asked: ["my closest pal", "my oldest mate", "my best friend"], facts: ["job", "move", "baby", "engaged", "race", "hobby", "vehicle"] },
  { key: "boss", intro: "my manager", asked: ["the person I report to", "my superior at work", "my manager"], facts: ["move", "baby", "race", "hobby", "vehicle", "prize"] },
  { key: "flatmate", intro: "my flatmate", asked: ["the person I share a home with", "my housemate", "my flatmate"], facts: ["job", "engaged", "race", "hobby", "vehicle"] },
  { key: "neighbour", intro: "our next-door neighbour", asked: ["the person living beside us", "the household over the fence"], facts: ["baby", "hobby", "vehicle", "surgery", "prize"] },
  { key: "gran", gender: "f", intro: "my gran", asked: ["my grandmother", "my nan", "my gran"], facts: ["move", "hobby", "surgery", "prize"] },
  { key: "daughter", gender: "f", intro: "my daughter", asked: ["my little girl", "my youngest", "my daughter"], facts: ["school", "prize", "hobby", "race"] },
  { key: "son", gender: "m", intro: "my son", asked: ["my boy", "my lad", "my son"], facts: ["school", "prize", "hobby", "race"] },
];

const JOBS: [string, string][] = [
  ["a zookeeper", "the aquarium"],
  ["a sound engineer", "a recording studio in town"],
  ["a data scientist", "an insurance firm"],
  ["a pastry chef", "a hotel by the harbour"],
  ["a park ranger", "the national park"],
  ["a translator", "the European Commission"],
  ["a locksmith", "a family firm on the high street"],
  ["a pilot", "a regional airline"],
  ["an orthodontist", "a practice near the station"],
  ["a museum curator", "the natural history museum"],
];
const CITIES = ["Lisbon", "Montreal", "Melbourne", "Vancouver", "Copenhagen", "Cape Town", "Singapore", "Edinburgh", "Valencia", "Auckland", "Bristol", "Seoul", "Kraków", "Dublin", "Osaka", "Reykjavik"];
const BABY_NAMES = ["Arlo", "Wren", "Isla", "Otis", "Mabel", "Ezra", "Juno", "Rufus", "Ivy", "Alby", "Nell", "Ted"];
const PROPOSALS = ["on a ferris wheel", "at the top of Arthur's Seat", "in a tiny ramen bar", "on a frozen lake", "halfway up a via ferrata", "at a karaoke night", "on a night bus"];
const RACES = ["the Berlin marathon", "a 100-mile ultra in the Alps", "an Ironman in Wales", "the Great North Run", "a channel relay swim", "a 24-hour bike race"];
const HOBBIES = ["beekeeping", "blacksmithing", "competitive ballroom dancing", "bonsai", "falconry", "stand-up comedy", "wild swimming", "taxidermy", "roller derby", "kite surfing"];
const VEHICLES = ["a camper van", "a vintage Vespa", "a canal boat", "an electric cargo bike", "a classic Land Rover", "a motorbike with a sidecar"];
const SURGERIES = ["a new hip", "cataract surgery", "a knee replacement", "a heart stent", "gallbladder surgery", "a shoulder operation"];
const SCHOOL_ROLES = ["the Grinch in the school play", "captain of the chess team", "a place in the county choir", "the lead in the spring musical", "class representative"];
const PRIZES = ["first prize for marrows at the village show", "a regional award for watercolours", "the pub quiz league trophy", "a medal at the county swimming gala", "best in show for a sourdough loaf", "the allotment society's cup for dahlias"];

function pronouns(g: Gender): { they: string; them: string; their: string } {
  return g === "f" ? { they: "she", them: "her", their: "her" } : { they: "he", them: "him", their: "his" };
}

function factFor(w: World, kind: FactKind, name: string, g: Gender): { user: string; assistant: string; question: (who: string) => string; answer: string } {
  const p = pronouns(g);
  switch (kind) {
    case "job": {
      const [job, org] = w.pick(JOBS);
      return {
        user: w.pick([
          `${name} just got hired as ${job} at ${org}! Four rounds of interviews, but ${p.they} did it.`,
          `Big news from ${name}: ${p.they} starts as ${job} at ${org} next month.`,
        ]),
        assistant: "That's brilliant news, please pass on my congratulations. Four rounds is a marathon.",
        question: (who) => w.pick([`What role did ${who} land?`, `What does ${who} do for work now?`, `What job was ${who} hired for?`]),
        answer: `${job} at ${org}`,
      };
    }
    case "move": {
      const city = w.unique("city", CITIES);
      return {
        user: w.pick([
          `${name} has moved to ${city}! The photos from the new balcony are ridiculous.`,
          `${name} finally did it, packed up everything and relocated to ${city}. I'm already planning a visit.`,
        ]),
        assistant: "What an adventure. A move like that takes real courage, and it gives you a great excuse to travel.",
        question: (who) => w.pick([`Where does ${who} live these days?`, `Which city is ${who} based in now?`, `Where did ${who} move to?`]),
        answer: city,
      };
    }
    case "baby": {
      const baby = w.unique("baby", BABY_NAMES);
      return {
        user: w.pick([
          `${name} had the baby! A little one called ${baby}, seven pounds something, everyone's fine.`,
          `Went to meet ${name}'s newborn today. ${baby} is tiny and furious and perfect.`,
        ]),
        assistant: "Oh, congratulations to the whole family! The first weeks are a blur, a home-cooked meal dropped round is always welcome.",
        question: (who) => w.pick([`What did ${who} name the new arrival?`, `What is the little one ${who} welcomed called?`, `What is the name of the baby ${who} had?`]),
        answer: baby,
      };
    }
    case "engaged": {
      const where = w.pick(PROPOSALS);
      return {
        user: w.pick([`${name} got engaged ${where}, of all places!`, `So ${name}'s partner popped the question ${where}. I screamed when I saw the photo.`]),
        assistant: "How romantic, and how memorable! That will be a great story at the wedding.",
        question: (who) => w.pick([`Where was ${who} when the proposal happened?`, `Where did ${who} say yes to marriage?`, `Where did ${who} get engaged?`]),
        answer: where,
      };
    }
    case "race": {
      const race = w.pick(RACES);
      return {
        user: w.pick([`${name} finished ${race}! I was at the finish line with a sign and a lot of jelly babies.`, `Can't believe ${name} completed ${race}. I get tired watching the tracker.`]),
        assistant: "That's an incredible achievement. The training alone takes months of discipline.",
        question: (who) => w.pick([`What endurance event did ${who} complete?`, `Which big sporting challenge did ${who} get through?`, `Which race did ${who} finish?`]),
        answer: race,
      };
    }
    case "hobby": {
      const hobby = w.pick(HOBBIES);
      return {
        user: w.pick([`${name} has taken up ${hobby}, of all things. ${p.they === "she" ? "She" : "He"} talks about nothing else.`, `Guess who's gone all in on ${hobby}? ${name}. There's equipment all over the hallway.`]),
        assistant: "Ha, a new obsession is a wonderful thing. It's nice when people surprise you like that.",
        question: (who) => w.pick([`What unusual pastime has ${who} started?`, `What is ${who} obsessed with lately?`, `What hobby has ${who} taken up?`]),
        answer: hobby,
      };
    }
    case "vehicle": {
      const v = w.pick(VEHICLES);
      return {
        user: w.pick([`${name} bought ${v} and is talking about driving it to Morocco.`, `${name} turned up at ours in ${v}, apparently a midlife crisis purchase.`, `${name} is driving around in ${v} now, don't ask.`]),
        assistant: "That sounds like the start of a great adventure, or at least a great story.",
        question: (who) => w.pick([`What new set of wheels did ${who} get?`, `What did ${who} buy to travel around in?`, `What is ${who} driving around in now?`]),
        answer: v,
      };
    }
    case "surgery": {
      const op = w.pick(SURGERIES);
      return {
        user: w.pick([`${name} is home from hospital after ${op}, and already complaining about the food.`, `${name} had ${op} on Tuesday. The surgeon says it went textbook.`]),
        assistant: "Glad it went well. Recovery is mostly patience, and a bit of help around the house goes a long way.",
        question: (who) => w.pick([`What operation did ${who} have?`, `What medical procedure was ${who} recovering from?`, `What was ${who} in hospital for?`]),
        answer: op,
      };
    }
    case "school": {
      const role = w.pick(SCHOOL_ROLES);
      return {
        user: w.pick([`${name} got ${role}! ${p.they === "she" ? "She" : "He"} hasn't stopped grinning.`, `Proud parent moment: ${name} has been picked for ${role}.`]),
        assistant: "That's fantastic, what a confidence boost. Well done to them.",
        question: (who) => w.pick([`What did ${who} get picked for at school?`, `What achievement did ${who} come home with?`, `What was ${who} picked for?`]),
        answer: role,
      };
    }
    case "prize": {
      const prize = w.pick(PRIZES);
      return {
        user: w.pick([`${name} won ${prize}! The trophy is bigger than the cat.`, `Guess who took ${prize}? ${name}, and ${p.they} will never let us forget it.`]),
        assistant: "Ha, brilliant! A well-earned bit of glory.",
        question: (who) => w.pick([`What did ${who} win?`, `What award did ${who} bring home?`, `What did ${who} take the trophy for?`]),
        answer: prize,
      };
    }
  }
}

function introLine(w: World, rel: Relation, name: string, g: Gender): string {
  const p = pronouns(g);
  return w.pick([
    `${cap(rel.intro)} ${name} is coming to stay for a few days, first time in ages.`,
    `Had a long call with ${name} — ${rel.intro} — last night, we talked for two hours.`,
    `${name}, ${rel.intro}, has somehow talked me into doing a charity bike ride.`,
    `${cap(rel.intro)} ${name} sent me a photo of a cake ${p.they} made and it looks professional.`,
    `Lunch with ${rel.intro} ${name} today, ${p.they} always makes me laugh until I cry.`,
  ]);
}

function relationChain(w: World): Item {
  const free = RELATIONS.filter((r) => !w.isClaimed(`rel:${r.key}`));
  if (free.length === 0) throw new Conflict("no free relation");
  const rel = w.pick(free);
  w.claim(`rel:${rel.key}`);
  const g: Gender = rel.gender ?? (w.random.next() < 0.5 ? "f" : "m");
  const name = w.name(g);
  const [a, b] = w.sessions(2, 2);
  const fact = factFor(w, w.pick(rel.facts), name, g);
  return {
    category: "multi-hop",
    kind: "relation-chain",
    episodes: [
      { session: a!, lines: say(introLine(w, rel, name, g), w.pick(["That sounds lovely, it's good to have people like that around.", "Ha, that's very on brand from what you've told me. Enjoy!"])) },
      { session: b!, lines: say(fact.user, fact.assistant) },
    ],
    question: fact.question(w.pick(rel.asked)),
    answer: fact.answer,
  };
}

function parentAges(w: World): Item {
  w.claim("rel:mum", "rel:dad");
  const dadAge = w.random.int(58, 74);
  const gap = w.random.int(2, 9);
  const [a, b] = w.sessions(2, 2);
  const first: Line[] = say(
    w.pick([`Dad's turning ${dadAge} next month and Mum wants a surprise party, which he will hate.`, `Can you believe Dad will be ${dadAge} in a few weeks? He still thinks he's forty.`]),
    "A milestone birthday is a good excuse to get everyone together, even for someone who hates a fuss.",
  );
  const second: Line[] = say(
    w.pick([`Fun fact: Mum is ${gap} years younger than Dad, and she reminds him of it daily.`, `Mum keeps joking that she married an older man — he's got ${gap} years on her.`]),
    "Ha, that's a classic bit of family teasing.",
  );
  return {
    category: "multi-hop",
    kind: "parent-ages",
    episodes: [
      { session: a!, lines: first },
      { session: b!, lines: second },
    ],
    question: w.pick(["Going by what I've told you, how old is my mother about to be?", "Based on what I said, what age will my mother be once my father has his next birthday?", "How old is my mother going to be, given Dad's age?"]),
    answer: String(dadAge - gap),
  };
}

function carChain(w: World): Item {
  w.claim("car");
  const model = w.pick(["Civic", "Corolla", "Golf", "Fiesta", "Octavia", "Outback", "Micra", "Clio", "Polo", "Yaris"]);
  const problem = w.pick(["the brake discs are worn through", "the timing belt needs replacing", "there's rust in the sills", "the clutch is slipping", "the exhaust has a hole in it", "the suspension springs are broken"]);
  const [a, b] = w.sessions(2, 2);
  return {
    category: "multi-hop",
    kind: "car-chain",
    episodes: [
      { session: a!, lines: say(w.pick([`Picked up a used ${model} from a guy two streets over, eighty thousand on the clock but it purrs.`, `We finally have a car again: a secondhand ${model}, silver, one careful owner supposedly.`]), "Congratulations! Get the service history checked and keep an eye on the tyres, they're the usual corner cut.") },
      { session: b!, lines: say(w.pick([`The ${model} failed its MOT this morning — ${problem}.`, `Garage rang about the ${model}: ${problem}. So much for one careful owner.`]), "That's frustrating. Getting a second quote is worth it, prices for the same job can vary a lot.") },
    ],
    question: w.pick(["What did the inspection find wrong with the vehicle I bought?", "What's the problem with the motor I got last?", "What did the garage say about the car I bought?"]),
    answer: problem,
  };
}

function petCount(w: World): Item {
  w.claim("pet");
  const [p1, p2] = w.random.sample(PETS, 2) as [(typeof PETS)[number], (typeof PETS)[number]];
  const n1 = w.unique("pet-name", PET_NAMES);
  const n2 = w.unique("pet-name", PET_NAMES);
  const [a, b] = w.sessions(2, 3);
  return {
    category: "multi-hop",
    kind: "pet-count",
    episodes: [
      { session: a!, lines: say(w.pick([`We adopted ${an(p1.breed)} called ${n1} from the rescue centre, and the house is already covered in fur.`, `Meet ${n1}, our new ${p1.breed}, fresh from the shelter and already in charge.`]), "Congratulations! Routine and patience are everything in the first weeks.") },
      { session: b!, lines: say(w.pick([`${n1} has company now: we brought home ${an(p2.breed)}, ${n2}. Chaos.`, `Say hello to ${n2}, ${an(p2.breed)}. ${n1} is not impressed yet.`, `We adopted again! ${n2} is ${an(p2.breed)} and ${n1} is sulking about it.`]), "A second one! Slow introductions, separate food bowls and a bit of space usually smooth things over.") },
    ],
    question: w.pick(["How many animals live with us, and what are they called?", "Which creatures share our home, by name?", "What are the names of the pets we adopted?", "Which animals have we brought home from the shelter?"]),
    answer: `two: ${n1} (${p1.breed}) and ${n2} (${p2.breed})`,
  };
}

function friendVisit(w: World): Item {
  w.claim("friend-visit");
  const g: Gender = w.random.next() < 0.5 ? "f" : "m";
  const name = w.name(g);
  const city = w.unique("city", CITIES);
  const [a, b] = w.sessions(2, 2);
  const when = w.pick(["over the bank holiday", "for the long Easter weekend", "for my birthday weekend"]);
  return {
    category: "multi-hop",
    kind: "friend-visit",
    episodes: [
      { session: a!, lines: say(w.pick([`${name}, who I used to run with at university, moved to ${city} last year for work.`, `${name} from my old running club lives in ${city} now, ${pronouns(g).they} keeps sending me photos of the food.`]), "It's lovely to have friends scattered around, it makes travelling feel warmer.") },
      { session: b!, lines: say(`I've booked to go and see ${name} ${when}! Can't wait.`, "That's something to look forward to. Let me know if you want help planning the days.") },
    ],
    question: w.pick(["Which city am I travelling to for that holiday visit?", "Where am I heading on my upcoming trip to see an old friend?", `Which city will I be in when I go to see ${name}?`]),
    answer: city,
  };
}

function partnerGift(w: World): Item {
  w.claim("partner");
  const g: Gender = w.random.next() < 0.5 ? "f" : "m";
  const name = w.name(g);
  const present = w.pick(["a weekend in a treehouse", "a hot-air balloon ride", "a hand-drawn map of all the places we've lived", "pottery lessons for two", "a vintage typewriter", "tickets to the opera"]);
  const [a, b] = w.sessions(2, 2);
  return {
    category: "multi-hop",
    kind: "partner-gift",
    episodes: [
      { session: a!, lines: say(`${name} and I have been together three years now. ${g === "f" ? "She" : "He"} still laughs at my terrible puns, which I take as love.`, "Three years is lovely. Laughing at the puns is definitely love.") },
      { session: b!, lines: say(`${name} surprised me with ${present} ${w.pick(["last night", "on Sunday", "this weekend"])}. I'm still a bit speechless.`, "What a thoughtful surprise! Enjoy every minute.") },
    ],
    question: w.pick(["What did the person I'm dating treat me to?", "What present did I get from my other half?", `What was the surprise ${name} gave me?`]),
    answer: present,
  };
}

export const MULTI_HOP: Generator[] = [relationChain, relationChain, relationChain, relationChain, parentAges, carChain, petCount, friendVisit, partnerGift];
