import { z } from 'zod';
import { fromDecimal, MAX_KOPECKS } from '~/utils/money';
import { parsePolygonInput, type LatLng } from './polygon';

/** Rubles as typed in a form: "350", "350.50" or "350,50"; never negative, at most 2 decimals. */
export const rublesField = (messages: { required: string; invalid: string }) =>
  z
    .string({ error: messages.required })
    .trim()
    .transform((v, ctx) => {
      const text = v.replace(',', '.');
      if (!/^\d{1,10}(\.\d{1,2})?$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: messages.invalid });
        return z.NEVER;
      }
      const kopecks = fromDecimal(text);
      if (kopecks > MAX_KOPECKS) {
        ctx.addIssue({ code: 'custom', message: messages.invalid });
        return z.NEVER;
      }
      return kopecks as number;
    });

/** The zone form (DL-1). The polygon arrives as pasted text and leaves as `[[lat, lng], …]`. */
export const zoneFormSchema = z.object({
  name_ru: z
    .string({ error: 'delivery.error.nameRequired' })
    .trim()
    .min(1, { error: 'delivery.error.nameRequired' })
    .max(100, { error: 'stores.error.tooLong' }),
  name_zh: z.string().trim().max(100, { error: 'stores.error.tooLong' }).optional(),
  name_en: z.string().trim().max(100, { error: 'stores.error.tooLong' }).optional(),
  polygon: z
    .string({ error: 'delivery.polygon.error.empty' })
    .max(100_000, { error: 'delivery.polygon.error.tooManyVertices' })
    .transform((text, ctx): LatLng[] => {
      const result = parsePolygonInput(text);
      if (!result.ok) {
        ctx.addIssue({ code: 'custom', message: result.error });
        return z.NEVER;
      }
      return result.polygon;
    }),
  fee: rublesField({ required: 'delivery.error.feeRequired', invalid: 'delivery.error.money' }),
  min_order_amount: rublesField({
    required: 'delivery.error.minOrderRequired',
    invalid: 'delivery.error.money',
  }),
  eta_minutes: z
    .number({ error: 'delivery.error.eta' })
    .int({ error: 'delivery.error.eta' })
    .min(1, { error: 'delivery.error.eta' })
    .max(240, { error: 'delivery.error.eta' }),
  is_active: z.boolean().default(false),
});

export type ZoneValues = z.output<typeof zoneFormSchema>;
