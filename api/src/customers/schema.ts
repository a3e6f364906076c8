import { domainToASCII } from "node:url";
import Joi from "joi";

/** The registration body, with the seed's field names so existing clients keep working. */
export interface RegistrationRequest {
  first_name: string;
  last_name: string;
  email_id: string;
  phone: string;
  province: string;
  city: string;
  postalcode: string;
  marketing_opt_in: boolean;
}

// PostgreSQL refuses NUL in text (a 500 if it got that far) and no name holds a line break or a
// lone UTF-16 surrogate, so control characters are refused up front. Names are stored composed
// (NFC): `José` typed on a Mac (e + combining accent) is then the same text as anywhere else.
const name = Joi.string()
  .normalize("NFC")
  .trim()
  .min(1)
  .max(100)
  .pattern(/^[^\p{Cc}\p{Cs}]*$/u, "text")
  .messages({ "string.pattern.name": "{{#label}} must not contain control characters" });

/**
 * SES sends to 7-bit ASCII addresses only. An internationalised domain is kept in its ASCII form
 * (`exämple.com` is `xn--exmple-cua.com`: one address, however it is typed); a non-ASCII local
 * part (RFC 6531) could never be mailed, so it is refused rather than registered in vain.
 */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf("@");
  const domain = at < 0 ? "" : domainToASCII(address.slice(at + 1));
  return domain ? `${address.slice(0, at)}@${domain}` : address;
}

// Addresses are compared in lower case everywhere: `Jane@X.com` and ` jane@x.com ` are one customer.
export const emailId = Joi.string()
  .trim()
  .lowercase()
  .custom(asciiDomain)
  .max(254)
  .email({ tlds: { allow: false }, allowUnicode: false });

export const registrationSchema = Joi.object<RegistrationRequest>({
  first_name: name.required(),
  last_name: name.required(),
  email_id: emailId.required(),
  // Separators are accepted as people type them and stored without, so `+1 (416) 555-0100` is `+14165550100`.
  phone: Joi.string()
    .trim()
    .max(25) // of the input as typed: Joi's replace() would run before it and let any number of separators through
    .custom((value: string) => value.replace(/[\s().-]/g, ""))
    .pattern(/^\+?[0-9]{7,15}$/, "phone number")
    .required()
    .messages({ "string.pattern.name": "{{#label}} must be a phone number of 7 to 15 digits, optionally starting with +" }),
  province: name.required(),
  city: name.required(),
  postalcode: Joi.string()
    .trim()
    .uppercase()
    .pattern(/^[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]$/, "postal code")
    .required()
    .messages({ "string.pattern.name": "{{#label}} must be 3 to 10 letters or digits, spaces or hyphens inside" }),
  marketing_opt_in: Joi.boolean().strict().default(false),
});

export interface VerificationRequest {
  email_id: string;
}

export const verificationSchema = Joi.object<VerificationRequest>({ email_id: emailId.required() });
