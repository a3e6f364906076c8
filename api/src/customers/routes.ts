import { Router } from "express";
import { validate } from "../http/validate";
import { registerCustomer, RegistrationDependencies } from "./register-customer";
import { isActiveCustomerEmail } from "./repository";
import { registrationSchema, verificationSchema } from "./schema";

export function customerRoutes(deps: RegistrationDependencies): Router {
  const router = Router();

  router.post("/customer-registration", async (req, res) => {
    const request = validate(registrationSchema, req.body);
    const registered = await registerCustomer(deps, request);
    res.status(201).json(registered);
  });

  router.post("/verify-registration", async (req, res) => {
    const { email_id } = validate(verificationSchema, req.body);
    res.json({ email_id, registered: await isActiveCustomerEmail(deps.db, email_id) });
  });

  return router;
}
