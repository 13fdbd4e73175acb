import { describe, expect, it } from 'vitest';
import { formatPhone, maskPhoneForDisplay, normalizePhone } from './phone';

describe('normalizePhone (AU-1)', () => {
  it.each([
    ['+79001234567', '+79001234567'],
    ['+7 900 123-45-67', '+79001234567'],
    ['8 (900) 123-45-67', '+79001234567'],
    ['89001234567', '+79001234567'],
    ['79001234567', '+79001234567'],
    ['9001234567', '+79001234567'],
    ['(900) 123 45 67', '+79001234567'],
    ['+7(900)123.45.67', '+79001234567'],
    ['  +7 900 123 45 67  ', '+79001234567'],
    ['8\u00a0900\u00a0123\u00a045\u00a067', '+79001234567'],
  ])('%j → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    '123',
    '',
    '+',
    '900123456',
    '+7900123456',
    '+790012345678',
    '+19001234567',
    '+8 900 123 45 67',
    '69001234567',
    '890012345678',
    '+7 900 ABC-45-67',
    '+7 900 123-45-67 ext 1',
    '+7-900-123-45-67'.padEnd(40, ' ') + '1',
    '８９００１２３４５６７',
  ])('%j is INVALID_PHONE', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe('phone display', () => {
  it('formats and masks an E.164 number', () => {
    expect(formatPhone('+79001234567')).toBe('+7 900 123-45-67');
    expect(maskPhoneForDisplay('+79001234567')).toBe('+7 900 ***-**-67');
    expect(maskPhoneForDisplay('garbage')).toBe('***');
  });
});
