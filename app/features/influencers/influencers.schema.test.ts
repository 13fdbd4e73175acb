import { parseWithZod } from '@conform-to/zod/v4';
import { describe, expect, it } from 'vitest';
import { influencerFormSchema } from './influencers.schema';

function parse(fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return parseWithZod(fd, { schema: influencerFormSchema });
}

/** Field errors of a submission (undefined when it succeeded). */
function errorsOf(submission: unknown) {
  return (submission as { error?: Record<string, string[] | null> }).error;
}

describe('influencerFormSchema', () => {
  it('normalises phone, e-mail, followers and the rate', () => {
    const result = parse({
      name: ' Анна ',
      phone: '+7 (999) 123-45-67',
      email: 'Anna@Example.com',
      follower_count: '12 500',
      commission_rate: '12,5',
      status: 'ACTIVE',
    });
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    expect(result.value).toEqual({
      name: 'Анна',
      phone: '+79991234567',
      email: 'anna@example.com',
      social_platform: null,
      social_handle: null,
      follower_count: 12_500,
      commission_rate: '12.50',
      status: 'ACTIVE',
      notes: null,
    });
  });

  it('accepts the rate bounds 0 and 100', () => {
    expect(parse({ name: 'A', commission_rate: '0', status: 'ACTIVE' }).status).toBe('success');
    expect(parse({ name: 'A', commission_rate: '100.00', status: 'ACTIVE' }).status).toBe(
      'success',
    );
  });

  it('refuses bad input with field keys', () => {
    for (const rate of ['100.01', '-1', '1.234', 'ten']) {
      const result = parse({ name: 'A', commission_rate: rate, status: 'ACTIVE' });
      expect(errorsOf(result)?.commission_rate, rate).toEqual(['influencers.error.rate']);
    }
    const result = parse({
      phone: '89991234567',
      email: 'not-an-email',
      follower_count: '-3',
      status: 'GONE',
    });
    expect(errorsOf(result)).toMatchObject({
      name: ['influencers.error.nameRequired'],
      phone: ['influencers.error.phone'],
      email: ['influencers.error.email'],
      follower_count: ['influencers.error.followers'],
      commission_rate: ['influencers.error.rateRequired'],
      status: ['influencers.error.status'],
    });
  });
});
