import { parseWithZod } from '@conform-to/zod/v4';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_STATUSES } from '~/utils/vocabularies';
import { campaignFormSchema, isLegalTransition } from './campaigns.schema';

function form(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
}

const valid = {
  code: 'spring-26',
  name_ru: 'Весна',
  type: 'INFLUENCER',
  start_at: '2026-03-01T00:00',
  end_at: '2026-04-01T00:00',
  code_letter: 'b',
  budget: '50 000,50',
};

/** Field errors of a submission (undefined when it succeeded). */
function errorsOf(submission: unknown) {
  return (submission as { error?: Record<string, string[] | null> }).error;
}

describe('campaign lifecycle', () => {
  it('allows exactly DRAFT→ACTIVE|ENDED, ACTIVE→PAUSED|ENDED, PAUSED→ACTIVE|ENDED', () => {
    const legal = CAMPAIGN_STATUSES.flatMap((from) =>
      CAMPAIGN_STATUSES.filter((to) => isLegalTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(legal.sort()).toEqual(
      [
        'ACTIVE→ENDED',
        'ACTIVE→PAUSED',
        'DRAFT→ACTIVE',
        'DRAFT→ENDED',
        'PAUSED→ACTIVE',
        'PAUSED→ENDED',
      ].sort(),
    );
  });
});

describe('campaignFormSchema', () => {
  it('normalises a valid form', () => {
    const result = parseWithZod(form(valid), { schema: campaignFormSchema });
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    expect(result.value).toMatchObject({
      code: 'SPRING-26',
      code_letter: 'B',
      budget_kopecks: 5_000_050,
      name_zh: null,
      description: null,
    });
    expect(result.value.start_at.toISOString()).toBe('2026-02-28T21:00:00.000Z');
  });

  it('puts the date order error on end_at before the DB CHECK sees it', () => {
    const result = parseWithZod(form({ ...valid, end_at: valid.start_at }), {
      schema: campaignFormSchema,
    });
    expect(result.status).toBe('error');
    expect(errorsOf(result)?.end_at).toEqual(['campaigns.error.datesOrder']);
  });

  it('refuses bad letters, budgets, types and codes with message keys', () => {
    const result = parseWithZod(
      form({ ...valid, code_letter: 'AB', budget: '-5', type: 'OTHER', code: 'с пробелом' }),
      { schema: campaignFormSchema },
    );
    expect(errorsOf(result)).toMatchObject({
      code_letter: ['campaigns.error.codeLetter'],
      budget: ['campaigns.error.budget'],
      type: ['campaigns.error.type'],
      code: ['campaigns.error.codeFormat'],
    });
  });
});
