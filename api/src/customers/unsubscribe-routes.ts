import { Router } from "express";
import Joi from "joi";
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { verifyUnsubscribeToken } from "../../../shared/src/unsubscribe-token";
import { validate } from "../http/validate";
import { optOutOfMarketing } from "./repository";

const querySchema = Joi.object<{ token: string }>({ token: Joi.string().max(512).required() });

/**
 * The unsubscribe link of every welcome email (GET, from a browser) and the one-click unsubscribe
 * of RFC 8058 (POST from the mail client, form-encoded, so these routes sit outside the JSON-only rule).
 * The token is signed by the campaign service; only its holder can opt the customer out.
 */
export function unsubscribeRoutes(deps: { db: Knex; signingKey: string }): Router {
  const router = Router();
  const unsubscribe = async (query: unknown): Promise<void> => {
    const { token } = validate(querySchema, query, "query");
    const customerId = verifyUnsubscribeToken(token, deps.signingKey);
    if (!customerId) {
      throw new AppError("invalid-token", "The unsubscribe link is invalid", {
        status: 400,
        details: [{ field: "token", message: "token is not a valid unsubscribe token" }],
      });
    }
    if (!(await optOutOfMarketing(deps.db, customerId))) {
      throw new AppError("not-found", "No such customer", { status: 404 });
    }
  };

  router.get("/unsubscribe", async (req, res) => {
    await unsubscribe(req.query);
    res.format({
      html: () => {
        res.send("<!doctype html><title>Unsubscribed</title><p>You will no longer receive offers from e_com.</p>");
      },
      default: () => {
        res.json({ unsubscribed: true });
      },
    });
  });
  router.post("/unsubscribe", async (req, res) => {
    await unsubscribe(req.query);
    res.json({ unsubscribed: true });
  });
  return router;
}
