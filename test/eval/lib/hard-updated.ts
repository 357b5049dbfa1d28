import { an, type Episode, type Generator, type Item, old, say, World } from "./hard-world.js";

/**
 * Updated facts: a value is stated, then changed once or twice in later
 * sessions; only the latest statement is evidence. The earlier statements
 * stay in the conversation as the most natural distractors, and they often
 * share more words with the question than the change does.
 */
interface Updatable<T> {
  topic: string;
  values: readonly T[];
  label: (value: T) => string;
  /** The first statement of the value. */
  state: (w: World, value: T) => string;
  /** A later statement that changes `from` to `to`. */
  change: (w: World, from: T, to: T) => string;
  assistant: string[];
  questions: string[];
  /** Whether the answer's label appears verbatim in the latest statement. */
  literal?: boolean;
}

function updated<T>(spec: Updatable<T>): Generator {
  return (w: World): Item => {
    w.claim(spec.topic);
    const steps = w.random.next() < 0.35 ? 3 : 2;
    const values = w.random.sample(spec.values, steps);
    const sessions = w.sessions(steps, 3, 0, w.sessionCount - 2, true);
    const episodes: Episode[] = values.map((value, i) => {
      const assistant = w.pick(spec.assistant);
      if (i === 0) return { session: sessions[0]!, lines: old(spec.state(w, value), assistant) };
      const text = spec.change(w, values[i - 1]!, value);
      return { session: sessions[i]!, lines: i === steps - 1 ? say(text, assistant) : old(text, assistant) };
    });
    return {
      category: "updated-fact",
      kind: spec.topic,
      episodes,
      question: w.pick(spec.questions),
      answer: spec.label(values[steps - 1]!),
      ...(spec.literal ? { literal: true } : {}),
    };
  };
}

const CITIES = ["Leeds", "Glasgow", "Bristol", "Cardiff", "Brighton", "Norwich", "York", "Belfast", "Aberdeen", "Bath", "Exeter", "Nottingham"];
const JOBS: [string, string][] = [
  ["barista", "Grindhouse Coffee"],
  ["junior accountant", "Pemberton & Hale"],
  ["UX researcher", "Lumen Health"],
  ["warehouse supervisor", "Northgate Freight"],
  ["sous chef", "The Anchor"],
  ["copywriter", "Bright Fox Agency"],
  ["lab technician", "Helix Biotech"],
  ["estate agent", "Harper Lettings"],
  ["IT support analyst", "the county council"],
];
const CARS = ["Ford Fiesta", "Toyota Prius", "Nissan Leaf", "Volvo estate", "Mini Cooper", "Skoda Octavia", "Kia Sportage", "Renault Zoe", "Vauxhall Corsa"];
const PHONES = ["Pixel 7", "iPhone 12", "Galaxy S21", "Fairphone 4", "iPhone SE", "Motorola Edge", "Nothing Phone"];
const WORKOUTS: { name: string; state: string; to: string }[] = [
  { name: "bouldering", state: "Signed up at a bouldering gym, my forearms have never hurt this much.", to: "these days it's all bouldering, three evenings a week on the wall" },
  { name: "swimming", state: "I've started doing lengths at the leisure centre before work, forty of them.", to: "I've moved over to swimming lengths at the leisure centre before work" },
  { name: "spin classes", state: "The 7am spin class is my new religion, the instructor shouts a lot.", to: "I'm doing spin classes now, the instructor shouts a lot but it works" },
  { name: "running", state: "I've been running three mornings a week along the river.", to: "I've taken up running instead, three mornings a week by the river" },
  { name: "rowing", state: "Joined the rowing club, the 6am outings are brutal but beautiful.", to: "I switched to the rowing club, those early outings on the water are brutal but beautiful" },
  { name: "yoga", state: "Yoga twice a week has sorted my back out more than any physio.", to: "I swapped to yoga twice a week and my back is thanking me" },
  { name: "boxing", state: "Started boxing classes, it turns out hitting things is very therapeutic.", to: "I do boxing classes now, hitting pads is very therapeutic" },
];
const DIETS: { name: string; state: string; to: string }[] = [
  { name: "vegetarian", state: "No meat for me from now on, I've gone veggie.", to: "I've cut out meat completely, veggie from now on" },
  { name: "vegan", state: "Fully plant-based since January, not even cheese.", to: "no animal products at all now, not even cheese or eggs" },
  { name: "pescatarian", state: "I only eat fish these days, no other meat.", to: "fish is back on the menu, but still no other meat" },
  { name: "eating everything again", state: "I eat pretty much anything, I'm not fussy.", to: "I've given up the restrictions, I eat a bit of everything again" },
];
const SHOWS = ["Harbour Lights", "The Glasshouse", "Night Ferry", "Saltmarsh", "Copper Creek", "The Understudy", "Fathom", "Low Tide", "Kingfisher Lane"];
const MANAGERS = ["Gillian", "Marek", "Desmond", "Anjali", "Barnaby", "Consuelo", "Fergus", "Ottilie", "Rashid"];
const HAIR = ["brown", "platinum blonde", "copper red", "jet black", "pastel pink", "silver grey"];
const WAKE = ["5:45", "6:30", "7:15", "7:45", "8:30"];

const CITY = updated({
  topic: "home",
  values: CITIES,
  label: (c) => c,
  state: (w, c) => w.pick([`I've lived in ${c} for six years and I still get lost in the old town.`, `${c} has been home since uni, I know every café by name.`]),
  change: (w, from, to) =>
    w.pick([`Big news: we've moved! Left ${from} behind and we're in ${to} now, surrounded by boxes.`, `Writing to you from our new place in ${to}! The van from ${from} was only two hours late.`]),
  assistant: ["Exciting! Unpacking the kitchen and the bed first makes everything else feel manageable.", "That's a big change, it takes a few months before a new place feels like home."],
  questions: ["Where am I based these days?", "What city do I call home at the moment?", "Where's my current address, roughly?", "Which city do I live in now?", "Where did we move to?"],
  literal: true,
});

const JOB = updated({
  topic: "job",
  values: JOBS,
  label: ([job, org]) => `${job} at ${org}`,
  state: (w, [job, org]) => w.pick([`For context, I'm ${an(job)} at ${org}, so weekdays are packed.`, `Long day at ${org} again. Being ${an(job)} is not what the advert promised.`]),
  change: (w, [, fromOrg], [job, org]) =>
    w.pick([`Handed in my notice at ${fromOrg}! Starting as ${an(job)} at ${org} in two weeks.`, `First week done as ${an(job)} at ${org}. Very different from ${fromOrg}.`]),
  assistant: ["That's a big step, congratulations. The first month is mostly about learning how the team works.", "Good luck with it! Settling into a new workplace takes time."],
  questions: ["What do I do for a living now?", "Who's my current employer?", "Where am I working these days?", "Which company did I start at most recently?"],
});

const CAR = updated({
  topic: "car",
  values: CARS,
  label: (c) => c,
  state: (w, c) => w.pick([`My old ${c} is rattling again, but it's never once let me down.`, `Took the ${c} through the car wash for the first time in a year, it's actually silver!`]),
  change: (w, from, to) => w.pick([`Said goodbye to the ${from} — we picked up ${an(to)} on Saturday.`, `Traded the ${from} in this weekend. I'm behind the wheel of ${an(to)} now and it smells brand new.`]),
  assistant: ["Enjoy it! Keep the first service date in your calendar.", "Nice! It takes a week or two to get used to a different car."],
  questions: ["What vehicle do I own at the moment?", "What am I getting around in these days?", "What's my current motor?", "What car do I drive now?"],
  literal: true,
});

const PHONE = updated({
  topic: "phone",
  values: PHONES,
  label: (p) => p,
  state: (w, p) => w.pick([`Cracked the screen on my ${p} again. Third time.`, `My ${p} battery dies by lunchtime now.`]),
  change: (w, from, to) => w.pick([`Finally retired the ${from}: my new phone is ${an(to)} and it's so fast.`, `Upgraded to ${an(to)}! The ${from} is going in the drawer of shame.`]),
  assistant: ["A good case and a screen protector will pay for themselves.", "Enjoy the upgrade, transferring everything is always easier than expected."],
  questions: ["What handset am I using now?", "Which mobile do I carry around currently?", "What phone do I have now?"],
  literal: true,
});

const WORKOUT = updated({
  topic: "exercise",
  values: WORKOUTS,
  label: (x) => x.name,
  state: (_w, x) => x.state,
  change: (w, _from, to) => w.pick([`Change of plan on the fitness front: ${to.to}.`, `Update on keeping fit, ${to.to}.`]),
  assistant: ["Whatever keeps you moving is the right one.", "Variety keeps it interesting, good for you."],
  questions: ["What's my main way of staying in shape these days?", "How do I work out at the moment?", "What physical activity am I into now?", "How do I keep fit now?"],
});

const DIET = updated({
  topic: "diet",
  values: DIETS,
  label: (x) => x.name,
  state: (_w, x) => x.state,
  change: (w, _from, to) => w.pick([`Food update: ${to.to}.`, `Heads up for recipe ideas, ${to.to}.`]),
  assistant: ["Noted, I'll keep that in mind for any recipe suggestions.", "Got it, I'll tailor food ideas to that."],
  questions: ["What are my eating habits like at the moment?", "What's my current diet?", "What kind of meals should you suggest for me now?", "What food do I eat these days?"],
});

const SHOW = updated({
  topic: "show",
  values: SHOWS,
  label: (s) => s,
  state: (w, s) => w.pick([`Completely hooked on ${s}, watched four episodes in a row last night.`, `${s} is the best thing on telly, I'm rationing it to one episode a night.`]),
  change: (w, from, to) => w.pick([`Gave up on ${from}, it went downhill. I'm deep into ${to} now.`, `${to} has replaced ${from} in my evenings, I can't stop.`]),
  assistant: ["It's great when you find something that grabs you like that.", "Ha, a good series is the best way to end a day."],
  questions: ["What series am I currently bingeing?", "What programme am I glued to lately?", "What am I watching every evening now?"],
  literal: true,
});

const BOSS = updated({
  topic: "rel:boss",
  values: MANAGERS,
  label: (m) => m,
  state: (w, m) => w.pick([`My manager ${m} is lovely but never replies to emails.`, `${m}, who runs our team, signed off my leave without a single question. Best boss ever.`]),
  change: (w, from, to) => w.pick([`${from} has left, and ${to} is running our team now.`, `Reorganisation at work: I'm reporting to ${to} from Monday instead of ${from}.`]),
  assistant: ["A change of manager is a good moment to agree on how you like to work together.", "Changes at the top take some adjusting to."],
  questions: ["Who is my line manager now?", "Who's in charge of my team at present?", "Who's the boss I answer to these days?", "Who's running my team now?"],
  literal: true,
});

const HAIR_COLOUR = updated({
  topic: "hair",
  values: HAIR,
  label: (h) => h,
  state: (w, h) => w.pick([`Went back to ${h} this week, it feels like me again.`, `Had my roots done, ${h} as ever.`]),
  change: (w, _from, to) => w.pick([`I did it: I'm ${to} now! Very bold.`, `New me: dyed it ${to} on a whim.`]),
  assistant: ["Love it, a change of look can be such a lift.", "Bold choices are the fun ones!"],
  questions: ["What shade is my hair right now?", "What colour have I got on my head at the moment?", "What colour did I dye my hair most recently?"],
  literal: true,
});

const WAKE_UP = updated({
  topic: "wake",
  values: WAKE,
  label: (t) => t,
  state: (w, t) => w.pick([`I'm up at ${t} every day now, before the rest of the house.`, `Alarm goes off at ${t}, even on weekends.`]),
  change: (w, _from, to) => w.pick([`New routine: the alarm is set for ${to} now and I'm a nicer person.`, `Moved my mornings around, I'm getting up at ${to} these days.`]),
  assistant: ["Consistency matters more than the exact hour.", "Whatever time works with your body is the right one."],
  questions: ["What time do I get out of bed lately?", "When does my day start at the moment?", "What time is my alarm set for now?"],
  literal: true,
});

const RENT = updated({
  topic: "rent",
  values: ["£950", "£1,150", "£1,290", "£1,375", "£1,460", "£1,600"],
  label: (r) => r,
  state: (w, r) => w.pick([`Our rent is ${r} a month, which is daylight robbery for two bedrooms.`, `${r} a month for this place, and the boiler still makes that noise.`]),
  change: (w, _from, to) => w.pick([`Letter from the landlord: we're paying ${to} a month from next quarter.`, `New lease signed, ${to} monthly now.`]),
  assistant: ["Housing costs are brutal everywhere at the moment.", "It's worth checking what similar places nearby are going for."],
  questions: ["How much do I pay for housing each month now?", "What's my current monthly outlay on the flat?", "How much rent do I pay a month now?"],
  literal: true,
});

const ORDERED: Generator = (w) => {
  // A personal best only ever improves, so its values are taken in order.
  w.claim("pb");
  const times = ["29:10", "28:02", "27:40", "26:55", "25:52", "24:48"];
  const start = w.random.int(0, 2);
  const steps = w.random.next() < 0.35 ? 3 : 2;
  const picked = times.slice(start, start + steps);
  const sessions = w.sessions(steps, 3, 0, w.sessionCount - 2, true);
  const episodes: Episode[] = picked.map((t, i) => {
    const text =
      i === 0
        ? w.pick([`Ran ${t} at parkrun this morning, not bad for someone who hated PE.`, `My 5k time is ${t} now, I'm weirdly proud of it.`])
        : w.pick([`New personal best on Saturday: ${t} for the 5k!`, `Knocked a chunk off my parkrun, ${t} this week.`]);
    const assistant = "Great progress! Consistency is what's getting you those times.";
    return { session: sessions[i]!, lines: i === steps - 1 ? say(text, assistant) : old(text, assistant) };
  });
  return {
    category: "updated-fact",
    kind: "pb",
    episodes,
    question: w.pick(["What's my fastest time over five kilometres now?", "What is my current personal record for that weekly run?", "What's my parkrun best now?"]),
    answer: picked[steps - 1]!,
    literal: true,
  };
};

export const UPDATED: Generator[] = [CITY, JOB, CAR, PHONE, WORKOUT, DIET, SHOW, BOSS, HAIR_COLOUR, WAKE_UP, RENT, ORDERED];
