/**
 * The default life-domain taxonomy (CONTRACTS.md section 6). Keys are stable: data, training files and exports
 * refer to them. A municipality may rename labels, add domains or retire them; these keys stay available.
 */
export const defaultDomainKeys = [
  'geld',
  'werk',
  'wonen',
  'zorg',
  'gezondheid',
  'jeugd',
  'onderwijs',
  'sociaal',
  'mantelzorg',
  'veiligheid',
  'openbare_ruimte',
  'vervoer',
  'meedoen',
] as const;

export type DefaultDomainKey = (typeof defaultDomainKeys)[number];

export interface LifeDomain {
  key: string;
  label: string;
}

export const defaultDomainLabels: Record<DefaultDomainKey, string> = {
  geld: 'Geld en schulden',
  werk: 'Werk en dagbesteding',
  wonen: 'Wonen',
  zorg: 'Zorg en ondersteuning',
  gezondheid: 'Gezondheid',
  jeugd: 'Jeugd en gezin',
  onderwijs: 'Onderwijs en taal',
  sociaal: 'Sociaal contact',
  mantelzorg: 'Mantelzorg',
  veiligheid: 'Veiligheid',
  openbare_ruimte: 'Openbare ruimte',
  vervoer: 'Vervoer',
  meedoen: 'Meedoen en inspraak',
};

export const defaultTaxonomy: readonly LifeDomain[] = defaultDomainKeys.map((key) => ({ key, label: defaultDomainLabels[key] }));

export function isDefaultDomainKey(key: string): key is DefaultDomainKey {
  return (defaultDomainKeys as readonly string[]).includes(key);
}
