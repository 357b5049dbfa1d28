/** The values single-fact items draw from (see hard-single.ts). */
export const PETS: { breed: string; cls: "dog" | "cat" | "rabbit" | "tortoise" | "bird" }[] = [
  { breed: "beagle", cls: "dog" },
  { breed: "greyhound", cls: "dog" },
  { breed: "border collie", cls: "dog" },
  { breed: "dachshund", cls: "dog" },
  { breed: "whippet", cls: "dog" },
  { breed: "cocker spaniel", cls: "dog" },
  { breed: "staffie", cls: "dog" },
  { breed: "tabby", cls: "cat" },
  { breed: "Maine Coon", cls: "cat" },
  { breed: "Siamese", cls: "cat" },
  { breed: "ginger tom", cls: "cat" },
  { breed: "lop-eared rabbit", cls: "rabbit" },
  { breed: "Hermann's tortoise", cls: "tortoise" },
  { breed: "cockatiel", cls: "bird" },
];
export const PET_NAMES = [
  "Biscuit", "Mochi", "Pepper", "Juniper", "Waffles", "Ziggy", "Clementine", "Otis", "Pickle", "Bramble", "Nutmeg", "Pixel", "Dumpling",
  "Marmalade", "Rocket", "Sprout", "Tofu", "Basil", "Chutney", "Fig", "Gizmo", "Haggis", "Kipper", "Noodle",
];
export const PET_ACK: Record<(typeof PETS)[number]["cls"], string[]> = {
  dog: [
    "Congratulations! The first fortnight is all about routine: same walk times, a quiet corner, and lots of patience.",
    "How exciting. Keep shoes and cables out of reach for a few weeks, and book a vet check early.",
  ],
  cat: [
    "Congratulations! Give her one small room to start with, cats settle faster when the world is small.",
    "Lovely. A couple of hiding places and a scratching post will make the first weeks much calmer.",
  ],
  rabbit: ["How lovely. They're happiest with lots of floor time and a friend eventually, and they love cardboard tunnels."],
  tortoise: ["What a long-term companion! A warm basking spot and a good UV lamp are the two things to get right early."],
  bird: ["Oh, how fun. They're very social, so a cage in the room where you spend the most time is ideal."],
};

export const FOODS = ["shellfish", "peanuts", "sesame", "kiwi", "cashews", "eggs", "mustard", "celery", "soy", "strawberries", "hazelnuts", "mango"];
export const INSTRUMENTS = ["cello", "trumpet", "banjo", "harp", "clarinet", "drum kit", "accordion", "flute", "bass guitar", "ukulele", "oboe", "trombone"];
export const LANGUAGES = ["Portuguese", "Japanese", "Welsh", "Greek", "Korean", "Italian", "Turkish", "Dutch", "Polish", "Swahili", "Icelandic", "Hindi"];
export const AUTHORS = ["Ursula K. Le Guin", "Kazuo Ishiguro", "Toni Morrison", "Terry Pratchett", "Agatha Christie", "Sally Rooney", "Haruki Murakami", "Hilary Mantel", "Octavia Butler", "Jane Austen", "Chimamanda Ngozi Adichie", "Patrick O'Brian"];
export const TOWNS = ["Whitby", "Tralee", "Hexham", "Ludlow", "Oban", "Tenby", "Kendal", "Penzance", "Dunoon", "Skibbereen", "Alnwick", "Portree"];
export const INJURIES = ["a torn ligament in my knee", "a hairline fracture in my wrist", "a slipped disc", "a badly sprained ankle", "a dislocated shoulder", "a torn hamstring", "two cracked ribs", "a broken toe"];
export const DRINKS = ["an oat flat white with an extra shot", "a double espresso", "a cortado", "an iced americano", "a soy chai latte", "a mocha with no cream", "a decaf cappuccino", "a matcha latte"];
export const FEARS: { thing: string; line: string }[] = [
  { thing: "spiders", line: "There was a spider the size of a saucer in the bath this morning and I had to call my neighbour to deal with it. I genuinely cannot be in a room with them." },
  { thing: "deep water", line: "Everyone jumped off the boat to swim and I stayed on deck gripping the rail. Not being able to see the bottom is my absolute nightmare." },
  { thing: "heights", line: "The glass viewing platform was a hard no from me, my legs turned to jelly just looking at it." },
  { thing: "needles", line: "Had a blood test and nearly fainted before the nurse even found the vein. It's been like that since I was a kid." },
  { thing: "birds", line: "A pigeon flew into the café today and I was under the table before anyone else had noticed. Wings flapping near my face, no thank you." },
  { thing: "clowns", line: "The kids' party had an entertainer with the face paint and the big shoes, and I had to hide in the kitchen for an hour." },
  { thing: "moths", line: "A moth got into the bedroom last night and I slept on the sofa. The fluttering is what gets me." },
  { thing: "lifts", line: "Took the stairs up eleven floors at the hospital rather than get in the elevator. Small metal box, doors closing, no way." },
];
export const SUBJECTS = ["marine biology", "medieval history", "civil engineering", "philosophy", "architecture", "pharmacology", "music technology", "economics", "astrophysics", "linguistics", "veterinary science", "fine art"];
export const TEAMS = ["Liverpool", "Celtic", "the Yankees", "the Chicago Bulls", "Leinster", "the All Blacks", "Arsenal", "the Green Bay Packers", "Hibs", "the Boston Red Sox", "Munster", "Everton"];
export const CHARITIES: { place: string; line: string }[] = [
  { place: "the food bank", line: "Spent the morning at the food bank sorting tins by date, then a three-hour shift handing out parcels. I've signed up for every other Saturday." },
  { place: "an animal shelter", line: "Did my Sunday shift at the rescue kennels again, walked eleven dogs and cleaned a lot of runs. Unpaid and the best part of my week." },
  { place: "the hospice charity shop", line: "My afternoon at the hospice shop was mostly steaming donated coats and pricing paperbacks. I do it every Thursday now." },
  { place: "the community garden", line: "Weeding the raised beds at the community garden with the Saturday crew again, nobody gets paid but we all go home with courgettes." },
  { place: "a listening helpline", line: "Did another overnight on the listening line. Some calls stay with you, but I'm glad I trained for it." },
  { place: "a youth football club", line: "Coached the under-nines again this morning, unpaid, freezing, and they lost eight-nil. Still grinning." },
];
export const GIFTS = ["a bread maker", "a pasta machine", "a telescope", "a sewing machine", "an inflatable kayak", "a record player", "a stand mixer", "a projector", "a pizza oven", "a pair of binoculars"];
export const DREAMS = [
  { job: "an astronaut", line: "I found my old school jotter where I'd written that I'd be the first person on Mars. I was so sure of it at seven." },
  { job: "a vet", line: "When I was little I used to bandage every teddy in the house and charge my brother for appointments. I was going to run an animal hospital." },
  { job: "a racing driver", line: "At eight I had a poster of every Formula One car on my wall and told everyone I'd win at Monaco one day." },
  { job: "a chef", line: "My grandmother let me run her kitchen on Sundays when I was small, and I announced I'd have my own restaurant by twenty." },
  { job: "a detective", line: "Age nine: magnifying glass, notebook, and a firm plan to solve crimes for Scotland Yard when I grew up." },
  { job: "a ballet dancer", line: "I spent my whole childhood in pink tights, convinced I'd end up on stage at Covent Garden." },
];
