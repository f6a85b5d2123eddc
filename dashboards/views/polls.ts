/**
 * The flash poll views: the list with the form that writes a poll, and one poll with its audience preview, the send
 * and close buttons, delivery and results. Every count about residents goes through dashboards/suppression.ts.
 */
import { html } from 'hono/html';
import type { AgeBand, Poll, ResidentRole } from '../../db/database.ts';
import type { DeliveryCounts, DeliveryState } from '../../db/repositories/feedback.ts';
import type { AudienceCounts, PollResults } from '../../db/repositories/polls.ts';
import type { Html } from '../../app/http/layout.ts';
import { countText, isSuppressed, shown } from '../suppression.ts';
import { pollQuestions } from '../../pipeline/loop/poll.ts';
import { errorSummary, fieldError, type FieldErrors } from './form.ts';
import { pollTextsFor, type PollTexts } from './polls-texts.ts';
import { dashboardPage, type ViewContext } from './shell.ts';
import { tableTextsFor } from './tables.ts';

const ageBandKeys: readonly AgeBand[] = ['0_15', '15_25', '25_45', '45_65', '65_plus'];
const roleKeys: readonly ResidentRole[] = ['client', 'carer', 'resident'];

export interface PollFormValues {
  question: string;
  kind: 'choice' | 'open';
  options: readonly string[];
  /** Questions 2 and 3 as typed (empty when not used). */
  more: readonly { question: string; kind: 'choice' | 'open'; options: readonly string[] }[];
  wijken: readonly string[];
  ageBands: readonly string[];
  roles: readonly string[];
}

export type PollState = keyof PollTexts['status'];

export function pollState(poll: Poll): PollState {
  if (poll.closed_at !== null) return 'closed';
  if (poll.sent_at === null) return 'draft';
  return poll.queued_at === null ? 'sending' : 'sent';
}

const n = (ctx: ViewContext, residents: number) => countText(shown(residents, residents), ctx.t.locale);

function checkboxes(name: string, legend: string, items: readonly { value: string; label: string }[], checked: readonly string[], invalid: boolean): Html {
  return html`<fieldset class="utrecht-form-fieldset poll-filter"${invalid ? html` aria-describedby="poll-audience-error"` : ''}>
    <legend class="utrecht-form-fieldset__legend">${legend}</legend>
    ${items.map(
      (item) => html`<div class="utrecht-form-field utrecht-form-field--checkbox">
        <input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" name="${name}" value="${item.value}" id="${name}-${item.value}"${checked.includes(item.value) ? ' checked' : ''}>
        <label class="utrecht-form-label utrecht-form-label--checkbox" for="${name}-${item.value}">${item.label}</label>
      </div>`,
    )}
  </fieldset>`;
}

/**
 * One question's fields, in a fieldset whose legend says which question it is. The first keeps its names (question,
 * kind, option) and ids; the others get the question's number (question2, poll-options3, ...), as the errors do.
 */
function questionBlock(p: PollTexts, i: number, values: { question: string; kind: 'choice' | 'open'; options: readonly string[] }, errors: FieldErrors): Html {
  const s = i === 1 ? '' : String(i);
  const question = fieldError(`poll-question${s}`, errors.get(`question${s}`));
  const kind = fieldError(`poll-kind${s}`, errors.get(`kind${s}`));
  const answers = fieldError(`poll-options${s}`, errors.get(`options${s}`));
  const optionId = (k: number) => (i === 1 ? `poll-option-${k}` : `poll-option${s}-${k}`);
  return html`<fieldset class="utrecht-form-fieldset poll-question-block" id="poll-block-${i}">
    <legend class="utrecht-form-fieldset__legend">${p.questionBlock(i)}</legend>
    <div class="utrecht-form-field${question.invalid}">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="poll-question${s}">${i === 1 ? p.question : p.laterQuestion(i)}</label></div>
      ${question.message}
      <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="poll-question${s}" name="question${s}" rows="2" maxlength="500"${i === 1 ? ' required' : ''}${question.attrs}>${values.question}</textarea></div>
    </div>
    <fieldset class="utrecht-form-fieldset${kind.invalid}" id="poll-kind${s}"${kind.message === '' ? '' : html` aria-describedby="poll-kind${s}-error"`}>
      <legend class="utrecht-form-fieldset__legend">${i === 1 ? p.kind : p.laterKind(i)}</legend>
      ${kind.message}
      <div class="utrecht-form-field utrecht-form-field--radio">
        <input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="kind${s}" value="choice" id="poll-kind${s}-choice"${values.kind === 'choice' ? ' checked' : ''}>
        <label class="utrecht-form-label utrecht-form-label--radio" for="poll-kind${s}-choice">${p.kindChoice}</label>
      </div>
      <div class="utrecht-form-field utrecht-form-field--radio">
        <input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" name="kind${s}" value="open" id="poll-kind${s}-open"${values.kind === 'open' ? ' checked' : ''}>
        <label class="utrecht-form-label utrecht-form-label--radio" for="poll-kind${s}-open">${p.kindOpen}</label>
      </div>
    </fieldset>
    <fieldset class="utrecht-form-fieldset${answers.invalid}" id="poll-options${s}"${answers.message === '' ? '' : html` aria-describedby="poll-options${s}-error"`}>
      <legend class="utrecht-form-fieldset__legend">${i === 1 ? p.options : p.laterOptions(i)}</legend>
      ${answers.message}
      ${[1, 2, 3].map(
        (k) => html`<div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${optionId(k)}">${i === 1 ? p.option(k) : p.laterOption(i, k)}</label></div>
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="${optionId(k)}" name="option${s}" type="text" maxlength="20" value="${values.options[k - 1] ?? ''}"></div>
        </div>`,
      )}
    </fieldset>
  </fieldset>`;
}

export function pollListPage(ctx: ViewContext, options: { polls: readonly Poll[]; wijken: readonly { code: string; name: string }[]; errors?: FieldErrors; values?: PollFormValues }): Html {
  const p = pollTextsFor(ctx.lang);
  const errors = options.errors ?? new Map<string, string>();
  const values: PollFormValues = options.values ?? { question: '', kind: 'choice', options: [], more: [], wijken: [], ageBands: [], roles: [] };
  const date = new Intl.DateTimeFormat(ctx.t.locale, { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });
  const audience = fieldError('poll-audience', errors.get('audience'));
  const list =
    options.polls.length === 0
      ? html`<p class="utrecht-paragraph" id="no-polls">${p.none}</p>`
      : html`<table class="utrecht-table utrecht-table--html-table" id="polls">
          <caption class="utrecht-table__caption visually-hidden">${p.title}</caption>
          <thead class="utrecht-table__header"><tr class="utrecht-table__row">
            <th scope="col" class="utrecht-table__header-cell">${p.question}</th>
            <th scope="col" class="utrecht-table__header-cell">${p.statusLabel}</th>
            <th scope="col" class="utrecht-table__header-cell">${p.created}</th>
          </tr></thead>
          <tbody class="utrecht-table__body">
            ${options.polls.map(
              (poll) => html`<tr class="utrecht-table__row" data-poll="${poll.id}">
                <th scope="row" class="utrecht-table__header-cell"><a class="utrecht-link" href="/dashboard/peilingen/${poll.id}">${poll.question}</a></th>
                <td class="utrecht-table__cell">${p.status[pollState(poll)]}</td>
                <td class="utrecht-table__cell"><time datetime="${poll.created_at.toISOString()}">${date.format(poll.created_at)}</time></td>
              </tr>`,
            )}
          </tbody>
        </table>`;
  const form = html`<section aria-labelledby="new-poll-heading">
    <h2 class="utrecht-heading-2" id="new-poll-heading">${p.newPoll}</h2>
    ${errorSummary(p.errorHeading, errors, (field) => `poll-${field}`)}
    <form method="post" action="/dashboard/peilingen" id="poll-create">
      <input type="hidden" name="csrf" value="${ctx.csrfToken}">
      ${[1, 2, 3].map((i) => questionBlock(p, i, i === 1 ? values : (values.more[i - 2] ?? { question: '', kind: 'choice', options: [] }), errors))}
      <fieldset class="utrecht-form-fieldset${audience.invalid}" id="poll-audience">
        <legend class="utrecht-form-fieldset__legend">${p.audience}</legend>
        <p class="utrecht-paragraph">${p.audienceHint}</p>
        ${audience.message}
        ${options.wijken.length > 0 ? checkboxes('wijk', p.wijken, options.wijken.map((w) => ({ value: w.code, label: w.name })), values.wijken, errors.has('audience')) : ''}
        ${checkboxes('ageBand', p.ageBands, ageBandKeys.map((k) => ({ value: k, label: p.ageBandNames[k] })), values.ageBands, errors.has('audience'))}
        ${checkboxes('role', p.roles, roleKeys.map((k) => ({ value: k, label: p.roleNames[k] })), values.roles, errors.has('audience'))}
      </fieldset>
      <button type="submit" class="utrecht-button utrecht-button--primary-action">${p.create}</button>
    </form>
  </section>`;
  return dashboardPage(ctx, {
    title: p.title,
    section: 'polls',
    body: html`<h1 class="utrecht-heading-1">${p.title}</h1>
      <p class="utrecht-paragraph">${p.intro}</p>
      <p class="utrecht-paragraph"><a class="utrecht-link" id="new-invitation" href="/dashboard/peilingen/uitnodiging">${tableTextsFor(ctx.lang).newInvitation}</a></p>
      ${list}
      ${form}`,
  });
}

type ResultTable = (id: string, caption: string, rows: readonly { label: string; value: string }[], header: string) => Html;

/** Answers per option (or the number of open answers) for each question; the first keeps its ids. Suppressed below 5. */
function questionResults(ctx: ViewContext, p: PollTexts, poll: Poll, r: PollResults, table: ResultTable): Html[] {
  return pollQuestions(poll).map((q, i) => {
    const figures = r.perQuestion[i] ?? { answered: 0, perOption: [], openAnswers: 0 };
    const s = i === 0 ? '' : `-${i + 1}`;
    const caption = i === 0 && r.perQuestion.length === 1 ? p.perOption : `${p.questionHeading(i + 1)}: ${p.perOption.toLowerCase()}`;
    return q.kind === 'choice'
      ? table(`poll-options-result${s}`, caption, figures.perOption.map((o) => ({ label: q.options.find((x) => x.id === o.optionId)?.title ?? o.optionId, value: n(ctx, o.answers) })), p.answerHeader)
      : html`<p class="utrecht-paragraph" id="poll-open-answers${s}">${p.openAnswers(n(ctx, figures.openAnswers))}</p>`;
  });
}

export function pollPage(
  ctx: ViewContext,
  options: { poll: Poll; preview?: AudienceCounts; sendError?: 'empty' | 'too-small'; delivery?: DeliveryCounts; results?: PollResults },
): Html {
  const p = pollTextsFor(ctx.lang);
  const { poll } = options;
  const state = pollState(poll);
  const table = (id: string, caption: string, rows: readonly { label: string; value: string }[], header: string) => html`<table class="utrecht-table utrecht-table--html-table" id="${id}">
    <caption class="utrecht-table__caption">${caption}</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th scope="col" class="utrecht-table__header-cell">${header}</th>
      <th scope="col" class="utrecht-table__header-cell">${p.countHeader}</th>
    </tr></thead>
    <tbody class="utrecht-table__body">
      ${rows.map((r) => html`<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${r.label}</th><td class="utrecht-table__cell">${r.value}</td></tr>`)}
    </tbody>
  </table>`;

  const preview = options.preview;
  const reach = preview
    ? html`<section aria-labelledby="reach-heading">
        <h2 class="utrecht-heading-2" id="reach-heading">${p.reach}</h2>
        <p class="utrecht-paragraph" id="poll-reach">${isSuppressed(preview.reachable) ? p.fewer : p.reachable(n(ctx, preview.reachable))}</p>
        ${preview['no-template'] > 0 ? html`<p class="utrecht-paragraph" id="poll-no-template">${p.noTemplate(n(ctx, preview['no-template']))}</p>` : ''}
      </section>`
    : '';
  const sendError = options.sendError
    ? html`<div class="utrecht-alert utrecht-alert--error" role="alert" id="send-error"><div class="utrecht-alert__content"><div class="utrecht-alert__message"><p class="utrecht-paragraph">${p.errors[options.sendError]}</p></div></div></div>`
    : '';
  const send =
    state === 'draft'
      ? html`<form method="post" action="/dashboard/peilingen/${poll.id}/verzenden" id="poll-send">
          <input type="hidden" name="csrf" value="${ctx.csrfToken}">
          <p class="utrecht-paragraph">${p.sendNote}</p>
          <button type="submit" class="utrecht-button utrecht-button--primary-action">${p.send}</button>
        </form>`
      : '';
  const close =
    state === 'sent' || state === 'sending'
      ? html`<form method="post" action="/dashboard/peilingen/${poll.id}/sluiten" id="poll-close">
          <input type="hidden" name="csrf" value="${ctx.csrfToken}">
          <p class="utrecht-paragraph">${p.closeNote}</p>
          <button type="submit" class="utrecht-button utrecht-button--secondary-action">${p.close}</button>
        </form>`
      : '';

  let results: Html | '' = '';
  const r = options.results;
  if (r && state !== 'draft') {
    const rate = r.sent === 0 ? 0 : Math.round((r.answered / r.sent) * 100);
    const notReachable = poll.skipped['no-template'] ?? 0;
    const delivery = options.delivery;
    const states: DeliveryState[] = ['queued', 'sent', 'delivered', 'read', 'failed', 'withdrawn'];
    results = html`<section aria-labelledby="results-heading">
      <h2 class="utrecht-heading-2" id="results-heading">${p.results}</h2>
      <dl class="poll-figures" id="poll-figures">
        <dt>${p.sentCount}</dt><dd data-figure="sent">${n(ctx, r.sent)}</dd>
        <dt>${p.answered}</dt><dd data-figure="answered">${n(ctx, r.answered)}</dd>
        <dt>${p.rate}</dt><dd data-figure="rate">${isSuppressed(r.answered) ? '< 5' : `${rate}%`}</dd>
        <dt>${p.notReachable}</dt><dd data-figure="no-template">${n(ctx, notReachable)}</dd>
      </dl>
      ${delivery ? table('poll-delivery', p.delivery, states.map((s) => ({ label: p.deliveryStates[s], value: n(ctx, delivery.byStatus[s]) })), p.delivery) : ''}
      ${questionResults(ctx, p, poll, r, table)}
      ${table('poll-by-age', p.byAgeBand, r.byAgeBand.map((g) => ({ label: g.ageBand ? p.ageBandNames[g.ageBand] : p.unknown, value: n(ctx, g.answers) })), p.groupHeader)}
      ${table('poll-by-role', p.byRole, r.byRole.map((g) => ({ label: g.role ? p.roleNames[g.role] : p.unknown, value: n(ctx, g.answers) })), p.groupHeader)}
    </section>`;
  }

  return dashboardPage(ctx, {
    title: `${p.title}: ${poll.question.slice(0, 60)}`,
    section: 'polls',
    body: html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/peilingen">${p.back}</a></p>
      <h1 class="utrecht-heading-1" id="poll-question">${poll.question}</h1>
      ${poll.meeting !== null ? html`<p class="utrecht-paragraph"><a class="utrecht-link" id="table-link" href="/dashboard/peilingen/${poll.id}/tafel">${tableTextsFor(ctx.lang).organiserLink}</a></p>` : ''}
      <p class="utrecht-paragraph" id="poll-state" data-state="${state}">${p.statusLabel}: ${p.status[state]}</p>
      ${poll.kind === 'choice' ? html`<ul class="utrecht-unordered-list" id="poll-option-list">${poll.options.map((o) => html`<li>${o.title}</li>`)}</ul>` : html`<p class="utrecht-paragraph">${p.kindOpen}</p>`}
      ${pollQuestions(poll)
        .slice(1)
        .map(
          (q, i) => html`<h2 class="utrecht-heading-2" id="poll-question-${i + 2}">${p.questionHeading(i + 2)}: ${q.question}</h2>
            ${q.kind === 'choice' ? html`<ul class="utrecht-unordered-list">${q.options.map((o) => html`<li>${o.title}</li>`)}</ul>` : html`<p class="utrecht-paragraph">${p.kindOpen}</p>`}`,
        )}
      ${sendError}
      ${reach}
      ${send}
      ${close}
      ${results}`,
  });
}
