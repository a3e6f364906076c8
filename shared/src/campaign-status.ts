import { Knex } from "knex";

export type CampaignStatus = "ongoing" | "upcoming" | "ended";

/**
 * Restricts a campaigns query to one status at `now`. A campaign is ongoing when
 * `starts_at <= now` and (`ends_at` is null or `now < ends_at`); the API's filter and the welcome
 * email use this one definition.
 */
export function whereCampaignStatus<T extends Knex.QueryBuilder>(query: T, status: CampaignStatus, now: Date): T {
  switch (status) {
    case "upcoming":
      return query.where("starts_at", ">", now) as T;
    case "ended":
      return query.whereNotNull("ends_at").andWhere("ends_at", "<=", now) as T;
    case "ongoing":
      return query.where("starts_at", "<=", now).andWhere((q) => q.whereNull("ends_at").orWhere("ends_at", ">", now)) as T;
  }
}
