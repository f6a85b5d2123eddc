import { describe, expect, it } from 'vitest';
import { clusterBatch, type ClusterItem } from './cluster.ts';

const item = (text: string, domain: string | null = 'openbare_ruimte', municipality: string | null = 'GM0479'): ClusterItem => ({ text, domain, municipality });

describe('clusterBatch', () => {
  const batch = [
    item('de lantaarnpalen in de Vinkenstraat zijn kapot'),
    item('container bij de flat zit vol met afval'),
    item('Vinkenstraat: lantaarnpaal kapot, het is donker'),
    item('het afval naast de container stinkt, container vol'),
    item('bankje in het park is weg'),
    item('lantaarnpalen Vinkenstraat doen het niet', 'veiligheid'),
    item('lantaarnpalen Vinkenstraat kapot', 'openbare_ruimte', 'GM0453'),
  ];

  it('groups signals about the same concrete issue, numbered in order of first appearance; singletons get null', () => {
    expect(clusterBatch(batch)).toEqual(['c-1', 'c-2', 'c-1', 'c-2', null, null, null]);
  });

  it('never joins across domains or municipalities, and leaves signals without a domain alone', () => {
    const result = clusterBatch([item('lampen kapot in de Vinkenstraat'), item('lampen kapot in de Vinkenstraat', 'veiligheid'), item('lampen kapot in de Vinkenstraat', null)]);
    expect(result).toEqual([null, null, null]);
  });

  it('is deterministic', () => {
    expect(clusterBatch(batch)).toEqual(clusterBatch(batch));
    expect(clusterBatch([])).toEqual([]);
  });

  it('the place of a signal helps: a short complaint joins another in the same buurt, not one elsewhere', () => {
    const others = [item('bankje in het park is weg'), item('te weinig groen in de wijk'), item('fietspad vol gaten')];
    const a = { ...item('het stinkt hier enorm bij de sloot'), place: 'BU04790101' };
    const same = { ...item('wat een stank bij de sloot'), place: 'BU04790101' };
    const elsewhere = { ...item('wat een stank bij de sloot'), place: 'BU04790603' };
    expect(clusterBatch([...others, a, same]).slice(3)).toEqual(['c-1', 'c-1']);
    expect(clusterBatch([...others, a, elsewhere]).slice(3)).toEqual([null, null]);
  });
});
