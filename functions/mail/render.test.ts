import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Offer } from '../../src/schemas/offer.ts';
import { formatFloor, formatMoney } from '../../src/i18n/format.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { headerSafe } from './text.ts';
import { renderOfferMail } from './offer-mail.ts';
import { renderConfirmationMail } from './confirmation-mail.ts';
import { renderReportMail } from './report-mail.ts';
import { computeFigures } from '../report/figures.ts';
import type { MailInput, RenderedMail } from './types.ts';
import type { Locale } from '../../src/i18n/routes.ts';

const sample: Offer = {
  landlordType: 'private',
  name: 'Erika Mustermann',
  email: 'erika@example.com',
  phone: '0221 123456',
  contactNotes: 'werktags\nab 17 Uhr',
  street: 'Kalker Hauptstraße',
  houseNumber: '12a',
  postalCode: '51103',
  stadtteil: 'Kalk',
  rooms: 2.5,
  livingSpace: 62,
  floor: 2,
  lift: true,
  stepFree: false,
  availableFrom: '2027-03-01',
  wbs: 'unknown',
  furnished: true,
  maxOccupants: 4,
  description: 'Balkon nach Süden.\nHaustiere nach Absprache.',
  coldRent: 650,
  serviceCharges: 150,
  heatingCosts: 80,
  heatingIncluded: false,
  deposit: 1950,
  privacyConsent: true,
  submissionId: '3f1c2a4e-8b7d-4c1e-9f2a-1b2c3d4e5f60',
  locale: 'de',
  formStartedAt: 1_790_000_000_000,
};

const routingReason = 'Stadtteil Kalk liegt im Stadtbezirk Kalk; dafür ist der Caritasverband zuständig.';
const base: MailInput = {
  reference: 'K7M4-QX9T',
  receivedAt: '2026-11-03T13:05:00Z', // 14:05 in Cologne
  offer: sample,
  stadtbezirk: 'Kalk',
  carrierName: 'Caritasverband',
  routingReason,
};
const coordinator = {
  name: 'Koordinierungsstelle Auszugsmanagement',
  email: 'auszugsmanagement@example.org',
  phone: '0221 221-12345',
};

const staffMail = (recipient: 'coordinator' | 'carrier', input: Partial<MailInput> = {}) =>
  renderOfferMail({ ...base, ...input, recipient });
const confirmationMail = (
  locale: Locale,
  input: Partial<MailInput> = {},
  coord: typeof coordinator | Omit<typeof coordinator, 'phone'> = coordinator,
  nameCarrier = false,
) =>
  renderConfirmationMail({
    ...base,
    ...input,
    offer: { ...sample, locale, ...input.offer },
    locale,
    coordinator: coord,
    nameCarrier,
  });

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The visible text of the HTML, tags removed, entities decoded. */
const visible = (html: string) =>
  html
    .replace(/<head>[\s\S]*<\/head>/, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A table row: <th scope="row">label</th><td>value</td> (the value possibly a link). */
function expectRow(mail: RenderedMail, label: string, value: string) {
  const re = new RegExp(
    `<th scope="row"[^>]*>${escapeRe(escapeHtml(label))}</th><td[^>]*>(<a [^>]*>)?${escapeRe(escapeHtml(value))}(</a>)?</td>`,
  );
  expect(mail.html, `html row ${label}`).toMatch(re);
  expect(mail.text.split('\n'), `text line ${label}`).toContain(`${label}: ${value}`);
}

const allMails: [string, () => RenderedMail, Locale][] = [
  ['staff mail to the coordinator', () => staffMail('coordinator'), 'de'],
  ['staff mail to the carrier', () => staffMail('carrier'), 'de'],
  ['confirmation in German', () => confirmationMail('de'), 'de'],
  ['confirmation in English', () => confirmationMail('en'), 'en'],
  ['weekly figures to the coordinator', () => reportMail(), 'de'],
];

/** The weekly figures of one offer, taken on after a day, in week 47 of 2026. */
function reportMail(): RenderedMail {
  const offers = [
    {
      id: 1,
      receivedAt: '2026-11-17T09:00:00Z',
      status: 'received' as const,
      stage: 'taken_on' as const,
      stadtbezirk: 'Kalk',
      carrierId: 'caritas',
      takenOnBy: 'caritas',
    },
  ];
  const events = [
    {
      offerId: 1,
      at: '2026-11-18T09:00:00Z',
      actor: 'carrier' as const,
      actorId: 'caritas',
      action: 'taken_on' as const,
      details: {},
    },
  ];
  const figures = (from: string) =>
    computeFigures(
      { offers, events },
      { from, to: '2026-11-22', carriers: [{ id: 'caritas', name: 'Caritasverband' }] },
    );
  return renderReportMail({
    week: figures('2026-11-16'),
    recent: figures('2026-08-31'),
    attachment: 'zahlen.html',
    generatedAt: new Date('2026-11-23T06:00:00Z'),
  });
}

describe.each(allMails)('%s: mail-client rules', (_, render, lang) => {
  const mail = render();

  it('is a complete HTML document in the right language, with dark-mode metadata', () => {
    expect(mail.html.startsWith('<!doctype html><html lang="' + lang + '">')).toBe(true);
    expect(mail.html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(mail.html).toContain('<meta name="supported-color-schemes" content="light dark"/>');
    expect(mail.html).toContain('name="viewport"');
    expect(mail.html).toContain(`<title>${escapeHtml(mail.subject)}</title>`);
  });

  it('uses inline styles only, no images, scripts or stylesheets, a phone-friendly width and system fonts', () => {
    expect(mail.html).not.toMatch(/<img|<script|<style|<link|class=/i);
    expect(mail.html).toContain('max-width:640px');
    expect(mail.html).toContain('width:100%');
    expect(mail.html).toContain('font-family:-apple-system, BlinkMacSystemFont, Segoe UI');
  });

  it('sets text and background colour together on every element that sets one', () => {
    const styles = [...mail.html.matchAll(/style="([^"]*)"/g)].map((m) => m[1]!);
    expect(styles.length).toBeGreaterThan(20);
    for (const style of styles) {
      const hasColor = /(^|;)color:/.test(style);
      const hasBackground = /(^|;)background-color:/.test(style);
      expect(hasColor, style).toBe(hasBackground);
    }
  });

  // The confirmation carries no free text at all (see below), so this is about the staff mails.
  if (mail.subject.startsWith('Wohnungsangebot')) {
    it('keeps the line breaks of multi-line text', () => {
      expect(mail.html).toMatch(/white-space:pre-line[^>]*>Balkon nach Süden\.\nHaustiere nach Absprache\.<\/td>/);
      expect(mail.text).toMatch(/: Balkon nach Süden\.\n {2}Haustiere nach Absprache\./);
    });
  }

  it('has a readable plain-text part, not stripped HTML', () => {
    expect(mail.text).not.toMatch(/<[a-z]/i);
    // Every mail about an offer names it; the weekly figures name the week.
    expect(mail.text).toContain(mail.subject.startsWith('Zahlen') ? 'KW 47/2026' : 'K7M4-QX9T');
    expect(mail.text.endsWith('\n')).toBe(true);
  });
});

describe('every field of the offer appears, formatted, in HTML and text', () => {
  const staffRows: [string, string][] = [
    ['Vermietet als', 'Privatperson'],
    ['Name', 'Erika Mustermann'],
    ['E-Mail', 'erika@example.com'],
    ['Telefon', '0221 123456'],
    ['Straße und Hausnummer', 'Kalker Hauptstraße 12a'],
    ['Postleitzahl und Ort', '51103 Köln'],
    ['Stadtteil', 'Kalk'],
  ];
  const germanFacts: [string, string][] = [
    ['Stadtteil', 'Kalk'],
    ['Zimmer', '2,5'],
    ['Wohnfläche', '62 m²'],
    ['Stockwerk', '2. Obergeschoss'],
    ['Aufzug', 'Ja'],
    ['Stufenlos erreichbar', 'Nein'],
    ['Frei ab', '01.03.2027'],
    ['Wohnberechtigungsschein (WBS) nötig', 'Weiß ich nicht'],
    ['Möbliert', 'Ja'],
    ['Geeignet für', '4 Personen'],
    ['Kaltmiete pro Monat', '650,00 €'],
    ['Nebenkosten pro Monat', '150,00 €'],
    ['Heizkosten pro Monat', '80,00 €'],
    ['Gesamtmiete pro Monat', '880,00 €'],
    ['Kaution', '1.950,00 €'],
  ];
  const englishFacts: [string, string][] = [
    ['Quarter (Stadtteil)', 'Kalk'],
    ['Rooms', '2.5'],
    ['Living space', '62 m²'],
    ['Floor', '2nd floor'],
    ['Lift', 'Yes'],
    ['Step-free access', 'No'],
    ['Available from', '1 March 2027'],
    ['Housing entitlement certificate (WBS) required', "I don't know"],
    ['Furnished', 'Yes'],
    ['Suitable for', '4 people'],
    ['Base rent per month', '€650.00'],
    ['Service charges per month', '€150.00'],
    ['Heating costs per month', '€80.00'],
    ['Total rent per month', '€880.00'],
    ['Deposit', '€1,950.00'],
  ];
  const staffOnlyRows: [string, string][] = [
    ['Vorgangsnummer', 'K7M4-QX9T'],
    ['Eingegangen', '03.11.2026, 14:05 Uhr'],
    ['Stadtbezirk', 'Kalk'],
    ['Sprache des Formulars', 'Deutsch'],
    ['Datenschutzerklärung', 'gelesen'],
    ['Formular-ID', '3f1c2a4e-8b7d-4c1e-9f2a-1b2c3d4e5f60'],
  ];

  it.each([
    ['staff mail (coordinator)', () => staffMail('coordinator'), [...staffOnlyRows, ...staffRows, ...germanFacts]],
    ['staff mail (carrier)', () => staffMail('carrier'), [...staffOnlyRows, ...staffRows, ...germanFacts]],
    ['confirmation de', () => confirmationMail('de'), germanFacts],
    ['confirmation en', () => confirmationMail('en'), englishFacts],
  ] as const)('%s', (_, render, rows) => {
    const mail = render();
    for (const [label, value] of rows) expectRow(mail, label, value);
  });

  it('the staff mails carry the multi-line fields with their line breaks', () => {
    const mail = staffMail('coordinator');
    for (const part of ['werktags', 'ab 17 Uhr', 'Balkon nach Süden.', 'Haustiere nach Absprache.']) {
      expect(visible(mail.html)).toContain(part);
      expect(mail.text).toContain(part);
    }
  });

  it('groups the staff table by Vorgang, Vermieter*in, Wohnung, Miete und Kaution', () => {
    const { html, text } = staffMail('coordinator');
    const headings = [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(['Vorgang', 'Vermieter*in', 'Wohnung', 'Miete und Kaution']);
    for (const h of headings) expect(text).toContain(`${h}\n${'-'.repeat(h!.length)}`);
  });

  it('sums the apartment up in the confirmation under "Ihre Wohnung" / "Your apartment"', () => {
    expect(confirmationMail('de').text).toContain(
      'Ihre Wohnung\n------------\nPostleitzahl und Ort: 51103 Köln\nStadtteil: Kalk\nZimmer: 2,5',
    );
    expect(confirmationMail('en').text).toContain(
      'Your apartment\n--------------\nPostal code and town: 51103 Köln\nQuarter (Stadtteil): Kalk\nRooms: 2.5',
    );
  });

  it('notes in the staff mail that the landlord wrote in English', () => {
    const mail = renderOfferMail({ ...base, offer: { ...sample, locale: 'en' }, recipient: 'carrier' });
    expectRow(mail, 'Sprache des Formulars', 'Englisch');
    expect(mail.text).toContain('Die vermietende Person hat das Formular auf Englisch ausgefüllt.');
    expect(staffMail('carrier').text).not.toContain('auf Englisch');
  });
});

describe('the confirmation repeats nothing the sender typed freely', () => {
  // Anyone can type any address into the form: the city's sender must not carry their words.
  const canaries = {
    name: 'Kanarienvogel Name',
    email: 'kanarienvogel@example.com',
    phone: '0221 987654321',
    contactNotes: 'Kanarienvogel Erreichbarkeit https://evil.example/',
    street: 'Kanarienvogelweg',
    houseNumber: '999',
    description: 'Kanarienvogel Beschreibung: click https://evil.example/win',
  };
  it.each(['de', 'en'] as const)('%s: no name, address, phone, notes or description', (locale) => {
    const mail = confirmationMail(locale, { offer: { ...sample, ...canaries } });
    for (const [field, value] of Object.entries(canaries)) {
      expect(mail.html, field).not.toContain(value);
      expect(mail.text, field).not.toContain(value);
      expect(mail.subject, field).not.toContain(value);
    }
    expect(mail.html).not.toContain('evil.example');
  });
  it('the staff mail still has all of it', () => {
    const mail = staffMail('coordinator', { offer: { ...sample, ...canaries } });
    for (const value of Object.values(canaries)) expect(mail.text).toContain(value);
  });
});

describe('formats values in words', () => {
  it.each([
    [-1, 'Untergeschoss', 'Basement'],
    [0, 'Erdgeschoss', 'Ground floor'],
    [1, '1. Obergeschoss', '1st floor'],
    [2, '2. Obergeschoss', '2nd floor'],
    [3, '3. Obergeschoss', '3rd floor'],
    [11, '11. Obergeschoss', '11th floor'],
    [22, '22. Obergeschoss', '22nd floor'],
  ])('floor %i', (floor, de, en) => {
    expect(formatFloor(floor, 'de', useTranslations('de'))).toBe(de);
    expect(formatFloor(floor, 'en', useTranslations('en'))).toBe(en);
    expectRow(staffMail('carrier', { offer: { ...sample, floor } }), 'Stockwerk', de);
  });

  it.each([
    [650, '650,00 €', '€650.00'],
    [0, '0,00 €', '€0.00'],
    [1250.5, '1.250,50 €', '€1,250.50'],
    [10000, '10.000,00 €', '€10,000.00'],
  ])('money %d', (amount, de, en) => {
    expect(formatMoney(amount, 'de')).toBe(de);
    expect(formatMoney(amount, 'en')).toBe(en);
  });

  it.each([
    ['company', 'Unternehmen', 'Company'],
    [
      'housing_association',
      'Wohnungsbaugesellschaft oder Wohnungsgenossenschaft',
      'Housing company or housing cooperative',
    ],
  ] as const)('landlord type %s', (landlordType, de, en) => {
    expectRow(staffMail('coordinator', { offer: { ...sample, landlordType } }), 'Vermietet als', de);
    expect(useTranslations('en')(`offer.landlordType.${landlordType}`)).toBe(en);
  });

  it.each([
    ['yes', 'Ja', 'Yes'],
    ['no', 'Nein', 'No'],
  ] as const)('WBS %s', (wbs, de, en) => {
    expectRow(confirmationMail('de', { offer: { ...sample, wbs } }), 'Wohnberechtigungsschein (WBS) nötig', de);
    expectRow(
      confirmationMail('en', { offer: { ...sample, wbs } }),
      'Housing entitlement certificate (WBS) required',
      en,
    );
  });

  it('one person, in both languages', () => {
    expectRow(confirmationMail('de', { offer: { ...sample, maxOccupants: 1 } }), 'Geeignet für', '1 Person');
    expectRow(confirmationMail('en', { offer: { ...sample, maxOccupants: 1 } }), 'Suitable for', '1 person');
  });
});

describe('heating costs', () => {
  it.each([
    ['not included', { heatingIncluded: false, heatingCosts: 80 }, '80,00 €', '880,00 €', '€80.00', '€880.00'],
    [
      'included, no amount',
      { heatingIncluded: true, heatingCosts: undefined },
      'in den Nebenkosten enthalten',
      '800,00 €',
      'included in the service charges',
      '€800.00',
    ],
    [
      'included, amount given anyway',
      { heatingIncluded: true, heatingCosts: 80 },
      'in den Nebenkosten enthalten (angegeben: 80,00 €)',
      '800,00 €',
      'included in the service charges (stated: €80.00)',
      '€800.00',
    ],
  ])('%s', (_, heating, deHeating, deTotal, enHeating, enTotal) => {
    const offer = { ...sample, ...heating };
    for (const mail of [staffMail('coordinator', { offer }), confirmationMail('de', { offer })]) {
      expectRow(mail, 'Heizkosten pro Monat', deHeating);
      expectRow(mail, 'Gesamtmiete pro Monat', deTotal);
    }
    const en = confirmationMail('en', { offer });
    expectRow(en, 'Heating costs per month', enHeating);
    expectRow(en, 'Total rent per month', enTotal);
  });
});

describe('optional fields absent', () => {
  const { phone: _p, contactNotes: _c, description: _d, formStartedAt: _f, ...required } = sample;
  const minimal: Offer = { ...required, heatingIncluded: true, heatingCosts: undefined };

  it.each([
    [
      'staff mail',
      () =>
        renderOfferMail({
          ...base,
          offer: minimal,
          stadtbezirk: undefined,
          carrierName: undefined,
          recipient: 'coordinator',
        }),
      'de',
    ],
    [
      'confirmation de',
      () =>
        renderConfirmationMail({
          ...base,
          offer: minimal,
          stadtbezirk: undefined,
          carrierName: undefined,
          locale: 'de',
          coordinator,
          nameCarrier: false,
        }),
      'de',
    ],
    [
      'confirmation en',
      () =>
        renderConfirmationMail({
          ...base,
          offer: { ...minimal, locale: 'en' },
          stadtbezirk: undefined,
          carrierName: undefined,
          locale: 'en',
          coordinator,
          nameCarrier: false,
        }),
      'en',
    ],
  ] as const)(
    '%s says "not given" (staff) or leaves the row out, and shows no Stadtbezirk row',
    (_, render, locale) => {
      const mail = render();
      if (mail.subject.startsWith('Wohnungsangebot')) {
        for (const label of ['Telefon', 'Erreichbarkeit', 'Beschreibung']) expectRow(mail, label, 'keine Angabe');
      } else {
        expect(mail.text).not.toMatch(
          locale === 'de' ? /^(Erreichbarkeit|Beschreibung):/m : /^(How to reach you|Description):/m,
        );
      }
      expect(mail.html).not.toContain('tel:0221123456');
      expect(mail.text).not.toMatch(/^(Stadtbezirk|District \(Stadtbezirk\)):/m);
      expect(mail.html).not.toContain('undefined');
      expect(mail.text).not.toContain('undefined');
      expect(mail.text).not.toContain('NaN');
    },
  );

  it('the confirmation without a coordinator phone mentions no phone at all', () => {
    const { phone: _, ...noPhone } = coordinator;
    for (const [locale, words] of [
      ['de', /Telefon: \d|anrufen/],
      ['en', /Phone: \d|call us/],
    ] as const) {
      const mail = confirmationMail(locale, { offer: { ...sample, phone: undefined } }, noPhone);
      expect(visible(mail.html)).not.toMatch(words);
      expect(mail.text).not.toMatch(words);
      expect(mail.html).not.toContain('tel:');
    }
  });

  it('a receivedAt that is not a timestamp does not break the mail', () => {
    const mail = staffMail('carrier', { receivedAt: 'not a date' });
    expect(mail.text).toContain('Neues Wohnungsangebot über das Portal.');
    expect(mail.text).not.toContain('Invalid');
  });
});

describe('routing: the reason and the carrier text', () => {
  it.each([
    ['carrier', 'Caritasverband', 'Laut Routing-Tabelle sind Sie für den Stadtbezirk Kalk zuständig.'],
    ['carrier', undefined, 'Laut Routing-Tabelle sind Sie für den Stadtbezirk Kalk zuständig.'],
    [
      'coordinator',
      'Caritasverband',
      'Das Angebot ging auch an den laut Routing-Tabelle für den Stadtbezirk Kalk zuständigen Träger: Caritasverband.',
    ],
    [
      'coordinator',
      'Deutsches Rotes Kreuz',
      'Das Angebot ging auch an den laut Routing-Tabelle für den Stadtbezirk Kalk zuständigen Träger: Deutsches Rotes Kreuz.',
    ],
    ['coordinator', undefined, 'Kein Träger zugeordnet: bitte selbst weiterleiten.'],
  ] as const)('%s, carrier %s', (recipient, carrierName, sentence) => {
    const mail = staffMail(recipient, { carrierName });
    for (const out of [visible(mail.html), mail.text]) {
      expect(out).toContain('Neues Wohnungsangebot über das Portal');
      expect(out).toContain(sentence);
      expect(out).toContain('Warum an Sie?');
      expect(out).toContain(routingReason);
      expect(out).toContain(
        'Antworten Sie einfach auf diese E-Mail. Die Antwort geht direkt an Erika Mustermann (erika@example.com).',
      );
      expect(out).toContain('Eine maschinenlesbare Kopie des Angebots ist als JSON-Datei angehängt.');
    }
    expect(visible(mail.html.match(/<h1[\s\S]*<\/h1>/)![0])).toBe('Wohnungsangebot K7M4-QX9T');
    if (recipient === 'carrier') expect(mail.text).not.toContain('Kein Träger zugeordnet');
  });

  it('a coordinator mail with a carrier but no Stadtbezirk still names the carrier', () => {
    const mail = staffMail('coordinator', { stadtbezirk: undefined });
    expect(mail.text).toContain('Das Angebot ging auch an den zuständigen Träger: Caritasverband.');
  });
});

describe('the confirmation to the landlord', () => {
  it.each([
    [
      'de',
      'Ihr Wohnungsangebot K7M4-QX9T ist eingegangen',
      [
        'Vielen Dank für Ihr Wohnungsangebot',
        'Guten Tag,',
        'Ihr Angebot ist am 03.11.2026 um 14:05 Uhr bei uns eingegangen.',
        'Ihre Vorgangsnummer',
        'Bitte nennen Sie diese Nummer, wenn Sie uns schreiben oder anrufen.',
        'Ihr Angebot geht an die Koordinierungsstelle der Stadt Köln. Sie gibt es an einen der drei Träger des Auszugsmanagements weiter.',
        'Eine Ansprechperson meldet sich bei Ihnen und bespricht alles Weitere persönlich.',
        'Koordinierungsstelle Auszugsmanagement',
        'auszugsmanagement@example.org',
        'Telefon: 0221 221-12345',
        'Sie möchten Ihr Angebot zurückziehen? Schreiben Sie der Koordinierungsstelle an auszugsmanagement@example.org und nennen Sie Ihre Vorgangsnummer K7M4-QX9T. Dann löschen wir Ihre Angaben.',
        'Vermieter*innen',
      ],
    ],
    [
      'en',
      'Your apartment offer K7M4-QX9T has been received',
      [
        'Thank you for your apartment offer',
        'Hello,',
        'We received your offer on 3 November 2026 at 14:05 (Cologne time).',
        'Your reference number',
        'Please quote this number when you write to us or call us.',
        "Your offer goes to the City of Cologne's coordination office, which passes it on to one of the three partner organisations of the Auszugsmanagement.",
        'A contact person will get in touch with you and discuss everything else in person.',
        'Koordinierungsstelle Auszugsmanagement',
        'Phone: 0221 221-12345',
        'Would you like to withdraw your offer? Write to the coordination office at auszugsmanagement@example.org quoting your reference number K7M4-QX9T, and we will delete your details.',
      ],
    ],
  ] as const)('%s', (locale, subject, sentences) => {
    const mail = confirmationMail(locale);
    expect(mail.subject).toBe(subject);
    expect(mail.html).toContain(`<html lang="${locale}">`);
    for (const sentence of sentences) {
      expect(visible(mail.html), sentence).toContain(sentence);
      expect(mail.text, sentence).toContain(sentence);
    }
    // The reference number prominently, in a large type of its own.
    expect(mail.html).toMatch(/font-size:28px[^>]*>K7M4-QX9T<\/p>/);
    expect(mail.html).toContain('href="mailto:auszugsmanagement@example.org"');
    expect(mail.html).toContain('href="tel:022122112345"');
    // Staff-only content stays out.
    expect(mail.text).not.toContain(routingReason);
    expect(mail.text).not.toContain(sample.submissionId);
    expect(mail.text).not.toContain('JSON');
  });

  it('names the carrier only once the city has confirmed the carrier table', () => {
    expect(confirmationMail('de').text).not.toContain('Caritasverband');
    expect(confirmationMail('en').text).not.toContain('Caritasverband');
    expect(confirmationMail('de', {}, coordinator, true).text).toContain('Für Ihre Wohnung ist das: Caritasverband.');
    expect(confirmationMail('en', {}, coordinator, true).text).toContain('For your apartment, that is Caritasverband.');
    expect(confirmationMail('de', { carrierName: undefined }, coordinator, true).text).not.toContain('ist das:');
  });

  it('says nothing in English in the German mail and vice versa', () => {
    expect(confirmationMail('de').text).not.toMatch(/\b(the|your|Thank)\b/);
    expect(confirmationMail('en').text).not.toMatch(/\b(Ihr|Ihre|Sie|und)\b/);
  });
});

describe('hostile values', () => {
  const hostile = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'Erika\r\nBcc: evil@example.com'];

  it.each(hostile)('%s is escaped wherever it appears in the HTML', (value) => {
    const offer = {
      ...sample,
      name: value,
      contactNotes: value,
      description: value,
      street: value,
      houseNumber: value,
      phone: value,
    };
    const input = { ...base, offer, carrierName: value, routingReason: value, stadtbezirk: value };
    const mails = [
      renderOfferMail({ ...input, recipient: 'coordinator' }),
      renderOfferMail({ ...input, recipient: 'carrier' }),
      renderConfirmationMail({
        ...input,
        locale: 'de',
        coordinator: { name: value, email: 'a@example.org', phone: value },
        nameCarrier: true,
      }),
      renderConfirmationMail({
        ...input,
        offer: { ...offer, locale: 'en' },
        locale: 'en',
        coordinator: { name: value, email: 'a@example.org' },
        nameCarrier: true,
      }),
    ];
    for (const mail of mails) {
      expect(mail.html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
      expect(mail.html).not.toContain('"><img');
      if (value.includes('<')) {
        expect(mail.html).not.toContain(value);
        expect(mail.html).toContain(escapeHtml(value));
      }
      expect(mail.subject).not.toMatch(/[\r\n]/);
      // In the text part single-line values stay on one line: no injected "Bcc:" line.
      expect(mail.text).not.toMatch(/^Bcc:/m);
      expect(mail.text).not.toContain('\r');
    }
  });

  it('the e-mail address is escaped in the mailto link as well', () => {
    const mail = staffMail('coordinator', { offer: { ...sample, email: '"><script>x</script>@example.com' } });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="mailto:&quot;&gt;&lt;script&gt;x&lt;/script&gt;@example.com"');
  });

  it('no mail template makes unescaped HTML itself: only html.ts does', () => {
    const dir = new URL('.', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts') && f !== 'html.ts')) {
      expect(readFileSync(new URL(file, dir), 'utf8'), file).not.toMatch(/new Html\(|innerHTML/);
    }
  });
});

describe('subjects are safe mail headers', () => {
  const crlf = 'Kalk\r\nBcc: evil@example.com\tX\u0000\u2028Y';
  const evilOffer = { ...sample, stadtteil: crlf, availableFrom: '2027-03-01\r\nX-Evil: 1' } as unknown as Offer;

  it('the staff subject has the agreed shape', () => {
    expect(staffMail('carrier').subject).toBe('Wohnungsangebot K7M4-QX9T: 2,5 Zi., 62 m², Kalk, frei ab 01.03.2027');
    expect(staffMail('coordinator', { offer: { ...sample, rooms: 1, livingSpace: 28.5 } }).subject).toBe(
      'Wohnungsangebot K7M4-QX9T: 1 Zi., 28,5 m², Kalk, frei ab 01.03.2027',
    );
  });

  it.each([
    [
      'staff',
      () => renderOfferMail({ ...base, offer: evilOffer, reference: 'K7M4\r\nQX9T', recipient: 'coordinator' }),
    ],
    [
      'confirmation de',
      () =>
        renderConfirmationMail({
          ...base,
          offer: evilOffer,
          reference: 'K7M4\r\nQX9T',
          locale: 'de',
          coordinator,
          nameCarrier: false,
        }),
    ],
    [
      'confirmation en',
      () =>
        renderConfirmationMail({
          ...base,
          offer: evilOffer,
          reference: 'K7M4\n\nQX9T',
          locale: 'en',
          coordinator,
          nameCarrier: false,
        }),
    ],
  ])('%s: CR, LF, tabs and control characters collapse to single spaces', (_, render) => {
    const { subject } = render();
    expect(subject).not.toMatch(/[\r\n\t\u0000-\u001F\u007F\u2028\u2029]/);
    expect(subject).not.toMatch(/ {2}/);
    expect(subject).toContain('K7M4 QX9T');
    expect(subject).toBe(subject.trim());
  });

  it('the stadtteil with CR/LF is collapsed in the staff subject', () => {
    const { subject } = renderOfferMail({ ...base, offer: evilOffer, recipient: 'carrier' });
    expect(subject).toBe(
      'Wohnungsangebot K7M4-QX9T: 2,5 Zi., 62 m², Kalk Bcc: evil@example.com X Y, frei ab 2027-03-01 X-Evil: 1',
    );
  });

  it('is cut at 200 characters', () => {
    const long = { ...sample, stadtteil: 'Ä'.repeat(500) } as Offer;
    const { subject } = renderOfferMail({ ...base, offer: long, recipient: 'carrier' });
    expect(Array.from(subject).length).toBe(200);
    expect(subject.endsWith('…')).toBe(true);
    expect(headerSafe('  a\r\n\r\n b  ')).toBe('a b');
    expect(Array.from(headerSafe('😀'.repeat(300))).length).toBe(200);
  });
});
