/**
 * Finds the per-label-set child of one prom-client metric without asking prom-client each time
 * (its `.labels()` validates, sorts and hashes the label object on every call).
 *
 * First level: a `WeakMap` keyed by the labels object itself. The runtime builds one labels
 * object per orchestration (and step, ...) and passes the same object on every emission, so the
 * common case is one WeakMap lookup plus a comparison of the label values (which also catches a
 * caller that mutated its object). Second level: a `Map` keyed by the label values, for a fresh
 * object with values already seen. Only a truly new label set reaches `create`.
 *
 * Internal to `src/infra`.
 */
export class LabelChildCache<C> {
  private readonly byObject = new WeakMap<object, { values: unknown[]; child: C }>();
  private readonly byValues = new Map<string, C>();

  /**
   * @param labelNames The metric's label names, in a fixed order.
   * @param create Makes the child for a new label set (prom-client's `metric.labels(labels)`);
   *   when it throws, nothing is cached and the error propagates.
   * @param check Called with every labels object not seen before (the WeakMap miss), before any
   *   lookup by values: it may throw to refuse the object (e.g. a label name the metric lacks).
   */
  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: (labels: Record<string, string>) => C,
    private readonly check?: (labels: Record<string, string>) => void,
  ) {}

  /** Label sets created so far. */
  get size(): number {
    return this.byValues.size;
  }

  /** The child for `labels`, created on first sight of its label values. */
  get(labels: Record<string, string>): C {
    const hit = this.byObject.get(labels);
    if (hit !== undefined && this.sameValues(hit.values, labels)) return hit.child;
    this.check?.(labels);
    const values = this.labelNames.map((name) => labels[name]);
    const key = JSON.stringify(values);
    let child = this.byValues.get(key);
    if (child === undefined) {
      child = this.create(labels);
      this.byValues.set(key, child);
    }
    this.byObject.set(labels, { values, child });
    return child;
  }

  private sameValues(values: unknown[], labels: Record<string, string>): boolean {
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== labels[this.labelNames[i]!]) return false;
    }
    return true;
  }
}
