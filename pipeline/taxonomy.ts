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

/** How a municipality changed one key (db table municipality_domains); absent keys are the default, unchanged. */
export interface DomainSetting {
  key: string;
  labelNl: string | null;
  labelEn: string | null;
  added: boolean;
  retired: boolean;
}

/** One life domain as a municipality uses it. */
export interface MunicipalDomain {
  key: string;
  /** The Dutch label: the municipality's, else the default. */
  label: string;
  /** The municipality's English label; null: the dashboard's default English label (or the Dutch one). */
  labelEn: string | null;
  /** Added by the municipality: no training examples, so only people in the review queue assign it. */
  added: boolean;
  /** Not assigned to new signals, not offered in the review queue; kept on old signals. */
  retired: boolean;
}

/** A key a municipality may add: lower case, digits and underscores, like the default keys. */
export const DOMAIN_KEY = /^[a-z][a-z0-9_]{1,39}$/;

/** The default domains in their order with the municipality's changes, then the domains it added (by key). */
export function municipalTaxonomy(settings: readonly DomainSetting[]): MunicipalDomain[] {
  const byKey = new Map(settings.map((s) => [s.key, s]));
  const defaults = defaultDomainKeys.map((key): MunicipalDomain => {
    const s = byKey.get(key);
    return { key, label: s?.labelNl ?? defaultDomainLabels[key], labelEn: s?.labelEn ?? null, added: false, retired: s?.retired ?? false };
  });
  const added = settings
    .filter((s) => s.added && !isDefaultDomainKey(s.key))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((s): MunicipalDomain => ({ key: s.key, label: s.labelNl ?? s.key, labelEn: s.labelEn, added: true, retired: s.retired }));
  return [...defaults, ...added];
}

/** The domains the analysis may assign and the review queue offers: not retired. */
export function activeDomains(taxonomy: readonly MunicipalDomain[]): LifeDomain[] {
  return taxonomy.filter((d) => !d.retired).map((d) => ({ key: d.key, label: d.label }));
}
