import { Request, Response, Router } from "express";
import Joi from "joi";
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { LinkPurpose, SigningKeys, verifyLinkToken } from "../../../shared/src/link-token";
import { validate } from "../http/validate";
import {
  confirmSubscriptionPage,
  resubscribedPage,
  subscriptionConfirmedPage,
  unsubscribedPage,
  unsubscribePage,
} from "./consent-pages";
import { changeMarketingConsent, ConsentHolder, findConsentHolder } from "./consent-repository";

// Link trackers append their own parameters (utm_*): only the token is read, the rest ignored.
const querySchema = Joi.object<{ token: string }>({ token: Joi.string().max(512).required() }).unknown(true);

/**
 * The links of our emails (RFC 8058 style): a GET only shows where the link leads and changes
 * nothing, since mail scanners and previewers open links on their own; a POST acts. POST
 * /unsubscribe is also the mail client's one-click unsubscribe (form-encoded, so these routes sit
 * outside the JSON-only rule; its body says nothing we need). Browsers get a page, anything else JSON.
 * Tokens are signed by the campaign service, each for one purpose: only the mailbox's owner holds them.
 */
export function unsubscribeRoutes(deps: { db: Knex; signingKeys: SigningKeys }): Router {
  const router = Router();

  const customerOf = (req: Request, purpose: LinkPurpose): { customerId: string; token: string } => {
    const { token } = validate(querySchema, req.query, "query");
    const customerId = verifyLinkToken(token, purpose, deps.signingKeys);
    if (!customerId) {
      throw new AppError("invalid-token", "The link is invalid", {
        status: 400,
        details: [{ field: "token", message: `token is not a valid ${purpose === "unsubscribe" ? "unsubscribe" : "confirmation"} token` }],
      });
    }
    return { customerId, token };
  };

  router.get("/unsubscribe", async (req, res) => {
    const { customerId, token } = customerOf(req, "unsubscribe");
    const holder = found(await findConsentHolder(deps.db, customerId));
    answer(req, res, { marketing_consent: holder.consent }, () => unsubscribePage(holder, token));
  });

  router.post("/unsubscribe", async (req, res) => {
    const { customerId, token } = customerOf(req, "unsubscribe");
    const holder = found(await changeMarketingConsent(deps.db, customerId, "none", "unsubscribe-link"));
    answer(req, res, { unsubscribed: true }, () => unsubscribedPage(holder, token));
  });

  // The unsubscribe page's undo: the click comes from the mailbox, so it confirms consent too.
  router.post("/resubscribe", async (req, res) => {
    const { customerId, token } = customerOf(req, "unsubscribe");
    const holder = found(await changeMarketingConsent(deps.db, customerId, "confirmed", "resubscribe-link"));
    answer(req, res, { marketing_consent: holder.consent }, () => resubscribedPage(holder, token));
  });

  router.get("/confirm-subscription", async (req, res) => {
    const { customerId, token } = customerOf(req, "confirm-marketing");
    const holder = found(await findConsentHolder(deps.db, customerId));
    answer(req, res, { marketing_consent: holder.consent }, () => confirmSubscriptionPage(holder, token));
  });

  router.post("/confirm-subscription", async (req, res) => {
    const { customerId } = customerOf(req, "confirm-marketing");
    const holder = found(await changeMarketingConsent(deps.db, customerId, "confirmed", "confirmation-link"));
    answer(req, res, { marketing_consent: holder.consent }, () => subscriptionConfirmedPage(holder));
  });

  return router;
}

/** An erased customer's links lead nowhere. */
function found(holder: ConsentHolder | undefined): ConsentHolder {
  if (!holder) throw new AppError("not-found", "No such customer", { status: 404 });
  return holder;
}

/** A page for browsers (they ask for HTML first), JSON for everything else, never cached: the answer depends on the token. */
function answer(req: Request, res: Response, json: object, page: () => string): void {
  res.setHeader("Cache-Control", "no-store");
  res.vary("Accept");
  if (req.accepts(["json", "html"]) === "html") res.type("html").send(page());
  else res.json(json);
}
