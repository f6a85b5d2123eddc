/**
 * The public data-processing page (GET /privacy, ?gemeente=GM0479, ?lang=en): what Wijkstem keeps about residents,
 * why, how long and who can see it, generated from the running configuration and the municipality's settings, so
 * it changes when they do. The bot links it in its first message unless the municipality links its own statement
 * (settings.privacyUrl). B1 Dutch with an English version.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Kysely } from 'kysely';
import type { Database, Municipality } from '../../db/database.ts';
import { getMunicipality, listMunicipalities } from '../../db/repositories/municipalities.ts';
import { defaultRetention, erasedResidentGraceDays, retentionFor, type RetentionPolicy } from '../../pipeline/privacy/retention.ts';
import { page, type Html } from './layout.ts';

export interface PrivacyPageDeps {
  db: Kysely<Database>;
  defaultMunicipality: string | undefined;
  /** The configured default retention (WIJKSTEM_RETENTION_*). */
  retention?: RetentionPolicy | undefined;
  /** WhatsApp is set up: Meta processes those messages. */
  whatsappConfigured: boolean;
}

type Lang = 'nl' | 'en';

interface Row {
  what: string;
  why: string;
  howLong: string;
  who: string;
}

function rows(lang: Lang, p: RetentionPolicy): Row[] {
  const days = (n: number) => (lang === 'nl' ? `${n} ${n === 1 ? 'dag' : 'dagen'}` : `${n} ${n === 1 ? 'day' : 'days'}`);
  if (lang === 'en') {
    return [
      {
        what: 'Your messages in the chat, word for word',
        why: 'To answer you, and to turn your story into a signal',
        howLong: `${days(p.messagesDays)}, then the text is deleted`,
        who: 'Nobody on the dashboard: only the system reads them',
      },
      {
        what: 'Your story as a signal, word for word (with the place you typed)',
        why: 'To remove personal details and analyse it',
        howLong: `${days(p.messagesDays)} after it arrived, and never before the analysis is done`,
        who: 'Nobody on the dashboard',
      },
      {
        what: 'Your story without personal details (names, numbers, addresses replaced), with its analysis: life domain, neighbourhood, tone, urgent or not',
        why: 'So the council and the municipality see what residents experience and can act on it',
        howLong: 'As long as the municipality uses Wijkstem, unless you ask us to erase it',
        who: 'Council members, neighbourhood teams and administrators of the municipality; region staff of the region. Groups of fewer than 5 residents are not shown',
      },
      {
        what: 'Your answers about yourself: age group, whether you use care or care for someone, your neighbourhood, whether you want to hear back',
        why: 'To see whom we reach and whom we miss',
        howLong: 'As long as your signals, unless you ask us to erase it',
        who: 'Only as totals, never per person',
      },
      {
        what: 'A code made from your phone number or your chat cookie (not the number itself), and where the chat is',
        why: 'To recognise your next message as yours',
        howLong: `Until ${days(p.contactDays)} without contact`,
        who: 'Nobody on the dashboard',
      },
      {
        what: 'Your WhatsApp number (WhatsApp only)',
        why: 'To send you our answers',
        howLong: `Until ${days(p.contactDays)} without contact; after an erasure only until we confirmed it`,
        who: 'Nobody on the dashboard',
      },
      {
        what: 'A log of who on the dashboard looked at or changed what',
        why: 'So we can check that nobody misuses your story',
        howLong: 'Cannot be changed or deleted; it holds no words of yours',
        who: 'Administrators of the municipality',
      },
    ];
  }
  return [
    {
      what: 'Je berichten in de chat, letterlijk',
      why: 'Om je te antwoorden en van je verhaal een signaal te maken',
      howLong: `${days(p.messagesDays)}, daarna wissen we de tekst`,
      who: 'Niemand op het dashboard: alleen het systeem leest ze',
    },
    {
      what: 'Je verhaal als signaal, letterlijk (met de plek die je typte)',
      why: 'Om er persoonlijke gegevens uit te halen en het te analyseren',
      howLong: `${days(p.messagesDays)} na ontvangst, en nooit voordat de analyse klaar is`,
      who: 'Niemand op het dashboard',
    },
    {
      what: 'Je verhaal zonder persoonlijke gegevens (namen, nummers en adressen vervangen), met de analyse: levensdomein, wijk, toon, urgent of niet',
      why: 'Zodat de adviesraad en de gemeente zien wat inwoners meemaken, en er iets mee doen',
      howLong: 'Zolang de gemeente Wijkstem gebruikt, tenzij je vraagt om het te wissen',
      who: 'Raadsleden, wijkteams en beheerders van de gemeente; medewerkers van de regio. Groepen van minder dan 5 inwoners tonen we niet',
    },
    {
      what: 'Je antwoorden over jezelf: leeftijdsgroep, of je zorg krijgt of voor iemand zorgt, je wijk, of je iets terug wilt horen',
      why: 'Om te zien wie we bereiken en wie we missen',
      howLong: 'Zolang je signalen, tenzij je vraagt om het te wissen',
      who: 'Alleen als totalen, nooit per persoon',
    },
    {
      what: 'Een code gemaakt van je telefoonnummer of chat-cookie (niet het nummer zelf), en waar het gesprek is',
      why: 'Om je volgende bericht als het jouwe te herkennen',
      howLong: `Tot ${days(p.contactDays)} zonder contact`,
      who: 'Niemand op het dashboard',
    },
    {
      what: 'Je WhatsApp-nummer (alleen bij WhatsApp)',
      why: 'Om je onze antwoorden te sturen',
      howLong: `Tot ${days(p.contactDays)} zonder contact; na wissen alleen tot we het wissen hebben bevestigd`,
      who: 'Niemand op het dashboard',
    },
    {
      what: 'Een logboek van wie op het dashboard wat bekeek of veranderde',
      why: 'Zodat we kunnen controleren dat niemand je verhaal misbruikt',
      howLong: 'Kan niet veranderd of gewist worden; er staan geen woorden van jou in',
      who: 'Beheerders van de gemeente',
    },
  ];
}

const words = {
  nl: {
    title: 'Privacy',
    heading: (name: string) => `Wat doet ${name} met je verhaal?`,
    intro: (name: string) =>
      `${name} gebruikt Wijkstem om te horen wat inwoners meemaken, zodat de gemeente en de adviesraad beter beleid maken. Je mag anoniem blijven: we vragen niet naar je naam. We gebruiken je verhaal pas als je daar ja op zegt.`,
    tableCaption: 'Wat we bewaren, waarom, hoe lang en wie het kan zien',
    columns: { what: 'Wat', why: 'Waarom', howLong: 'Hoe lang', who: 'Wie kan het zien' },
    analysisHeading: 'Hoe we je verhaal analyseren',
    analysis:
      'Een computerprogramma op de server van de gemeente haalt persoonlijke gegevens uit je verhaal, kijkt over welk onderwerp en welke wijk het gaat, en legt het bij verhalen over hetzelfde. Het gebruikt geen taalmodel (zoals ChatGPT) en stuurt je verhaal niet naar andere bedrijven. Twijfelt het programma, of lijkt het urgent, dan kijkt een mens ernaar.',
    othersHeading: 'Wie helpt ons daarbij?',
    whatsapp:
      'Schrijf je via WhatsApp, dan gaan je berichten via Meta (het bedrijf achter WhatsApp). Meta verwerkt ze voor ons, volgens de voorwaarden van WhatsApp Business.',
    noOthers: 'Niemand anders: de chat en de analyse draaien op de server van de gemeente.',
    rightsHeading: 'Wat mag jij?',
    rights: [
      "Alles wissen: typ 'verwijder mijn gegevens' in de chat. We wissen dan je berichten, je signalen en je antwoorden.",
      'Weten wat we van je hebben: vraag het aan de gemeente en noem de code die je van de chat kreeg (zoals WS-7K3P9Q). De gemeente controleert eerst wie je bent.',
      'Is er gevaar? Bel 112.',
    ],
    erasedNote: (d: number) => `Na het wissen bewaren we alleen nog ${d} dag dat je om wissen vroeg, zodat we het kunnen bevestigen.`,
    back: 'Terug naar de chat',
    other: { lang: 'en' as Lang, label: 'English' },
    generic: 'de gemeente',
  },
  en: {
    title: 'Privacy',
    heading: (name: string) => `What does ${name} do with your story?`,
    intro: (name: string) =>
      `${name} uses Wijkstem to hear what residents experience, so that the municipality and the advisory council make better policy. You may stay anonymous: we do not ask for your name. We only use your story after you say yes.`,
    tableCaption: 'What we keep, why, how long and who can see it',
    columns: { what: 'What', why: 'Why', howLong: 'How long', who: 'Who can see it' },
    analysisHeading: 'How we analyse your story',
    analysis:
      'A computer program on the municipality’s server removes personal details from your story, sees which topic and neighbourhood it is about, and puts it with stories about the same thing. It uses no language model (such as ChatGPT) and does not send your story to other companies. When the program is unsure, or the story seems urgent, a person looks at it.',
    othersHeading: 'Who helps us with this?',
    whatsapp: 'If you write on WhatsApp, your messages pass through Meta (the company behind WhatsApp). Meta processes them for us, under the WhatsApp Business terms.',
    noOthers: 'Nobody else: the chat and the analysis run on the municipality’s server.',
    rightsHeading: 'What are your rights?',
    rights: [
      "Erase everything: type 'delete my data' in the chat. We then erase your messages, your signals and your answers.",
      'Know what we have about you: ask the municipality and give the code the chat sent you (like WS-7K3P9Q). The municipality first checks who you are.',
      'In danger? Call 112.',
    ],
    erasedNote: (d: number) => `After an erasure we keep, for ${d} day only, that you asked for it, so we can confirm it.`,
    back: 'Back to the chat',
    other: { lang: 'nl' as Lang, label: 'Nederlands' },
    generic: 'the municipality',
  },
} as const;

export function privacyPageHtml(options: { lang: Lang; municipality: Municipality | undefined; policy: RetentionPolicy; whatsappConfigured: boolean }): Html {
  const w = words[options.lang];
  const name = options.municipality?.name ?? w.generic;
  const query = options.municipality ? `gemeente=${options.municipality.code}&` : '';
  return page({
    title: w.title,
    lang: options.lang,
    body: html`
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/privacy?${query}lang=${w.other.lang}" lang="${w.other.lang}" hreflang="${w.other.lang}">${w.other.label}</a></p>
      <h1 class="utrecht-heading-1">${w.heading(name)}</h1>
      <p class="utrecht-paragraph">${w.intro(name)}</p>
      <div>
        <table class="utrecht-table utrecht-table--html-table signals privacy-table">
          <caption class="utrecht-table__caption">${w.tableCaption}</caption>
          <thead class="utrecht-table__header"><tr class="utrecht-table__row">
            <th scope="col" class="utrecht-table__header-cell">${w.columns.what}</th>
            <th scope="col" class="utrecht-table__header-cell">${w.columns.why}</th>
            <th scope="col" class="utrecht-table__header-cell">${w.columns.howLong}</th>
            <th scope="col" class="utrecht-table__header-cell">${w.columns.who}</th>
          </tr></thead>
          <tbody class="utrecht-table__body">
            ${rows(options.lang, options.policy).map(
              (r) => html`<tr class="utrecht-table__row">
                <th scope="row" class="utrecht-table__cell" data-label="${w.columns.what}">${r.what}</th>
                <td class="utrecht-table__cell" data-label="${w.columns.why}">${r.why}</td>
                <td class="utrecht-table__cell" data-label="${w.columns.howLong}">${r.howLong}</td>
                <td class="utrecht-table__cell" data-label="${w.columns.who}">${r.who}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="utrecht-paragraph">${w.erasedNote(erasedResidentGraceDays)}</p>
      <h2 class="utrecht-heading-2">${w.analysisHeading}</h2>
      <p class="utrecht-paragraph">${w.analysis}</p>
      <h2 class="utrecht-heading-2">${w.othersHeading}</h2>
      <p class="utrecht-paragraph" id="processors">${options.whatsappConfigured ? w.whatsapp : w.noOthers}</p>
      <h2 class="utrecht-heading-2">${w.rightsHeading}</h2>
      <ul class="utrecht-unordered-list">${w.rights.map((r) => html`<li class="utrecht-unordered-list__item">${r}</li>`)}</ul>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/chat${options.municipality ? `?gemeente=${options.municipality.code}` : ''}">${w.back}</a></p>`,
  });
}

const GEMEENTE_CODE = /^GM\d{4}$/;

export function privacyRoutes(deps: PrivacyPageDeps): Hono {
  const app = new Hono();
  app.get('/privacy', async (c) => {
    const lang: Lang = c.req.query('lang') === 'en' ? 'en' : 'nl';
    const asked = c.req.query('gemeente')?.toUpperCase();
    const municipality =
      (asked !== undefined && GEMEENTE_CODE.test(asked) ? await getMunicipality(deps.db, asked) : undefined) ??
      (deps.defaultMunicipality ? await getMunicipality(deps.db, deps.defaultMunicipality) : undefined) ??
      (await listMunicipalities(deps.db))[0];
    const policy = retentionFor(municipality?.settings ?? {}, deps.retention ?? defaultRetention);
    return c.html(privacyPageHtml({ lang, municipality, policy, whatsappConfigured: deps.whatsappConfigured }));
  });
  return app;
}
