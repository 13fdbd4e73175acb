import type { Db } from '~db/database.server';
import { issuePathToName, TEMPLATE_ERRORS, type RuleIssue } from './rule-json.schema';
import {
  TEMPLATE_FORM_ERRORS,
  type CouponTemplateFormValues,
  type CouponTemplateLimitedValues,
} from './templates.schema';
import {
  findUnknownReferences,
  getCouponTemplate,
  insertCouponTemplate,
  templateHasInstances,
  updateCouponTemplateRow,
  type CouponTemplateRow,
  type TemplateColumns,
} from './templates.server';
import { writeStaffAudit, type StaffActor } from '~/features/audit/audit.server';

export type FieldErrors = Record<string, string[]>;

export type TemplateSaveOutcome =
  | { ok: true; templateId: number }
  | { ok: false; status: 400 | 404 | 409; fieldErrors: FieldErrors };

/**
 * The columns frozen once an instance exists (CP-15). CP-15 names type, discount_value, rule_json,
 * scope and min_order_amount; it lists what stays editable (names, descriptions, max_total_usage,
 * valid_until, is_active), so the other terms of the deal (code, caps, per-member limit, start) are
 * frozen with them: a member's coupon must not change under them.
 */
export const FROZEN_COLUMNS = [
  'code',
  'type',
  'discount_value',
  'rule_json',
  'scope_type',
  'scope_category_ids',
  'scope_product_ids',
  'scope_store_ids',
  'min_order_amount',
  'max_discount_amount',
  'max_usage_per_user',
  'valid_from',
] as const satisfies readonly (keyof TemplateColumns)[];

const EDITABLE_COLUMNS = [
  'name_ru',
  'name_zh',
  'name_en',
  'description_ru',
  'description_zh',
  'description_en',
  'max_total_usage',
  'valid_until',
  'is_active',
] as const satisfies readonly (keyof TemplateColumns)[];

type FrozenColumn = (typeof FROZEN_COLUMNS)[number];
type EditableColumn = (typeof EDITABLE_COLUMNS)[number];

/** JSON with object keys sorted, so jsonb's key order never reads as a change. */
function stable(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The audited form of a column value: instants as ISO strings. */
const auditValue = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null));

function changedColumns<K extends keyof TemplateColumns>(
  keys: readonly K[],
  before: Pick<TemplateColumns, K>,
  after: Pick<TemplateColumns, K>,
): K[] {
  return keys.filter((k) => stable(auditValue(before[k])) !== stable(auditValue(after[k])));
}

function pick<K extends keyof TemplateColumns>(row: Partial<TemplateColumns>, keys: readonly K[]) {
  return Object.fromEntries(keys.map((k) => [k, auditValue(row[k])]));
}

function toFieldErrors(issues: readonly RuleIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) (errors[issuePathToName(issue.path)] ??= []).push(issue.message);
  return errors;
}

function columnsOf(values: CouponTemplateFormValues): TemplateColumns {
  const { core } = values;
  return {
    code: values.code,
    name_ru: values.name_ru,
    name_zh: values.name_zh,
    name_en: values.name_en,
    description_ru: values.description_ru,
    description_zh: values.description_zh,
    description_en: values.description_en,
    type: core.type,
    discount_value: core.discount_value,
    rule_json: core.rule_json,
    scope_type: core.scope_type,
    scope_category_ids: core.scope_category_ids,
    scope_product_ids: core.scope_product_ids,
    scope_store_ids: core.scope_store_ids,
    min_order_amount: core.min_order_amount,
    max_discount_amount: core.max_discount_amount,
    max_usage_per_user: core.max_usage_per_user,
    max_total_usage: core.max_total_usage,
    valid_from: core.valid_from,
    valid_until: core.valid_until,
    is_active: values.is_active,
  };
}

/**
 * Creates a template (created_by = the admin) with its audit row. Unknown product / category /
 * store ids are field errors (CP-2), checked in the same transaction as the insert. A duplicate
 * code surfaces as the unique violation of coupon_template_code_unique for the caller to map.
 */
export async function createCouponTemplate(
  db: Db,
  actor: StaffActor,
  values: CouponTemplateFormValues,
): Promise<TemplateSaveOutcome> {
  return db.transaction().execute(async (trx): Promise<TemplateSaveOutcome> => {
    const unknown = await findUnknownReferences(trx, values.core);
    if (unknown.length > 0) return { ok: false, status: 400, fieldErrors: toFieldErrors(unknown) };
    const columns = columnsOf(values);
    const id = await insertCouponTemplate(trx, { ...columns, created_by: actor.userId });
    await writeStaffAudit(trx, actor, {
      action: 'coupon_template.create',
      entityType: 'coupon_template',
      entityId: id,
      after: pick(columns, [...FROZEN_COLUMNS, ...EDITABLE_COLUMNS]),
    });
    return { ok: true, templateId: id };
  });
}

export type TemplateUpdate =
  | { kind: 'full'; values: CouponTemplateFormValues }
  | { kind: 'limited'; values: CouponTemplateLimitedValues };

/**
 * Saves the edit form. The template row is locked and the freeze (CP-15) is decided inside the
 * transaction: an instance issued after the page was loaded still freezes the deal, so a changed
 * frozen column answers 409 next to its field instead of rewriting coupons members already hold.
 * Only changed columns are written and audited (before/after).
 */
export async function updateCouponTemplate(
  db: Db,
  actor: StaffActor,
  templateId: number,
  update: TemplateUpdate,
): Promise<TemplateSaveOutcome> {
  return db.transaction().execute(async (trx): Promise<TemplateSaveOutcome> => {
    const current = await getCouponTemplate(trx, templateId, { lock: true });
    if (!current) return { ok: false, status: 404, fieldErrors: {} };
    // the row lock serialises edits; an issue racing this check is caught by the next edit
    const frozen = await templateHasInstances(trx, templateId);

    const next: Partial<TemplateColumns> = {};
    const errors: FieldErrors = {};
    if (update.kind === 'full') {
      const columns = columnsOf(update.values);
      if (frozen) {
        for (const k of changedColumns(FROZEN_COLUMNS, current, columns)) {
          errors[k] = [TEMPLATE_FORM_ERRORS.frozen];
        }
        if (Object.keys(errors).length > 0) return { ok: false, status: 409, fieldErrors: errors };
      } else {
        const unknown = await findUnknownReferences(trx, update.values.core);
        if (unknown.length > 0) {
          return { ok: false, status: 400, fieldErrors: toFieldErrors(unknown) };
        }
        for (const k of FROZEN_COLUMNS) (next as Record<FrozenColumn, unknown>)[k] = columns[k];
      }
      for (const k of EDITABLE_COLUMNS) (next as Record<EditableColumn, unknown>)[k] = columns[k];
    } else {
      Object.assign(next, update.values);
    }

    const validFrom = next.valid_from ?? current.valid_from;
    const validUntil = next.valid_until ?? current.valid_until;
    if (frozen && validUntil.getTime() < current.valid_until.getTime()) {
      errors.valid_until = [TEMPLATE_FORM_ERRORS.validUntilEarlier];
    } else if (validFrom.getTime() >= validUntil.getTime()) {
      errors.valid_until = [TEMPLATE_ERRORS.validityOrder];
    }
    const maxTotal =
      next.max_total_usage === undefined ? current.max_total_usage : next.max_total_usage;
    if (maxTotal !== null && maxTotal < current.current_usage_count) {
      errors.max_total_usage = [TEMPLATE_FORM_ERRORS.belowUsage];
    }
    if (Object.keys(errors).length > 0) return { ok: false, status: 400, fieldErrors: errors };

    const keys = [...(frozen ? [] : FROZEN_COLUMNS), ...EDITABLE_COLUMNS] as (
      FrozenColumn | EditableColumn
    )[];
    const merged = { ...current, ...next } as TemplateColumns;
    const changed = changedColumns(keys, current, merged);
    if (changed.length === 0) return { ok: true, templateId };
    const patch = Object.fromEntries(
      changed.map((k) => [k, merged[k]]),
    ) as Partial<TemplateColumns>;
    await updateCouponTemplateRow(trx, templateId, patch);
    await writeStaffAudit(trx, actor, {
      action: 'coupon_template.update',
      entityType: 'coupon_template',
      entityId: templateId,
      before: pick(current, changed),
      after: pick(merged, changed),
    });
    return { ok: true, templateId };
  });
}

export type { CouponTemplateRow };
