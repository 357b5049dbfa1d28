import { an, cap, Conflict, type Generator, type Item, type Line, World } from "./hard-world.js";
import { PET_NAMES, PETS } from "./hard-single-data.js";

/**
 * Adjacent-turn evidence: the fact is split over two neighbouring user turns
 * of one exchange ("guess what followed us home!" — "what?" — "a beagle, we
 * named her Biscuit"): the first says what happened, the second what it was.
 * Both are evidence; the assistant's question between them is not.
 */
function exchange(tease: string, ask: string, reveal: string, reply: string): Line[] {
  return [
    { role: "user", text: tease, evidence: true },
    { role: "assistant", text: ask },
    { role: "user", text: reveal, evidence: true },
    { role: "assistant", text: reply },
  ];
}

interface Reveal {
  topic: string;
  build: (w: World) => { lines: Line[]; question: string; answer: string; literal?: boolean };
}

const REVEALS: Reveal[] = [
  {
    topic: "pet",
    build: (w) => {
      const pet = w.pick(PETS);
      const name = w.unique("pet-name", PET_NAMES);
      return {
        lines: exchange(
          w.pick(["Guess what followed us home from the shelter this weekend!", "So we may have made a slightly impulsive decision at the rescue centre..."]),
          w.pick(["Oh, I have to know! What did you bring back?", "Uh oh, I'm intrigued. What happened?"]),
          w.pick([`${cap(an(pet.breed))}! We've gone with ${name}, and she's already asleep in the laundry basket.`, `A scruffy ${pet.breed}. ${name}. I'm in love.`, `${cap(an(pet.breed))}, and we named her ${name}. She's perfect.`]),
          "That's wonderful news! Patience and routine for the first couple of weeks and you'll be best friends.",
        ),
        question: w.pick(["What kind of animal did we adopt, and what is it called?", "What type of creature joined the family, and what's its name?", "What did we bring home from the rescue, and what did we name it?"]),
        answer: `${an(pet.breed)} called ${name}`,
      };
    },
  },
  {
    topic: "auction",
    build: (w) => {
      const item = w.pick(["An upright piano", "A rowing boat", "A vintage jukebox", "A stuffed owl in a glass case", "A pinball machine", "A church pew", "A red telephone box"]);
      return {
        lines: exchange(
          w.pick(["I did something very impulsive at an auction yesterday.", "Don't judge me, but I raised my paddle at the auction house on Saturday."]),
          "Uh oh. How impulsive are we talking?",
          w.pick([`${item}. I have genuinely no idea where it's going to go.`, `${item}. I got it for forty quid, which felt like a bargain at the time.`]),
          "Ha! Well, it'll certainly be a talking point. Measure the doorways before it's delivered.",
        ),
        question: w.pick(["What did I buy on a whim?", "What was my spur-of-the-moment purchase?", "What did I get at the auction?"]),
        answer: item.toLowerCase(),
      };
    },
  },
  {
    topic: "bumped",
    build: (w) => {
      const who = w.pick(["My old maths teacher, Mr Okafor", "My first boyfriend's mum", "The midwife who delivered me", "My old driving instructor, Pauline", "My primary school head teacher, Mrs Lindqvist"]);
      return {
        lines: exchange(
          "You will not believe who I bumped into at the supermarket.",
          "Go on, who?",
          w.pick([`${who}! We had a twenty-minute catch-up next to the frozen peas.`, `${who}! Bumped trolleys in the cereal aisle, of all places.`]),
          "What a lovely surprise. Those chance meetings are the best.",
        ),
        question: w.pick(["Who did I run into while doing the grocery shopping?", "Who was the surprise encounter in the food shop?", "Who did I bump into at the supermarket?"]),
        answer: who,
        literal: true,
      };
    },
  },
  {
    topic: "quit",
    build: (w) => {
      const group = w.pick(["The choir", "The pub quiz team", "Five-a-side", "The allotment committee", "The running club", "The amateur dramatics society"]);
      return {
        lines: exchange(
          "Confession: I've quit something.",
          "Oh? What did you give up?",
          w.pick([`${group}. Wednesday nights were just too much on top of everything else.`, `${group}. I quit after three years, it had stopped being fun.`]),
          "That's a perfectly good reason. Protecting your evenings matters.",
        ),
        question: w.pick(["Which group activity did I drop out of?", "What regular commitment did I walk away from?", "Which group did I quit?"]),
        answer: group.toLowerCase(),
      };
    },
  },
  {
    topic: "loft",
    build: (w) => {
      const find = w.pick(["A box of my grandad's letters from the 1950s", "A wedding dress nobody in the family recognises", "My old Game Boy, still with the batteries in", "A painting signed by someone who might be famous", "Forty jars of my gran's jam, dated 1987"]);
      return {
        lines: exchange(
          "Look what I found while clearing the loft on Sunday.",
          "I'm intrigued, what was up there?",
          w.pick([`${find}. I sat on the floorboards for an hour going through it.`, `${find}, found it under the old insulation in the loft.`]),
          "What a find! It's worth keeping it somewhere dry and safe.",
        ),
        question: w.pick(["What did I discover stored up under the roof?", "What treasure turned up when I was sorting out the space at the top of the house?", "What did I find in the loft?"]),
        answer: find.toLowerCase(),
      };
    },
  },
  {
    topic: "offer",
    build: (w) => {
      const org = w.pick(["the agency in Manchester", "the startup", "the hospital trust", "the consultancy", "the university"]);
      const verdict = w.pick([
        { text: "I turned it down. The commute would have eaten two hours a day.", answer: "declined it, because of the commute" },
        { text: "I said yes! I start in six weeks.", answer: "accepted it, starting six weeks later" },
        { text: "I asked for more money and they agreed, so I'm taking it.", answer: "accepted after negotiating a higher salary" },
      ]);
      return {
        lines: exchange(
          `I made a decision about the offer from ${org}.`,
          "And? Don't leave me hanging.",
          verdict.text,
          "Well done for thinking it through properly, it's a big decision either way.",
        ),
        question: w.pick(["Did I take that position I was weighing up?", "What did I decide about the role I'd been offered?", "What was my decision on the job offer?"]),
        answer: verdict.answer,
      };
    },
  },
  {
    topic: "results",
    build: (w) => {
      const result = w.pick(["Distinction! I honestly thought I'd failed the second paper.", "Passed, but only just. Fifty-one percent, I'll take it.", "Top of the cohort, which nobody is more surprised about than me."]);
      return {
        lines: exchange("The results came in this morning.", "The exam ones? How did it go?", result, "Congratulations, all that studying paid off!"),
        question: w.pick(["How did I do in my assessment?", "What grade did I end up with?", "What were my exam results?"]),
        answer: result.split(/[!.,]/)[0]!,
      };
    },
  },
  {
    topic: "baby-names",
    build: (w) => {
      const [girl, boy] = [w.pick(["Wren", "Isla", "Marnie", "Cora", "Elsie"]), w.pick(["Arlo", "Felix", "Otis", "Rowan", "Jude"])];
      return {
        lines: exchange(
          "We've finally got a shortlist, after months of arguing.",
          "Of names? Ooh, what's on it?",
          `${girl} if it's a girl, ${boy} if it's a boy. Don't tell anyone.`,
          "Both are lovely, your secret is safe with me.",
        ),
        question: w.pick(["What are we thinking of calling our child?", "What did we settle on for the little one on the way?", "What's on our shortlist of names?"]),
        answer: `${girl} for a girl, ${boy} for a boy`,
      };
    },
  },
  {
    topic: "injury",
    build: (w) => {
      const verdict = w.pick(["Just a bad sprain, thank god. Two weeks in a splint.", "It's broken in two places. Six weeks in plaster.", "Tendonitis, from typing too much apparently."]);
      return {
        lines: exchange("Got the verdict from the doctor about my wrist.", "What did they say? Is it serious?", verdict, "I'm glad you know what it is now. Rest it properly."),
        question: w.pick(["What was the medical news about my injured arm?", "What's wrong with my hand joint, according to the clinic?", "What did the doctor say about my wrist?"]),
        answer: verdict.split(/[!.,]/)[0]!,
      };
    },
  },
  {
    topic: "proposal",
    build: (w) => {
      const where = w.pick(["on the beach", "at the top of the lighthouse", "in the middle of the dinner party"]);
      return {
        lines: exchange(
          `So, something happened ${where} last night...`,
          "You can't stop there! What happened?",
          "We're engaged!! I said yes before the question was even finished.",
          "Congratulations, that's wonderful news!",
        ),
        question: w.pick(["What big relationship news did I share?", "What changed between me and my partner recently?"]),
        answer: `got engaged (${where})`,
      };
    },
  },
  {
    topic: "course",
    build: (w) => {
      const course = w.pick(["A ten-day cooking course in Bologna", "A week of surf lessons in Biarritz", "A pottery retreat in Crete", "A painting workshop in Provence", "A language immersion fortnight in Salamanca"]);
      return {
        lines: exchange("Finally booked it!", "Booked what? The mystery trip?", `${course}, in September. I can't quite believe it.`, "That sounds amazing, something wonderful to look forward to."),
        question: w.pick(["What did I sign up for overseas?", "What have I reserved for abroad this autumn?", "What course did I book?"]),
        answer: course.toLowerCase(),
      };
    },
  },
  {
    topic: "noise",
    build: (w) => {
      const cause = w.pick(["A tennis ball rolling around under the back seat", "A loose heat shield under the exhaust", "A child's toy car stuck in the glovebox hinge", "A bent wiper arm tapping the windscreen"]);
      return {
        lines: exchange("Mystery of the clunking: solved.", "Finally! What was it?", `${cause}. A hundred and twenty pounds of diagnostics for that.`, "Ha! At least it was a cheap fix in the end."),
        question: w.pick(["What turned out to be causing the sound in my vehicle?", "What was the rattle in my car caused by?", "What was causing the clunking?"]),
        answer: cause.toLowerCase(),
      };
    },
  },
];

function adjacent(w: World): Item {
  const free = REVEALS.filter((r) => !w.isClaimed(r.topic));
  if (free.length === 0) throw new Conflict("no free reveal");
  const r = w.pick(free);
  w.claim(r.topic);
  const built = r.build(w);
  return {
    category: "adjacent-turn",
    kind: r.topic,
    episodes: [{ session: w.session(), lines: built.lines }],
    question: built.question,
    answer: built.answer,
    ...(built.literal ? { literal: true } : {}),
  };
}

export const ADJACENT: Generator[] = [adjacent];
