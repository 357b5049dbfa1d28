import { validateOn } from "./validate-backend.js";

// One file per backend so the two suites run in parallel workers.
validateOn("pglite");
