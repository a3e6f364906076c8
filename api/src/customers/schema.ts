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

/** Longest accepted names, in code points (characters as people count them, not UTF-16 units). */
export const NAME_MAX_CHARACTERS = 50;
export const PLACE_MAX_CHARACTERS = 100;

// Names are words: letters and combining marks of any script, joined by what names hold (apostrophes
// ' and ’, hyphens, periods, middle dots as in Catalan `l·l` and Japanese `ジョン・スミス`) and
// single-width, no-break or ideographic spaces. Nothing else: no digits, no `:` or `/` (so no URL),
// no `=?…?=` (an RFC 2047 encoded word, which mail clients decode), and no invisible characters
// (bidi controls, zero-width ones, fillers): a registrant's name reaches other people's inboxes.
// Place names may also hold digits and `, ( ) / &` ("100 Mile House", "Halle (Saale)").
const SPACE = "[ \\u00A0\\u3000]";
const NAME_PART = "[\\p{L}\\p{M}'\\u2019.\\u00B7\\u0387\\u30FB-]";
const PLACE_PART = "[\\p{L}\\p{M}\\p{Nd}'\\u2019.,()/&\\u00B7\\u0387\\u30FB-]";
const HAS_LETTER = "(?=[^\\p{L}]*\\p{L})";
const NO_INVISIBLE = "(?![\\s\\S]*\\p{Default_Ignorable_Code_Point})";
// A period followed by a run of letters is a domain (`evil.example`); initials (`J.R.R.`) and
// `St. John` are not.
const DOMAIN = "\\.\\p{M}*\\p{L}\\p{M}*\\p{L}";
const words = (part: string) => `${part}+(?:${SPACE}+${part}+)*`;

/** What the OpenAPI document states (values are trimmed first, hence the outer white space); the `u` flag is needed. */
export const NAME_PATTERN = `^\\s*${HAS_LETTER}${NO_INVISIBLE}(?![\\s\\S]*${DOMAIN})${words(NAME_PART)}\\s*$`;
export const PLACE_PATTERN = `^\\s*${HAS_LETTER}${NO_INVISIBLE}${words(PLACE_PART)}\\s*$`;

const checks = {
  invisible: /[\p{C}\p{Default_Ignorable_Code_Point}]/u, // Cc, Cf (bidi, zero-width), Cs, Co, Cn and fillers
  webAddress: new RegExp(`://|${DOMAIN}`, "u"),
  letter: /\p{L}/u,
};

/** One name rule, with a message per way of breaking it (the first that applies), named by field. */
function wordsOf(kind: "name" | "place") {
  const [pattern, max, allowed] =
    kind === "name"
      ? [new RegExp(NAME_PATTERN, "u"), NAME_MAX_CHARACTERS, "letters, spaces, apostrophes, hyphens and periods"]
      : [new RegExp(PLACE_PATTERN, "u"), PLACE_MAX_CHARACTERS, "letters, digits, spaces and ' - . , ( ) / &"];
  // PostgreSQL refuses NUL and lone surrogates (a 500 if they got that far); both are in \p{C}.
  // Stored composed (NFC): `José` typed on a Mac (e + combining accent) is the same text as anywhere else.
  return Joi.string()
    .normalize("NFC")
    .trim()
    .custom((value: string, helpers) => {
      const refuse = (rule: string) => helpers.message({ custom: `{{#label}} ${rule}` });
      if (checks.invisible.test(value)) return refuse("must not contain invisible or control characters (bidi, zero-width)");
      if (kind === "name" && checks.webAddress.test(value)) return refuse("must not contain a web address or domain");
      if (!checks.letter.test(value)) return refuse("must contain a letter");
      if ([...value].length > max) return refuse(`must be at most ${max} characters long`);
      if (!pattern.test(value)) return refuse(`must contain only ${allowed}`);
      return value;
    });
}

const name = wordsOf("name");
/** A place name (province, city) as registration accepts and stores it; broadcast segments use the same rule. */
export const place = wordsOf("place");

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
  province: place.required(),
  city: place.required(),
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
