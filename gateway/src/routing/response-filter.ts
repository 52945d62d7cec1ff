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
