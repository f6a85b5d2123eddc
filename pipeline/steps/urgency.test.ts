import { describe, expect, it } from 'vitest';
import { detectCrisis } from './urgency.ts';

describe('detectCrisis', () => {
  it.each([
    ['Ik wil niet meer leven', 'suicide'],
    ['ik wil dood', 'suicide'],
    ['ik denk erover om een eind aan mijn leven te maken', 'suicide'],
    ['soms denk ik aan zelfmoord', 'suicide'],
    ['Ik heb suïcidale gedachten', 'suicide'],
    ['ik zie het niet meer zitten, iedereen is beter af zonder mij', 'suicide'],
    ['het hoeft voor mij niet meer', 'suicide'],
    ['ik heb pillen gespaard', 'suicide'],
    ['ik wil mezelf iets aandoen', 'suicide'],
    ['I want to kill myself', 'suicide'],
    ['ik wil uit het leven stappen', 'suicide'],
    ['ik word misbruikt door mijn stiefvader', 'violence'],
    ['mijn moeder is in gevaar, kom snel', 'danger'],
    ["I don't want to live anymore", 'suicide'],
    ['mijn man slaat me, help', 'violence'],
    ['ik word nu geslagen door mijn vriend', 'violence'],
    ['hij staat voor de deur met een mes', 'violence'],
    ['mijn ex dreigt me dood te maken', 'violence'],
    ['er is nu een steekpartij hier buiten', 'violence'],
    ['he is hitting me right now', 'violence'],
    ['er ligt een man bewusteloos in het portiek', 'danger'],
    ['mijn buurman reageert niet meer', 'danger'],
    ['ik ruik gas in het trappenhuis', 'danger'],
    ['de flat staat in brand!', 'danger'],
    ['de kinderen zijn al de hele dag alleen thuis', 'danger'],
    ['mijn moeder is gevallen en kan niet meer opstaan', 'danger'],
    ['my neighbour is unconscious', 'danger'],
    ['soms wil ik dood', 'suicide'],
    ['er is huiselijk geweld bij de buren', 'violence'],
    ['I am not safe at home', 'danger'],
    ['ik ben thuis niet veilig', 'danger'],
    ['help nu!', 'danger'],
    ['Help nu, we zijn in gevaar', 'danger'],
  ] as const)('urgent: %s', (text, kind) => {
    expect(detectCrisis(text)).toEqual({ urgent: true, kind });
  });

  it.each([
    'ik ga dood van het lachen',
    'ik word gek van die wachtlijst',
    'ik ga dood van de honger',
    'doodmoe van al die formulieren',
    'this waiting list is killing me',
    'I could kill for a coffee',
    'vorig jaar werd ik bedreigd door een buurman',
    'mijn broer heeft jaren geleden zelfmoord gepleegd',
    'vroeger wilde ik dood, nu gaat het beter',
    'ik heb geen zelfmoordgedachten, wel zorgen om geld',
    'meer aandacht voor zelfmoordpreventie op school graag',
    'er was vorig jaar brand in de flat',
    'de brandgang achter het huis is vies',
    'ik schrok me dood van de energierekening',
    'die lantaarnpaal is levensgevaarlijk',
    'de buren maken ruzie over de parkeerplek',
    'ik ben alleen en verdrietig',
    'de wachtlijst voor de ggz is om te huilen',
    'in the past I had dark thoughts',
    'mijn moeder is dement en vergeet alles',
    'ik ben bang voor de hangjongeren',
    'de lift is al twee weken kapot',
    'ik voel me niet veilig in de wijk',
    'de gemeente moet meer doen tegen huiselijk geweld',
    'help',
    '',
  ])('not urgent: %s', (text) => {
    expect(detectCrisis(text)).toEqual({ urgent: false, kind: null });
  });

  it('finds the crisis in a longer message, in any sentence', () => {
    expect(detectCrisis('De huur is te hoog. Ik heb schulden. Ik zie het echt niet meer zitten.').urgent).toBe(true);
  });

  it('a past event does not hide a present one in another sentence', () => {
    expect(detectCrisis('Vorig jaar was er brand. Nu word ik weer bedreigd door de buurman.')).toEqual({ urgent: true, kind: 'violence' });
  });
});
