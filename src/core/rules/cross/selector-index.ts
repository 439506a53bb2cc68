import { pushTo } from '../../collections';
import { selectorKey, selectorSubset } from './model';

/** Subsets of a selector are found by enumerating them up to this many labels; larger selectors scan the groups. */
const MAX_ENUMERATED_LABELS = 10;

interface Group<T> {
  key: string;
  sel: Record<string, string>;
  items: T[];
}

/**
 * Items grouped by label selector, answering "which groups' selectors contain this one" and "which are contained in
 * it" without comparing every pair of selectors: with thousands of Gateways, each with a selector of its own, the
 * pairwise comparison was quadratic (20,000 Gateways sharing a credential: minutes). Contained selectors are found by
 * enumerating the subsets of the asked one (selectors have a handful of labels); containing ones through the groups
 * that carry the asked selector's rarest label.
 */
export class SelectorIndex<T> {
  private readonly groups = new Map<string, Group<T>>();
  /** `key=value` → the groups whose selector has that label. */
  private readonly byLabel = new Map<string, Group<T>[]>();

  /** Adds an item under its selector; returns the selector's key (selectorKey). */
  add(sel: Record<string, string>, item: T): string {
    const key = selectorKey(sel);
    let g = this.groups.get(key);
    if (!g) {
      this.groups.set(key, (g = { key, sel, items: [] }));
      for (const [k, v] of Object.entries(sel)) {
        const label = `${k}=${v}`;
        pushTo(this.byLabel, label, g);
      }
    }
    g.items.push(item);
    return key;
  }

  /** Every group, in the order of their first item. */
  all(): IterableIterator<Group<T>> {
    return this.groups.values();
  }

  get size(): number {
    return this.groups.size;
  }

  /** Groups whose selector contains every label of `sel` (`sel` ⊆ theirs), its own group included. */
  containing(sel: Record<string, string>): Group<T>[] {
    let rarest: Group<T>[] | undefined;
    for (const [k, v] of Object.entries(sel)) {
      const list = this.byLabel.get(`${k}=${v}`);
      if (!list) return [];
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    // The empty selector is contained in every selector.
    if (!rarest) return [...this.groups.values()];
    return rarest.filter((g) => selectorSubset(sel, g.sel));
  }

  /** Groups whose selector is contained in `sel` (theirs ⊆ `sel`), its own group included. */
  containedIn(sel: Record<string, string>): Group<T>[] {
    const keys = Object.keys(sel).sort();
    if (keys.length > MAX_ENUMERATED_LABELS) {
      return [...this.groups.values()].filter((g) => selectorSubset(g.sel, sel));
    }
    const out: Group<T>[] = [];
    const labels = keys.map((k) => `${k}=${sel[k]}`);
    // Every subset of the labels, each joined in sorted key order as selectorKey writes it.
    for (let mask = 0; mask < 1 << labels.length; mask++) {
      const parts: string[] = [];
      for (let i = 0; i < labels.length; i++) if (mask & (1 << i)) parts.push(labels[i]);
      const g = this.groups.get(parts.join(','));
      if (g && selectorSubset(g.sel, sel)) out.push(g);
    }
    return out;
  }
}
