import { Knex } from "knex";

const DAY = 24 * 60 * 60 * 1000;

/** On an empty database, a few campaigns so the first welcome email has something to show. */
export async function seedDemoCampaigns(db: Knex, now = new Date()): Promise<number> {
  const [{ count }] = await db("campaigns").count<{ count: string }[]>({ count: "*" });
  if (Number(count) > 0) return 0;
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const campaigns = [
    {
      name: "Winter warm-up",
      description: "Coats, boots and knitwear for the cold months.",
      offer: "20% off all outerwear",
      discount_code: "WARMUP20",
      starts_at: at(-7),
      ends_at: at(30),
    },
    {
      name: "Free shipping for new customers",
      description: "Your first order ships free, whatever its size.",
      offer: "Free standard shipping on your first order",
      discount_code: null,
      starts_at: at(-30),
      ends_at: null,
    },
    {
      name: "Spring preview",
      description: "Early access to the spring collection.",
      offer: "15% off the spring collection",
      discount_code: "SPRING15",
      starts_at: at(60),
      ends_at: at(90),
    },
  ];
  await db("campaigns").insert(campaigns);
  return campaigns.length;
}
