import { Conflict, type Generator, type Item, say, World } from "./hard-world.js";

/**
 * Open-domain questions: the answer follows from a stated fact plus world
 * knowledge (a city's continent, a dish's ingredients, an instrument's
 * family, what a job's details imply), so the question is about a property
 * the user never named.
 */
function one(category: "open-domain", kind: string, w: World, user: string, assistant: string, question: string, answer: string): Item {
  return { category, kind, episodes: [{ session: w.session(), lines: say(user, assistant) }], question, answer };
}

const PLACES: { city: string; country: string; region: string; continent: string; line: string }[] = [
  { city: "Chiang Mai", country: "Thailand", region: "Asian", continent: "Asia", line: "Back from Chiang Mai, I did a cooking class and can now make a decent green curry." },
  { city: "Hoi An", country: "Vietnam", region: "Asian", continent: "Asia", line: "Hoi An was magical, lanterns everywhere and a tailor made me a jacket in a day." },
  { city: "Cartagena", country: "Colombia", region: "South American", continent: "South America", line: "Cartagena was hot, colourful and loud, I danced until four on the last night." },
  { city: "Valparaíso", country: "Chile", region: "South American", continent: "South America", line: "Spent a week in Valparaíso riding the old funiculars up and down the hills." },
  { city: "Zanzibar", country: "Tanzania", region: "African", continent: "Africa", line: "Zanzibar was unreal, spice tours in the morning and the beach in the afternoon." },
  { city: "Essaouira", country: "Morocco", region: "African", continent: "Africa", line: "Essaouira was so windy my hat is probably in the Atlantic by now." },
  { city: "Hobart", country: "Australia", region: "Oceanian", continent: "Oceania", line: "Hobart was freezing for January, which nobody had warned me about." },
  { city: "Queenstown", country: "New Zealand", region: "Oceanian", continent: "Oceania", line: "Did a bungee jump in Queenstown and screamed the whole way down." },
];

const ALLERGY_DISHES: { food: string; dish: string; line: string }[] = [
  { food: "peanuts", dish: "chicken satay", line: "Peanuts and I do not get along, one bite and my lips swell up like a cartoon." },
  { food: "shellfish", dish: "a prawn cocktail", line: "Shellfish is my kryptonite, even a bit of crab stock puts me in hospital." },
  { food: "sesame", dish: "a bowl of hummus", line: "Sesame is a no for me, and it hides in everything, seeds, oils, pastes." },
  { food: "eggs", dish: "a cheese soufflé", line: "Eggs make me properly ill, so brunch menus are a minefield." },
  { food: "cashews", dish: "a chicken korma", line: "I carry an adrenaline pen because of cashews, even the dust from a bag sets me off." },
  { food: "celery", dish: "a Waldorf salad", line: "Celery brings me out in hives, so stocks and soups are always a gamble." },
];

const FAMILIES: { inst: string; family: string }[] = [
  { inst: "viola", family: "string" },
  { inst: "double bass", family: "string" },
  { inst: "trombone", family: "brass" },
  { inst: "French horn", family: "brass" },
  { inst: "bassoon", family: "woodwind" },
  { inst: "saxophone", family: "woodwind" },
  { inst: "timpani", family: "percussion" },
  { inst: "marimba", family: "percussion" },
];

const JOBS: { line: string; sector: string; answer: string }[] = [
  { line: "Three night shifts in a row on the ward, I'm running on vending-machine coffee and the patients' thank-you chocolates.", sector: "healthcare", answer: "yes (ward night shifts, patients)" },
  { line: "Marking thirty essays on the Tudors this weekend, and parents' evening is on Thursday. Send help.", sector: "education", answer: "yes (marking essays, parents' evening)" },
  { line: "Friday service was carnage, a hundred and twenty covers and the dishwasher broke at eight.", sector: "hospitality", answer: "yes (restaurant service, covers)" },
  { line: "Stuck on a layover in Frankfurt again, the crew hotel has the worst pillows in Europe.", sector: "aviation", answer: "yes (layovers, crew hotel)" },
  { line: "Spent the whole day rewiring a Victorian terrace, the old cables were held together with hope.", sector: "construction and trades", answer: "yes (rewiring houses)" },
  { line: "The court adjourned until Monday, so I've got a whole weekend to rewrite my closing argument.", sector: "law", answer: "yes (court, closing arguments)" },
];

const SPORTS: { line: string; kit: string }[] = [
  { line: "Tuesday night squash league again, lost three games to nil but at least I ran a lot.", kit: "a squash racquet or squash balls" },
  { line: "Our badminton doubles pair made the club final! My smash is finally working.", kit: "a badminton racquet or shuttlecocks" },
  { line: "Hockey training on the astro every Wednesday, my shins are black and blue.", kit: "a hockey stick or shin pads" },
  { line: "Thursday fencing at the leisure centre, I finally landed a hit on the coach.", kit: "a fencing mask, foil or jacket" },
  { line: "Eighteen holes with the usual crowd on Sunday, I lost four balls in the pond.", kit: "golf balls or clubs" },
  { line: "Water polo on Monday nights is the most exhausting hour of my week.", kit: "a water polo cap, goggles or a ball" },
];

const ARTISTS: { line: string; genre: string }[] = [
  { line: "Got tickets to see Metallica next summer, I've loved them since I was fourteen.", genre: "heavy metal" },
  { line: "Dolly Parton's on in the car on repeat again, nobody else gets a say.", genre: "country" },
  { line: "Kendrick Lamar's new album has been on loop all week, every verse is a puzzle.", genre: "hip hop" },
  { line: "I queued for three hours to get into the Proms for the Mahler symphony.", genre: "classical" },
  { line: "Spent Saturday at a Ronnie Scott's late show, the sax solo gave me goosebumps.", genre: "jazz" },
  { line: "Bob Marley on the speakers, barbecue going, that's my whole summer plan.", genre: "reggae" },
];

const THESES: { line: string; field: string }[] = [
  { line: "My thesis was on the tax records of medieval monasteries, and I still find it thrilling.", field: "the humanities (history)" },
  { line: "I spent three years in a lab making yeast misfold proteins on purpose for my PhD.", field: "the sciences (biology)" },
  { line: "My final-year project was a load test on timber joints, I broke a lot of wood.", field: "engineering" },
  { line: "I wrote my dissertation on Kant's ethics and I can still bore anyone at a party about it.", field: "the humanities (philosophy)" },
  { line: "My masters was all about coral bleaching, I basically lived in a wetsuit for a year.", field: "the sciences (marine science)" },
];

const PET_TRAITS: { line: string; question: string; answer: string }[] = [
  { line: "Our tabby has started bringing us 'gifts' from the garden every morning.", question: "Would a scratching post make a sensible present for our home?", answer: "yes, the household has a cat" },
  { line: "The labrador has figured out how to open the treat cupboard with her nose.", question: "Does our animal need taking out for walks every day?", answer: "yes, it's a dog (a labrador)" },
  { line: "The rabbit has chewed through another phone charger, her third this month.", question: "Is our pet the sort that needs a daily walk on a lead?", answer: "no, it's a rabbit" },
  { line: "The tortoise came out of hibernation on Tuesday, slowly and grumpily.", question: "Will our animal still be around in fifty years, in all likelihood?", answer: "quite possibly, tortoises live for decades" },
];

const LANG_COUNTRY: { line: string; country: string }[] = [
  { line: "Sixty days in a row of Portuguese flashcards!", country: "Portugal or Brazil" },
  { line: "My Icelandic tutor laughed at my pronunciation again.", country: "Iceland" },
  { line: "The Tagalog podcast I'm listening to talks so fast.", country: "the Philippines" },
  { line: "Finally can order food in Vietnamese without pointing.", country: "Vietnam" },
  { line: "Hebrew homework tonight, the letters still look like tiny furniture to me.", country: "Israel" },
];

const DIET_LINES: { line: string; dish: string; answer: string }[] = [
  { line: "Six months with no animal products at all now, I don't even miss cheese.", dish: "Could I eat a beef lasagne if you offered it to me?", answer: "no, they are vegan" },
  { line: "Fish is fine but I haven't eaten any other meat since I was twenty.", dish: "Would a roast chicken dinner suit me?", answer: "no, they only eat fish, no other meat" },
  { line: "Since the coeliac diagnosis I check every label twice.", dish: "Is an ordinary wheat pizza base okay for me?", answer: "no, they have coeliac disease (no gluten)" },
];

function region(w: World): Item {
  const p = w.pick(PLACES);
  w.claim("open:region", `trip:${p.country}`);
  return one("open-domain", "region", w, p.line, "That sounds like an incredible trip, thanks for sharing it.", w.pick([`Which ${p.region} country have I been to?`, `Where in ${p.continent} have I travelled?`]), p.country);
}

function allergyDish(w: World): Item {
  w.claim("allergy");
  const a = w.pick(ALLERGY_DISHES);
  return one("open-domain", "allergy-dish", w, a.line, "Noted, I'll keep that out of anything I suggest.", w.pick([`Would ${a.dish} be safe to serve me?`, `If I'm offered ${a.dish} at a party, should I eat it?`]), `no, it contains ${a.food}`);
}

function family(w: World): Item {
  w.claim("instrument");
  const f = w.pick(FAMILIES);
  const line = w.pick([`My ${f.inst} teacher says I'm improving, but the neighbours might disagree.`, `Practised the ${f.inst} for an hour tonight, my arms are aching.`]);
  return one("open-domain", "instrument-family", w, line, "Steady practice is exactly how it's done, well done.", w.pick(["Is the instrument I play from the string, brass, woodwind or percussion family?", "Which section of an orchestra would I sit in?"]), f.family);
}

function sector(w: World): Item {
  w.claim("job");
  const j = w.pick(JOBS);
  return one("open-domain", "sector", w, j.line, "That sounds exhausting, I hope you get a proper rest soon.", w.pick([`Do I work in ${j.sector}?`, `Is my job in ${j.sector}?`]), j.answer);
}

function sport(w: World): Item {
  w.claim("sport");
  const s = w.pick(SPORTS);
  return one("open-domain", "sport-kit", w, s.line, "Ha, it sounds like you're having fun with it.", w.pick(["What equipment would make a good present for my regular game?", "What gear could someone buy me for the sport I play?", "What kit do I need for my weekly club?"]), s.kit);
}

function genre(w: World): Item {
  w.claim("music");
  const a = w.pick(ARTISTS);
  return one("open-domain", "genre", w, a.line, "Music like that gets into your bones.", w.pick(["What style of music am I into?", "Which genre do I enjoy?", "What kind of music do I have on repeat?"]), a.genre);
}

function field(w: World): Item {
  w.claim("degree");
  const t = w.pick(THESES);
  return one("open-domain", "field", w, t.line, "That's a fascinating area, no wonder it stuck with you.", w.pick(["Is my academic background in the sciences, engineering or the humanities?", "What broad field did I study in?"]), t.field);
}

function petTrait(w: World): Item {
  w.claim("pet");
  const p = w.pick(PET_TRAITS);
  return one("open-domain", "pet-trait", w, p.line, "Ha, animals keep life interesting.", p.question, p.answer);
}

function langCountry(w: World): Item {
  w.claim("language");
  const l = w.pick(LANG_COUNTRY);
  return one("open-domain", "language-country", w, l.line, "Keep going, the daily habit is what makes it stick.", w.pick(["In which country would my new skills be most useful?", "Where in the world would my studies let me chat with the locals?"]), l.country);
}

function diet(w: World): Item {
  w.claim("diet");
  const d = w.pick(DIET_LINES);
  return one("open-domain", "diet", w, d.line, "Got it, I'll keep that in mind for food ideas.", d.dish, d.answer);
}

const TRAITS: { topic: string; lines: string[]; questions: string[]; answer: string }[] = [
  {
    topic: "open:coast",
    lines: ["The ferries in the harbour below our flat start sounding their horns at six, better than any alarm.", "Watched the fishing boats come in from our balcony with my morning tea again."],
    questions: ["Do I live near the sea?", "Is my home by the water or inland?", "Can I see boats from where I live?"],
    answer: "by the sea (a harbour view from the flat)",
  },
  {
    topic: "open:age",
    lines: ["Booked the function room for my 40th, apparently I'm old enough for a buffet now.", "Forty next month. My knees have been forty for years already."],
    questions: ["Am I in my thirties or my forties?", "Roughly what age bracket am I in?"],
    answer: "turning 40",
  },
  {
    topic: "open:hand",
    lines: ["Every pair of scissors in this office was designed to torment those of us who write with the other hand.", "Smudged ink all down the side of my palm again, the curse of being a lefty with a fountain pen."],
    questions: ["Which is my dominant hand?", "Am I left- or right-handed?", "Which hand do I write with?"],
    answer: "left-handed",
  },
  {
    topic: "open:height",
    lines: ["Hit my head on the doorframe of the cottage again, six foot five is a curse in old buildings.", "The airline put me in a middle seat and my knees were in my ears for nine hours. Being six five is not fun on planes."],
    questions: ["Would a car with little headroom be a problem for me?", "Am I short or tall?", "Do I fit comfortably in plane seats?"],
    answer: "yes, very tall (six foot five)",
  },
  {
    topic: "open:parents",
    lines: ["Calling my parents in Sydney is a nightmare, they're always asleep or at the beach when I'm free.", "My folks sent photos of their Christmas barbecue in Perth, thirty degrees and sunburnt."],
    questions: ["Which country do my mother and father live in?", "Where in the world is the rest of my family?", "Which country are my parents in?"],
    answer: "Australia",
  },
  {
    topic: "open:glasses",
    lines: ["Sat on my specs again, so I'm squinting at everything until the optician opens.", "New lenses are so strong the floor looks like it's tilting. Minus six in both eyes now."],
    questions: ["Do I need correction for my eyesight?", "Is my vision fine without help?", "Do I need lenses to see properly?"],
    answer: "yes, they wear glasses (short-sighted)",
  },
];

function trait(w: World): Item {
  const free = TRAITS.filter((t) => !w.isClaimed(t.topic));
  if (free.length === 0) throw new Conflict("no free trait");
  const t = w.pick(free);
  w.claim(t.topic);
  return one("open-domain", t.topic.slice(5), w, w.pick(t.lines), w.pick(["Ha, I can picture it.", "That made me smile, thanks for sharing."]), w.pick(t.questions), t.answer);
}

export const OPEN_DOMAIN: Generator[] = [region, allergyDish, family, sector, sport, genre, field, petTrait, langCountry, diet, trait, trait, trait];
