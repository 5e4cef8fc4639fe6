import { describe, expect, it } from 'vitest';
import { attachmentName } from './download';

describe(attachmentName.name, () => {
  it('takes the file name the server offers', () => {
    expect(attachmentName('attachment; filename="roi-by-quarter.csv"', 'x.csv')).toBe('roi-by-quarter.csv');
    expect(attachmentName("attachment; filename*=UTF-8''roi%20q1.csv", 'x.csv')).toBe('roi q1.csv');
  });

  it('falls back without one', () => {
    expect(attachmentName(null, 'roi.csv')).toBe('roi.csv');
    expect(attachmentName('inline', 'roi.csv')).toBe('roi.csv');
  });
});
