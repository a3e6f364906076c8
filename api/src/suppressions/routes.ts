import { Router } from "express";
import { Knex } from "knex";
import { maskEmail } from "../../../shared/src/logger";
import { requireApiKey } from "../http/require-api-key";
import { validate } from "../http/validate";
import { liftAddressSuppression, lookUpSuppression } from "./address-suppression";
import { addressRequestSchema } from "./schema";

/**
 * Admin view of why an address is not emailed (SES reported a permanent bounce or a complaint),
 * and lifting that. Addresses come in POST bodies only, never in URLs, and are logged masked.
 */
export function suppressionRoutes(deps: { db: Knex; adminApiKey: string }): Router {
  const router = Router();
  router.use("/suppressions", requireApiKey(deps.adminApiKey));

  router.post("/suppressions/lookup", async (req, res) => {
    const { email_id: email } = validate(addressRequestSchema, req.body);
    res.setHeader("Cache-Control", "no-store");
    res.json(await lookUpSuppression(deps.db, email));
  });

  router.post("/suppressions/lift", async (req, res) => {
    const { email_id: email } = validate(addressRequestSchema, req.body);
    const lifted = await liftAddressSuppression(deps.db, email);
    req.log.info({ address: maskEmail(email), reason: lifted.suppression?.reason }, "suppression lifted");
    res.setHeader("Cache-Control", "no-store");
    res.json(lifted);
  });

  return router;
}
