import { describe, it } from "vitest";
import { BACKENDS } from "../helpers/db.js";
import { validateOn } from "./validate-backend.js";

// One file per backend so the two suites run in parallel workers.
if (BACKENDS.includes("postgres")) validateOn("postgres");
else describe.skip("ThreadlineSaver [postgres] (set TEST_DATABASE_URL)", () => it("is not run", () => undefined));
