import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { describeBackends, sharedPglite } from "../helpers/db.js";
import { startTestServer, type TestServer } from "../server/helpers.js";

/**
 * A real browser on the LangGraph API: the page of test/fixtures/browser/app.ts
 * (`useStream` of @langchain/langgraph-sdk/react, bundled here with esbuild)
 * is served from its own origin and driven in headless Chromium (Debian's
 * /usr/bin/chromium, which .ci/run installs).
 */

const CHROMIUM = "/usr/bin/chromium";
// The machine has no internet: keep Chromium from reaching for Google.
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const REPLY = "hello from the model";
const WAIT_MS = 8_000;

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>useStream</title></head>
<body><div id="root"></div><script src="/app.js"></script></body></html>`;

let dir: string;
let site: Server;
let siteUrl: string;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "threadline-browser-"));
  // PGlite's first start (seconds) overlaps the bundling and Chromium's launch.
  const [, launched] = await Promise.all([
    build({
      entryPoints: [resolve(import.meta.dirname, "../fixtures/browser/app.ts")],
      outfile: join(dir, "app.js"),
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      define: { "process.env.NODE_ENV": '"development"' },
      logLevel: "silent",
    }),
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    sharedPglite(),
  ]);
  browser = launched;
  await writeFile(join(dir, "index.html"), INDEX_HTML);
  // The page's own origin (another port than the API's: CORS is under test).
  const files: Record<string, [string, string]> = { "/": ["index.html", "text/html"], "/app.js": ["app.js", "text/javascript"] };
  site = createServer((req, res) => {
    const file = files[new URL(req.url ?? "/", "http://x").pathname];
    if (!file) return void res.writeHead(404).end();
    readFile(join(dir, file[0])).then(
      (body) => res.writeHead(200, { "content-type": `${file[1]}; charset=utf-8`, "cache-control": "no-store" }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((ok) => site.listen(0, "127.0.0.1", ok));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  if (site) {
    site.closeAllConnections();
    await new Promise((ok) => site.close(ok));
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the page shows, read from its DOM. */
interface Snapshot {
  status: string | null;
  thread: string | null;
  error: string | null;
  messages: string[];
  interrupt: string | null;
  resumable: boolean;
}

// A string, as the test type-checks without the DOM library.
const SNAPSHOT = `(() => {
  const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent ?? null;
  return {
    status: text("status"),
    thread: text("thread"),
    error: text("error"),
    messages: [...document.querySelectorAll('[data-testid^="message-"]')].map((li) => li.dataset.type + ": " + li.querySelector(".text").textContent),
    interrupt: text("interrupt-value"),
    resumable: document.querySelector('[data-testid="resume"]') != null,
  };
})()`;

/** Collects what the page reports as errors: console errors, uncaught exceptions, failed requests. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.stack ?? e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  return errors;
}

/** Waits (polling the DOM) until `ok` holds for what the page shows; a timeout reports the last snapshot and the page's errors. */
async function until(page: Page, errors: string[], what: string, ok: (s: Snapshot) => boolean): Promise<Snapshot> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const snap = await page.evaluate<Snapshot>(SNAPSHOT);
    if (ok(snap)) return snap;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the page shows ${JSON.stringify(snap, null, 2)}; page errors: ${JSON.stringify(errors, null, 2)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

async function send(page: Page, text: string) {
  await page.getByTestId("input").fill(text);
  await page.getByTestId("send").click();
}

describeBackends("browser: useStream on the server", (db) => {
  let s: TestServer | undefined;
  let context: BrowserContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await s?.close();
    s = undefined;
  });

  it("sends a message, shows streamed tokens, answers an interrupt and reloads into the thread's history", async () => {
    s = await startTestServer(db());
    // A pause between words, so the page renders the reply as it grows.
    s.model.tokenDelayMs = 30;
    context = await browser.newContext();
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${siteUrl}/?api=${encodeURIComponent(s.url)}`);
    await until(page, errors, "the empty page", (p) => p.status === "idle" && p.messages.length === 0);

    await send(page, "hi");
    const first = await until(page, errors, "the first reply", (p) => p.status === "idle" && same(p.messages, ["human: hi", `ai: ${REPLY}`]));
    const threadId = first.thread!;
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new URL(page.url()).searchParams.get("thread")).toBe(threadId);
    // Tokens were shown as they came: the page rendered a part of the reply before all of it.
    const seen = await page.evaluate<string[]>("window.__seen");
    expect(seen.at(-1)).toBe(REPLY);
    expect(seen.filter((t) => t.length > 0 && t.length < REPLY.length && REPLY.startsWith(t)), JSON.stringify(seen)).not.toHaveLength(0);

    await send(page, "please approve");
    const asked = await until(page, errors, "the interrupt", (p) => p.status === "idle" && p.interrupt != null);
    expect(JSON.parse(asked.interrupt!)).toEqual({ question: "approve?" });
    expect(asked.messages).toEqual(["human: hi", `ai: ${REPLY}`, "human: please approve"]);
    expect((await s.client.threads.get(threadId)).status).toBe("interrupted");

    await page.getByTestId("resume").click();
    const all = ["human: hi", `ai: ${REPLY}`, "human: please approve", "ai: approval: yes", `ai: ${REPLY}`];
    const resumed = await until(page, errors, "the resumed run's messages", (p) => p.status === "idle" && same(p.messages, all));
    expect(resumed).toMatchObject({ interrupt: null, resumable: false, error: null, thread: threadId });

    // A reload comes back to the same thread and shows its history.
    await page.reload();
    expect(new URL(page.url()).searchParams.get("thread")).toBe(threadId);
    const reloaded = await until(page, errors, "the thread's history after a reload", (p) => p.status === "idle" && same(p.messages, all));
    expect(reloaded).toMatchObject({ interrupt: null, error: null, thread: threadId });

    const thread = await s.client.threads.get<{ messages: { type: string; content: string }[] }>(threadId);
    expect(thread.status).toBe("idle");
    expect(thread.values.messages.map((m) => `${m.type}: ${m.content}`)).toEqual(all);
    expect(errors, `the page reported errors:\n${errors.join("\n")}`).toEqual([]);
  });
});
