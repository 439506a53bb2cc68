/**
 * @peculiar/x509 resolves its algorithm providers through tsyringe, which refuses to load unless a Reflect metadata
 * API exists. Its providers take no constructor parameters, so an empty metadata store is enough; this avoids a
 * dependency on the reflect-metadata package (and its global side effects) for the few functions tsyringe calls.
 * This module must be imported before @peculiar/x509.
 */
type MetadataReflect = typeof Reflect & {
  getMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: string | symbol) => void;
  hasMetadata?: (key: unknown, target: object, property?: string | symbol) => boolean;
  metadata?: (key: unknown, value: unknown) => (target: object, property?: string | symbol) => void;
};

const r = Reflect as MetadataReflect;
if (typeof r.getMetadata !== 'function') {
  // A real polyfill (reflect-metadata) may be loaded later by someone else; only fill in what is missing.
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const slot = (target: object, property?: string | symbol) => (property === undefined ? target : { target, property });
  r.defineMetadata = (key, value, target, property) => {
    const owner = property === undefined ? target : (slot(target, property) as object);
    const map = store.get(owner) ?? new Map<unknown, unknown>();
    map.set(key, value);
    store.set(owner, map);
  };
  // Metadata for properties is not needed by tsyringe's constructor injection, so lookups by property return nothing.
  r.getMetadata = (key, target, property) => (property === undefined ? store.get(target)?.get(key) : undefined);
  // Nothing here walks prototype chains, so "own" and inherited lookups coincide.
  r.getOwnMetadata = r.getMetadata;
  r.hasMetadata = (key, target, property) => r.getMetadata!(key, target, property) !== undefined;
  r.metadata = (key, value) => (target, property) => r.defineMetadata!(key, value, target, property);
}

export {};
