import { Router } from "express";
import { Knex } from "knex";
import { validate } from "../http/validate";
import { registerCustomer } from "./register-customer";
import { registrationBatches } from "./registration-batches";
import { isActiveCustomerEmail } from "./repository";
import { registrationSchema, verificationSchema } from "./schema";

export function customerRoutes(deps: { db: Knex; onEventCommitted: () => void }): Router {
  const router = Router();
  const registration = { store: registrationBatches(deps.db), onEventCommitted: deps.onEventCommitted };

  router.post("/customer-registration", async (req, res) => {
    const request = validate(registrationSchema, req.body);
    const registered = await registerCustomer(registration, request);
    res.status(201).json(registered);
  });

  router.post("/verify-registration", async (req, res) => {
    const { email_id } = validate(verificationSchema, req.body);
    res.json({ email_id, registered: await isActiveCustomerEmail(deps.db, email_id) });
  });

  return router;
}
