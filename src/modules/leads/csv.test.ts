import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv.js';

describe('CSV escaping', () => {
  it('when a field holds quotes, commas or line breaks, then it is quoted with quotes doubled', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
  });

  it('when a text field starts like a spreadsheet formula, then it is defused with a leading quote', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@user')).toBe("'@user");
    expect(csvField(-5)).toBe('-5');
  });

  it('when values are missing, then the cells are empty and the line ends with CRLF', () => {
    expect(csvLine(['a', null, undefined, 3])).toBe('a,,,3\r\n');
  });
});
