/**
 * What the bot says, in plain Dutch (B1) and English. A municipality overrides any text through
 * municipalities.settings.botTexts = { nl: { key: text }, en: { key: text } }: no deploy needed. Choice titles are
 * texts too; the defaults fit WhatsApp's 20-character button limit (tested).
 * `{name}` placeholders are filled in by the conversation core.
 */
export type Language = 'nl' | 'en';
export const languages = ['nl', 'en'] as const satisfies readonly Language[];

const nl = {
  welcome:
    'Hoi! Dit is de chat van gemeente {municipality}. We willen graag horen wat er goed of mis gaat: met zorg, hulp, geld, wonen of in je buurt. Je verhaal helpt de gemeente en de adviesraad om betere keuzes te maken.',
  privacy:
    'Je mag anoniem blijven. We vragen niet naar je naam. Medewerkers van de gemeente en de adviesraad lezen je verhaal, zonder je persoonlijke gegevens. Meer lees je in onze privacyverklaring: {privacyUrl}',
  consentQuestion: 'Mogen we je verhaal bewaren en gebruiken? Je kunt je gegevens altijd laten wissen.',
  consentYes: 'Ja, dat is goed',
  consentNo: 'Nee, liever niet',
  consentDeclined:
    "Dat is goed. We gebruiken je bericht niet. Wil je dat we ook je berichten wissen? Typ 'verwijder mijn gegevens'. Wil je toch iets vertellen? Typ 'opnieuw'.",
  askStory: 'Vertel maar: wat wil je ons laten weten? Je mag meerdere berichten sturen.',
  followUp: 'Dank je. Kun je er iets meer over vertellen? Wat gebeurde er, en wat betekent dat voor jou?',
  storyThanks:
    "Dank je wel voor je verhaal. We hebben het bewaard onder code {reference}. Wil je nog iets toevoegen? Stuur het gerust. Ben je klaar? Kies 'Klaar'.",
  addedThanks: "Dank je, dat zetten we erbij. Nog meer? Of kies 'Klaar'.",
  addedToStory: 'Dank je, dat zetten we bij je verhaal.',
  tooLong: 'Je bericht was erg lang. We hebben het begin bewaard (4.096 tekens). Stuur de rest in een nieuw bericht.',
  slowDown: 'Je stuurt veel berichten snel achter elkaar. Ik heb ze allemaal bewaard. Wacht even en stuur dan je volgende bericht, dan lees ik weer mee.',
  done: 'Klaar',
  profileIntro: 'Ik heb nog een paar korte vragen. Je mag elke vraag overslaan.',
  askWijk: 'In welke wijk woon je? Kies je wijk, of typ de naam van je buurt, je straat of je postcode.',
  askAge: 'Hoe oud ben je?',
  age_0_15: 'Jonger dan 15',
  age_15_25: '15 tot 25 jaar',
  age_25_45: '25 tot 45 jaar',
  age_45_65: '45 tot 65 jaar',
  age_65_plus: '65 jaar of ouder',
  askRole: 'Wat past het best bij jou?',
  role_client: 'Ik krijg zorg/hulp',
  role_carer: 'Ik zorg voor iemand',
  role_resident: 'Geen van beide',
  askFeedback: 'Wil je horen wat de gemeente met je verhaal doet?',
  askInvite: 'Mogen we je later uitnodigen om over dit onderwerp te praten?',
  yes: 'Ja',
  no: 'Nee',
  skip: 'Overslaan',
  choose: 'Kies',
  notUnderstood: "Dat begreep ik niet goed. Kies een van de knoppen, of typ 'overslaan'.",
  summary: 'Dank je wel! Dit hebben we genoteerd:\n{lines}\nJe code is {reference}. Noem die code als je er later naar vraagt.',
  summaryStory: '- je verhaal',
  summaryWijk: '- wijk: {value}',
  summaryAge: '- leeftijd: {value}',
  summaryRole: '- jij: {value}',
  summaryFeedback: '- we laten je weten wat er met je verhaal gebeurt',
  summaryInvite: '- we mogen je later uitnodigen',
  returningThanks: 'Dank je wel. We hebben je verhaal genoteerd. Je code is {reference}.',
  anythingElse: 'Wil je later nog iets vertellen? Stuur gewoon een bericht.',
  help: "Je kunt altijd typen:\n- 'opnieuw': opnieuw beginnen\n- 'stop': stoppen\n- 'english': switch to English\n- 'verwijder mijn gegevens': alles wissen wat we van je hebben\nIs er gevaar? Bel 112.",
  stopped: "Oké, we stoppen hier. Wat je al stuurde, hebben we bewaard. Typ 'opnieuw' om verder te gaan, of 'verwijder mijn gegevens' om alles te wissen.",
  restarted: 'We beginnen opnieuw.',
  languageSwitched: 'We praten verder in het Nederlands.',
  eraseConfirm: 'Wil je dat we alles wissen wat we van je hebben: je berichten, je verhalen en je antwoorden? Dat kan niet ongedaan worden gemaakt.',
  eraseYes: 'Ja, wis alles',
  eraseNo: 'Nee, niet wissen',
  erased: 'Klaar. We hebben je berichten, verhalen en antwoorden gewist. Wil je later weer iets vertellen? Stuur dan gewoon een bericht.',
  eraseCancelled: 'Goed, we wissen niets.',
  unsupported: 'Ik kan nog geen {what} verwerken. Wil je het typen?',
  what_voice: 'spraakberichten',
  what_audio: 'geluidsbestanden',
  what_image: "foto's",
  what_video: "video's",
  what_document: 'bestanden',
  what_sticker: 'stickers',
  what_location: 'locaties',
  what_contacts: 'contactkaarten',
  what_reaction: 'reacties',
  what_other: 'dit soort berichten',
  crisis_suicide:
    'Denk je aan zelfmoord? Praat erover. Bel 113 Zelfmoordpreventie: 0800-0113 (gratis, dag en nacht) of chat op 113.nl. Is er direct gevaar? Bel 112.',
  crisis_violence:
    'Is er nu gevaar? Bel 112. Voor hulp bij geweld thuis: bel Veilig Thuis op 0800-2000 (gratis, dag en nacht).',
  crisis_danger: 'Is er nu gevaar? Bel meteen 112.',
  crisisFlagged: 'Een medewerker kijkt zo snel mogelijk naar je bericht.',
};

export type TextKey = keyof typeof nl;
export type Texts = Record<TextKey, string>;

const en: Texts = {
  welcome:
    'Hi! This is the chat of the municipality of {municipality}. We would like to hear what goes well or badly: with care, support, money, housing or in your neighbourhood. Your story helps the municipality and the advisory council make better choices.',
  privacy:
    'You may stay anonymous. We do not ask for your name. Staff of the municipality and the advisory council read your story, without your personal details. Read more in our privacy statement: {privacyUrl}',
  consentQuestion: 'May we keep and use your story? You can always have your data deleted.',
  consentYes: 'Yes, that is fine',
  consentNo: 'No, rather not',
  consentDeclined:
    "That is fine. We will not use your message. Want us to erase your messages too? Type 'delete my data'. Want to tell us something after all? Type 'restart'.",
  askStory: 'Go ahead: what would you like to tell us? You may send several messages.',
  followUp: 'Thank you. Could you tell us a bit more? What happened, and what does it mean for you?',
  storyThanks: "Thank you for your story. We kept it under code {reference}. Anything to add? Just send it. Finished? Choose 'Done'.",
  addedThanks: "Thank you, we added that. Anything else? Or choose 'Done'.",
  addedToStory: 'Thank you, we added that to your story.',
  tooLong: 'Your message was very long. We kept the start (4,096 characters). Please send the rest in a new message.',
  slowDown: 'You are sending many messages quickly. I kept them all. Please wait a moment before your next message, then I will read along again.',
  done: 'Done',
  profileIntro: 'I have a few short questions. You may skip any of them.',
  askWijk: 'Which neighbourhood do you live in? Choose it, or type the name of your area, your street or your postcode.',
  askAge: 'How old are you?',
  age_0_15: 'Under 15',
  age_15_25: '15 to 25',
  age_25_45: '25 to 45',
  age_45_65: '45 to 65',
  age_65_plus: '65 or older',
  askRole: 'What fits you best?',
  role_client: 'I get care/support',
  role_carer: 'I care for someone',
  role_resident: 'Neither',
  askFeedback: 'Would you like to hear what the municipality does with your story?',
  askInvite: 'May we invite you later to talk about this topic?',
  yes: 'Yes',
  no: 'No',
  skip: 'Skip',
  choose: 'Choose',
  notUnderstood: "I did not quite get that. Choose one of the buttons, or type 'skip'.",
  summary: 'Thank you! This is what we noted:\n{lines}\nYour code is {reference}. Mention it if you ask about this later.',
  summaryStory: '- your story',
  summaryWijk: '- neighbourhood: {value}',
  summaryAge: '- age: {value}',
  summaryRole: '- you: {value}',
  summaryFeedback: '- we will let you know what happens with your story',
  summaryInvite: '- we may invite you later',
  returningThanks: 'Thank you. We noted your story. Your code is {reference}.',
  anythingElse: 'Want to tell us something else later? Just send a message.',
  help: "You can always type:\n- 'restart': start again\n- 'stop': stop\n- 'nederlands': verder in het Nederlands\n- 'delete my data': erase everything we have about you\nIn danger? Call 112.",
  stopped: "Okay, we stop here. What you sent is kept. Type 'restart' to go on, or 'delete my data' to erase everything.",
  restarted: 'Let us start again.',
  languageSwitched: 'We will continue in English.',
  eraseConfirm: 'Do you want us to erase everything we have about you: your messages, your stories and your answers? This cannot be undone.',
  eraseYes: 'Yes, erase all',
  eraseNo: 'No, keep it',
  erased: 'Done. We erased your messages, stories and answers. Want to tell us something later? Just send a message.',
  eraseCancelled: 'Fine, we erase nothing.',
  unsupported: 'I cannot handle {what} yet. Could you type it instead?',
  what_voice: 'voice messages',
  what_audio: 'audio files',
  what_image: 'photos',
  what_video: 'videos',
  what_document: 'files',
  what_sticker: 'stickers',
  what_location: 'locations',
  what_contacts: 'contact cards',
  what_reaction: 'reactions',
  what_other: 'this kind of message',
  crisis_suicide:
    'Are you thinking about suicide? Talk about it. Call 113 Suicide Prevention: 0800-0113 (free, day and night) or chat at 113.nl. In immediate danger? Call 112.',
  crisis_violence: 'In danger right now? Call 112. For help with violence at home: call Veilig Thuis on 0800-2000 (free, day and night).',
  crisis_danger: 'In danger right now? Call 112 at once.',
  crisisFlagged: 'A member of staff will look at your message as soon as possible.',
};

export const defaultTexts: Record<Language, Texts> = { nl, en };

/**
 * The catalogues with a municipality's overrides (settings.botTexts) laid over the defaults. Unknown keys and
 * non-string values are ignored, so a typo in the settings can never break the bot.
 */
export function textsFor(settings: Record<string, unknown>): Record<Language, Texts> {
  const overrides = settings.botTexts;
  const result = { nl: { ...nl }, en: { ...en } };
  if (typeof overrides !== 'object' || overrides === null) return result;
  for (const language of languages) {
    const given = (overrides as Record<string, unknown>)[language];
    if (typeof given !== 'object' || given === null) continue;
    for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
      if (Object.hasOwn(nl, key) && typeof value === 'string' && value.trim() !== '') result[language][key as TextKey] = value;
    }
  }
  return result;
}

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
