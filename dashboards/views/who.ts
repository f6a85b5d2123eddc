/**
 * Who is heard: distinct residents per age band, wijk, channel and client/carer/resident; per 1,000 inhabitants
 * where the gazetteer has a population, with the representation score; and, first, the warning that counts show
 * reach, not how common a problem is.
 */
import { html } from 'hono/html';
import type { AgeBand, Municipality, Wijk } from '../../db/database.ts';
import type { Bucket, DashboardFilter, WhoIsHeard } from '../../db/repositories/dashboard-stats.ts';
import type { Html } from '../../app/http/layout.ts';
import { filterQuery } from '../filters.ts';
import { countText, isSuppressed, ratePerThousand, representationScore, shown, type PopulationGroup } from '../suppression.ts';
import { filterForm } from './filter-form.ts';
import { ageBands } from './notes.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

interface GroupRow extends PopulationGroup {
  label: string;
}

export function whoPage(
  ctx: ViewContext,
  options: { municipalities: readonly Municipality[]; wijken: readonly Wijk[]; filter: DashboardFilter; filterError?: string | undefined; who?: WhoIsHeard | undefined },
): Html {
  const { t } = ctx;
  const w = t.who;
  const number = new Intl.NumberFormat(t.locale);
  const decimal = new Intl.NumberFormat(t.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const score2 = new Intl.NumberFormat(t.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(t.locale, { style: 'percent', maximumFractionDigits: 0 });

  const groupTable = (id: string, title: string, rows: GroupRow[], withPopulation: boolean): Html => {
    const total = rows.reduce((a, r) => a + r.residents, 0);
    const score = withPopulation ? representationScore(rows) : undefined;
    return html`<section aria-labelledby="${id}-heading">
      <h2 class="utrecht-heading-2" id="${id}-heading">${title}</h2>
      <table class="utrecht-table utrecht-table--html-table figures" id="${id}">
        <caption class="utrecht-table__caption visually-hidden">${title}</caption>
        <thead class="utrecht-table__header"><tr class="utrecht-table__row">
          <th scope="col" class="utrecht-table__header-cell">${w.group}</th>
          <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${w.residents}</th>
          ${withPopulation
            ? html`<th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${w.population}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${w.rate}</th>`
            : html`<th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${w.share}</th>`}
        </tr></thead>
        <tbody class="utrecht-table__body">
          ${rows.map((r) => {
            const hidden = isSuppressed(r.residents);
            const rate = ratePerThousand(r);
            return html`<tr class="utrecht-table__row">
              <th scope="row" class="utrecht-table__header-cell">${r.label}</th>
              <td class="utrecht-table__cell utrecht-table__cell--numeric">${countText(shown(r.residents, r.residents), t.locale)}</td>
              ${withPopulation
                ? html`<td class="utrecht-table__cell utrecht-table__cell--numeric">${r.population === null ? w.noPopulation : number.format(r.population)}</td>
                    <td class="utrecht-table__cell utrecht-table__cell--numeric">${hidden ? '< 5' : rate === undefined ? w.noPopulation : decimal.format(rate)}</td>`
                : html`<td class="utrecht-table__cell utrecht-table__cell--numeric">${hidden || total === 0 ? (hidden ? '< 5' : '0') : percent.format(r.residents / total)}</td>`}
            </tr>`;
          })}
        </tbody>
      </table>
      ${score
        ? html`<p class="utrecht-paragraph representation-score" id="${id}-score"><strong>${w.score}:</strong> ${score.kind === 'value' ? score2.format(score.value) : score.kind === 'below' ? w.scoreBelow(score2.format(score.bound)) : w.scoreNone}</p>`
        : ''}
    </section>`;
  };

  const body = (): Html | '' => {
    const who = options.who;
    if (!who) return '';
    const byKey = (buckets: Bucket[]) => new Map(buckets.map((b) => [b.key, b.residents]));
    const ages = byKey(who.byAgeBand);
    const ageRows: GroupRow[] = ageBands.map((band: AgeBand) => ({ label: t.notes.ageBands[band], residents: ages.get(band) ?? 0, population: who.populationByAgeBand[band] }));
    const unknownAge = ages.get('') ?? 0;
    const wijkResidents = byKey(who.byWijk);
    const wijkRows: GroupRow[] = options.wijken.map((wijk) => ({ label: wijk.name, residents: wijkResidents.get(wijk.code) ?? 0, population: who.populationByWijk.get(wijk.code) ?? null }));
    const unknownWijk = who.byWijk.filter((b) => b.key === '' || !options.wijken.some((x) => x.code === b.key)).reduce((a, b) => a + b.residents, 0);
    const sourceRows: GroupRow[] = who.bySource.map((b) => ({ label: (t.sources as Record<string, string | undefined>)[b.key] ?? b.key, residents: b.residents, population: null }));
    const roleRows: GroupRow[] = who.byRole.map((b) => ({ label: b.key === '' ? w.unknown : ((t.notes.residentRoles as Record<string, string | undefined>)[b.key] ?? b.key), residents: b.residents, population: null }));
    return html`${groupTable('who-age', w.byAgeBand, unknownAge > 0 ? [...ageRows, { label: w.unknown, residents: unknownAge, population: null }] : ageRows, true)}
      ${groupTable('who-wijk', w.byWijk, unknownWijk > 0 ? [...wijkRows, { label: w.unknown, residents: unknownWijk, population: null }] : wijkRows, true)}
      ${groupTable('who-source', w.bySource, sourceRows, false)}
      ${groupTable('who-role', w.byRole, roleRows, false)}`;
  };

  return dashboardPage(ctx, {
    title: w.title,
    section: 'who',
    filterQuery: filterQuery(options.filter),
    body: html`
      <h1 class="utrecht-heading-1">${w.heading}</h1>
      <div class="utrecht-alert utrecht-alert--warning reach-warning" id="reach-warning"><div class="utrecht-alert__content"><p class="utrecht-alert__message">${w.warning}</p></div></div>
      <p class="utrecht-paragraph">${w.scoreExplain} ${t.suppressed}</p>
      ${filterForm(ctx, { action: '/dashboard/wie', filter: options.filter, wijken: options.wijken, error: options.filterError })}
      ${body()}`,
  });
}
