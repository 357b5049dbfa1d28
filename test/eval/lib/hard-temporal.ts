import { cap, Conflict, daysBetween, fmtDate, type Generator, type Item, monthYear, say, weekday, World } from "./hard-world.js";

/**
 * Temporal questions: events are told relative to the session ("yesterday",
 * "on Saturday", "this morning"), so the answer needs the session's date;
 * questions refer to the events with other words ("my trip to Portugal" for
 * "got back from Lisbon", "my dental surgery" for "had two wisdom teeth out").
 */
interface Event {
  topic: string;
  /** The user's line, given the relative-time phrase. */
  user: (when: string) => string;
  assistant: string;
  /** Noun phrases a question uses for the event. */
  nouns: string[];
  /** Verb phrases for "when did I …?". */
  verbs: string[];
}

const TRIPS: { city: string; country: string; detail: string }[] = [
  { city: "Lisbon", country: "Portugal", detail: "my calves are destroyed from all the hills and I ate my body weight in custard tarts" },
  { city: "Kyoto", country: "Japan", detail: "I saw more temples in five days than in my whole life before" },
  { city: "Oaxaca", country: "Mexico", detail: "I'm already missing the mole and the mezcal" },
  { city: "Marrakech", country: "Morocco", detail: "I've come home with three rugs I have no room for" },
  { city: "Tbilisi", country: "Georgia", detail: "the wine and the dumplings have ruined all other food for me" },
  { city: "Hanoi", country: "Vietnam", detail: "I survived crossing the road on a scooter-filled street" },
  { city: "Cusco", country: "Peru", detail: "the altitude flattened me for two days but it was worth it" },
  { city: "Bergen", country: "Norway", detail: "it rained every single day and I didn't care" },
  { city: "Naples", country: "Italy", detail: "I ate pizza for breakfast twice and regret nothing" },
  { city: "Istanbul", country: "Turkey", detail: "the ferry across the Bosphorus at sunset was the highlight" },
  { city: "Quebec City", country: "Canada", detail: "my French held up for about three sentences a day" },
  { city: "Ljubljana", country: "Slovenia", detail: "it's the tidiest capital I've ever seen" },
];

function tripEvent(w: World): Event {
  const t = w.unique("trip", TRIPS, (x) => x.country);
  return {
    topic: `trip:${t.country}`,
    user: (when) =>
      w.pick([
        `Got home from ${t.city} ${when} — ${t.detail}.`,
        `Landed back from ${t.city} ${when}. ${cap(t.detail)}.`,
      ]),
    assistant: "Welcome home! Give yourself a slow day or two to land properly before diving back into everything.",
    nouns: [`my holiday in ${t.country}`, `my visit to ${t.country}`, `my ${t.city} trip`],
    verbs: [`return from ${t.country}`, `come back from my ${t.country} holiday`, `get home from ${t.city}`],
  };
}

function simple(topic: string, users: string[], assistant: string, nouns: string[], verbs: string[]): (w: World) => Event {
  return (w) => {
    const user = w.pick(users);
    return { topic, user: (when) => user.replace("{when}", when), assistant, nouns, verbs };
  };
}

const BANDS = ["Fleetwood Mac tribute act", "Arctic Monkeys", "Florence + the Machine", "Kraftwerk", "Burna Boy", "the Proclaimers", "Hozier", "Idles"];

const EVENTS: ((w: World) => Event)[] = [
  tripEvent,
  tripEvent,
  (w) => {
    const band = w.pick(BANDS);
    return {
      topic: "concert",
      user: (when) => w.pick([`Saw ${band} live ${when}, my ears are still ringing.`, `Went to see ${band} play ${when} — sweatiest, happiest night of the year.`]),
      assistant: "That sounds like a brilliant night. Nothing beats a great live set.",
      nouns: ["that gig", "the concert that left my ears buzzing", "that live show"],
      verbs: ["go to that gig", "catch a band performing", "see that band live"],
    };
  },
  simple(
    "half-marathon",
    ["Finished my first half marathon {when}! Two hours fourteen, and I cried at the finish line.", "Thirteen point one miles {when}, in the rain, and I didn't stop once. Half marathon done!"],
    "Congratulations, that's a huge achievement! Eat well, walk a bit today, and enjoy the glow.",
    ["my first long-distance race", "the 21 km run I did", "the half"],
    ["complete a 21 km race", "do that long-distance race", "run the half"],
  ),
  simple(
    "wisdom-teeth",
    ["Had two wisdom teeth out {when}, I look like a hamster storing food for winter.", "The dentist took out my wisdom teeth {when}. Soup diet for the foreseeable."],
    "Ouch! Cold compresses, soft food, and no straws for a few days will help it heal.",
    ["my dental surgery", "the oral operation", "the business with my teeth"],
    ["have the oral surgery", "go under for that dental procedure", "have those teeth pulled"],
  ),
  simple(
    "tattoo",
    ["Got my first tattoo {when} — a tiny swallow on my wrist. Mum doesn't know yet.", "I finally got inked {when}! A little compass on my ankle."],
    "Exciting! Keep it clean, moisturised and out of the sun while it heals.",
    ["the body art I got", "my first bit of permanent ink", "the tattoo"],
    ["get my body art done", "go to the parlour for my first design", "get the tattoo"],
  ),
  simple(
    "bumper",
    ["Someone rear-ended me at the lights {when}. Nobody's hurt, but the bumper is hanging off.", "Had a small prang in the supermarket car park {when}, the other driver reversed straight into me."],
    "Glad nobody was hurt. Take photos and swap details, and let your insurer know even if you don't claim.",
    ["my fender-bender", "that minor collision", "the other driver hitting me"],
    ["have the minor collision", "get into that little accident on the road", "get hit by the other driver"],
  ),
  simple(
    "driving-test",
    ["Passed my driving test {when}, third attempt lucky!", "I'm officially allowed on the road alone: passed the test {when}!"],
    "Congratulations! The first few months of solo driving are where you really learn, so take it easy.",
    ["getting my licence", "the day I qualified to drive", "the test I finally got through"],
    ["qualify for my licence", "become a qualified driver", "finally get through that test"],
  ),
  simple(
    "haircut",
    ["Chopped off twenty centimetres of hair {when}, I keep touching the back of my neck.", "Went full pixie cut {when}. Very brave or very stupid, not sure yet."],
    "A big change like that always feels strange for a week, then it feels like you.",
    ["my dramatic new look", "the big restyle at the salon", "my short-hair era"],
    ["go for the drastic restyle", "change my look so drastically", "lose all that hair"],
  ),
  simple(
    "wallet",
    ["Left my wallet on the bus {when} and had to cancel every card I own.", "Lost my purse somewhere between the gym and home {when}. Cards cancelled, dignity gone."],
    "What a hassle. Most banks can send replacement cards within a few days, and the police can log it in case it's handed in.",
    ["misplacing my cards and cash", "losing my money and bank cards", "the lost wallet drama"],
    ["misplace my cards and cash", "end up without my bank cards", "have to cancel all my cards"],
  ),
  simple(
    "blood",
    ["Gave blood for the first time {when}, got two biscuits and a sticker.", "Donated a pint at the blood bank {when}! Felt a bit woozy after but very virtuous."],
    "That's a generous thing to do. Drink plenty of water and go easy on exercise for the rest of the day.",
    ["my first donation at the clinic", "my trip to the transfusion service", "giving blood"],
    ["make my first donation", "give a donation at the clinic", "give blood"],
  ),
  simple(
    "festival",
    ["Back from three days at a music festival {when}, still finding glitter everywhere.", "Survived the festival {when}: forty bands, one tent, zero sleep."],
    "Sounds like a great weekend. A long shower and an early night are in order.",
    ["that weekend camping in a field with live acts", "the outdoor music weekend", "the festival"],
    ["camp out for those live acts", "head off to that outdoor music weekend", "go to the festival"],
  ),
  simple(
    "skydive",
    ["I jumped out of a plane {when}. On purpose. For charity. Still shaking.", "Did a tandem skydive {when} for the children's hospice, fourteen thousand feet!"],
    "Wow, that's brave, and for a great cause. The adrenaline crash afterwards is real, rest up.",
    ["my parachute jump", "the charity drop from the aircraft", "my big jump"],
    ["do the parachute jump", "fling myself from an aircraft", "do my big jump"],
  ),
  simple(
    "flood",
    ["The washing machine flooded the kitchen {when}, we spent the whole evening mopping with towels.", "Came home {when} to an inch of water on the kitchen floor, the dishwasher hose had split."],
    "What a horrible surprise. Dry everything thoroughly and keep an eye out for damp under the flooring.",
    ["the appliance leak", "the night our floor was underwater", "the flood"],
    ["deal with the appliance leak", "discover the water all over the floor", "deal with the flood"],
  ),
  simple(
    "interview",
    ["The interview at the architecture firm was {when}, three people on the panel and a drawing test.", "Sat through a two-hour interview with the bank {when}. I think I did okay?"],
    "Well done for getting through it. Whatever happens, jot down the questions now while you remember them.",
    ["being grilled for that position", "my meeting with the hiring panel", "that interview"],
    ["meet the hiring panel", "get grilled for that position", "have that interview"],
  ),
  simple(
    "rel:sister",
    ["My sister had her baby {when} — a little girl! I'm an aunt!", "I became an auntie {when}! My sister and the baby are both doing great."],
    "Congratulations! What a joyful day for your whole family.",
    ["my niece's arrival", "the day my sibling's daughter was born", "the new baby in the family"],
    ["welcome my niece", "gain a niece", "welcome the new baby"],
  ),
  simple(
    "hike",
    ["We made it to the top of Snowdon {when}! The view was worth every blister.", "Summited Ben Nevis {when}, in the fog, so we saw absolutely nothing. Still counts."],
    "Congratulations on the climb! Rest those legs, and a hot bath will thank you.",
    ["the mountain climb", "reaching that summit", "making it to the top"],
    ["climb that peak", "reach that summit", "make it to the top of the mountain"],
  ),
  simple(
    "graduation",
    ["Graduated {when}! Gown, silly hat, Mum crying in the third row, the whole thing.", "The ceremony was {when}, I've officially got letters after my name."],
    "Congratulations, graduate! That's years of hard work paying off.",
    ["my degree ceremony", "collecting my diploma", "the graduation ceremony"],
    ["collect my diploma", "walk across the stage in a cap and gown", "have my graduation ceremony"],
  ),
];

function pickEvents(w: World, n: number): Event[] {
  const out: Event[] = [];
  for (let attempt = 0; out.length < n && attempt < 40; attempt++) {
    const e = w.pick(EVENTS)(w);
    if (w.isClaimed(e.topic) || out.some((o) => o.topic === e.topic)) continue;
    out.push(e);
  }
  if (out.length < n) throw new Conflict("no free events");
  w.claim(...out.map((e) => e.topic));
  return out;
}

function when(w: World): Item {
  const [e] = pickEvents(w, 1) as [Event];
  const s = w.session();
  const { phrase, date } = w.recently(s);
  const form = w.random.int(0, 3);
  const noun = w.pick(e.nouns);
  const question = [
    `When did I ${w.pick(e.verbs)}?`,
    `On what date was ${noun}?`,
    `Which month was ${noun} in?`,
    `What day of the week did ${noun} fall on?`,
  ][form]!;
  const answer = form === 2 ? monthYear(date) : form === 3 ? weekday(date) : fmtDate(date);
  return { category: "temporal", kind: "when", episodes: [{ session: s, lines: say(e.user(phrase), e.assistant) }], question, answer };
}

function order(w: World): Item {
  const [e1, e2] = pickEvents(w, 2) as [Event, Event];
  const [a, b] = w.sessions(2, 1);
  const first = w.recently(a!);
  const second = w.recently(b!);
  const [n1, n2] = [w.pick(e1.nouns), w.pick(e2.nouns)];
  const swap = w.random.next() < 0.5;
  const [x, y] = swap ? [n2, n1] : [n1, n2];
  const question = w.pick([`Which came first: ${x} or ${y}?`, `Did ${x} happen before or after ${y}?`, `Which was earlier, ${x} or ${y}?`]);
  return {
    category: "temporal",
    kind: "order",
    episodes: [
      { session: a!, lines: say(e1.user(first.phrase), e1.assistant) },
      { session: b!, lines: say(e2.user(second.phrase), e2.assistant) },
    ],
    question,
    answer: `${n1} came first (${fmtDate(first.date)}, before ${fmtDate(second.date)})`,
  };
}

function gap(w: World): Item {
  const [e1, e2] = pickEvents(w, 2) as [Event, Event];
  const [a, b] = w.sessions(2, 1);
  const first = w.recently(a!);
  const second = w.recently(b!);
  const [n1, n2] = [w.pick(e1.nouns), w.pick(e2.nouns)];
  const days = daysBetween(first.date, second.date);
  const question = w.pick([
    `How much time passed between ${n1} and ${n2}?`,
    `How many weeks after ${n1} was ${n2}?`,
    `How long before ${n2} did ${n1} take place?`,
  ]);
  return {
    category: "temporal",
    kind: "gap",
    episodes: [
      { session: a!, lines: say(e1.user(first.phrase), e1.assistant) },
      { session: b!, lines: say(e2.user(second.phrase), e2.assistant) },
    ],
    question,
    answer: `${days} days (about ${Math.round(days / 7)} weeks): ${fmtDate(first.date)} to ${fmtDate(second.date)}`,
  };
}

export const TEMPORAL: Generator[] = [when, when, order, gap];
