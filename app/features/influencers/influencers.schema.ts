import { z } from 'zod';
import { defineListParams, enumFilter } from '~/utils/search-params';
import { INFLUENCER_STATUSES, type InfluencerStatus } from '~/utils/vocabularies';

/**
 * Influencer forms and list params. Issues carry message keys (influencers.error.*); the browser
 * runs the same schema for instant feedback.
 */

/** Suggestions for the platform field (free text up to 30 characters; these are the common ones). */
export const SOCIAL_PLATFORMS = [
  'Instagram',
  'TikTok',
  'VK',
  'Telegram',
  'YouTube',
  'Дзен',
  'Rutube',
  'Xiaohongshu',
  'Douyin',
] as const;

const optionalText = (max: number) =>
  z.string().trim().max(max, { error: 'influencers.error.tooLong' }).optional();

/** Percent with at most 2 decimals, 0..100 ("12,5" accepted) → the numeric(5,2) string "12.50". */
const commissionRate = z
  .string({ error: 'influencers.error.rateRequired' })
  .trim()
  .transform((v) => v.replace(',', '.'))
  .refine((v) => /^\d{1,3}(?:\.\d{1,2})?$/.test(v) && hundredths(v) <= 10_000, {
    error: 'influencers.error.rate',
  })
  .transform((v) => {
    const h = hundredths(v);
    return `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
  });

function hundredths(v: string): number {
  const [int = '0', frac = ''] = v.split('.');
  return Number(int) * 100 + Number(frac.padEnd(2, '0'));
}

export const influencerFormSchema = z
  .object({
    name: z
      .string({ error: 'influencers.error.nameRequired' })
      .trim()
      .min(1, { error: 'influencers.error.nameRequired' })
      .max(100, { error: 'influencers.error.tooLong' }),
    phone: z
      .string()
      .transform((v) => v.replace(/[\s()-]/g, ''))
      .pipe(z.string().regex(/^\+[1-9]\d{7,14}$/, { error: 'influencers.error.phone' }))
      .optional(),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, { error: 'influencers.error.tooLong' })
      .pipe(z.email({ error: 'influencers.error.email' }))
      .optional(),
    social_platform: optionalText(30),
    social_handle: optionalText(100),
    follower_count: z
      .string()
      .trim()
      .transform((v) => v.replace(/[\s\u00a0]/g, ''))
      .refine((v) => /^\d{1,10}$/.test(v) && Number(v) <= 2_147_483_647, {
        error: 'influencers.error.followers',
      })
      .transform(Number)
      .optional(),
    commission_rate: commissionRate,
    status: z.enum(INFLUENCER_STATUSES, { error: 'influencers.error.status' }),
    notes: optionalText(4000),
  })
  .transform((v) => ({
    ...v,
    phone: v.phone || null,
    email: v.email || null,
    social_platform: v.social_platform || null,
    social_handle: v.social_handle || null,
    follower_count: v.follower_count ?? null,
    notes: v.notes || null,
  }));

export type InfluencerValues = z.output<typeof influencerFormSchema>;

const id = z
  .string({ error: 'influencers.error.campaignRequired' })
  .regex(/^[1-9]\d{0,9}$/, { error: 'influencers.error.campaignRequired' })
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, { error: 'influencers.error.campaignRequired' });

export const generateCodeSchema = z.object({ campaignId: id });

export const codeToggleSchema = z.object({
  codeId: id,
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});

export const INFLUENCER_SORT_KEYS = ['name', 'followers', 'rate', 'created'] as const;

export const influencerListParams = defineListParams({
  sortKeys: INFLUENCER_SORT_KEYS,
  defaultSort: 'name',
  filters: { status: enumFilter(INFLUENCER_STATUSES) },
});

export interface InfluencerDetail {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
  social_platform: string | null;
  social_handle: string | null;
  follower_count: number | null;
  commission_rate: string;
  status: InfluencerStatus;
  notes: string | null;
}
