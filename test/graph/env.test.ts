import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../src/graph/project.js";
import { parseEnvFile } from "../../src/graph/env.js";
import { ConfigurationError } from "../../src/errors.js";

const ENV = resolve(import.meta.dirname, "../fixtures/graphs/env");

describe("langgraph.json env", () => {
  it("an object is the project's env as written, and process.env is left alone", async () => {
    const before = { ...process.env };
    const project = await loadProject(resolve(ENV, "inline.langgraph.json"));
    expect(project.env).toEqual({ GRAPH_MODEL: "gpt-4o-mini", EMPTY: "" });
    expect(process.env).toEqual(before);
  });

  it("a path is a .env file next to the project file", async () => {
    const project = await loadProject(resolve(ENV, "file.langgraph.json"));
    expect(project.env).toEqual({
      GRAPH_MODEL: "gpt-4o-mini",
      REGION: "eu-west-1",
      QUOTED: "two words # not a comment",
      SINGLE: "no $expansion\\n here",
      MULTI: "first line\nsecond line",
      ESCAPED: "a\nb",
      EMPTY: "",
    });
    expect(process.env.GRAPH_MODEL).toBeUndefined();
  });

  it("reads a well-formed file as Node's --env-file does", async () => {
    const text = await readFile(resolve(ENV, "app.env"), "utf8");
    expect(parseEnvFile(text, "app.env")).toEqual(parseEnv(text));
  });

  it("a missing .env file is a ConfigurationError naming its path", async () => {
    const err = await loadProject(resolve(ENV, "missing.langgraph.json")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as Error).message).toBe(`the env file ${resolve(ENV, "nope.env")} does not exist`);
  });

  it("a malformed .env file is a ConfigurationError naming its path and line", async () => {
    await expect(loadProject(resolve(ENV, "malformed.langgraph.json"))).rejects.toThrow(
      new ConfigurationError(`${resolve(ENV, "malformed.env")}:2: expected KEY=value`),
    );
  });

  it("refuses what dotenv would silently skip", () => {
    expect(() => parseEnvFile("1ABC=x", "a.env")).toThrow('a.env:1: "1ABC" is not a variable name');
    expect(() => parseEnvFile('A=ok\nB="never closed\nC=3', "a.env")).toThrow("a.env:2: the value of B has no closing \"");
    expect(() => parseEnvFile("A='x' y", "a.env")).toThrow("a.env:1: unexpected text after the closing ' of A");
  });

  it("a later line wins, and CRLF files read the same", () => {
    expect(parseEnvFile("A=1\r\nB=2\r\nA=3\r\n", "a.env")).toEqual({ A: "3", B: "2" });
  });
});
