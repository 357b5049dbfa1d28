/**
 * Distractors: exchanges about the same subject as a planted fact, but about
 * someone else or hypothetical, so that the subject's words (and sometimes
 * the very entity a question's answer names) appear in turns that are not
 * the evidence. Keyed by topic prefix; none states a fact about the user
 * that a question asks for.
 */
export const DISTRACTORS: Record<string, [string, string][]> = {
  pet: [
    ["My colleague adopted a greyhound last month and sends us photos every hour.", "Retired greyhounds are famously lazy, it's a good match for an office worker."],
    ["A friend's kids are begging for a kitten, I've told her to hold firm until the summer.", "Summer is a sensible time, there's more time at home to settle one in."],
    ["Is it true that rabbits need to live in pairs?", "Generally yes, they're social animals and are happier with a bonded companion."],
    ["The dog next door dug under the fence again and ate our tulip bulbs.", "A line of paving slabs buried along the fence base usually stops the digging."],
  ],
  allergy: [
    ["My nephew has a nut allergy, so his birthday party is going to be a puzzle.", "Fruit skewers, popcorn and a bakery that does certified nut-free cakes make it much easier."],
    ["What's the difference between an intolerance and an allergy?", "An allergy involves the immune system and can be dangerous; an intolerance is digestive and uncomfortable but not life-threatening."],
    ["A guy at work keeps bringing in prawn crackers and the whole office smells of them.", "Ha, office snack smells are a surprisingly common source of friction."],
  ],
  instrument: [
    ["The busker outside the station has been playing the same violin tune for three weeks.", "At least it's a consistent soundtrack to the commute."],
    ["My neighbour's teenager has started drum lessons. The walls are thin.", "A polite word about practice hours usually works, most families want to keep the peace."],
    ["Is it harder to learn piano or guitar as an adult?", "Both are very doable; guitar gets you playing songs sooner, piano makes music theory easier to see."],
  ],
  language: [
    ["My coworker is on a 400-day streak on a language app and won't let anyone forget it.", "Streaks are a surprisingly powerful motivator, even if they get a bit smug."],
    ["Is it true that kids learn languages faster than adults?", "Kids pick up accents more easily, but adults often learn grammar and vocabulary faster."],
  ],
  author: [
    ["Our book group is arguing about whether to read a classic or something new next.", "Alternating between the two keeps everyone happy."],
    ["A friend recommended a crime novel and I guessed the killer on page twelve.", "Guessing early can still be fun, you get to watch the detective catch up."],
  ],
  hometown: [
    ["A colleague grew up on a farm and can't believe I've never milked a cow.", "Ha, rural and town childhoods really are different worlds."],
    ["Do you think people always end up moving back to where they grew up?", "Many do, often when they have children of their own, but plenty never do."],
  ],
  partner: [
    ["A friend's going on a first date tonight and has asked me to do an emergency phone call at nine.", "The classic exit plan! Hopefully she won't need it."],
    ["My coworker is getting married in Italy and the whole team is invited, which is terrifying.", "Destination weddings are a commitment, but they usually turn into a great holiday."],
  ],
  injury: [
    ["A guy at football went over on his ankle on Sunday and had to be carried off.", "Ankle injuries are so common in five-a-side, a proper warm-up helps a lot."],
    ["How long does a sprain usually take to heal?", "A mild sprain is often better in two to three weeks, a bad one can take a couple of months."],
  ],
  drink: [
    ["The new café on the corner charges five pounds for a coffee. Five!", "Prices in specialty coffee have climbed a lot, a good home setup pays for itself quickly."],
    ["Is decaf actually caffeine free?", "Not quite, it still has a small amount, usually a few milligrams per cup."],
  ],
  fear: [
    ["My niece is scared of the dark, any gentle tips?", "A small night light and a bedtime routine that ends calmly usually help a lot."],
    ["A friend is terrified of flying and has a wedding abroad this year.", "Fear-of-flying courses run by airlines have a very good track record."],
  ],
  degree: [
    ["My cousin is choosing what to study at university and keeps changing his mind.", "That's completely normal, many students switch courses in the first year anyway."],
    ["Is a masters degree worth it these days?", "It depends on the field; in some it's essential, in others experience matters more."],
  ],
  team: [
    ["The whole office is in a sweepstake for the cup final.", "Sweepstakes are a great way to get non-fans invested."],
    ["My dad still talks about a match from 1986 like it was yesterday.", "Some games become family legends, that's half the joy of sport."],
  ],
  volunteer: [
    ["Our school is looking for parent volunteers for the summer fair.", "Even an hour on a stall makes a difference to those events."],
    ["A friend does the night shift at a homeless shelter once a month.", "That's wonderful, shelters rely heavily on people like that."],
  ],
  "rel:mum-gift": [
    ["What's a good present for a mum who has everything?", "An experience together, like a day out or a class, usually means more than an object."],
  ],
  dream: [
    ["My nephew wants to be a professional gamer when he grows up.", "Ha, every generation has its dream jobs."],
  ],
  "rel:best-friend": [
    ["Is it normal to drift apart from school friends?", "Very; people's lives change direction, and the friendships that last often go through quiet patches."],
  ],
  floor: [
    ["Our building is getting a new lift, which means six weeks of stairs for everyone.", "Six weeks of stairs is a free fitness programme, if an unwelcome one."],
  ],
  car: [
    ["My brother-in-law bought an electric car and now only talks about charging points.", "The charging-point chat does seem to come with the car."],
    ["Is it better to buy a car new or secondhand?", "Nearly new, two or three years old, usually gives the best value because the steepest depreciation is over."],
    ["A car alarm went off at three in the morning and nobody came to turn it off.", "Nothing tests neighbourly love like a night-time car alarm."],
  ],
  home: [
    ["My friend is moving to Manchester and has asked me to help carry boxes.", "Bribe everyone with pizza, it's the universal moving-day currency."],
    ["House prices around here are ridiculous, a garage just sold for the price of a flat.", "The market has gone a bit mad in lots of places."],
  ],
  job: [
    ["A friend is thinking of quitting her job to retrain as a plumber.", "Trades are in high demand, it's a brave but often sensible move."],
    ["My colleague got headhunted by a rival firm and is being very smug about it.", "Ha, being headhunted would make anyone a little smug."],
    ["What's a reasonable notice period to give?", "It's usually whatever your contract says, commonly one month, sometimes longer for senior roles."],
  ],
  phone: [
    ["Why do phones get slower after every update?", "Newer software is tuned for newer hardware, and older batteries can throttle performance."],
    ["My dad still uses a flip phone and is proud of it.", "Honestly, the battery life alone is a strong argument."],
  ],
  exercise: [
    ["My coworker does CrossFit and won't stop talking about it.", "It's practically a personality trait at this point, isn't it."],
    ["Is it better to exercise in the morning or the evening?", "The best time is whichever you'll stick to; the differences are small."],
  ],
  diet: [
    ["My sister-in-law is doing a juice cleanse and is very grumpy.", "Juice cleanses are more about willpower than health, unfortunately."],
    ["What's a good vegetarian dish for a dinner party?", "A big mushroom and chestnut wellington tends to win over everyone at the table."],
  ],
  show: [
    ["Everyone at work is talking about a dragon series I've never seen.", "You can usually pick up the gist from the office chat, but it might be worth a try."],
  ],
  "rel:boss": [
    ["How do you give feedback to your manager without it being awkward?", "Framing it as what would help you do your best work makes it much easier to hear."],
  ],
  hair: [
    ["My friend shaved her head for charity and looks amazing.", "That's brave and generous, and it grows back."],
  ],
  wake: [
    ["Is it true that some people are genuinely night owls?", "Yes, chronotypes are partly genetic; some people really are wired for later hours."],
  ],
  rent: [
    ["My friend's landlord wants to put the rent up by twenty percent.", "That's steep; it's worth checking the local rules on how much notice and how big an increase are allowed."],
  ],
  pb: [
    ["My running club is doing a relay on Sunday and they need a fourth.", "Relays are a nice low-pressure way to race."],
  ],
  trip: [
    ["My colleague just got back from Lisbon and brought a box of custard tarts for the team.", "Custard tarts are the best kind of souvenir."],
    ["A friend is planning a month in Japan, any tips I can pass on?", "A rail pass and a pocket wifi router make getting around far easier."],
    ["Do you think it's worth going to Italy in August?", "It's hot and busy, late spring or early autumn is usually more pleasant."],
  ],
  concert: [["My flatmate has tickets to four concerts this month, I don't know how she affords it.", "Live music is an expensive habit these days."]],
  "half-marathon": [["A friend is training for her first marathon and eats constantly.", "Marathon training makes people ravenous, that's normal."]],
  "wisdom-teeth": [["The dentist says my teeth are fine but I need to floss more. Humbling.", "Everyone hears that, it's the dentist's catchphrase."]],
  tattoo: [["My cousin got a tattoo of her cat's face, it's surprisingly good.", "Pet portraits are hugely popular in tattoo studios now."]],
  bumper: [["Traffic on the ring road was awful this morning, there was an accident by the roundabout.", "Hopefully nobody was hurt, those junctions are notorious."]],
  "driving-test": [["My nephew failed his driving test for reversing into a bin.", "It happens to lots of people, he'll pass next time."]],
  haircut: [["My hairdresser is moving to Spain, I'm devastated.", "Finding a new hairdresser you trust is genuinely stressful."]],
  wallet: [["A stranger handed in a wallet at the café while I was there, restored my faith in people.", "Small acts like that do make a difference to a day."]],
  blood: [["The blood bus is at the supermarket car park this week.", "Donation sessions like that are really convenient, no appointment needed sometimes."]],
  festival: [["Festival tickets have gone up to three hundred pounds, madness.", "Festival prices have risen a lot, day tickets can be a cheaper compromise."]],
  skydive: [["My boss is doing a charity abseil down the cathedral.", "That's brave, cathedral abseils raise a surprising amount of money."]],
  flood: [["Our upstairs neighbours had a leak and now there's a brown stain on our ceiling.", "Worth letting the landlord know quickly before it spreads."]],
  interview: [["How do you answer the 'what's your biggest weakness' question?", "Pick a real but manageable weakness and show what you're doing to improve it."]],
  hike: [["A friend is doing the Three Peaks challenge in June and wants company.", "That's a tough one, training on hills beforehand really matters."]],
  graduation: [["My neighbour's daughter just graduated from medical school.", "What a milestone, the whole family must be proud."]],
  auction: [["Have you ever watched those antiques programmes where people find treasure in the attic?", "They're oddly addictive, the reveal of the valuation is the best bit."]],
  bumped: [["I always run into someone I know when I look my absolute worst.", "It's practically a law of nature."]],
  quit: [["My friend joined three clubs in January and has been to none of them since.", "January enthusiasm is a powerful but short-lived force."]],
  loft: [["We really need to clear out the garage before winter.", "One box a day is a more survivable approach than a whole weekend."]],
  offer: [["A friend got two job offers on the same day and can't choose.", "A pros and cons list, then sleeping on it, usually makes it clearer."]],
  results: [["My nephew gets his exam results next week and is a nervous wreck.", "The waiting is often worse than the results themselves."]],
  "baby-names": [["Some celebrity named their baby after a type of fruit again.", "Celebrity baby names are their own genre at this point."]],
  proposal: [["My coworker is planning to propose at a football match, I've told him not to.", "Public proposals are a high-risk strategy!"]],
  course: [["A friend did a silent retreat for a week and says it changed her life.", "Retreats can be surprisingly powerful resets."]],
  noise: [["Why do cars always make noises that disappear when you get to the garage?", "It's one of the great mysteries; recording the sound on your phone helps the mechanic."]],
  sport: [["Padel courts are popping up everywhere, is it just tennis with walls?", "More or less, and it's easier for beginners to get rallies going."]],
  music: [["My dad says music peaked in the seventies and he won't be moved on it.", "Every generation's dad says the same about their own teenage years."]],
  "friend-visit": [["A friend from school wants to visit but only has the worst possible weekend free.", "Sometimes a short visit at a bad time is better than none."]],
  "rel:": [
    ["My friend's brother is getting married and she's been asked to give a speech.", "Speeches are easier with one good story and a toast, short is always better."],
    ["A colleague's mum has just retired and already has a busier diary than her.", "Retirement often seems to work that way!"],
  ],
  "open:region": [["Is it safe to travel on your own in South America?", "Many people do it happily; sensible precautions and some local knowledge go a long way."]],
};

/** The distractor exchanges for a claimed topic (by longest matching key prefix). */
export function distractorsFor(topic: string): [string, string][] {
  let best: string | undefined;
  for (const key of Object.keys(DISTRACTORS)) {
    if (topic === key || topic.startsWith(key.endsWith(":") ? key : `${key}:`)) if (!best || key.length > best.length) best = key;
  }
  return best ? DISTRACTORS[best]! : [];
}
