import { createRequire } from "node:module";
import { router } from "../api.js";
import { openApiDocument } from "../openapi.js";

const require = createRequire(import.meta.url);

/** The versions /info reports, read once. */
function versions(): { version: string; langgraph_js_version: string } {
  const read = (name: string) => {
    try {
      return (require(name) as { version: string }).version;
    } catch {
      return "unknown";
    }
  };
  return { version: read("threadline/package.json"), langgraph_js_version: read("@langchain/langgraph/package.json") };
}

/** /ok, /info and /docs: what clients and Studio ask before anything else. */
export function metaRoutes() {
  const api = router();
  const info = { ...versions(), context: "js", host: "threadline", flags: { assistants: true, crons: false, langsmith: false, langsmith_tracing_replicas: false } };
  api.get("/ok", (c) => c.json({ ok: true }));
  api.get("/info", (c) => c.json(info));
  api.get("/openapi.json", (c) => c.json(openApiDocument(info.version)));
  api.get("/docs", (c) =>
    c.html(`<!doctype html><html><head><title>Threadline API</title><meta charset="utf-8"></head>
<body><h1>Threadline: the LangGraph API</h1><p>The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p>
<pre id="doc"></pre><script>fetch("/openapi.json").then(r=>r.json()).then(d=>{document.getElementById("doc").textContent=Object.entries(d.paths).map(([p,ms])=>Object.entries(ms).map(([m,o])=>m.toUpperCase().padEnd(7)+p+"  "+o.summary).join("\\n")).join("\\n")})</script></body></html>`),
  );
  return api;
}
