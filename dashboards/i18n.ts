/**
 * Dashboard texts in Dutch (default) and English. The language comes from ?lang=nl|en, which is remembered in a
 * cookie, so a user switches once. Resident text is never translated: only our own words are here.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AgeBand, ResidentRole, SignalSource, SignalStatus, UserRole } from '../db/database.ts';
import { CSV_COLUMNS, describeImportProblem, type ImportProblem } from '../pipeline/intake/signal-import.ts';
import { signalSources } from '../db/tables/common.ts';
import { defaultDomainLabels } from '../pipeline/taxonomy.ts';

export type Lang = 'nl' | 'en';
export const langCookie = 'wijkstem_lang';

export interface LangEnv {
  Variables: { lang: Lang };
}

/** Reads ?lang= (and remembers it) or the cookie; Dutch otherwise. */
export function languageMiddleware(options: { secureCookies: boolean }): MiddlewareHandler<LangEnv> {
  return async (c, next) => {
    c.set('lang', languageOf(c, options.secureCookies));
    await next();
  };
}

function languageOf(c: Context, secure: boolean): Lang {
  const asked = c.req.query('lang');
  if (asked === 'nl' || asked === 'en') {
    setCookie(c, langCookie, asked, { path: '/', sameSite: 'Lax', secure, httpOnly: true, maxAge: 365 * 24 * 3600 });
    return asked;
  }
  return getCookie(c, langCookie) === 'en' ? 'en' : 'nl';
}

const nl = {
  locale: 'nl-NL',
  other: { lang: 'en' as Lang, label: 'English' },
  nav: { label: 'Dashboard', signals: 'Overzicht', clusters: 'Clusters', map: 'Kaart', who: 'Wie horen we', agenda: 'Agenda', polls: 'Peilingen', review: 'Beoordelen', notes: 'Straatnotities', import: 'Importeren', admin: 'Beheer', privacy: 'Privacy' },
  signedInAs: (email: string, role: string) => `Ingelogd als ${email} (${role})`,
  logout: 'Uitloggen',
  roles: { admin: 'beheerder', council: 'raad', team: 'wijkteam', region: 'regio' } satisfies Record<UserRole, string>,
  errorSummary: 'Controleer het formulier:',
  login: {
    title: 'Inloggen',
    heading: 'Inloggen op het dashboard',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Inloggen',
    wrong: 'Het e-mailadres of wachtwoord klopt niet.',
    tooMany: 'Te veel pogingen. Wacht een paar minuten en probeer het opnieuw.',
  },
  signals: {
    title: 'Signalen',
    heading: (names: string) => `Signalen van ${names}`,
    intro: 'De tekst is ontdaan van persoonsgegevens. Aantallen laten zien wie we bereiken, niet hoe vaak iets voorkomt.',
    none: 'Nog geen signalen.',
    caption: 'Laatste signalen, nieuwste eerst',
    filter: 'Filteren',
    anySource: 'Alle kanalen',
    anyStatus: 'Alle statussen',
    badFilter: (name: string, value: string) => `Het filter ${name} kent de waarde "${value}" niet. Kies een waarde uit de lijst.`,
    columns: { received: 'Ontvangen', municipality: 'Gemeente', source: 'Kanaal', status: 'Status', reference: 'Code', text: 'Tekst' },
    waiting: 'wacht op verwerking',
    urgent: 'urgent',
  },
  filters: {
    legend: 'Filters',
    names: { van: 'Van', tot: 'Tot en met', domein: 'Levensdomein', wijk: 'Wijk', bron: 'Kanaal', rol: 'Zorg of mantelzorg', leeftijd: 'Leeftijd', taal: 'Taal', status: 'Status' },
    any: 'Alle',
    languageHint: 'Een taalcode zoals nl of en.',
    apply: 'Filteren',
    reset: 'Filters wissen',
    badDate: (name: string, value: string) => `${name}: "${value}" is geen datum. Vul een datum in als 2026-03-14.`,
    fromAfterTo: 'De datum "van" ligt na de datum "tot en met". Kies een periode die klopt.',
  },
  domainLabels: { ...defaultDomainLabels } as Record<string, string>,
  suppressed: '“< 5” betekent: minder dan 5 inwoners. Het precieze getal tonen we niet, zodat niemand herkenbaar is.',
  overview: {
    title: 'Overzicht',
    heading: (names: string) => `Overzicht van ${names}`,
    intro: 'Wat inwoners vertellen, per periode, levensdomein en wijk. Aantallen laten zien wie we bereiken, niet hoe vaak iets voorkomt.',
    total: (signals: string, residents: string) => `${signals} signalen van ${residents} inwoners.`,
    overTime: { week: 'Signalen per week', month: 'Signalen per maand' },
    chartLabel: (title: string) => `${title} (staafdiagram; dezelfde cijfers staan in de tabel eronder)`,
    period: { week: 'Week van', month: 'Maand' },
    signals: 'Signalen',
    residents: 'Inwoners',
    byDomain: 'Per levensdomein',
    domain: 'Levensdomein',
    byWijk: 'Per wijk',
    wijk: 'Wijk',
    notPlaced: 'Nog niet geplaatst',
    none: 'Geen signalen met deze filters.',
    latest: 'Laatste signalen',
    listSuppressed: 'Met deze filters zijn het signalen van minder dan 5 inwoners. Die tonen we niet, zodat niemand herkenbaar is. Kies een ruimer filter.',
  },
  who: {
    title: 'Wie horen we',
    heading: 'Wie horen we, en wie niet?',
    warning: 'Let op: deze aantallen laten zien wie we bereiken, niet hoe vaak een probleem voorkomt. Een groep die weinig van zich laat horen, heeft niet minder problemen. Misschien bereiken we die groep slecht.',
    byAgeBand: 'Per leeftijd',
    byWijk: 'Per wijk',
    bySource: 'Per kanaal',
    byRole: 'Zorg en mantelzorg',
    group: 'Groep',
    residents: 'Inwoners gehoord',
    population: 'Inwoners',
    rate: 'Per 1.000 inwoners',
    share: 'Aandeel',
    unknown: 'Onbekend',
    noPopulation: 'onbekend',
    score: 'Representatiescore',
    scoreExplain: 'De laagste deelname gedeeld door de hoogste. 1 betekent: elke groep even goed gehoord. 0 betekent: een groep is helemaal niet gehoord.',
    scoreBelow: (value: string) => `lager dan ${value}`,
    scoreNone: 'niet te berekenen (te weinig groepen met inwonertal of te weinig inwoners gehoord)',
  },
  review: {
    title: 'Beoordelen',
    heading: 'Signalen om te beoordelen',
    intro: 'De analyse twijfelde over deze signalen of vond ze urgent. Bevestig of verbeter de levensdomeinen en de wijk. Urgente signalen staan bovenaan.',
    none: 'Er is nu niets te beoordelen.',
    urgent: 'Urgent',
    unsure: 'Analyse twijfelt',
    received: 'Ontvangen',
    domains: 'Levensdomeinen',
    wijk: 'Wijk',
    noWijk: 'Onbekend',
    save: 'Opslaan',
    signal: (reference: string) => `Signaal ${reference}`,
    saved: (reference: string) => `De beoordeling van ${reference} is opgeslagen.`,
    accuracy: 'Hoe vaak verbeterden mensen de analyse?',
    accuracyNone: 'Nog geen beoordelingen.',
    accuracyTotal: (reviews: number, changed: number) => `${changed} van de ${reviews} beoordelingen veranderden iets.`,
    columns: { domain: 'Levensdomein', involved: 'Beoordeeld', removed: 'Weggehaald', added: 'Toegevoegd', corrected: 'Verbeterd' },
    export: 'Verbeterde voorbeelden downloaden voor hertraining (JSONL)',
    errors: { wijk: 'Kies de wijk uit de lijst.', domain: 'Kies alleen levensdomeinen uit de lijst.' },
    notFound: 'Dit signaal bestaat niet in jouw gemeente.',
  },
  sources: { whatsapp: 'WhatsApp', web: 'webchat', street: 'straatgesprek', import: 'import' } satisfies Record<SignalSource, string>,
  statuses: { new: 'nieuw', received: 'ontvangen', analysed: 'geanalyseerd', failed: 'mislukt' } satisfies Record<SignalStatus, string>,
  notes: {
    title: 'Straatnotities',
    heading: 'Straatnotitie toevoegen',
    intro: 'Noteer wat je op straat of in een gesprek hoorde. Eén signaal per onderwerp. Namen, adressen en telefoonnummers halen we er automatisch uit, maar laat ze liever weg.',
    wijk: 'Wijk',
    chooseWijk: 'Kies een wijk',
    place: 'Buurt, straat of plek',
    placeHint: 'Niet verplicht.',
    date: 'Datum van het gesprek',
    who: 'Met wie ongeveer (niet verplicht)',
    ageBand: 'Leeftijd',
    role: 'Gebruikt zorg of zorgt voor iemand',
    unknown: 'Weet ik niet',
    ageBands: { '0_15': 'jonger dan 15', '15_25': '15 tot 25', '25_45': '25 tot 45', '45_65': '45 tot 65', '65_plus': '65 of ouder' } satisfies Record<AgeBand, string>,
    residentRoles: { client: 'gebruikt zorg of ondersteuning', carer: 'mantelzorger', resident: 'bewoner' } satisfies Record<ResidentRole, string>,
    signal: (n: number) => `Signaal ${n}`,
    addAnother: 'Nog een signaal',
    save: 'Opslaan',
    saved: (n: number) => (n === 1 ? 'Het signaal is opgeslagen.' : `De ${n} signalen zijn opgeslagen.`),
    references: 'Codes:',
    seeList: 'Bekijk de straatgesprekken in de lijst met signalen',
    draftRestored: 'Je concept is teruggezet.',
    errors: {
      wijk: 'Kies de wijk uit de lijst.',
      place: 'De plek is te lang (hoogstens 200 tekens).',
      date: 'Vul een datum in als 2026-03-14, niet in de toekomst en niet ouder dan een jaar.',
      ageBand: 'Kies een leeftijd uit de lijst.',
      role: 'Kies een keuze uit de lijst.',
      noSignal: 'Vul minstens één signaal in.',
      tooLong: (n: number, max: number) => `Signaal ${n} is te lang (hoogstens ${max} tekens).`,
      tooMany: (max: number) => `Hoogstens ${max} signalen per notitie.`,
    },
  },
  import: {
    title: 'Importeren',
    heading: 'Signalen importeren',
    intro: 'Importeer een reeks signalen, bijvoorbeeld notities die elders zijn getypt. Je ziet eerst een voorbeeld; pas na bevestigen wordt alles opgeslagen, of niets.',
    formats: 'Formaten',
    csv: 'CSV (UTF-8, komma’s, eerste regel de kop):',
    jsonl: 'JSONL: één JSON-object per regel, met dezelfde velden:',
    fields: 'id en text zijn verplicht; id is jouw eigen kenmerk en maakt opnieuw importeren veilig. source is whatsapp, web, street of import (standaard import). Een municipality (GM-code) moet je eigen gemeente zijn.',
    file: 'Bestand (.csv of .jsonl)',
    paste: 'Of plak de regels hier',
    preview: 'Voorbeeld bekijken',
    previewHeading: 'Voorbeeld',
    errorsHeading: (n: number) => (n === 1 ? 'Er is 1 fout. Er is niets opgeslagen.' : `Er zijn ${n} fouten. Er is niets opgeslagen.`),
    line: (n: number) => `Regel ${n}`,
    empty: 'Kies een bestand of plak regels.',
    rows: (n: number, existing: number) =>
      `${n} ${n === 1 ? 'regel' : 'regels'} gelezen${existing > 0 ? `, waarvan ${existing} al eerder geïmporteerd (die worden overgeslagen)` : ''}.`,
    columns: { line: 'Regel', id: 'Id', source: 'Kanaal', place: 'Plek', postcode: 'Postcode', text: 'Tekst' },
    confirm: (n: number) => `Alles opslaan (${n})`,
    again: 'Ander bestand kiezen',
    done: (stored: number, skipped: number) =>
      `${stored} ${stored === 1 ? 'signaal' : 'signalen'} opgeslagen${skipped > 0 ? `; ${skipped} al eerder geïmporteerd, niet opnieuw opgeslagen` : ''}.`,
    nothingNew: 'Alle regels waren al eerder geïmporteerd: er is niets nieuws opgeslagen.',
    problem: (p: ImportProblem): string => dutchImportProblem(p),
  },
  admin: {
    title: 'Beheer',
    heading: 'Gebruikers',
    caption: (name: string) => `Gebruikers van ${name}`,
    columns: { email: 'E-mailadres', role: 'Rol', status: 'Status', lastLogin: 'Laatst ingelogd', action: 'Actie' },
    active: 'actief',
    disabled: 'uitgeschakeld',
    never: 'nooit',
    disable: 'Uitschakelen',
    disableLabel: (email: string) => `${email} uitschakelen`,
    you: 'dit ben jij',
    addHeading: 'Gebruiker toevoegen',
    email: 'E-mailadres',
    role: 'Rol',
    password: 'Wachtwoord',
    passwordHint: 'Laat leeg voor een tijdelijk wachtwoord dat we één keer tonen. Zelf kiezen: minstens 12 tekens.',
    add: 'Toevoegen',
    added: (email: string) => `${email} is toegevoegd.`,
    temporaryPassword: 'Tijdelijk wachtwoord (wordt maar één keer getoond, geef het veilig door):',
    disabledDone: (email: string) => `${email} is uitgeschakeld; de sessies van deze gebruiker werken niet meer.`,
    enable: 'Inschakelen',
    enabledDone: (email: string) => `${email} is weer ingeschakeld en kan inloggen met het bestaande wachtwoord.`,
    newRole: (email: string) => `Nieuwe rol voor ${email}`,
    changeRole: 'Rol wijzigen',
    roleDone: (email: string, role: string) => `${email} heeft nu de rol ${role}.`,
    reset: 'Nieuw wachtwoord',
    passwordDone: (email: string) => `${email} heeft een nieuw wachtwoord; de sessies van deze gebruiker zijn beëindigd.`,
    notFound: 'Deze gebruiker bestaat niet in jouw gemeente.',
    errors: {
      email: 'Vul een geldig e-mailadres in.',
      duplicate: 'Er is al een gebruiker met dit e-mailadres.',
      role: 'Kies een rol uit de lijst.',
      self: 'Je kunt jezelf niet uitschakelen.',
      selfReset: 'Je eigen wachtwoord laat je opnieuw instellen door een andere beheerder.',
      lastAdmin: 'Dit kan niet: dan heeft de gemeente geen actieve beheerder meer. Maak eerst iemand anders beheerder.',
      password: (min: number, max: number) => `Het wachtwoord moet minstens ${min} en hoogstens ${max} tekens hebben.`,
    },
  },
  forbidden: 'Je hebt geen toegang tot deze pagina.',
};

export type Texts = typeof nl;

const en: Texts = {
  locale: 'en-GB',
  other: { lang: 'nl', label: 'Nederlands' },
  nav: { label: 'Dashboard', signals: 'Overview', clusters: 'Clusters', map: 'Map', who: 'Who is heard', agenda: 'Agenda', polls: 'Polls', review: 'Review', notes: 'Street notes', import: 'Import', admin: 'Administration', privacy: 'Privacy' },
  signedInAs: (email, role) => `Signed in as ${email} (${role})`,
  logout: 'Sign out',
  roles: { admin: 'administrator', council: 'council', team: 'neighbourhood team', region: 'region' },
  errorSummary: 'Please check the form:',
  login: {
    title: 'Sign in',
    heading: 'Sign in to the dashboard',
    email: 'E-mail address',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'The e-mail address or password is not right.',
    tooMany: 'Too many attempts. Wait a few minutes and try again.',
  },
  signals: {
    title: 'Signals',
    heading: (names) => `Signals from ${names}`,
    intro: 'Personal data has been removed from the text. Counts show whom we reach, not how common something is.',
    none: 'No signals yet.',
    caption: 'Latest signals, newest first',
    filter: 'Filter',
    anySource: 'All channels',
    anyStatus: 'All statuses',
    badFilter: (name, value) => `The filter ${name} has no value "${value}". Choose a value from the list.`,
    columns: { received: 'Received', municipality: 'Municipality', source: 'Channel', status: 'Status', reference: 'Code', text: 'Text' },
    waiting: 'waiting to be processed',
    urgent: 'urgent',
  },
  filters: {
    legend: 'Filters',
    names: { van: 'From', tot: 'To (inclusive)', domein: 'Life domain', wijk: 'Neighbourhood', bron: 'Channel', rol: 'Care or caring', leeftijd: 'Age', taal: 'Language', status: 'Status' },
    any: 'All',
    languageHint: 'A language code such as nl or en.',
    apply: 'Filter',
    reset: 'Clear filters',
    badDate: (name, value) => `${name}: "${value}" is not a date. Enter a date such as 2026-03-14.`,
    fromAfterTo: 'The "from" date is after the "to" date. Choose a period that makes sense.',
  },
  domainLabels: {
    geld: 'Money and debts',
    werk: 'Work and day activities',
    wonen: 'Housing',
    zorg: 'Care and support',
    gezondheid: 'Health',
    jeugd: 'Youth and family',
    onderwijs: 'Education and language',
    sociaal: 'Social contact',
    mantelzorg: 'Informal care',
    veiligheid: 'Safety',
    openbare_ruimte: 'Public space',
    vervoer: 'Transport',
    meedoen: 'Taking part and having a say',
  },
  suppressed: '“< 5” means: fewer than 5 residents. We do not show the exact number, so that no one can be recognised.',
  overview: {
    title: 'Overview',
    heading: (names) => `Overview of ${names}`,
    intro: 'What residents tell us, per period, life domain and neighbourhood. Counts show whom we reach, not how common something is.',
    total: (signals, residents) => `${signals} signals from ${residents} residents.`,
    overTime: { week: 'Signals per week', month: 'Signals per month' },
    chartLabel: (title) => `${title} (bar chart; the same figures are in the table below)`,
    period: { week: 'Week of', month: 'Month' },
    signals: 'Signals',
    residents: 'Residents',
    byDomain: 'By life domain',
    domain: 'Life domain',
    byWijk: 'By neighbourhood',
    wijk: 'Neighbourhood',
    notPlaced: 'Not placed yet',
    none: 'No signals with these filters.',
    latest: 'Latest signals',
    listSuppressed: 'With these filters the signals come from fewer than 5 residents. We do not show them, so that no one can be recognised. Choose a wider filter.',
  },
  who: {
    title: 'Who is heard',
    heading: 'Who do we hear, and who not?',
    warning: 'Please note: these counts show whom we reach, not how common a problem is. A group that says little does not have fewer problems. Perhaps we reach that group poorly.',
    byAgeBand: 'By age',
    byWijk: 'By neighbourhood',
    bySource: 'By channel',
    byRole: 'Care and informal care',
    group: 'Group',
    residents: 'Residents heard',
    population: 'Inhabitants',
    rate: 'Per 1,000 inhabitants',
    share: 'Share',
    unknown: 'Unknown',
    noPopulation: 'unknown',
    score: 'Representation score',
    scoreExplain: 'The lowest participation divided by the highest. 1 means: every group heard equally well. 0 means: a group was not heard at all.',
    scoreBelow: (value) => `below ${value}`,
    scoreNone: 'cannot be computed (too few groups with a population, or too few residents heard)',
  },
  review: {
    title: 'Review',
    heading: 'Signals to review',
    intro: 'The analysis was unsure about these signals or found them urgent. Confirm or correct the life domains and the neighbourhood. Urgent signals come first.',
    none: 'There is nothing to review now.',
    urgent: 'Urgent',
    unsure: 'Analysis unsure',
    received: 'Received',
    domains: 'Life domains',
    wijk: 'Neighbourhood',
    noWijk: 'Unknown',
    save: 'Save',
    signal: (reference) => `Signal ${reference}`,
    saved: (reference) => `The review of ${reference} has been saved.`,
    accuracy: 'How often did people correct the analysis?',
    accuracyNone: 'No reviews yet.',
    accuracyTotal: (reviews, changed) => `${changed} of the ${reviews} reviews changed something.`,
    columns: { domain: 'Life domain', involved: 'Reviewed', removed: 'Removed', added: 'Added', corrected: 'Corrected' },
    export: 'Download corrected examples for retraining (JSONL)',
    errors: { wijk: 'Choose the neighbourhood from the list.', domain: 'Choose only life domains from the list.' },
    notFound: 'This signal does not exist in your municipality.',
  },
  sources: { whatsapp: 'WhatsApp', web: 'web chat', street: 'street conversation', import: 'import' },
  statuses: { new: 'new', received: 'received', analysed: 'analysed', failed: 'failed' },
  notes: {
    title: 'Street notes',
    heading: 'Add a street note',
    intro: 'Note what you heard in the street or in a conversation. One signal per topic. Names, addresses and phone numbers are removed automatically, but better leave them out.',
    wijk: 'Neighbourhood (wijk)',
    chooseWijk: 'Choose a neighbourhood',
    place: 'Area, street or place',
    placeHint: 'Optional.',
    date: 'Date of the conversation',
    who: 'Roughly who (optional)',
    ageBand: 'Age',
    role: 'Uses care or cares for someone',
    unknown: 'Don’t know',
    ageBands: { '0_15': 'under 15', '15_25': '15 to 25', '25_45': '25 to 45', '45_65': '45 to 65', '65_plus': '65 or over' },
    residentRoles: { client: 'uses care or support', carer: 'informal carer', resident: 'resident' },
    signal: (n) => `Signal ${n}`,
    addAnother: 'Add another signal',
    save: 'Save',
    saved: (n) => (n === 1 ? 'The signal has been saved.' : `The ${n} signals have been saved.`),
    references: 'Codes:',
    seeList: 'See the street conversations in the signal list',
    draftRestored: 'Your draft has been restored.',
    errors: {
      wijk: 'Choose the neighbourhood from the list.',
      place: 'The place is too long (at most 200 characters).',
      date: 'Enter a date such as 2026-03-14, not in the future and not more than a year ago.',
      ageBand: 'Choose an age from the list.',
      role: 'Choose an option from the list.',
      noSignal: 'Fill in at least one signal.',
      tooLong: (n, max) => `Signal ${n} is too long (at most ${max} characters).`,
      tooMany: (max) => `At most ${max} signals per note.`,
    },
  },
  import: {
    title: 'Import',
    heading: 'Import signals',
    intro: 'Import a batch of signals, for example notes typed elsewhere. You see a preview first; only after you confirm is everything stored, or nothing.',
    formats: 'Formats',
    csv: 'CSV (UTF-8, commas, the first line is the header):',
    jsonl: 'JSONL: one JSON object per line, with the same fields:',
    fields: 'id and text are required; id is your own identifier and makes importing again safe. source is whatsapp, web, street or import (default import). A municipality (GM code) must be your own.',
    file: 'File (.csv or .jsonl)',
    paste: 'Or paste the lines here',
    preview: 'Show preview',
    previewHeading: 'Preview',
    errorsHeading: (n) => (n === 1 ? 'There is 1 error. Nothing has been stored.' : `There are ${n} errors. Nothing has been stored.`),
    line: (n) => `Line ${n}`,
    empty: 'Choose a file or paste lines.',
    rows: (n, existing) => `${n} ${n === 1 ? 'line' : 'lines'} read${existing > 0 ? `, of which ${existing} were imported before (they will be skipped)` : ''}.`,
    columns: { line: 'Line', id: 'Id', source: 'Channel', place: 'Place', postcode: 'Postcode', text: 'Text' },
    confirm: (n) => `Store all (${n})`,
    again: 'Choose another file',
    done: (stored, skipped) => `${stored} ${stored === 1 ? 'signal' : 'signals'} stored${skipped > 0 ? `; ${skipped} imported before, not stored again` : ''}.`,
    nothingNew: 'Every line had been imported before: nothing new was stored.',
    problem: describeImportProblem,
  },
  admin: {
    title: 'Administration',
    heading: 'Users',
    caption: (name) => `Users of ${name}`,
    columns: { email: 'E-mail address', role: 'Role', status: 'Status', lastLogin: 'Last signed in', action: 'Action' },
    active: 'active',
    disabled: 'disabled',
    never: 'never',
    disable: 'Disable',
    disableLabel: (email) => `Disable ${email}`,
    you: 'this is you',
    addHeading: 'Add a user',
    email: 'E-mail address',
    role: 'Role',
    password: 'Password',
    passwordHint: 'Leave empty for a temporary password that is shown once. Your own: at least 12 characters.',
    add: 'Add',
    added: (email) => `${email} has been added.`,
    temporaryPassword: 'Temporary password (shown only once, pass it on safely):',
    disabledDone: (email) => `${email} has been disabled; this user’s sessions no longer work.`,
    enable: 'Enable',
    enabledDone: (email) => `${email} has been enabled again and can sign in with the existing password.`,
    newRole: (email) => `New role for ${email}`,
    changeRole: 'Change role',
    roleDone: (email, role) => `${email} now has the role ${role}.`,
    reset: 'New password',
    passwordDone: (email) => `${email} has a new password; this user’s sessions have ended.`,
    notFound: 'This user does not exist in your municipality.',
    errors: {
      email: 'Enter a valid e-mail address.',
      duplicate: 'A user with this e-mail address already exists.',
      role: 'Choose a role from the list.',
      self: 'You cannot disable yourself.',
      selfReset: 'Ask another administrator to reset your own password.',
      lastAdmin: 'Not possible: the municipality would have no active administrator left. Make someone else administrator first.',
      password: (min, max) => `The password must have at least ${min} and at most ${max} characters.`,
    },
  },
  forbidden: 'You do not have access to this page.',
};

export function texts(lang: Lang): Texts {
  return lang === 'en' ? en : nl;
}

function dutchImportProblem(p: ImportProblem): string {
  switch (p.kind) {
    case 'no_signals':
      return 'het bestand bevat geen signalen';
    case 'too_many':
      return `hoogstens ${p.max} signalen per import; splits het bestand`;
    case 'duplicate_id':
      return `id "${p.id}" staat ook op regel ${p.firstLine}`;
    case 'invalid_json':
      return 'geen geldige JSON';
    case 'not_object':
      return 'verwacht een JSON-object zoals {"id": "a-1", "text": "…"}';
    case 'invalid_csv':
      return `geen geldige CSV (${p.detail})`;
    case 'csv_header': {
      const parts = [
        ...(p.missing.length > 0 ? [`kolom ${p.missing.join(', ')} ontbreekt`] : []),
        ...(p.unknown.length > 0 ? [`onbekende kolom ${p.unknown.join(', ')}`] : []),
        ...(p.duplicate.length > 0 ? [`kolom ${p.duplicate.join(', ')} staat er twee keer`] : []),
      ];
      return `kopregel: ${parts.join('; ')}; verwacht ${CSV_COLUMNS.join(',')}`;
    }
    case 'csv_columns':
      return `verwacht ${p.expected} kolommen, gevonden ${p.found}`;
    case 'required':
      return `${p.field} ontbreekt`;
    case 'not_text':
      return `${p.field} moet tekst zijn`;
    case 'empty':
      return `${p.field} is leeg`;
    case 'too_long':
      return `${p.field} is langer dan ${p.max} tekens`;
    case 'bad_source':
      return `source "${p.value}" is niet een van ${signalSources.join(', ')}`;
    case 'bad_municipality':
      return `municipality "${p.value}" is geen GM-code zoals GM0453`;
    case 'bad_language':
      return `language "${p.value}" is geen taalcode zoals nl of en`;
    case 'municipality_required':
      return 'municipality ontbreekt (een GM-code zoals GM0453)';
    case 'municipality_not_yours':
      return `gemeente ${p.code} is niet jouw gemeente (${p.own}); importeer alleen signalen van je eigen gemeente`;
    case 'municipality_unknown':
      return `onbekende gemeente ${p.code}`;
  }
}
