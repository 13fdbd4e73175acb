import { describe, expect, it } from 'vitest';
import { processObservations } from './process-alerts.server';

const quiet = { value: 0.1, firing: false };
const loud = { value: 3, firing: true };

describe('processObservations', () => {
  it('asserts firing on every evaluation and clears only what this process saw firing', () => {
    const none = { api_latency: false, api_error_rate: false, db_pool_saturation: false };
    expect(
      processObservations(none, {
        api_latency: quiet,
        api_error_rate: quiet,
        db_pool_saturation: quiet,
      }),
    ).toEqual([]);
    expect(
      processObservations(none, {
        api_latency: loud,
        api_error_rate: quiet,
        db_pool_saturation: quiet,
      }),
    ).toEqual([{ rule: 'api_latency', firing: true, value: 3 }]);
    expect(
      processObservations(
        { ...none, api_latency: true },
        { api_latency: loud, api_error_rate: quiet, db_pool_saturation: quiet },
      ),
    ).toEqual([{ rule: 'api_latency', firing: true, value: 3 }]);
    expect(
      processObservations(
        { ...none, api_latency: true },
        { api_latency: quiet, api_error_rate: quiet, db_pool_saturation: quiet },
      ),
    ).toEqual([{ rule: 'api_latency', firing: false, value: 0.1 }]);
  });
});
