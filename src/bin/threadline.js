#!/usr/bin/env node
// The published entrypoint: registers tsx so the TypeScript CLI (and the
// TypeScript graph modules it imports from langgraph.json) run as they are.
import { register } from "tsx/esm/api";

register();
await import("../cli.ts");
