/**
 * Removal of response properties whose schema names a finer permission (`x-permissions` on a
 * property) than the consent granted. The schema is walked once at start into a plan that
 * touches only the paths that can hold such properties.
 */

export interface FilterPlan {
  /** Properties of an object: what each needs, and the plan below it. */
  props?: Map<string, { permissions?: string[]; plan?: FilterPlan }>;
  /** The plan for every item of an array. */
  items?: FilterPlan;
}

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  'x-permissions'?: string[];
};

/** The plan for a (dereferenced) schema, or undefined when nothing in it needs filtering. */
export function buildFilterPlan(
  schema: unknown,
  seen = new Set<unknown>(),
): FilterPlan | undefined {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return undefined;
  seen.add(schema);
  const s = schema as Schema;
  const plan: FilterPlan = {};
  const props = new Map<string, { permissions?: string[]; plan?: FilterPlan }>();
  const merged = [s, ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  for (const part of merged) {
    for (const [name, property] of Object.entries(part.properties ?? {})) {
      const permissions = property['x-permissions'];
      const child = buildFilterPlan(property, seen);
      if (permissions?.length || child) {
        props.set(name, {
          ...(permissions?.length ? { permissions } : {}),
          ...(child ? { plan: child } : {}),
        });
      }
    }
    if (part.items) {
      const items = buildFilterPlan(part.items, seen);
      if (items) plan.items = items;
    }
  }
  seen.delete(schema);
  if (props.size > 0) plan.props = props;
  return plan.props || plan.items ? plan : undefined;
}

/** Removes, in place, every property of `value` that needs a permission not in `granted`. */
export function applyFilterPlan(
  value: unknown,
  plan: FilterPlan,
  granted: ReadonlySet<string>,
): void {
  if (Array.isArray(value)) {
    if (plan.items) for (const item of value) applyFilterPlan(item, plan.items, granted);
    return;
  }
  if (!value || typeof value !== 'object' || !plan.props) return;
  const record = value as Record<string, unknown>;
  for (const [name, rule] of plan.props) {
    if (!(name in record)) continue;
    if (rule.permissions && !rule.permissions.every((p) => granted.has(p))) {
      delete record[name];
      continue;
    }
    if (rule.plan) applyFilterPlan(record[name], rule.plan, granted);
  }
}

/** The consent's transaction window as instants, and the listed items' property it bounds. */
export interface ConsentWindow {
  /** The property of each item of `data` holding the item's instant, e.g. `bookingDateTime`. */
  property: string;
  /** Epoch milliseconds; undefined when the consent leaves that side open. */
  from?: number;
  to?: number;
}

/**
 * Removes, in place, the items of a list answer (`data`) whose instant lies outside the
 * consent's window, and recounts `meta.count`. The backend filters by booking date, but the
 * consent's bounds are instants: without this, the window's first and last days would show
 * bookings made before it opened or after it closed.
 */
export function applyConsentWindow(value: unknown, window: ConsentWindow): void {
  const list = value as { data?: unknown; meta?: { count?: unknown } } | null;
  if (!list || typeof list !== 'object' || !Array.isArray(list.data)) return;
  const items: unknown[] = list.data;
  list.data = items.filter((item) => {
    const at = Date.parse(String((item as Record<string, unknown> | null)?.[window.property]));
    // An item whose instant cannot be read cannot be shown to lie inside: it is left out.
    return (
      !Number.isNaN(at) &&
      (window.from === undefined || at >= window.from) &&
      (window.to === undefined || at <= window.to)
    );
  });
  if (list.meta && typeof list.meta.count === 'number')
    list.meta.count = (list.data as unknown[]).length;
}
