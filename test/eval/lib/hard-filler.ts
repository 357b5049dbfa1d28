import { TOPICS } from "./hard-filler-topics.js";
import type { Random } from "./random.js";

/**
 * Everyday chit-chat for the hard set: many topics, each with user lines
 * (slots filled at random) and a pool of assistant sentences from which a
 * reply of two to four sentences is drawn. Several topics deliberately talk
 * about the same domains as the planted facts (other people's pets, friends'
 * trips, car trouble in general, work, family, food, exercise, music) without
 * stating a fact about the user, so that topic words alone do not find the
 * evidence. No filler line states a personal fact a question asks about.
 */
const PEOPLE = ["Marcus", "Lena", "Tomasz", "Aisha", "Greg", "Yuki", "Carla", "Bilal", "Ruth", "Dev", "Fionnuala", "Kenji", "Oskar", "Bea", "Imani", "Raf"];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const DISHES = ["a lentil soup", "a tray of roast vegetables", "shakshuka", "a mushroom risotto", "chicken tacos", "a big pot of chilli", "dumplings from scratch", "a frittata", "pad see ew", "a fish pie"];
const SHOWS = ["a baking competition", "a true-crime podcast", "a Danish detective series", "a nature documentary", "an old sitcom", "a reality show about house flipping", "a space drama", "a cooking series set in Sicily"];
const PLACES = ["the farmers' market", "the library", "the garden centre", "the big supermarket", "the hardware shop", "the post office", "the park by the river", "the shopping centre"];
const CHORES = ["the gutters", "the fridge", "the spare room", "the garage", "the kitchen cupboards", "the bathroom grout", "the wardrobe", "the shed"];
const GADGETS = ["laptop", "printer", "router", "tablet", "smart speaker", "e-reader", "headphones", "electric toothbrush"];

const SMALL_TALK: [string, string][] = [
  ["Ha, fair enough.", "Glad that made sense!"],
  ["Honestly I hadn't thought of that.", "It's an easy one to miss, don't worry."],
  ["That's a relief to hear.", "Good, one less thing to worry about."],
  ["Okay, I'll give it a go this week.", "Great, let me know how it turns out."],
  ["You always make it sound so simple.", "Simple to say, harder to do, I know."],
  ["Right, that's enough procrastinating for one morning.", "Good luck with the rest of the day!"],
  ["Sorry, I got distracted, where were we?", "No problem at all, pick up whenever you like."],
  ["Interesting, I'll have to read up on that.", "Happy to dig into it further whenever you want."],
];

const OPENERS = ["Hi again!", "Morning!", "Hey, got a minute?", "Back again.", "Hello!", "Evening!", "Quick one.", "Hey you.", "Right, here's a thing.", "Me again."];
const CLOSERS: [string, string][] = [
  ["Thanks, that helps a lot.", "You're welcome! Talk soon."],
  ["Okay, I'll try that.", "Good luck, let me know how it goes."],
  ["Makes sense, thank you!", "Anytime. Enjoy the rest of your day!"],
  ["Perfect, that's all for now.", "Happy to help, see you next time."],
  ["Brilliant, I'd better get on.", "Go get on! Speak soon."],
  ["Cheers, night!", "Good night, sleep well."],
  ["Lovely, I'll report back.", "Looking forward to hearing how it goes."],
];

function fill(text: string, random: Random): string {
  return text
    .replaceAll("{friend}", random.pick(PEOPLE))
    .replaceAll("{day}", random.pick(DAYS))
    .replaceAll("{dish}", random.pick(DISHES))
    .replaceAll("{show}", random.pick(SHOWS))
    .replaceAll("{place}", random.pick(PLACES))
    .replaceAll("{chore}", random.pick(CHORES))
    .replaceAll("{gadget}", random.pick(GADGETS));
}

/** One chit-chat exchange: a user line and a two-to-four sentence assistant reply on the same topic (now and then small talk). */
export function hardFillerExchange(random: Random): { user: string; assistant: string } {
  if (random.next() < 0.12) {
    const [user, assistant] = random.pick(SMALL_TALK);
    return { user, assistant };
  }
  const topic = random.pick(TOPICS);
  const sentences = random.sample(topic.assistant, random.int(2, Math.min(4, topic.assistant.length)));
  return { user: fill(random.pick(topic.user), random), assistant: sentences.join(" ") };
}

export function hardOpener(random: Random): string {
  return random.pick(OPENERS);
}

export function hardCloser(random: Random): { user: string; assistant: string } {
  const [user, assistant] = random.pick(CLOSERS);
  return { user, assistant };
}

const LEADS = ["Random one:", "Oh, before I forget:", "Quick update:", "So —", "Right —", "Okay, so —", "News:", "Not sure if I said already —"];
const TAILS = [
  "Anyway, the rain hasn't stopped all week.",
  "Sorry, I'm typing this on the bus.",
  "I still haven't done the washing up from last night, by the way.",
  "Not much else going on, to be honest.",
  "Work is manic as usual.",
  "I'm absolutely shattered today.",
  "The neighbours are having another barbecue and the smell is torture.",
  "Remind me to buy milk later.",
  "Still recovering from the weekend, if I'm honest.",
  "My tea has gone cold while I typed this.",
  "Honestly, what a week it's been.",
  "Anyway, enough about that.",
  "It's been a strange few days all round.",
  "Just thought I'd share.",
  "I keep meaning to tell you things and then forgetting.",
  "The house is a tip, but that's another story.",
  "Also it's freezing in here, the heating's playing up again.",
  "Everyone at home says hi, apparently.",
  "I should really be asleep by now.",
  "Sorry for the essay.",
  "Life is never boring, is it.",
  "Got about ten minutes before my next call.",
  "It's been one of those months where everything happens at once.",
  "I'm writing this with a cat on my keyboard, well, someone else's cat, long story.",
  "The internet keeps dropping out, so apologies if this sends twice.",
  "Also I finally cleaned the oven, which nobody cares about but me.",
  "Can't believe it's nearly the end of the month already.",
  "Haven't had a proper night's sleep in ages.",
  "Half the street is out with colds at the moment.",
  "I'm eating toast over the sink as I type, living the dream.",
];

/** Whether a line already starts with one of the lead-ins (so no session opener is put before it). */
export function hasLead(text: string): boolean {
  return LEADS.some((lead) => text.startsWith(lead));
}

/** Everyday padding around a planted line, as people write: a lead-in, a trailing aside, both or neither. */
export function chatter(random: Random, text: string, tail = true): string {
  let out = text;
  if (random.next() < 0.25) out = `${random.pick(LEADS)} ${out}`;
  if (tail && random.next() < 0.6) out = `${out} ${random.pick(TAILS)}`;
  return out;
}
