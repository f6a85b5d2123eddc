import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_MUNICIPALITY, demoGazetteerPath } from '../demo/index.ts';
import { GAZETTEER_COLUMNS, parseGazetteer, type GazetteerColumn, type GazetteerError, type GazetteerParseResult } from './parse.ts';

const HEADER = GAZETTEER_COLUMNS.join(',');

const defaults: Record<GazetteerColumn, string> = {
  gemeente_code: 'GM0453',
  gemeente: 'Velsen',
  wijk_code: 'WK045301',
  wijk: 'IJmuiden-Zuid',
  buurt_code: 'BU04530101',
  buurt: 'Zeewijk',
  postcodes: '1973 1974',
  aliases: 'Zeewijkplein;Kennemerlaan',
  inwoners: '1000',
  inwoners_0_15: '150',
  inwoners_15_25: '120',
  inwoners_25_45: '250',
  inwoners_45_65: '280',
  inwoners_65_plus: '200',
};

/** One CSV row; values are written as given, so a test quotes them itself where it needs to. */
function row(overrides: Partial<Record<GazetteerColumn, string>> = {}): string {
  return GAZETTEER_COLUMNS.map((c) => overrides[c] ?? defaults[c]).join(',');
}

function csv(...rows: string[]): string {
  return `${[HEADER, ...rows].join('\n')}\n`;
}

function parsed(text: string): Extract<GazetteerParseResult, { ok: true }> {
  const result = parseGazetteer(text);
  if (!result.ok) throw new Error(`expected no errors, got ${JSON.stringify(result.errors)}`);
  return result;
}

function errorsOf(text: string): GazetteerError[] {
  const result = parseGazetteer(text);
  if (result.ok) throw new Error('expected errors, the file parsed');
  return result.errors;
}

/** Asserts exactly one error, on `line`, whose message matches. */
function expectOneError(text: string, line: number, message: RegExp): void {
  const errors = errorsOf(text);
  expect(errors).toHaveLength(1);
  expect(errors[0]?.line).toBe(line);
  expect(errors[0]?.message).toMatch(message);
}

describe('parseGazetteer: good files', () => {
  it('returns municipalities, wijken and buurten, normalised', () => {
    const result = parsed(
      csv(
        row(),
        row({ buurt_code: 'BU04530102', buurt: 'Zee- en Duinwijk', postcodes: ' 1973kl  1973KL 1974 ', aliases: ' Moerbergplantsoen ; ;Moerbergplantsoen;Duin ', inwoners_65_plus: '' }),
        row({ wijk_code: 'WK045302', wijk: 'Velserbroek', buurt_code: 'BU04530201', buurt: 'Velserbroek-Noord', postcodes: '', aliases: '' }),
      ),
    );
    expect(result.municipalities).toEqual([{ code: 'GM0453', name: 'Velsen' }]);
    expect(result.wijken).toEqual([
      { code: 'WK045301', municipalityCode: 'GM0453', name: 'IJmuiden-Zuid' },
      { code: 'WK045302', municipalityCode: 'GM0453', name: 'Velserbroek' },
    ]);
    expect(result.buurten).toHaveLength(3);
    expect(result.buurten[0]).toEqual({
      code: 'BU04530101',
      wijkCode: 'WK045301',
      municipalityCode: 'GM0453',
      name: 'Zeewijk',
      postcodes: ['1973', '1974'],
      aliases: ['Zeewijkplein', 'Kennemerlaan'],
      inwoners: 1000,
      inwoners_0_15: 150,
      inwoners_15_25: 120,
      inwoners_25_45: 250,
      inwoners_45_65: 280,
      inwoners_65_plus: 200,
    });
    expect(result.buurten[1]).toMatchObject({ postcodes: ['1973KL', '1974'], aliases: ['Moerbergplantsoen', 'Duin'], inwoners_65_plus: null });
    expect(result.buurten[2]).toMatchObject({ wijkCode: 'WK045302', postcodes: [], aliases: [] });
  });

  it('accepts all population columns empty', () => {
    const empty = { inwoners: '', inwoners_0_15: '', inwoners_15_25: '', inwoners_25_45: '', inwoners_45_65: '', inwoners_65_plus: '' };
    expect(parsed(csv(row(empty))).buurten[0]).toMatchObject({ inwoners: null, inwoners_0_15: null, inwoners_65_plus: null });
  });

  it('reads RFC 4180 quoting: commas and doubled quotes inside quoted values', () => {
    const result = parsed(
      csv(row({ gemeente: '"Velsen"', wijk: '"IJmuiden, Zuid"', buurt: '"Zeewijk ""De Bloem"", oost"', aliases: '"Plein 1945, noord;""Het Pleintje"""' })),
    );
    expect(result.municipalities[0]?.name).toBe('Velsen');
    expect(result.wijken[0]?.name).toBe('IJmuiden, Zuid');
    expect(result.buurten[0]?.name).toBe('Zeewijk "De Bloem", oost');
    expect(result.buurten[0]?.aliases).toEqual(['Plein 1945, noord', '"Het Pleintje"']);
  });

  it('strips a UTF-8 byte order mark and reads CRLF line endings', () => {
    const text = `\uFEFF${HEADER}\r\n${row()}\r\n${row({ buurt_code: 'BU04530102', buurt: 'Dorp' })}\r\n`;
    const result = parsed(text);
    expect(result.buurten.map((b) => b.name)).toEqual(['Zeewijk', 'Dorp']);
    expect(result.buurten[1]?.inwoners_65_plus).toBe(200);
  });

  it('skips # comment lines and blank lines above the header, counting them in line numbers', () => {
    const text = `\uFEFF# demo data, "not official\n\n# second comment, with a comma\n${csv(row(), row({ buurt_code: 'bad' }))}`;
    expectOneError(text, 6, /buurt_code "bad" is not BU followed by 8 digits/);
    expect(parsed(`# only a comment\n${csv(row())}`).buurten).toHaveLength(1);
  });

  it('accepts lower-case codes and writes them upper case', () => {
    const result = parsed(csv(row({ gemeente_code: 'gm0453', wijk_code: 'wk045301', buurt_code: 'bu04530101' })));
    expect(result.buurten[0]).toMatchObject({ code: 'BU04530101', wijkCode: 'WK045301', municipalityCode: 'GM0453' });
  });

  it('skips blank lines between rows and a missing final newline', () => {
    const text = `${HEADER}\n${row()}\n\n${row({ buurt_code: 'BU04530102' })}`;
    expect(parsed(text).buurten).toHaveLength(2);
  });
});

describe('parseGazetteer: file-level errors', () => {
  it('refuses an empty file', () => {
    expectOneError('', 1, /the file is empty/);
    expectOneError('\uFEFF\n\n', 1, /the file is empty/);
  });

  it('refuses a file with only comments', () => {
    expectOneError('# nothing here\n# still nothing\n', 1, /the file is empty/);
  });

  it('refuses a header without rows', () => {
    expectOneError(`# comment\n${HEADER}\n`, 2, /header but no rows/);
  });

  it('refuses a wrong header and names the first wrong column', () => {
    expectOneError(csv(row()).replace('wijk_code', 'wijkcode'), 1, /column 3 is "wijkcode", expected "wijk_code"/);
    expectOneError(csv(row()).replace(',inwoners_65_plus', ''), 1, /column 14 \(inwoners_65_plus\) is missing/);
    expectOneError(csv(row()).replace('inwoners_65_plus', 'inwoners_65_plus,extra'), 1, /found 15 columns, expected 14/);
  });

  it('recognises a semicolon-separated file (Dutch Excel) and says so', () => {
    const text = `${GAZETTEER_COLUMNS.join(';')}\n${row().replaceAll(',', ';')}\n`;
    expectOneError(text, 1, /separated by semicolons/);
  });
});

describe('parseGazetteer: row errors, each on its physical line', () => {
  it('wrong number of columns', () => {
    expectOneError(csv(row(), `${row({ buurt_code: 'BU04530102' })},extra`), 3, /expected 14 columns, found 15/);
    expectOneError(csv(row().replace(/,200$/, '')), 2, /expected 14 columns, found 13/);
  });

  it('gemeente_code, wijk_code and buurt_code formats', () => {
    expectOneError(csv(row({ gemeente_code: 'GM453' })), 2, /gemeente_code "GM453" is not GM followed by 4 digits/);
    expectOneError(csv(row({ wijk_code: 'WK04530' })), 2, /wijk_code "WK04530" is not WK followed by 6 digits/);
    expectOneError(csv(row({ buurt_code: 'BU0453010A' })), 2, /buurt_code "BU0453010A" is not BU followed by 8 digits/);
  });

  it("the wijk code's first 4 digits must be the gemeente's", () => {
    expectOneError(csv(row({ wijk_code: 'WK047901', buurt_code: 'BU04790101' })), 2, /wijk_code WK047901 does not belong to gemeente GM0453/);
  });

  it("the buurt code must start with the wijk's 6 digits", () => {
    expectOneError(csv(row({ buurt_code: 'BU04530201' })), 2, /buurt_code BU04530201 does not belong to wijk WK045301/);
  });

  it('gemeente, wijk and buurt names are required', () => {
    expectOneError(csv(row({ gemeente: '' })), 2, /gemeente \(the name\) is empty/);
    expectOneError(csv(row({ wijk: '  ' })), 2, /wijk \(the name\) is empty/);
    expectOneError(csv(row({ buurt: '""' })), 2, /buurt \(the name\) is empty/);
  });

  it('postcodes must be PC4 or PC6 without a space', () => {
    expectOneError(csv(row({ postcodes: '1973 0123' })), 2, /postcode "0123" is not a PC4/);
    expectOneError(csv(row({ postcodes: '19731' })), 2, /postcode "19731"/);
    expectOneError(csv(row({ postcodes: '1973KLM' })), 2, /postcode "1973KLM"/);
    // "1973 KL" is two values, and "KL" is not a postcode.
    expectOneError(csv(row({ postcodes: '1973 KL' })), 2, /postcode "KL" is not a PC4 \(1971\) or PC6 \(1971AB, without a space\)/);
  });

  it('population values must be whole numbers of at least 0', () => {
    expectOneError(csv(row({ inwoners: '-5' })), 2, /inwoners "-5" is not a whole number/);
    expectOneError(csv(row({ inwoners_0_15: '12.5' })), 2, /inwoners_0_15 "12.5"/);
    expectOneError(csv(row({ inwoners_15_25: 'veel' })), 2, /inwoners_15_25 "veel"/);
    expectOneError(csv(row({ inwoners_25_45: '1e3' })), 2, /inwoners_25_45 "1e3"/);
    expectOneError(csv(row({ inwoners_65_plus: '99999999999' })), 2, /inwoners_65_plus "99999999999"/);
  });

  it('a buurt_code may appear only once', () => {
    expectOneError(csv(row(), row({ buurt: 'Zeewijk again' })), 3, /buurt_code BU04530101 appears twice: also on line 2/);
  });

  it('a wijk_code keeps one name', () => {
    expectOneError(csv(row(), row({ buurt_code: 'BU04530102', wijk: 'IJmuiden' })), 3, /wijk_code WK045301 is named "IJmuiden-Zuid" on line 2 but "IJmuiden" here/);
  });

  it('a wijk_code keeps one gemeente', () => {
    const errors = errorsOf(csv(row(), row({ gemeente_code: 'GM0479', gemeente: 'Zaanstad', buurt_code: 'BU04530102' })));
    expect(errors.map((e) => e.line)).toEqual([3, 3]);
    expect(errors[0]?.message).toMatch(/wijk_code WK045301 does not belong to gemeente GM0479/);
    expect(errors[1]?.message).toMatch(/wijk_code WK045301 is in gemeente GM0453 on line 2 but in GM0479 here/);
  });

  it('a gemeente_code keeps one name', () => {
    expectOneError(csv(row(), row({ gemeente: 'Velsen-Zuid', buurt_code: 'BU04530102' })), 3, /gemeente_code GM0453 is named "Velsen" on line 2 but "Velsen-Zuid" here/);
  });

  it('comment lines are refused below the header', () => {
    expectOneError(csv(row(), '# a late comment, "with a quote'), 3, /comment lines \(#\) are only allowed above the header/);
  });

  it('malformed quoting is reported on its own line without hiding later rows', () => {
    const errors = errorsOf(csv(row({ buurt: '"Zee"wijk' }), row({ buurt_code: 'BU04530102', aliases: 'Plein"1945' }), row({ buurt_code: 'BU04530103', inwoners: 'x' })));
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(errors[0]?.message).toMatch(/closing quote must be followed by a comma/);
    expect(errors[1]?.message).toMatch(/a quote inside an unquoted value/);
    expect(errors[2]?.message).toMatch(/inwoners "x"/);
  });

  it('an unclosed quote is reported on the line where it opens', () => {
    expectOneError(csv(row(), row({ buurt_code: 'BU04530102', buurt: '"Dorp' }), row({ buurt_code: 'BU04530103' })), 3, /closing quote is missing/);
  });

  it('counts the lines inside a quoted multi-line value, and refuses line breaks in values', () => {
    const errors = errorsOf(csv(row({ buurt: '"Zee\nwijk"' }), row({ buurt_code: 'BU04530102', inwoners: '-1' })));
    expect(errors).toEqual([
      { line: 2, message: 'buurt contains a line break' },
      { line: 4, message: expect.stringMatching(/inwoners "-1"/) as unknown },
    ]);
  });

  it('collects every error of every row, in line order', () => {
    const errors = errorsOf(
      csv(
        row({ gemeente_code: 'XX0453', wijk: '' }),
        row({ buurt_code: 'BU04530102' }),
        row({ buurt_code: 'BU04530103', postcodes: 'abc', inwoners: '-1' }),
        row({ buurt_code: 'BU04530102' }),
      ),
    );
    expect(errors.map((e) => e.line)).toEqual([2, 2, 4, 4, 5]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/gemeente_code "XX0453"/),
      expect.stringMatching(/wijk \(the name\) is empty/),
      expect.stringMatching(/postcode "abc"/),
      expect.stringMatching(/inwoners "-1"/),
      expect.stringMatching(/appears twice: also on line 3/),
    ]);
  });
});

describe('the demo gazetteer', () => {
  const text = readFileSync(demoGazetteerPath, 'utf8');

  it('says at the top that it is hand-made demo data, not official CBS figures', () => {
    const comments = text.split('\n').filter((l) => l.startsWith('#')).join('\n');
    expect(text.startsWith('#')).toBe(true);
    expect(comments).toMatch(/DEMO DATA/);
    expect(comments).toMatch(/NOT official/);
    expect(comments).toMatch(/not CBS figures or codes/);
    expect(comments).toMatch(/imports its own gazetteer/);
  });

  it('parses without errors into Zaanstad with its wijken and buurten', () => {
    const result = parsed(text);
    expect(result.municipalities).toEqual([{ code: DEMO_MUNICIPALITY, name: 'Zaanstad' }]);
    expect(result.wijken.length).toBeGreaterThanOrEqual(10);
    expect(result.wijken.length).toBeLessThanOrEqual(15);
    expect(result.buurten.length).toBeGreaterThanOrEqual(35);
    expect(result.buurten.length).toBeLessThanOrEqual(60);
    const wijken = result.wijken.map((w) => w.name);
    for (const name of [
      'Zaandam-Centrum',
      'Zaandam-West',
      'Zaandam-Zuid',
      'Poelenburg',
      'Kogerveld',
      'Rosmolenwijk',
      'Westerwatering',
      'Pelders- en Hoornseveld',
      'Koog aan de Zaan',
      'Zaandijk',
      'Wormerveer',
      'Krommenie',
      'Assendelft',
      'Westzaan',
    ]) {
      expect(wijken).toContain(name);
    }
    const buurten = result.buurten.map((b) => b.name);
    for (const name of ['Inverdan', 'Peldersveld', 'Oud Koog', 'Nieuw West', 'Westknollendam', 'Zaanse Schans', 'Vlietsorgh']) {
      expect(buurten).toContain(name);
    }
  });

  it('has Zaanstad postcodes, aliases and population figures that add up', () => {
    const result = parsed(text);
    let total = 0;
    for (const b of result.buurten) {
      for (const pc of b.postcodes) expect(Number(pc.slice(0, 4))).toSatisfy((n: number) => n >= 1500 && n <= 1567);
      if (b.inwoners === null) continue;
      const bands = [b.inwoners_0_15, b.inwoners_15_25, b.inwoners_25_45, b.inwoners_45_65, b.inwoners_65_plus];
      expect(bands.reduce<number>((sum, n) => sum + (n ?? 0), 0)).toBe(b.inwoners);
      total += b.inwoners;
    }
    expect(total).toBeGreaterThan(140_000);
    expect(total).toBeLessThan(175_000);
    expect(result.buurten.filter((b) => b.aliases.length > 0).length).toBeGreaterThan(result.buurten.length / 2);
    expect(result.buurten.some((b) => b.postcodes.some((pc) => pc.length === 6))).toBe(true);
    expect(result.buurten.find((b) => b.name === 'Zaanse Schans')?.aliases).toContain('Kalverringdijk');
  });
});
