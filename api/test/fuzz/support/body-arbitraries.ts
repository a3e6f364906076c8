/** Request bodies: valid ones with some fields broken (most reach the use case), any JSON, and not JSON at all. */
import fc from "fast-check";
import { aRegistration } from "../../support/builders";
import { aCampaign } from "../../support/campaign-builders";
import { DocumentedOperation, Schema } from "./documented-operations";
import { FuzzRequest, knownInBody } from "./fuzz-request";
import { dateValue, emailValue, hostileString, hostileValue, invalidJsonText } from "./hostile-values";

type BodySchema = NonNullable<DocumentedOperation["body"]>;

const DROP = Symbol("drop");
const plausibleValues: Record<string, fc.Arbitrary<unknown>> = { email: emailValue, "date-time": dateValue };

// Valid bodies come from the suites' builders; a schema without one is built from its examples,
// with generated emails and dates (so verifications ask for registered addresses), and a new
// operation gets near-valid bodies too.
const builders: Record<string, () => Record<string, unknown>> = {
  RegistrationRequest: () => aRegistration(),
  CampaignCreate: () => aCampaign(),
  CampaignUpdate: () => aCampaign(),
};
// Segments as an admin writes them: places in any letter case (some repeated), registration periods.
const segment = fc.record(
  {
    provinces: fc.array(fc.constantFrom("Ontario", "QUÉBEC", "québec", "İzmir", "Attica"), { minLength: 1, maxLength: 3 }),
    cities: fc.array(fc.constantFrom("Toronto", "MONTRÉAL", "ΑΘΗΝΑΣ", "100 Mile House"), { minLength: 1, maxLength: 3 }),
    registered_after: dateValue,
    registered_before: dateValue,
  },
  { requiredKeys: [] },
);

// Privacy requests get past their 404 only when they name a customer: mostly a registered one, sometimes any address.
// Broadcasts get past theirs only when they name a live campaign: mostly one the run created.
const arbitraryBodies: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  DataSubjectRequest: fc.oneof({ weight: 3, arbitrary: fc.nat().map((n) => knownInBody("email_id", n)) }, emailValue).map((email_id) => ({ email_id })),
  BroadcastRequest: fc.record({
    campaign_id: fc.oneof({ weight: 6, arbitrary: fc.nat().map((n) => knownInBody("campaign_id", n)) }, fc.uuid()),
    segment: fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, segment),
  }),
};

function validBody({ name, properties }: BodySchema): fc.Arbitrary<Record<string, unknown>> {
  if (builders[name]) return fc.constant(null).map(() => builders[name]()); // a fresh email each time
  if (arbitraryBodies[name]) return arbitraryBodies[name];
  const examples = Object.fromEntries(Object.entries(properties).flatMap(([field, s]) => ("example" in s ? [[field, s.example]] : [])));
  const generated = Object.entries(properties).flatMap(([field, s]) => (plausibleValues[s.format ?? ""] ? [[field, plausibleValues[s.format!]]] : []));
  return fc.record(Object.fromEntries(generated)).map((values) => ({ ...examples, ...values }));
}

/**
 * A field dropped or replaced by a hostile value; emails and dates, chosen more often, mostly by
 * other plausible ones (so registrations collide and campaign periods vary).
 */
function fieldChange([field, schema]: [string, Schema]): fc.WeightedArbitrary<readonly [string, unknown]> {
  const plausible = plausibleValues[schema.format ?? ""];
  const value = fc.oneof(...(plausible ? [{ weight: 3, arbitrary: plausible }] : []), { weight: 2, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant(DROP) });
  return { weight: plausible ? 6 : 1, arbitrary: value.map((v) => [field, v] as const) };
}

/** A valid body (a third of them), or one with a field or a few changed, and sometimes fields the schema does not know. */
function nearValid(body: BodySchema): fc.Arbitrary<unknown> {
  const change = fc.oneof(...Object.entries(body.properties).map(fieldChange));
  const changes = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(change, { minLength: 1, maxLength: 1 }) }, fc.array(change, { maxLength: 3 }));
  const extra = fc.oneof({ weight: 7, arbitrary: fc.constant({}) }, fc.dictionary(hostileString, hostileValue, { minKeys: 1, maxKeys: 2 }));
  return fc.tuple(validBody(body), changes, extra).map(([valid, fieldChanges, extraFields]) => {
    const result = { ...valid };
    for (const [field, value] of fieldChanges) {
      if (value === DROP) delete result[field];
      else result[field] = value;
    }
    return { ...result, ...extraFields };
  });
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  fc.constantFrom(
    "application/json; charset=utf-8",
    'application/json; charset="UTF-8"',
    "application/json; charset=utf-16",
    "application/json; charset=utf-32",
    "application/json; charset=latin1",
    "APPLICATION/JSON",
    "application/vnd.api+json",
    "application/merge-patch+json",
    "application/json;;;",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "*/*",
    "",
  ),
  fc.tuple(fc.webSegment(), fc.webSegment()).map(([type, subtype]) => `${type}/${subtype}`),
  fc.constant(undefined), // no Content-Type header at all
);

const contentEncoding = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  fc.constantFrom("gzip", "deflate", "br", "identity", "GZIP", "x-unknown", "gzip, deflate"),
);

/** A body for an operation (near-valid when it takes one), or none: mostly none where it takes none. */
export function bodyFor(body: BodySchema | undefined): fc.Arbitrary<FuzzRequest["body"]> {
  const json = body ? fc.oneof({ weight: 6, arbitrary: nearValid(body).map((v) => JSON.stringify(v)) }, fc.json({ maxDepth: 3 })) : fc.json({ maxDepth: 3 });
  const sent = fc.record({
    text: fc.oneof({ weight: 6, arbitrary: json }, invalidJsonText),
    contentType,
    contentEncoding,
    compress: fc.boolean(),
  });
  return fc.oneof({ weight: body ? 1 : 6, arbitrary: fc.constant(undefined) }, { weight: body ? 8 : 1, arbitrary: sent });
}
