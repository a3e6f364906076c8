import Joi from "joi";
import { emailId } from "../customers/schema";

/** An address, in a POST body so it stays out of URLs and access logs; compared as registration stores it. */
export interface AddressRequest {
  email_id: string;
}

export const addressRequestSchema = Joi.object<AddressRequest>({ email_id: emailId.required() });
