import { Router } from "express";
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { requireApiKey } from "../http/require-api-key";
import { validate } from "../http/validate";
import { erasePersonalData } from "./erase-personal-data";
import { exportPersonalData } from "./export-personal-data";
import { dataSubjectSchema } from "./schema";

const nobody = () => new AppError("not-found", "No customer matches", { status: 404 });

/** Admin handling of a customer's data-protection requests (access, erasure); every route requires the admin API key. */
export function privacyRoutes(deps: { db: Knex; adminApiKey: string }): Router {
  const router = Router();
  router.use("/privacy", requireApiKey(deps.adminApiKey));

  router.post("/privacy/export", async (req, res) => {
    const exported = await exportPersonalData(deps.db, validate(dataSubjectSchema, req.body));
    if (!exported) throw nobody();
    res.setHeader("Cache-Control", "no-store");
    res.json(exported);
  });

  router.post("/privacy/erasure", async (req, res) => {
    if (!(await erasePersonalData(deps.db, validate(dataSubjectSchema, req.body)))) throw nobody();
    // Logged without any identifier: the log must not link back what was just erased.
    req.log.info("personal data erased");
    res.json({ erased: true });
  });

  return router;
}
