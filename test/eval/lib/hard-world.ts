import type { Random } from "./random.js";

/** Question categories of the hard set. */
export const CATEGORIES = ["single-fact", "multi-hop", "temporal", "updated-fact", "adjacent-turn", "open-domain"] as const;
export type Category = (typeof CATEGORIES)[number];

/** One planted line; `evidence` marks the turns a question needs, `superseded` an older value of an updated fact. */
export interface Line {
  role: "user" | "assistant";
  text: string;
  evidence?: boolean;
  superseded?: boolean;
}

/** A contiguous block of turns (user first, alternating, assistant last) placed in one session. */
export interface Episode {
  session: number;
  lines: Line[];
}

/** One question with the episodes that plant its evidence (and any superseded values). */
export interface Item {
  category: Category;
  kind: string;
  episodes: Episode[];
  question: string;
  answer: string;
  /** When true, the answer text appears verbatim in an evidence turn (checked at generation). */
  literal?: boolean;
}

/** Makes one question (and its evidence) for a conversation; throws Conflict when its topics are taken. */
export type Generator = (w: World) => Item;

/** Thrown by a generator whose topic is taken in this conversation; the builder tries another. */
export class Conflict extends Error {}

const MS_PER_DAY = 86_400_000;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export const FEMALE_NAMES = [
  "Maya", "Priya", "Hannah", "Rosa", "Ingrid", "Tessa", "Noor", "Elena", "Freya", "Imogen", "Zainab", "Clara", "Beatriz", "Siobhan",
  "Anouk", "Leila", "Martha", "Niamh", "Yasmin", "Esme", "Harriet", "Kavya", "Lucia", "Mirela", "Orla", "Petra", "Ruby", "Saoirse",
  "Thea", "Ursula", "Vera", "Wanjiru", "Ximena", "Agnieszka", "Bronwen", "Delphine", "Edie", "Farah", "Greta", "Hana",
];
export const MALE_NAMES = [
  "Leo", "Sam", "Jordan", "Daniel", "Arjun", "Felix", "Hamish", "Idris", "Jonah", "Kofi", "Luca", "Mateo", "Niall", "Omar", "Piotr",
  "Quentin", "Rory", "Stellan", "Tariq", "Umar", "Viktor", "Wes", "Yusuf", "Zeke", "Alfie", "Bruno", "Callum", "Dmitri", "Emeka",
  "Finn", "Gareth", "Hugo", "Ivo", "Jasper", "Kieran", "Lars", "Magnus", "Nico", "Otto", "Rafael",
];

export type Gender = "f" | "m";

/** Everything a generator needs: randomness, the session calendar, unique names and topic claims. */
export class World {
  private readonly claimed = new Set<string>();
  private readonly used = new Map<string, Set<string>>();
  private readonly load: number[];

  constructor(
    readonly random: Random,
    /** Start time of each session, ascending. */
    readonly dates: readonly Date[],
  ) {
    this.load = dates.map(() => 0);
  }

  get sessionCount(): number {
    return this.dates.length;
  }

  /** Claims topics for this question; throws Conflict (claiming nothing) when one is taken. */
  claim(...topics: string[]): void {
    if (topics.some((t) => this.claimed.has(t))) throw new Conflict(topics.join(","));
    for (const t of topics) this.claimed.add(t);
  }

  isClaimed(topic: string): boolean {
    return this.claimed.has(topic);
  }

  claimedTopics(): string[] {
    return [...this.claimed];
  }

  /** The claims, names and session loads so far, to undo a question that is not kept. */
  snapshot(): { claimed: string[]; used: [string, string[]][]; load: number[] } {
    return { claimed: [...this.claimed], used: [...this.used].map(([k, v]) => [k, [...v]]), load: [...this.load] };
  }

  restore(snap: ReturnType<World["snapshot"]>): void {
    this.claimed.clear();
    for (const t of snap.claimed) this.claimed.add(t);
    this.used.clear();
    for (const [k, v] of snap.used) this.used.set(k, new Set(v));
    this.load.splice(0, this.load.length, ...snap.load);
  }

  /** A value of `pool` not yet handed out under `key` in this conversation. */
  unique<T>(key: string, pool: readonly T[], label: (t: T) => string = String): T {
    const used = this.used.get(key) ?? new Set<string>();
    const free = pool.filter((t) => !used.has(label(t)));
    if (free.length === 0) throw new Conflict(`pool ${key} exhausted`);
    const value = this.random.pick(free);
    used.add(label(value));
    this.used.set(key, used);
    return value;
  }

  /** A first name nobody else in this conversation has. */
  name(gender: Gender = this.random.next() < 0.5 ? "f" : "m"): string {
    return this.unique("name", gender === "f" ? FEMALE_NAMES : MALE_NAMES);
  }

  /** Reserves a name (so filler-free persona names never repeat). */
  reserveName(name: string): void {
    const used = this.used.get("name") ?? new Set<string>();
    used.add(name);
    this.used.set("name", used);
  }

  /** A session in [min, max] (clamped), the less loaded of two random picks. */
  session(min = 0, max = this.sessionCount - 2): number {
    const lo = Math.max(0, Math.min(min, this.sessionCount - 1));
    const hi = Math.max(lo, Math.min(max, this.sessionCount - 1));
    const a = this.random.int(lo, hi);
    const b = this.random.int(lo, hi);
    const s = this.load[a]! <= this.load[b]! ? a : b;
    this.load[s]!++;
    return s;
  }

  /**
   * `n` distinct sessions in ascending order, at least `gap` apart, within
   * [min, max]. With `latestUniform`, the last one is drawn uniformly first
   * and the others before it, so the latest is not skewed towards the end
   * (for updated facts, whose latest statement is the evidence).
   */
  sessions(n: number, gap: number, min = 0, max = this.sessionCount - 2, latestUniform = false): number[] {
    const hi = Math.min(max, this.sessionCount - 1);
    if (hi - min < (n - 1) * gap) throw new Conflict("no room for sessions");
    if (latestUniform && n > 1) {
      const last = this.random.int(min + (n - 1) * gap, hi);
      this.load[last]!++;
      return [...this.sessions(n - 1, gap, min, last - gap), last];
    }
    for (let attempt = 0; attempt < 200; attempt++) {
      const picks = Array.from({ length: n }, () => this.random.int(min, hi)).sort((a, b) => a - b);
      if (picks.every((s, i) => i === 0 || s - picks[i - 1]! >= gap)) {
        for (const s of picks) this.load[s]!++;
        return picks;
      }
    }
    const picks = Array.from({ length: n }, (_, i) => min + i * gap);
    for (const s of picks) this.load[s]!++;
    return picks;
  }

  /** A relative time phrase for something that happened shortly before session `s`, and its date. */
  recently(s: number): { phrase: string; date: Date } {
    const start = this.dates[s]!;
    const k = this.random.pick([0, 0, 1, 1, 1, 2, 3, 4, 5, 6]);
    const date = new Date(start.getTime() - k * MS_PER_DAY);
    let phrase: string;
    if (k === 0) phrase = this.random.pick(["this morning", "earlier today", "today", "this afternoon"]);
    else if (k === 1) phrase = this.random.pick(["yesterday", "last night", "yesterday afternoon"]);
    else if (k === 2 && this.random.next() < 0.5) phrase = "the day before yesterday";
    else phrase = `on ${WEEKDAYS[date.getUTCDay()]}`;
    return { phrase, date };
  }

  pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }
}

export function fmtDate(d: Date): string {
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function monthYear(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function weekday(d: Date): string {
  return WEEKDAYS[d.getUTCDay()]!;
}

export function daysBetween(a: Date, b: Date): number {
  const day = (d: Date) => Math.floor(d.getTime() / MS_PER_DAY);
  return Math.abs(day(b) - day(a));
}

/** An exchange: the user line (evidence unless told otherwise) and the assistant's reply. */
export function say(user: string, assistant: string, evidence = true): Line[] {
  return [
    { role: "user", text: user, ...(evidence ? { evidence: true } : {}) },
    { role: "assistant", text: assistant },
  ];
}

/** An exchange whose user line is an older value of an updated fact. */
export function old(user: string, assistant: string): Line[] {
  return [
    { role: "user", text: user, superseded: true },
    { role: "assistant", text: assistant },
  ];
}

/** "a" or "an" before a word. */
export function an(word: string): string {
  return /^[aeiou]/i.test(word) && !/^(uni|use|eu|ux|one)/i.test(word) ? `an ${word}` : `a ${word}`;
}

export function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
