/** How the dashboard's graphs are written: CloudWatch's widget JSON, from metrics named once. */
import * as pulumi from "@pulumi/pulumi";

export interface Metric {
  namespace: string;
  name: string;
  dimensions: Record<string, pulumi.Input<string>>;
  stat: string;
  label: string;
  /** Drawn against the right-hand axis (another unit than the rest of the graph). */
  right?: boolean;
}

/** A labelled horizontal line, e.g. an alarm's threshold. */
export interface Annotation {
  label: string;
  value: number;
  yAxis?: "right";
}

const line = (m: Metric) => [m.namespace, m.name, ...Object.entries(m.dimensions).flat(), { stat: m.stat, label: m.label, ...(m.right ? { yAxis: "right" } : {}) }];

/** The metrics of one resource: `of(namespace, dimensions)(metric, stat, label, right?)`. */
export const of =
  (namespace: string, dimensions: Metric["dimensions"]) =>
  (name: string, stat: string, label: string, right?: boolean): Metric => ({ namespace, name, dimensions, stat, label, right });

/** A half-width time series of `metrics`, with an alarm's threshold (a number) or labelled lines drawn on it. */
export function timeSeries(region: string, title: string, metrics: Metric[], alarms: number | Annotation[] = []) {
  const horizontal = typeof alarms === "number" ? [{ label: "alarm", value: alarms }] : alarms;
  return {
    type: "metric",
    width: 12,
    height: 6,
    properties: {
      title,
      region,
      view: "timeSeries",
      period: 60,
      metrics: metrics.map(line),
      ...(horizontal.length > 0 ? { annotations: { horizontal } } : {}),
    },
  };
}
