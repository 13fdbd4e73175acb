import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICE_SCAN_TYPES, SCAN_RESULTS } from '~/utils/vocabularies';
import {
  AMOUNT_PATTERN,
  MAX_EVENTS_PER_BATCH,
  SCAN_API_ERROR_STATUS,
  SCAN_REJECT_REASONS,
} from './scans.schema';

/** docs/api/scans.openapi.json describes what the code does, not what it once did. */

interface Spec {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme: string }>;
    schemas: Record<string, Record<string, unknown>>;
  };
}

const spec = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../docs/api/scans.openapi.json'), 'utf8'),
) as Spec;
const schemas = spec.components.schemas;
const prop = (schema: string, name: string) =>
  (schemas[schema]!.properties as Record<string, Record<string, unknown>>)[name]!;

describe('scans OpenAPI description', () => {
  it('is OpenAPI 3.1 with a bearer device key', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.securitySchemes.deviceKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('lists exactly the rejection reasons the ingestion gives', () => {
    expect(schemas.ScanRejectReason!.enum).toEqual([...SCAN_REJECT_REASONS]);
  });

  it('lists exactly the request error codes, each with its documented status', () => {
    const error = prop('Error', 'error').properties as Record<string, { enum: string[] }>;
    expect(error.code?.enum).toEqual(Object.keys(SCAN_API_ERROR_STATUS));
    const responses = Object.keys(spec.paths['/api/v1/scans']!.post!.responses);
    for (const [code, status] of Object.entries(SCAN_API_ERROR_STATUS)) {
      if (code === 'METHOD_NOT_ALLOWED') continue; // answered to other methods, not to POST
      expect(responses, code).toContain(String(status));
    }
  });

  it('matches the event and result schemas of the code', () => {
    expect(prop('ScanEvent', 'scan_type').enum).toEqual([...DEVICE_SCAN_TYPES]);
    expect(prop('ScanEvent', 'order_amount').pattern).toBe(AMOUNT_PATTERN.source);
    expect(prop('ScanBatch', 'events').maxItems).toBe(MAX_EVENTS_PER_BATCH);
    expect(prop('ScanEventResult', 'result').enum).toEqual([...SCAN_RESULTS]);
  });
});
