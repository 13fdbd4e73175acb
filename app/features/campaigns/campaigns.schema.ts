import { z } from 'zod';
import { fromDecimal, type Kopecks } from '~/utils/money';
import { defineListParams, enumFilter } from '~/utils/search-params';
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  type CampaignStatus,
  type CampaignType,
} from '~/utils/vocabularies';
import { fromZonedLocal } from './campaign-time';

/**
 * Campaign forms and list params. Issues carry message keys (campaigns.error.*), translated by the
 * form; the browser runs the same schema for instant feedback.
 */

/**
 * The lifecycle (domain §4: DRAFT, ACTIVE — scans accepted, PAUSED, ENDED). DRAFT → ENDED is
 * allowed on purpose: rows are never deleted (C-10), so ending a draft that never ran is how it is
 * retired. ENDED is terminal.
 */
export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  DRAFT: ['ACTIVE', 'ENDED'],
  ACTIVE: ['PAUSED', 'ENDED'],
  PAUSED: ['ACTIVE', 'ENDED'],
  ENDED: [],
};

export function isLegalTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return CAMPAIGN_TRANSITIONS[from].includes(to);
}

export const CODE_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

const MONEY = /^\d{1,10}(?:\.\d{1,2})?$/;

const optionalText = (max: number) =>
  z.string().trim().max(max, { error: 'campaigns.error.tooLong' }).optional();

const instant = (requiredKey: string) =>
  z
    .string({ error: requiredKey })
    .trim()
    .transform((v, ctx) => {
      const date = fromZonedLocal(v);
      if (!date) {
        ctx.addIssue({ code: 'custom', message: 'campaigns.error.dateInvalid' });
        return z.NEVER;
      }
      return date;
    });

export const campaignFormSchema = z
  .object({
    code: z
      .string({ error: 'campaigns.error.codeRequired' })
      .trim()
      .toUpperCase()
      .max(30, { error: 'campaigns.error.codeFormat' })
      .regex(/^[A-Z0-9][A-Z0-9_-]*$/, { error: 'campaigns.error.codeFormat' }),
    name_ru: z
      .string({ error: 'campaigns.error.nameRequired' })
      .trim()
      .min(1, { error: 'campaigns.error.nameRequired' })
      .max(100, { error: 'campaigns.error.tooLong' }),
    name_zh: optionalText(100),
    name_en: optionalText(100),
    description: optionalText(2000),
    type: z.enum(CAMPAIGN_TYPES, { error: 'campaigns.error.type' }),
    start_at: instant('campaigns.error.startRequired'),
    end_at: instant('campaigns.error.endRequired'),
    code_letter: z
      .string({ error: 'campaigns.error.codeLetter' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]$/, { error: 'campaigns.error.codeLetter' }),
    budget: z
      .string()
      .trim()
      .transform((v) => v.replace(',', '.').replace(/\s+/g, ''))
      .refine((v) => MONEY.test(v), { error: 'campaigns.error.budget' })
      .transform((v): Kopecks => fromDecimal(v))
      .optional(),
  })
  .refine((value) => value.start_at.getTime() < value.end_at.getTime(), {
    // campaign_dates_valid (start_at < end_at), checked here so the DB CHECK is only a backstop
    path: ['end_at'],
    error: 'campaigns.error.datesOrder',
    // also reported while other fields are still wrong, as long as both dates parsed
    when: (payload) => {
      const v = payload.value as { start_at?: unknown; end_at?: unknown } | undefined;
      return v?.start_at instanceof Date && v.end_at instanceof Date;
    },
  })
  .transform(({ budget, ...rest }) => ({
    ...rest,
    name_zh: rest.name_zh || null,
    name_en: rest.name_en || null,
    description: rest.description || null,
    budget_kopecks: budget ?? null,
  }));

export type CampaignValues = z.output<typeof campaignFormSchema>;

export const campaignTransitionSchema = z.object({
  from: z.enum(CAMPAIGN_STATUSES, { error: 'campaigns.error.transition' }),
  to: z.enum(CAMPAIGN_STATUSES, { error: 'campaigns.error.transition' }),
});

export const CAMPAIGN_SORT_KEYS = ['start', 'code', 'name', 'status', 'created'] as const;

export const campaignListParams = defineListParams({
  sortKeys: CAMPAIGN_SORT_KEYS,
  defaultSort: 'start',
  defaultDir: 'desc',
  filters: { status: enumFilter(CAMPAIGN_STATUSES), type: enumFilter(CAMPAIGN_TYPES) },
});

/** The editable columns of a campaign as the edit form shows them. */
export interface CampaignDetail {
  id: number;
  code: string;
  name_ru: string;
  name_zh: string | null;
  name_en: string | null;
  description: string | null;
  type: CampaignType;
  status: CampaignStatus;
  start_at: string;
  end_at: string;
  code_letter: string;
  budget_kopecks: number | null;
}
