import { createMember, createUser } from './access';
import type { FactoryDb, Overrides, Row } from './support';
import { hoursFromNow, seq } from './support';

/**
 * An active SIMPLE_PERCENTAGE 10 % template for every store, valid from yesterday for 30 days.
 * For other types override `type` with a matching `discount_value` / `rule_json`
 * (`coupon_template_*` CHECKs). `created_by` is a new ADMIN unless given.
 */
export async function createCouponTemplate(
  db: FactoryDb,
  overrides: Overrides<'coupon_template'> = {},
): Promise<Row<'coupon_template'>> {
  const n = seq();
  const createdBy = overrides.created_by ?? (await createUser(db)).id;
  return db
    .insertInto('coupon_template')
    .values({
      code: `COUPON_${n}`,
      name_ru: `Купон ${n}`,
      description_ru: 'Скидка 10 %',
      type: 'SIMPLE_PERCENTAGE',
      discount_value: '10.00',
      valid_from: hoursFromNow(-24),
      valid_until: hoursFromNow(24 * 30),
      created_by: createdBy,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An UNUSED ADMIN-issued instance; creates the template and the member when not given. */
export async function createCouponInstance(
  db: FactoryDb,
  overrides: Overrides<'coupon_instance'> = {},
): Promise<Row<'coupon_instance'>> {
  const templateId = overrides.template_id ?? (await createCouponTemplate(db)).id;
  const memberId = overrides.member_id ?? (await createMember(db)).id;
  return db
    .insertInto('coupon_instance')
    .values({ template_id: templateId, member_id: memberId, source_type: 'ADMIN', ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}
