import { KeyValue, RESERVED_TAG_PREFIX } from '../../lib/rules/snapshot-rules';

export interface TagChanges {
  /** Tags to write: wanted, and missing or different on the snapshot. */
  readonly toSet: KeyValue[];
  /** Keys to remove: managed before, not wanted now, and still on the snapshot. */
  readonly toRemove: string[];
}

/**
 * The smallest tag change that brings the snapshot to the wanted tags. Only keys this resource
 * managed (its previous tags) are removed: tags someone else put on the snapshot, and the
 * handler's own tags, stay.
 */
export function diffTags(actual: ReadonlyMap<string, string>, wanted: readonly KeyValue[], previous: readonly KeyValue[]): TagChanges {
  const wantedKeys = new Set(wanted.map((tag) => tag.key));
  return {
    toSet: wanted.filter((tag) => actual.get(tag.key) !== tag.value),
    toRemove: previous
      .map((tag) => tag.key)
      .filter((key) => !wantedKeys.has(key) && !key.startsWith(RESERVED_TAG_PREFIX) && actual.has(key)),
  };
}

export function sameTags(a: readonly KeyValue[], b: readonly KeyValue[]): boolean {
  const render = (tags: readonly KeyValue[]) => JSON.stringify([...tags].sort((x, y) => x.key.localeCompare(y.key)));
  return render(a) === render(b);
}
