// Prometheus metrics (prom-client), one registry per process, served at /metrics.
import { onNetFailure } from '@/lib/net/events';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  started: Counter<'mode'>;
  finished: Counter<'status'>;
  duration: Histogram<'status'>;
  queueDepth: Gauge<'state'>;
  checks: Counter<'check' | 'status'>;
  probeErrors: Counter<'probe' | 'kind'>;
  storeErrors: Counter<'permanent'>;
  httpRequests: Counter<'route' | 'status'>;
}

const KEY = Symbol.for('cba-doctor.metrics');
type Holder = { [KEY]?: Metrics };

function make(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cba_doctor_process_' });
  const m: Metrics = {
    registry,
    started: new Counter({ name: 'cba_doctor_diagnoses_started_total', help: 'Diagnoses started on this instance', labelNames: ['mode'], registers: [registry] }),
    finished: new Counter({
      name: 'cba_doctor_diagnoses_finished_total',
      help: 'Diagnoses finished on this instance, by final report status (complete, interrupted, deleted, failed)',
      labelNames: ['status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'cba_doctor_diagnosis_duration_seconds',
      help: 'Time from the start of a diagnosis to its final write',
      labelNames: ['status'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'cba_doctor_queue_depth', help: 'Diagnoses waiting and running (in-process queue, or the shared queue in PostgreSQL mode)', labelNames: ['state'], registers: [registry] }),
    checks: new Counter({ name: 'cba_doctor_check_outcomes_total', help: 'Check results in finished reports, by check id and status', labelNames: ['check', 'status'], registers: [registry] }),
    probeErrors: new Counter({ name: 'cba_doctor_outbound_probe_errors_total', help: 'Outbound HTTP fetches and TCP probes that failed, by probe and kind of failure', labelNames: ['probe', 'kind'], registers: [registry] }),
    storeErrors: new Counter({ name: 'cba_doctor_store_errors_total', help: 'Report store errors, permanent or transient', labelNames: ['permanent'], registers: [registry] }),
    httpRequests: new Counter({ name: 'cba_doctor_api_requests_total', help: 'API requests by route and status', labelNames: ['route', 'status'], registers: [registry] }),
  };
  onNetFailure((probe, kind) => m.probeErrors.inc({ probe, kind }));
  return m;
}

export function metrics(): Metrics {
  const g = globalThis as Holder;
  return (g[KEY] ??= make());
}
