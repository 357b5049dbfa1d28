import type { Random } from "./random.js";

/** One planted fact: what the user says, how the assistant acknowledges it, and the late question about it. */
export interface PlantedFact {
  key: string;
  plant: { user: string; assistant: string };
  /** A later change of the fact; the question then asks for the new value. */
  update?: { user: string; assistant: string };
  question: string;
  answer: string;
}

const PETS = ["Biscuit", "Mochi", "Pepper", "Juniper", "Waffles", "Ziggy", "Clementine", "Otis"];
const SPECIES = ["dog", "cat", "rabbit"];
const CITIES = ["Portland", "Denver", "Austin", "Pittsburgh", "Minneapolis", "Raleigh", "Sacramento", "Boise", "Tucson", "Madison"];
const JOBS: [string, string][] = [
  ["data analyst", "Brightline Logistics"],
  ["product designer", "Fernway Studio"],
  ["nurse practitioner", "St. Agnes Clinic"],
  ["backend developer", "Copperleaf Systems"],
  ["high school chemistry teacher", "Lakeview High"],
  ["project manager", "Halvorsen Construction"],
];
const ALLERGENS = ["shellfish", "peanuts", "sesame", "kiwi", "walnuts"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const CARS = ["Honda Civic", "Subaru Outback", "Toyota Corolla", "Mazda CX-5", "Ford Focus", "Kia Niro", "Volkswagen Golf"];
const SIBLINGS = ["Priya", "Hannah", "Rosa", "Ingrid", "Maya", "Tessa"];
const SIBLING_JOBS = ["paramedic", "architect", "vet", "pilot", "librarian"];
const PARTNERS = ["Sam", "Jordan", "Alex", "Noor", "Daniel", "Elena"];
const INSTRUMENTS = ["cello", "ukulele", "piano", "saxophone", "violin"];
const RESTAURANTS: [string, string][] = [
  ["Casa Lupita", "Mexican"],
  ["Little Saigon Kitchen", "Vietnamese"],
  ["Trattoria Bellini", "Italian"],
  ["Golden Lotus", "Sichuan"],
  ["The Olive Tree", "Greek"],
];
const SPORTS = ["pickleball", "volleyball", "badminton", "five-a-side football", "bouldering"];
const BOOKS = ["The Remains of the Day", "Piranesi", "A Gentleman in Moscow", "Station Eleven", "The Overstory"];

const date = (random: Random) => `${random.pick(MONTHS)} ${random.int(1, 28)}`;

/**
 * The facts of one persona, with natural phrasings drawn at random: some
 * share words with their question, some do not (as people talk), which is
 * what makes lexical retrieval honest work. Three facts are later updated.
 */
export function personaFacts(random: Random): PlantedFact[] {
  const species = random.pick(SPECIES);
  const pet = random.pick(PETS);
  const [city1, city2] = random.sample(CITIES, 2) as [string, string];
  const [[job1, company1], [job2, company2]] = random.sample(JOBS, 2) as [[string, string], [string, string]];
  const allergen = random.pick(ALLERGENS);
  const birthday = date(random);
  const [car1, car2] = random.sample(CARS, 2) as [string, string];
  const sibling = random.pick(SIBLINGS);
  const partner = random.pick(PARTNERS);
  const anniversary = date(random);
  const instrument = random.pick(INSTRUMENTS);
  const [restaurant, cuisine] = random.pick(RESTAURANTS);
  const sport = random.pick(SPORTS);
  const book = random.pick(BOOKS);
  const dentist = date(random);

  return [
    {
      key: "pet",
      plant: {
        user: random.pick([
          `We adopted a ${species} from the shelter on Saturday and named her ${pet}. She has already claimed the couch.`,
          `Meet the newest member of the family: a little ${species} called ${pet}. The kids are obsessed.`,
        ]),
        assistant: `Congratulations on adopting ${pet}! The first few weeks are about routine: regular feeding times, a quiet spot to retreat to, and lots of patience while she settles in.`,
      },
      question: `What is my ${species}'s name?`,
      answer: pet,
    },
    {
      key: "city",
      plant: {
        user: `I've lived in ${city1} for six years now. I love it, except for the traffic on the bridges.`,
        assistant: `Six years is long enough to know a city's quirks. ${city1} has a lot going for it, and the traffic complaint is a classic one there.`,
      },
      update: {
        user: random.pick([
          `Big news: we finally moved! We left ${city1} and we live in ${city2} now, the apartment is full of boxes.`,
          `Writing to you from ${city2}! The move went fine, the truck showed up on time, and the new neighbourhood is lovely.`,
        ]),
        assistant: `Congratulations on the move to ${city2}! Unpacking the kitchen and bedroom first usually makes the rest feel manageable.`,
      },
      question: "Which city do I live in now?",
      answer: city2,
    },
    {
      key: "job",
      plant: {
        user: `For context, I work as a ${job1} at ${company1}, so my weekdays are pretty packed.`,
        assistant: `Thanks for the context. Being a ${job1} is demanding, so I'll keep suggestions realistic for a busy week.`,
      },
      update: {
        user: random.pick([
          `I accepted the offer! I start at ${company2} as a ${job2} on Monday, my last day at ${company1} is Friday.`,
          `New job update: I work at ${company2} now, as a ${job2}. Very different team, very different pace.`,
        ]),
        assistant: `That's a big step, congratulations on the role at ${company2}. The first month is mostly about learning how the team works.`,
      },
      question: "Where do I work now?",
      answer: company2,
    },
    {
      key: "allergy",
      plant: {
        user: random.pick([
          `Quick thing to remember for recipes: I'm allergic to ${allergen}, so please never suggest anything with it.`,
          `Please keep ${allergen} out of any recipe ideas, I'm seriously allergic and carry an EpiPen.`,
        ]),
        assistant: `Noted: no ${allergen} in anything I suggest. I'll also flag dishes where it tends to hide, like sauces and dressings.`,
      },
      question: "What food am I allergic to?",
      answer: allergen,
    },
    {
      key: "birthday",
      plant: {
        user: `My birthday is on ${birthday}, and this year I'd like to do something low-key with a few friends.`,
        assistant: `A low-key birthday can be the best kind. A dinner at home or a picnic with a few friends keeps it relaxed.`,
      },
      question: "When is my birthday?",
      answer: birthday,
    },
    {
      key: "car",
      plant: {
        user: `My ${car1} is making a weird rattling noise again. It's old but it has never let me down.`,
        assistant: `A rattle in an older car is often a loose heat shield or exhaust clamp, both cheap fixes. Worth having a mechanic look before it gets worse.`,
      },
      update: {
        user: random.pick([
          `We finally sold the old ${car1} and bought a ${car2}! It's the first new car I've ever owned.`,
          `Traded in my ${car1} this weekend, I'm driving a ${car2} now. The car smells brand new.`,
        ]),
        assistant: `Enjoy the ${car2}! Keep the first service appointment in your calendar, it protects the warranty.`,
      },
      question: "What car do I drive now?",
      answer: car2,
    },
    {
      key: "sibling",
      plant: {
        user: `My sister ${sibling} is visiting next month. She's a ${random.pick(SIBLING_JOBS)}, so she never gets much time off.`,
        assistant: `How nice that ${sibling} can come. With so little time off, a couple of easy plans and a lot of downtime might suit her best.`,
      },
      question: "What is my sister's name?",
      answer: sibling,
    },
    {
      key: "anniversary",
      plant: {
        user: `${partner} and I have our wedding anniversary on ${anniversary}. Ten years! I want to plan something special.`,
        assistant: `Ten years is a wonderful milestone. A trip back to somewhere meaningful, or recreating your first date, tends to land well.`,
      },
      question: "When is our wedding anniversary?",
      answer: anniversary,
    },
    {
      key: "instrument",
      plant: {
        user: `I finally signed up for ${instrument} lessons. First one is on Thursday evening, I'm nervous.`,
        assistant: `Good for you! Ten or fifteen minutes of practice a day beats one long session a week, especially at the start.`,
      },
      question: "Which musical instrument am I learning to play?",
      answer: instrument,
    },
    {
      key: "restaurant",
      plant: {
        user: `Our favourite restaurant is ${restaurant}, a little ${cuisine} place near the river. We go almost every Friday.`,
        assistant: `A Friday tradition at a place you love is a great ritual. ${cuisine} food is a good choice for sharing plates too.`,
      },
      question: "What's the name of our favourite restaurant?",
      answer: restaurant,
    },
    {
      key: "sport",
      plant: {
        user: `I've started playing ${sport} every Tuesday night with some people from the neighbourhood.`,
        assistant: `That's a great way to stay active and meet people. Remember to warm up properly, most injuries in ${sport} come from skipping that.`,
      },
      question: "What sport do I play on Tuesdays?",
      answer: sport,
    },
    {
      key: "book",
      plant: {
        user: `I just finished "${book}" and it's officially my favourite book now. I couldn't put it down.`,
        assistant: `"${book}" is a wonderful pick. If you liked its atmosphere, I can suggest a few novels in a similar vein.`,
      },
      question: "What's my favourite book?",
      answer: book,
    },
    {
      key: "dentist",
      plant: {
        user: `Booked my dentist appointment for ${dentist}, the cleaning is long overdue.`,
        assistant: `Good that it's booked. A note in your calendar a day before helps, and asking about a fluoride treatment can be worth it.`,
      },
      question: "When is my dentist appointment?",
      answer: dentist,
    },
  ];
}
