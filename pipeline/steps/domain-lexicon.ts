/**
 * Words that point at a life domain, in the normal form of text.ts (lower case, no accents). Matched inside words,
 * so Dutch compounds find their parts (wachtlijstjeugdzorg → wachtlijst, jeugdzorg): a stem of six letters or more
 * matches anywhere in a word, a shorter one only at the start of a word, and one written `=word` only as the whole
 * word. The lexicon gives the classifier evidence for words its training examples never showed it.
 */
import type { DefaultDomainKey } from '../taxonomy.ts';

export const domainLexicon: Record<DefaultDomainKey, readonly string[]> = {
  geld: (
    'betaalachterstand huurachterstand termijnen kredietbank lening leningen afbetalen pinnen =blut =platzak spaarrekening loonbeslag =krap-bij-kas aanslag belastingdienst terugbetal terugvorder noodfonds =cheap =expensive =bailiff =savings rood geldzorgen aow pensioen-laag minima minimuminkomen beslag beslaglegging betalingsregeling incassobureau tekortkom vaste-lasten boodschappen-betalen kwijtschelding toeslagen bijzondere-bijstand nibud buffer sportclub ouderbijdrage afsluiting afgesloten duur =duur =dure kosten goedkoop gratis schuld geld armoede bijstand uitkering toeslag zorgtoeslag huurtoeslag kinderbijslag voedselbank budget ' +
    'betalen rekening rekeningen incasso deurwaarder aanmaning afbetal boete energierekening energietoeslag ' +
    'inkomen loon minimum krap rondkomen schuldhulp schuldsanering bewind beschermingsbewind kwijtschelding ' +
    'belasting cjib tekort achterstand =rood spaargeld pinpas kledingbank sociaal-raadslid =euro =eur ' +
    'debt money poverty benefit allowance bills =rent-arrears afford =broke =loan payment fine income'
  ).split(' '),
  werk: (
    'solliciteren sollicitaties afwijzing werkloos =ww jobhunter =werkt =werkte =werkgevers collega =baas =ploegendienst nulurencontract uitzendkracht loopbaan werkzoekende werkervaringsplaats participatiewet =klantmanager stageplek stageplaats bedrijfsarts afgekeurd arbeidsongeschikt =wia =wajong =unemployed =employer =hired =fired sollicitatie afgewezen-baan uitzendbureau ontslagen =vak leerwerk omscholen =cv werkplek =zzp zzper opdrachten aan-de-slag betaald-werk werkervaringsplek arbeidsmarkt re-integratie reintegratie sollicit vacature =baan banen =werk werkloos werkzoek werkgever ontslag ' +
    'dagbesteding participatiebaan werkervaring stage =uwv jobcoach sociale-werkplaats beschut werkplek =job ' +
    'bijbaan vrijwilligerswerk-baan =werken arbeid contract uitzend payroll werkfit loonkostensubsidie ' +
    'unemploy employ =jobs vacancy day-care daytime-activit'
  ).split(' '),
  wonen: (
    'huurbaas eigenaar huurcontract =huurprijs huurverhoging starterswoning sociale-huurwoning woningzoekend woonnet woningruil inwonen =zolder tochten kozijn ramen lekkende =lekt geisoleerd stookkosten ongedierte =muizen =ratten noodwoning opvang =evicted =rent =landlord woningnood ingeschreven inschrijfduur huurwoning koopwoning nieuwbouw gelijkvloers seniorenwoning doorstromen gehorig portiekflat =huis =huizen krakers leegstand beleggers kakkerlak muizen ratten-in-huis cv-ketel ketel boiler dakgoot =dak plafond balkon renovatie sloop gerenoveerd woning wachtlijst huur huurhuis huurder verhuurder woningcorporatie corporatie schimmel vocht lekkage ' +
    'dakloos thuisloos nachtopvang noodopvang daklozen urgentie woonurgentie verhuizen verhuis =flat appartement ' +
    'kamer trapliftr traplift aanpassing woningaanpassing drempel =lift tochtig verwarming kachel isolatie ' +
    'tiny-house sociale-huur uitzetting ontruim huisvest woonruimte =housing mould mold landlord homeless eviction ' +
    'apartment =flat heating damp leak'
  ).split(' '),
  zorg: (
    'keukentafelgesprek wmo-consulent consulent =wmo huishoudelijke-hulp persoonlijke-verzorging traplift douchestoel aangepaste personenalarmering alarmknop maaltijdservice tafeltje-dekje beschermd-wonen begeleid-wonen =cak =homecare =caregivers schoonmaakhulp schoonmaken thuishulp douchen wassen-aankleden uit-bed verzorgen begeleider beschikking aanbieder zorgaanbieder hulp-in-huis keukentafelgesprek koken maaltijd wmo huishoudelijke schoonmaak thuiszorg begeleiding indicatie keukentafel wijkteam =pgb persoonsgebonden ' +
    'eigen-bijdrage eigenbijdrage hulpmiddel rolstoel scootmobiel rollator =cak zorgaanbieder zorgverlener ' +
    'ondersteuning dagopvang respijt huishoudhulp thuishulp poetshulp keukentafelgesprek herindicatie ' +
    'homecare home-help caretaker social-care support-worker wheelchair mobility-scooter'
  ).split(' '),
  gezondheid: (
    'huisartsen koorts hartklop kanker =longen verslaafd verslaving blowen gokken lachgas psychisch somberheid depressief =depressie overspannen opgebrand uitgeput-ziek suicid zelfmoord =ziek =zieke apotheek recept specialist wachttijd-ggz fysiotherap =knie =rug rugklachten =ill =doctor psychose paniek somber eetstoornis covid hoofdpijn benauwd kiespijn =doof blind operatie heup patient patienten huisartsenpraktijk huisartsenpost psycholoog verward herrie geluidsoverlast houtstook gezond ziek ziekte huisarts dokter =ggz psycholoog psychiater depressi angst burn-out burnout verslav ' +
    'alcohol drugsverslav roken ziekenhuis medicijn pijn diabetes suiker overgewicht dementie geheugen ' +
    'astma longen luchtkwaliteit fijnstof uitlaatgassen stank tandarts fysio therapie =ggd vaccin ' +
    'mentale mentaal psychisch stress slapen slaap health doctor hospital depression anxiety addiction medicine ' +
    'mental sick illness pollution asthma'
  ).split(' '),
  jeugd: (
    '=zoon =zonen =dochters =dochter =kinders tieners pubers =puber jongens-van jeugdteam jeugdbescherming gezinsvoogd voogd pleegkind pleegouder opvoedondersteuning opvoedpoli oudercursus kinderdagverblijf gastouder =kleine =kindje =kinderen =baby speel-o-theek jongerenraad =son =daughter =teen =teens =teenagers =kids zoontje dochtertje spijbel puberteit =zoon =dochter opvoeden gepest jongerenwerk jongerenwerker logeerhuis gezinshuis pleeg =adhd autist jeugd jeugdzorg jongeren =jeugdwerk kinderen =kind kindje =kids tiener puber opvoed ouderschap ' +
    'jongerencentrum jeugdhonk speeltuin-jeugd kinderopvang =bso peuter baby zwanger gezin gezinscoach ' +
    'jeugdconsulent jeugdhulp jeugdarts consultatiebureau scheiding youth teenager children child parenting ' +
    'kid kinderwerk tienerwerk'
  ).split(' '),
  onderwijs: (
    'basisschool middelbare =groep-8 schooladvies mentor =juf =meester leerkracht lerarentekort taalschool inburgeringsexamen inburgering =examen diploma opleiding =mbo-opleiding huiswerkbegeleiding bijles rekenen speciaal-onderwijs =school =schools =teacher =class rijbewijs dyslexie lerarentekort leraar leraren klas plaatsing omscholing mbo-student taalmaatje voorlezen lezen-en-schrijven leesproblemen school scholen leerling leerplicht leerlingenvervoer passend-onderwijs passend onderwijs thuiszitter ' +
    'taalles taalcursus taalcafe taalmaatje inburger laaggeletterd lezen schrijven =mbo =hbo =vmbo =havo ' +
    '=les lessen nederlandse-les studie student opleiding cursus =nt2 juf meester huiswerk bijles diploma school education language-course ' +
    'lessons teacher =dutch-lessons literacy'
  ).split(' '),
  sociaal: (
    'alleen-zijn eenzaam eenzaamheid gezelschap =gezellig praatje wandelgroep burendag koffieochtend buurtkamer buurthuis ontmoetingsplek =maatje =vrienden weduwe weduwnaar =alone =lonely =friends eenzaamheid eenzame alleen-thuis =leeg barbecue georganiseerd activiteiten gezellig praatje maatje maatjes bieb bibliotheek groeten bezoekje eenzaam eenzaamheid alleen niemand contact buurthuis ontmoet buurtkamer koffieochtend gezelligheid ' +
    'vrienden vriendschap isolement praatje bezoek buren burencontact buurtfeest wijkcentrum samenkomen ' +
    'lonely loneliness isolated friends community-centre community-center neighbours neighbors meet'
  ).split(' '),
  mantelzorg: (
    'mantelzorger mantelzorgers respijt logeeropvang vervangende-zorg zorg-voor-mijn zorgen-voor-mijn voor-mijn-moeder voor-mijn-vader voor-mijn-man voor-mijn-vrouw overnemen afgelost zorgverlof lotgenoten =carer =carers =caregiver =respite =looking-after logeren uitrusten mijn-moeder-zorgen voor-mijn-vader zorgtaken zorgen-voor-mijn verzorg =zorg-ik mantelzorg mantelzorger zorgen-voor respijtzorg logeeropvang ontlasting overbelast mantelzorgwaardering ' +
    'mantelzorgcompliment =verzorg zorg-voor-mijn mijn-moeder-verzorgen caregiver carer informal-care respite ' +
    'looking-after caring-for'
  ).split(' '),
  veiligheid: (
    'gedeald dealen inbraak inbrekers ingebroken gestalkt stalken bedreigd bedreiging mishandeld geslagen =mes messen steekpartij schietpartij brandstichting aangestoken lachgas hennep wietplantage intimideren lastigvallen nafluiten =politie =wijkagent =handhaving =unsafe =knife =police ingebroken gedeald deal chantage lastigvallen lastiggevallen knallen racen =scooters vertrouw gejat jatten beroofd beroving naalden explosie onveilig veilig =veiligheid inbraak inbrek diefstal gestolen overval criminal drugs dealer dealen ' +
    'overlast hangjongeren geweld huiselijk mishandel bedreig intimidatie vernieling vandalisme politie ' +
    'wijkagent vechtpartij steekpartij explosie vuurwerk schreeuw ruzie handhav =boa camera ' +
    'unsafe safety burglary theft crime violence police harass threat nuisance stabbing'
  ).split(' '),
  openbare_ruimte: (
    'stoeptegel losliggende boomwortel =gemaaid onkruid plantsoen groenvoorziening =speeltuin speeltoestel =bankje =bankjes afvalbak prullenbak ondergrondse-container grofvuil zwerfvuil =vuilniszakken =zebrapad =drempels verkeersdrempel hardrijders =sloot riolering =putten weesfiets graffiti =bins =pothole =streetlight stoeptegels trottoir scheef gemaaid maaien =gras moestuin putten blank graffiti tunnel hek speelveld kunstgras wandelpad prullenbak oversteekplaats stoep stoeptegel straat fietspad lantaarn verlichting lantaarnpaal speeltuin speelplek groen ' +
    'bomen =boom gras plantsoen park afval zwerfafval container vuilnis grofvuil hondenpoep onderhoud ' +
    'bankje bankjes riool wateroverlast kuilen gaten losliggend drempels parkeren parkeerplaats zebrapad ' +
    'oversteek verkeer hardrijd snelheid pavement sidewalk streetlight playground litter rubbish trash ' +
    'potholes =trees =bins =park green parking'
  ).split(' '),
  vervoer: (
    '=regiotaxi buurtbus =bushalte =bushokje dienstregeling =ov =openbaar-vervoer ov-tarief valys =taxi =trein =treinen station =metro =tram dialysevervoer leerlingenvervoer =bus =bussen =busses =train dialyse-vervoer reizen overstappen deelfiets deelauto =fietsen-naar rolstoeltaxi oprijplaat =pont regiotaxi taxi bus buslijn bushalte halte openbaar-vervoer =ov ov-chipkaart trein station ' +
    'vervoer leerlingenvervoer doelgroepenvervoer wmo-vervoer rolstoeltaxi ophalen chauffeur =connexxion ' +
    '=arriva pont veerpont dienstregeling rijden-niet transport =buses =bus train taxi public-transport'
  ).split(' '),
  meedoen: (
    'inspraak inspreken meedenken meepraten bewonersavond bewonerspanel buurtbudget bewonersinitiatief wijkbudget =digid inloggen =online formulier formulieren moeilijke-woorden eenvoudige-taal =loket discriminatie gediscrimineerd racisme =racistisch =hoofddoek vrijwilliger vrijwilligerswerk =wethouder gemeenteraad =klacht =consulted =ignored =forms =volunteer achternaam buitengesloten loket mails antwoordt hoofddoek panel inspraakavond vertalen moeilijke-woorden gehoord luistert luisteren inspraak meedenken meepraten participatie =mening luisteren gemeenteraad raadslid brief brieven ' +
    'formulier digid digitaal computer internet website =app inloggen moeilijke-taal ambtelijk ' +
    'discriminatie racisme uitgesloten vrijwilliger vrijwilligerswerk meedoen bewonersavond enquete ' +
    'inwonersraad adviesraad =say voice council letter letters forms online discrimination racism volunteer'
  ).split(' '),
};

interface CompiledLexicon {
  exact: Map<string, string[]>;
  /** Entries of two words ("eigen-bijdrage"), matched on neighbouring words joined. */
  joined: Map<string, string[]>;
  prefix: Map<string, string[]>;
  anywhere: Map<string, string[]>;
  minAnywhere: number;
  maxAnywhere: number;
}

function add(map: Map<string, string[]>, key: string, domain: string): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(domain)) list.push(domain);
  } else {
    map.set(key, [domain]);
  }
}

export function compileLexicon(lexicon: Record<string, readonly string[]>): CompiledLexicon {
  const compiled: CompiledLexicon = { exact: new Map(), joined: new Map(), prefix: new Map(), anywhere: new Map(), minAnywhere: 6, maxAnywhere: 6 };
  for (const [domain, stems] of Object.entries(lexicon)) {
    for (const raw of stems) {
      // Multi-word entries are written with '-' and matched on joined neighbouring words.
      const stem = raw.replace(/^=/, '').replace(/-/g, '');
      if (raw.includes('-')) add(compiled.joined, stem, domain);
      if (raw.startsWith('=')) add(compiled.exact, stem, domain);
      else if (stem.length >= 6) {
        add(compiled.anywhere, stem, domain);
        compiled.maxAnywhere = Math.max(compiled.maxAnywhere, stem.length);
      } else add(compiled.prefix, stem, domain);
    }
  }
  return compiled;
}

const wordCache = new Map<string, readonly string[]>();

/** Domains two neighbouring words point at together ("eigen bijdrage"). */
export function joinedHits(compiled: CompiledLexicon, first: string, second: string): readonly string[] {
  return compiled.joined.get(first + second) ?? [];
}

/** Domains a single word points at, parts of compounds included. */
export function lexiconHits(compiled: CompiledLexicon, word: string): readonly string[] {
  const cached = wordCache.get(word);
  if (cached) return cached;
  const hits = new Set<string>();
  for (const d of compiled.exact.get(word) ?? []) hits.add(d);
  for (let len = 2; len <= Math.min(5, word.length); len++) for (const d of compiled.prefix.get(word.slice(0, len)) ?? []) hits.add(d);
  for (let start = 0; start + compiled.minAnywhere <= word.length; start++) {
    const maxLen = Math.min(compiled.maxAnywhere, word.length - start);
    for (let len = compiled.minAnywhere; len <= maxLen; len++) {
      for (const d of compiled.anywhere.get(word.slice(start, start + len)) ?? []) hits.add(d);
    }
  }
  const result = [...hits];
  if (wordCache.size > 200_000) wordCache.clear();
  wordCache.set(word, result);
  return result;
}
