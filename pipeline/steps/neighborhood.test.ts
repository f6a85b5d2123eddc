import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { gazetteerDataFromCsv } from '../evaluation/evaluate.ts';
import { buildGazetteerIndex, placeSignal, type GazetteerData } from './neighborhood.ts';

const demo = gazetteerDataFromCsv(readFileSync(demoGazetteerPath, 'utf8'));
// A second municipality with a buurt that shares a name with one in Zaanstad, to test ambiguity.
const velsen: GazetteerData = {
  municipalities: [{ code: 'GM0453', name: 'Velsen' }],
  wijken: [{ code: 'WK045301', municipality_code: 'GM0453', name: 'IJmuiden-Zuid' }],
  buurten: [
    { code: 'BU04530101', wijk_code: 'WK045301', municipality_code: 'GM0453', name: 'Zeewijk', postcodes: ['1973'], aliases: ['Zeewijkplein'] },
    { code: 'BU04530102', wijk_code: 'WK045301', municipality_code: 'GM0453', name: 'Hofwijk', postcodes: ['1972'], aliases: [] },
  ],
};
const both = buildGazetteerIndex({
  municipalities: [...demo.municipalities, ...velsen.municipalities],
  wijken: [...demo.wijken, ...velsen.wijken],
  buurten: [...demo.buurten, ...velsen.buurten],
});
const index = buildGazetteerIndex(demo);
const place = (text: string, extra: { place?: string; postcode?: string; municipality?: string } = {}) => placeSignal(index, { text, ...extra });

describe('placeSignal', () => {
  it('places a buurt by its name, in any case, with the exact result shape', () => {
    expect(place('In Inverdan is het druk')).toEqual({ gemeente_code: 'GM0479', wijk_code: 'WK047901', buurt_code: 'BU04790101', name: 'Inverdan' });
    expect(place('in inverdan is het druk')?.buurt_code).toBe('BU04790101');
  });

  it('places a buurt by an alias: a street or a landmark', () => {
    expect(place('de lampen in de Vinkenstraat zijn kapot')?.buurt_code).toBe('BU04790102');
    expect(place('dealers in het darwinpark')?.buurt_code).toBe('BU04790602');
    expect(place('bij het Czaar Peterhuisje')?.buurt_code).toBe('BU04790102');
  });

  it('a wijk name places the wijk only', () => {
    expect(place('ik woon in Poelenburg')).toEqual({ gemeente_code: 'GM0479', wijk_code: 'WK047906', buurt_code: null, name: 'Poelenburg' });
    expect(place('niks te doen in Krommenie')).toMatchObject({ wijk_code: 'WK047913', buurt_code: null });
  });

  it('tolerates one typo in names of six letters or more, not in shorter ones', () => {
    expect(place('', { place: 'westerwatring' })).toMatchObject({ wijk_code: 'WK047903', buurt_code: null });
    expect(place('', { place: 'poelenbrug' })).toMatchObject({ wijk_code: 'WK047906' });
    expect(place('', { place: 'krommeni' })).toMatchObject({ wijk_code: 'WK047913' });
    expect(place('', { place: 'Kof' })).toBeNull();
  });

  it('reads PC6 and PC4 answers; a PC4 that spans wijken places nothing', () => {
    expect(place('', { postcode: '1507 ea' })?.buurt_code).toBe('BU04790603');
    expect(place('', { postcode: '1541' })).toMatchObject({ wijk_code: 'WK047910', buurt_code: null });
    expect(place('', { postcode: '1523' })?.buurt_code).toBe('BU04791202');
    expect(place('', { postcode: '1507' })).toBeNull();
    expect(place('', { postcode: '9999' })).toBeNull();
  });

  it('combines evidence: a name narrows a postcode', () => {
    expect(place('in de spaghettiflat', { postcode: '1507' })?.buurt_code).toBe('BU04790603');
    expect(place('lift kapot in de Pharus', { place: 'Zaandam-Oost' })?.buurt_code).toBe('BU04790701');
  });

  it('an alias shared by buurten of different wijken places nothing; of one wijk, the wijk', () => {
    expect(place('bij de Lagedijk')).toBeNull(); // Oud Koog and Oud Zaandijk
    expect(place('in Saendelft')).toMatchObject({ wijk_code: 'WK047914', buurt_code: null });
  });

  it('a number in free text is no postcode, and text without a place is null', () => {
    expect(place('al 1507 dagen wachten')).toBeNull();
    expect(place('de stoep is kapot')).toBeNull();
    expect(place('')).toBeNull();
  });

  it('common words that are also aliases count only with a capital', () => {
    expect(place('de krimp van het budget')).toBeNull();
    expect(place('bij de Krimp')?.buurt_code).toBe('BU04790102');
  });

  it('resolves a name two municipalities share by the signal’s municipality, and is null without one', () => {
    expect(placeSignal(both, { text: 'ik woon in Hofwijk' })).toBeNull();
    expect(placeSignal(both, { text: 'ik woon in Hofwijk', municipality: 'GM0479' })?.buurt_code).toBe('BU04790503');
    expect(placeSignal(both, { text: 'ik woon in Hofwijk', municipality: 'GM0453' })?.buurt_code).toBe('BU04530102');
    expect(placeSignal(both, { text: 'bij het Zeewijkplein' })?.gemeente_code).toBe('GM0453');
  });
});
