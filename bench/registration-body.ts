import { randomUUID } from "node:crypto";

const run = randomUUID().slice(0, 8);
let counter = 0;

/** A valid registration body with an email no other request of any run has used. */
export function aBenchRegistration() {
  const n = counter++;
  return {
    first_name: "Bench",
    last_name: "Customer", // names hold no digits; the email makes each registration unique
    email_id: `bench.${run}.${n}@example.com`,
    phone: "+1 416 555 0100",
    province: "Ontario",
    city: "Toronto",
    postalcode: "M5V 2T6",
    marketing_opt_in: n % 2 === 0,
  };
}
