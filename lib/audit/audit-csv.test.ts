import { describe, expect, it } from 'vitest';
import { parseCsv } from '../testing/parse-csv';
import { csvField, csvPreamble } from './audit-csv';

describe('csvField', () => {
  it('leaves plain text alone and writes null as an empty field', () => {
    expect(csvField('message.replay_requested')).toBe('message.replay_requested');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField('a=b+c-d@e')).toBe('a=b+c-d@e'); // only a leading sign is a formula
  });

  it('quotes a field holding a comma, a quote, CR or LF, doubling its quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it('puts an apostrophe before = + - @ TAB and CR at the start, then quotes as needed', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe('"\'\rx"');
    expect(csvField('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
  });
});

describe('csvPreamble', () => {
  it('is one field whatever the filters, then the header row', () => {
    const [comment, header, ...rest] = parseCsv(csvPreamble({ exportedAt: new Date(0), query: 'actor=a%2Cb&reason=%22' }));
    expect(comment).toHaveLength(1);
    expect(comment![0]).toMatch(/^# /);
    expect(header![0]).toBe('id');
    expect(rest).toEqual([]);
  });
});
