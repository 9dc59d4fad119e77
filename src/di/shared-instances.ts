import { InvalidComponentError } from '../core/errors';
import { componentIdentity } from '../core/metadata';

/** One shared running component: its class, identity, owners and the start in progress. */
export interface SharedEntry<T> {
  cls: Function;
  identity: string;
  /** Owners holding it. */
  refs: number;
  /** Settles when the start finished: the running value, or the start's error. */
  ready: Promise<T>;
}

/**
 * Components running once per identity and shared by reference count:
 * the first acquire starts one, later ones share it (a start in progress included), the last
 * release hands it back for stopping; a later acquire starts a fresh one.
 */
export class SharedInstances<T, E extends SharedEntry<T> = SharedEntry<T>> {
  private readonly entries = new Map<string, E>();

  /** @param kind - named in errors: `resource` or `pipeline`. */
  constructor(private readonly kind: 'resource' | 'pipeline') {}

  /**
   * The identity a class runs under.
   * @throws InvalidComponentError when a different class already runs under that identity.
   */
  identityOf(cls: Function): string {
    const identity = componentIdentity(cls);
    const entry = this.entries.get(identity);
    if (entry && entry.cls !== cls) {
      throw new InvalidComponentError(`${this.kind === 'resource' ? 'Resource' : 'Pipeline'} identity ${identity} is already running ` +
        `from another class ${entry.cls.name}; ${cls.name} claims it too. Give each class an explicit @${this.kind}({ id }).`);
    }
    return identity;
  }

  /**
   * Takes one reference, starting the component with `start` when nobody holds it. A failed
   * start forgets the entry, so every waiter gets the error and a later acquire starts anew.
   */
  acquire(cls: Function, make: (identity: string) => Omit<E, 'refs' | 'ready'>, start: (entry: E) => Promise<T>): Promise<T> {
    const identity = this.identityOf(cls);
    const existing = this.entries.get(identity);
    if (existing) {
      existing.refs++;
      return existing.ready;
    }
    const entry = { ...make(identity), refs: 1 } as E;
    this.entries.set(identity, entry);
    entry.ready = start(entry).catch((e) => {
      if (this.entries.get(identity) === entry) this.entries.delete(identity);
      throw e;
    });
    return entry.ready;
  }

  /** Drops one reference; returns the entry, forgotten, when that was the last one. */
  release(cls: Function): E | undefined {
    const entry = this.entries.get(componentIdentity(cls));
    if (!entry || entry.cls !== cls) return undefined;
    entry.refs--;
    if (entry.refs > 0) return undefined;
    this.entries.delete(entry.identity);
    return entry;
  }

  values(): E[] {
    return [...this.entries.values()];
  }
}
