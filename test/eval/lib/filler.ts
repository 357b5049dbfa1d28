import type { Random } from "./random.js";

/**
 * Everyday chit-chat between the facts. Some lines deliberately reuse the
 * words of the questions in other senses (a coworker's birthday, a
 * neighbour's dog, stress at work) so that retrieval must rank, not just match.
 */
interface Topic {
  user: string[];
  assistant: string[];
}

const FRIENDS = ["Marcus", "Lena", "Tom", "Aisha", "Greg", "Yuki", "Carla", "Ben"];
const DAYS = ["Monday", "Wednesday", "Friday", "Saturday", "Sunday"];

const TOPICS: Topic[] = [
  {
    user: [
      "It's been raining all week and I'm starting to lose my mind a little.",
      "The weather forecast says another heatwave is coming, any tips for sleeping when it's this hot?",
      "We had the first proper snow of the season today, the street looks like a postcard.",
    ],
    assistant: [
      "Stretches of grey weather really do wear on people, and you're not alone in feeling it.",
      "Getting outside during the brightest part of the day, even briefly, helps more than it seems it should.",
      "A fan placed near an open window at night pulls in cooler air and makes sleep a lot easier.",
      "Keeping a regular bedtime matters more than usual when the weather throws your routine off.",
      "Planning one small cosy thing each evening gives the week some shape.",
    ],
  },
  {
    user: [
      "Can you recommend a movie for tonight? Something light, we've had a long week.",
      "We watched a documentary about deep sea creatures last night and I can't stop thinking about it.",
      "Is it worth starting a new TV series if it already has six seasons?",
    ],
    assistant: [
      "For a light evening, a warm comedy with a simple premise is usually the safest bet.",
      "Documentaries about the deep sea are fascinating because so much of that world is still unexplored.",
      "A long series can be worth it if the first season hooks you; give it three episodes before deciding.",
      "If you want something short, a limited series wraps up in a weekend without a big commitment.",
      "Watching with friends and pausing for commentary can make even an average film fun.",
    ],
  },
  {
    user: [
      "Work has been stressful lately, my manager keeps moving deadlines around.",
      "I had a really productive day at work today for once, cleared my whole inbox.",
      "Any advice on how to say no to extra projects at work without sounding lazy?",
    ],
    assistant: [
      "Shifting deadlines are exhausting; writing down each change and its impact helps you push back with facts.",
      "Saying no works best when you name what you'd have to drop to take on the new thing.",
      "A short end-of-day list of what got done is a good way to keep perspective on a busy week.",
      "Protecting one focused block each morning can make the rest of the day feel less reactive.",
      "It's worth celebrating the productive days, they're the ones that remind you the job can feel good.",
    ],
  },
  {
    user: [
      `My coworker's birthday is this ${"{day}"}, any ideas for a small gift under twenty dollars?`,
      "I need a gift idea for a friend's birthday party next weekend, she loves gardening.",
    ],
    assistant: [
      "A nice notebook, a plant, or a good coffee blend are all safe and thoughtful gifts at that price.",
      "For a gardener, quality gloves or a pack of unusual seeds tends to go down really well.",
      "A handwritten card often means more to people than the gift itself.",
      "If a group is chipping in, one bigger present can be more memorable than several small ones.",
    ],
  },
  {
    user: [
      "The neighbour's dog barked from six in the morning today, I barely slept.",
      "A friend asked me to look after her dog for the weekend, is that a lot of work?",
    ],
    assistant: [
      "Early barking is often boredom or a routine issue; a friendly word with the neighbour usually goes better than a complaint.",
      "Earplugs or a white noise app can rescue your sleep in the meantime.",
      "Looking after a dog for a weekend mostly means walks, feeding on schedule, and some company.",
      "Ask for the vet's number and any quirks before the owner leaves, just in case.",
    ],
  },
  {
    user: [
      "I'm trying to cook more at home, what's an easy weeknight dinner?",
      "What can I make with leftover rice, some eggs and a sad-looking bunch of spring onions?",
      "There's a new restaurant opening down the street, a burger place, we might try it.",
    ],
    assistant: [
      "A sheet-pan dinner with vegetables and a protein is hard to beat on a weeknight.",
      "Fried rice is the classic answer: day-old rice, eggs, spring onions and a splash of soy sauce.",
      "Batch-cooking a grain and a sauce on Sunday makes weeknight cooking much faster.",
      "New places are often best visited a few weeks after opening, once the kitchen has settled in.",
      "Keeping a few staples like canned tomatoes, pasta and frozen peas means dinner is always possible.",
    ],
  },
  {
    user: [
      "Our book club picked something really dense this month and I'm only on chapter two.",
      "Any tips for reading more? I keep buying books and not opening them.",
    ],
    assistant: [
      "Dense books are easier in small daily doses; twenty pages a day adds up quickly.",
      "Keeping a book by the bed instead of the phone is the simplest habit change for reading more.",
      "It's fine to abandon a book you aren't enjoying, life is short and the list is long.",
      "Audiobooks count too, and they fit nicely into commutes and chores.",
    ],
  },
  {
    user: [
      `We're thinking about a weekend trip somewhere quiet, maybe a cabin. ${"{friend}"} might come along.`,
      "We rented a car for the coast trip and it had the weirdest dashboard I've ever seen.",
      "How far ahead should I book flights for a trip in the autumn?",
    ],
    assistant: [
      "A cabin weekend is a great reset; look for places with a short drive so you don't lose a day to travel.",
      "For autumn trips, booking flights six to eight weeks ahead is usually the sweet spot on price.",
      "Rental cars vary a lot; taking five minutes in the parking lot to find the lights and wipers saves stress later.",
      "Packing a simple first-night kit means you don't need to unpack everything on arrival.",
      "Travelling with friends works best when everyone agrees on the budget upfront.",
    ],
  },
  {
    user: [
      "My laptop has become painfully slow, is it worth upgrading the memory?",
      "How do I stop getting so many spam calls on my phone?",
      "I finally set up a password manager. Should I change all my old passwords now?",
    ],
    assistant: [
      "More memory helps if you keep many tabs and apps open; an SSD upgrade helps even more on older machines.",
      "Most phones have a setting to silence unknown callers, which cuts spam dramatically.",
      "Start with the important accounts: email, banking, and anything that stores payment details.",
      "Turning on two-factor authentication is the single biggest security win after a password manager.",
      "Backing up before any hardware upgrade is cheap insurance.",
    ],
  },
  {
    user: [
      `I went to a live music night with ${"{friend}"} on ${"{day}"}, the band was surprisingly good.`,
      "I've been trying to get up earlier to go running, but the alarm always wins.",
      "I have a haircut appointment tomorrow and I have no idea what to ask for.",
    ],
    assistant: [
      "Small live venues are some of the best nights out, and you often discover bands before anyone else.",
      "Moving the alarm across the room and laying out running clothes the night before really helps.",
      "Bringing a couple of photos to a haircut is the easiest way to explain what you want.",
      "Starting with three short runs a week is enough to build the habit without burning out.",
      "A regular wind-down routine at night makes early mornings much less painful.",
    ],
  },
];

const OPENERS = ["Hi again!", "Morning!", "Hey, quick question.", "Back again.", "Hello!", "Good evening."];
const CLOSERS = [
  "Thanks, that helps a lot.",
  "Okay, I'll try that.",
  "Makes sense, thank you!",
  "Good idea, I'll let you know how it goes.",
  "Perfect, that's all for now.",
];
const CLOSER_REPLIES = [
  "You're welcome! Let me know how it goes.",
  "Happy to help, talk soon.",
  "Anytime. Enjoy the rest of your day!",
];

function fill(text: string, random: Random): string {
  return text.replaceAll("{friend}", random.pick(FRIENDS)).replaceAll("{day}", random.pick(DAYS));
}

/** One chit-chat exchange: a user line and a three-to-five sentence assistant reply on the same topic. */
export function fillerExchange(random: Random): { user: string; assistant: string } {
  const topic = random.pick(TOPICS);
  const sentences = random.sample(topic.assistant, random.int(3, Math.min(5, topic.assistant.length)));
  return { user: fill(random.pick(topic.user), random), assistant: sentences.join(" ") };
}

export function opener(random: Random): string {
  return random.pick(OPENERS);
}

export function closer(random: Random): { user: string; assistant: string } {
  return { user: random.pick(CLOSERS), assistant: random.pick(CLOSER_REPLIES) };
}
