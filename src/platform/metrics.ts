import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for one process; features add gauges whose values are read at scrape time. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobsProcessed: Counter<'queue' | 'outcome'>;
  /** A gauge read on each scrape; `collect` returns labelled values. */
  addGauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    collect: () => Promise<{ labels: Record<string, string>; value: number }[]>,
  ): void;
}

export function createMetrics(processName: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'subscout_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobsProcessed = new Counter({
    name: 'subscout_jobs_processed_total',
    help: 'Jobs finished by queue and outcome (completed, failed)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    jobsProcessed,
    addGauge(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        async collect() {
          this.reset();
          try {
            for (const { labels, value } of await collect()) this.set(labels, value);
          } catch {
            // A dependency being down must not break the whole scrape; the gauge is left empty.
          }
        },
      });
    },
  };
}
