import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { InvalidOptionError, MetricContractError } from '../core/errors';
import { METRICS, type MetricKind } from '../core/metric-names';
import { Metrics } from '../core/ports/metrics';
import { LabelChildCache } from './label-child-cache';
import { CounterSeries, GaugeSeries, HistogramSeries, PendingSeries, type Emitter } from './prometheus-series';
import { ProcessUsageSampler } from './process-usage-sampler';
import { describeError, StderrReporter } from './stderr-reporter';

/** Options of {@link PrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** TCP port of the `/metrics` server. `0` picks a free port (read it from `port` after startup). Default 8081. */
  port?: number;
  /** Interface the server listens on. Default `'127.0.0.1'` (local scrapers only); `'0.0.0.0'` for all. */
  host?: string;
  /** Registry holding this instance's metrics. Default: a new `Registry` owned by this instance. */
  registry?: Registry;
  /** Period of the process/system usage gauges, milliseconds. Integer ≥ 100; default 5000. */
  sampleIntervalMs?: number;
  /** Register prom-client's default Node.js metrics at startup. Default `true`. */
  defaultMetrics?: boolean;
}

interface Instrument {
  kind: MetricKind;
  /** `null` for a metric without labels: the metric itself is the emitter. */
  children: LabelChildCache<Emitter> | null;
  metric: Emitter;
}

const USAGE_GAUGES = {
  processMemoryRatio: 'process_memory_used_ratio',
  processCpuRatio: 'process_cpu_used_ratio',
  systemMemoryRatio: 'system_memory_used_ratio',
  systemCpuRatio: 'system_cpu_used_ratio',
} as const;
/**
 * prom-client default metrics left out: gauges named like counters (`promtool check metrics`
 * objects to `_total` on a gauge). Each is the sum of the per-type gauge without the suffix
 * (`nodejs_active_handles{type}` and so on), which stays.
 */
const DEFAULT_METRICS_DROPPED = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * A request handler mounted on the metrics server with {@link PrometheusMetrics.use}: it answers
 * the request and resolves `true`, or leaves `res` untouched and resolves `false` (the next
 * handler, then the 404, gets it).
 */
export type MetricsServerHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * The default {@link Metrics} backend: prom-client instruments in a `Registry` of this instance's
 * own (two instances in one process never collide), served as `GET /metrics` by a `node:http`
 * server (404 for anything else, unless a handler mounted with {@link PrometheusMetrics.use} takes it).
 *
 * Instruments are created on first use from the `METRICS` table with its kind, exact label names
 * and help; a histogram's buckets are those of its definition, else prom-client's default buckets. A name missing from the table is created with
 * the label names of its first emission, and a warning goes to stderr once. Label children are
 * cached per labels object (see `LabelChildCache`): reuse one labels object per series. An emission
 * only adds to that series' own total; totals are handed to prom-client when it collects (every
 * scrape, `registry.metrics()`, `metric.get()`), see `prometheus-series.ts`: the hot path costs tens
 * of nanoseconds instead of prom-client's label hashing and validation.
 *
 * At `startup()`: prom-client's default Node metrics (less three gauges named like counters, see
 * `DEFAULT_METRICS_DROPPED`), the four `*_used_ratio` gauges sampled every
 * `sampleIntervalMs` (timer unref'd), and the server. A failure to listen (e.g. `EADDRINUSE`) is not
 * thrown: it is reported once on stderr, `port`/`url` stay `undefined`, and metrics keep being
 * collected. The server is unref'd: it never keeps the process alive by itself.
 *
 * `inc`/`set`/`observe` never throw: failures (a negative counter increment, a label name the
 * metric lacks, a kind mismatch) are reported on stderr, at most once a minute per metric.
 */
export class PrometheusMetrics extends Metrics {
  /** The registry served at `/metrics`. */
  readonly registry: Registry;
  /** Interface the server listens on. */
  readonly host: string;
  /** Port asked for (0: any free port). */
  readonly requestedPort: number;
  /** Period of the usage gauges, milliseconds. */
  readonly sampleIntervalMs: number;

  private readonly instruments = new Map<string, Instrument>();
  private readonly reporter = new StderrReporter('[PrometheusMetrics]');
  private readonly collectDefaults: boolean;
  private defaultsRegistered = false;
  private server: Server | null = null;
  private boundPort: number | undefined;
  private timer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly handlers: MetricsServerHandler[] = [];

  /** @throws InvalidOptionError (`MINIONS_INVALID_OPTION`) for a port outside 0..65535 or an interval below 100 ms. */
  constructor(options: PrometheusMetricsOptions = {}) {
    super();
    this.registry = options.registry ?? new Registry();
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 8081;
    this.sampleIntervalMs = options.sampleIntervalMs ?? 5000;
    this.collectDefaults = options.defaultMetrics ?? true;
    if (!Number.isInteger(this.requestedPort) || this.requestedPort < 0 || this.requestedPort > 65535) {
      throw new InvalidOptionError('PrometheusMetricsOptions.port', options.port, 'an integer in 0..65535');
    }
    if (!Number.isInteger(this.sampleIntervalMs) || this.sampleIntervalMs < 100) {
      throw new InvalidOptionError('PrometheusMetricsOptions.sampleIntervalMs', options.sampleIntervalMs, 'an integer >= 100');
    }
  }

  /** Port the server listens on, after a successful `startup()`; otherwise `undefined`. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** `http://<host>:<port>/metrics`, after a successful `startup()`; otherwise `undefined`. */
  get url(): string | undefined {
    if (this.boundPort === undefined) return undefined;
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}/metrics`;
  }

  /**
   * Mounts a handler on this instance's server, for routes served beside `/metrics` on the same
   * port (the admin API uses it). `GET`/`HEAD /metrics` is answered first and stays as it is;
   * other requests go to the handlers in the order they were mounted, and a request none of
   * them takes gets the 404. A handler that throws or rejects gets a 500 (reported on stderr).
   * Mounting works before or after `startup()` and outlives a `shutdown()`.
   * @returns a function that unmounts the handler.
   */
  use(handler: MetricsServerHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const at = this.handlers.indexOf(handler);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  /** Registers default metrics, starts the usage sampler and the server. Idempotent; never rejects for a bind failure. */
  override startup(): Promise<void> {
    this.starting ??= this.start();
    return this.starting;
  }

  /** Stops the sampler and closes the server (open connections included). Idempotent; `startup()` may follow. */
  override shutdown(): Promise<void> {
    this.stopping ??= this.stop().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  /** Adds `value` (default 1) to a counter. Never throws. */
  inc(name: string, labels: Record<string, string>, value = 1): void {
    try {
      this.emitter('counter', name, labels).inc!(value);
    } catch (error) {
      this.failed('inc', name, error);
    }
  }

  /** Sets a gauge. Never throws. */
  set(name: string, labels: Record<string, string>, value: number): void {
    try {
      this.emitter('gauge', name, labels).set!(value);
    } catch (error) {
      this.failed('set', name, error);
    }
  }

  /** Records one observation, in seconds, in a histogram. Never throws. */
  observe(name: string, labels: Record<string, string>, seconds: number): void {
    try {
      this.emitter('histogram', name, labels).observe!(seconds);
    } catch (error) {
      this.failed('observe', name, error);
    }
  }

  private async stop(): Promise<void> {
    if (this.starting !== null) await this.starting;
    this.starting = null;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const server = this.server;
    this.server = null;
    this.boundPort = undefined;
    if (server === null) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async start(): Promise<void> {
    if (this.collectDefaults && !this.defaultsRegistered) {
      this.defaultsRegistered = true;
      try {
        collectDefaultMetrics({ register: this.registry });
        for (const name of DEFAULT_METRICS_DROPPED) this.registry.removeSingleMetric(name);
      } catch (error) {
        this.reporter.report('defaults', `default Node metrics not registered: ${describeError(error)}`);
      }
    }
    const sampler = new ProcessUsageSampler();
    const sample = (): void => {
      try {
        const usage = sampler.sample();
        for (const key of Object.keys(USAGE_GAUGES) as Array<keyof typeof USAGE_GAUGES>) {
          this.set(USAGE_GAUGES[key], NO_LABELS, usage[key]);
        }
      } catch (error) {
        this.reporter.report('sampler', `usage sampling failed: ${describeError(error)}`);
      }
    };
    sample();
    this.timer = setInterval(sample, this.sampleIntervalMs);
    this.timer.unref();
    await this.listen();
  }

  private listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    return new Promise<void>((resolve) => {
      const onError = (error: Error): void => {
        this.reporter.report('listen', `could not listen on ${this.host}:${this.requestedPort}: ${describeError(error)}` +
          ' (metrics are still collected; pass another port, or port: 0 for any free one)');
        resolve();
      };
      server.once('error', onError);
      server.listen(this.requestedPort, this.host, () => {
        server.off('error', onError);
        server.on('error', (error) => this.reporter.report('server', `server error: ${describeError(error)}`));
        server.unref();
        this.server = server;
        this.boundPort = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      for (const handler of [...this.handlers]) {
        try {
          if (await handler(req, res)) return;
        } catch (error) {
          this.reporter.report('handler', `a mounted handler failed: ${describeError(error)}`);
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('internal error\n');
          return;
        }
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found. Metrics are at GET /metrics\n');
      return;
    }
    try {
      const body = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.reporter.report('scrape', `collecting metrics failed: ${describeError(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('metrics collection failed\n');
    }
  }

  private emitter(kind: MetricKind, name: string, labels: Record<string, string>): Emitter {
    const instrument = this.instruments.get(name) ?? this.create(kind, name, labels);
    if (instrument.kind !== kind) {
      throw new MetricContractError(`${name} is a ${instrument.kind}, not a ${kind}: emit it with ${instrument.kind === 'counter' ? 'inc' : instrument.kind === 'gauge' ? 'set' : 'observe'}().`);
    }
    return instrument.children === null ? instrument.metric : instrument.children.get(labels);
  }

  private create(kind: MetricKind, name: string, labels: Record<string, string>): Instrument {
    const definition = METRICS[name];
    const labelNames = definition?.labels ?? Object.keys(labels ?? {});
    if (definition === undefined) {
      this.reporter.once(`unknown:${name}`, `unknown metric '${name}' (not in METRICS): created as a ${kind} ` +
        `with labels [${labelNames.join(', ')}]`);
    }
    const actualKind = definition?.kind ?? kind;
    // Emissions accumulate in this instance's series objects and are handed to prom-client when
    // it collects (see prometheus-series.ts): the hot path never hashes labels.
    const pending = new PendingSeries();
    const config = {
      name,
      help: definition?.help ?? `${name} (${actualKind})`,
      labelNames: [...labelNames],
      ...(definition?.buckets ? { buckets: [...definition.buckets] } : {}),
      registers: [this.registry],
      collect: () => pending.flush((error) => this.reporter.report(`flush:${name}`, `handing ${name} to prom-client failed: ${describeError(error)}`)),
    };
    const existing = this.registry.getSingleMetric(name);
    let metric: Counter | Gauge | Histogram;
    // A registry shared with another instance: reuse its instrument when it is of the same kind;
    // its collect hook belongs to the other instance, so this one emits to prom-client directly.
    const owned = existing === undefined;
    if (existing !== undefined) {
      const sameKind = actualKind === 'counter' ? existing instanceof Counter
        : actualKind === 'gauge' ? existing instanceof Gauge : existing instanceof Histogram;
      if (!sameKind) throw new MetricContractError(`the registry already holds a metric '${name}' that is not a ${actualKind}: give PrometheusMetrics a registry of its own.`);
      metric = existing as Counter | Gauge | Histogram;
    } else if (actualKind === 'counter') metric = new Counter(config);
    else if (actualKind === 'gauge') metric = new Gauge(config);
    else metric = new Histogram(config);
    const makeChild = (labels: Record<string, string>): Emitter => {
      // prom-client keeps the object it is given as the series' labels: hand it a private copy.
      const copy = { ...labels };
      const child = (metric as Counter).labels(copy) as Emitter;
      if (!owned) return child;
      if (actualKind === 'counter') return new CounterSeries(child as Required<Pick<Emitter, 'inc'>>, pending);
      if (actualKind === 'gauge') return new GaugeSeries(child as Required<Pick<Emitter, 'set'>>, pending);
      return HistogramSeries.create(metric as Histogram, copy, pending) ?? child;
    };
    // A label name the metric lacks fails on every new labels object, as prom-client would fail it.
    const checkNames = (labels: Record<string, string>): void => {
      for (const key of Object.keys(labels)) {
        if (!labelNames.includes(key)) {
          throw new MetricContractError(`Added label "${key}" is not included in initial labelset: ${JSON.stringify(labelNames)}`);
        }
      }
    };
    const children = labelNames.length === 0 ? null : new LabelChildCache<Emitter>(labelNames, makeChild, checkNames);
    const instrument: Instrument = { kind: actualKind, children, metric: metric as Emitter };
    this.instruments.set(name, instrument);
    return instrument;
  }

  private failed(operation: string, name: string, error: unknown): void {
    this.reporter.report(`${operation}:${name}`, `${operation}('${name}') failed: ${describeError(error)}`);
  }
}
