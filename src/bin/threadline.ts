#!/usr/bin/env node
// The installed `threadline` command. The CLI itself is compiled JavaScript;
// tsx's loader is registered first only because the graph modules a project
// names in langgraph.json are usually TypeScript, imported at run time.
import { register } from "tsx/esm/api";

register();
await import("../cli.js");
