import { describe, expect, it } from 'vitest';
import { defaultTaxonomy } from './taxonomy.ts';

describe('default taxonomy', () => {
  it('has exactly the keys and labels of CONTRACTS.md section 6, in order', () => {
    expect(defaultTaxonomy).toEqual([
      { key: 'geld', label: 'Geld en schulden' },
      { key: 'werk', label: 'Werk en dagbesteding' },
      { key: 'wonen', label: 'Wonen' },
      { key: 'zorg', label: 'Zorg en ondersteuning' },
      { key: 'gezondheid', label: 'Gezondheid' },
      { key: 'jeugd', label: 'Jeugd en gezin' },
      { key: 'onderwijs', label: 'Onderwijs en taal' },
      { key: 'sociaal', label: 'Sociaal contact' },
      { key: 'mantelzorg', label: 'Mantelzorg' },
      { key: 'veiligheid', label: 'Veiligheid' },
      { key: 'openbare_ruimte', label: 'Openbare ruimte' },
      { key: 'vervoer', label: 'Vervoer' },
      { key: 'meedoen', label: 'Meedoen en inspraak' },
    ]);
  });
});
