/**
 * The wording of the mails. The HTML components and the plain-text builders both read these, so
 * the two parts of a mail say the same. Placeholders look like `{name}`; `fill` splits a sentence
 * around them, so a placeholder can become a link in HTML and plain text in the text part.
 */

/** Staff mail to the coordination office and the carrier: German only. */
export const staff = {
  subject: 'Wohnungsangebot {reference}: {rooms} Zi., {area}, {stadtteil}, frei ab {date}',
  title: 'Wohnungsangebot {reference}',
  intro: 'Neues Wohnungsangebot über das Portal, eingegangen am {date} um {time} Uhr.',
  introNoTime: 'Neues Wohnungsangebot über das Portal.',
  carrier:
    'Sie sind für den Stadtbezirk {stadtbezirk} zuständig. Deshalb erhalten Sie dieses Angebot; eine Kopie ging an die Koordinierungsstelle.',
  carrierNoBezirk: 'Sie erhalten dieses Angebot als zuständiger Träger; eine Kopie ging an die Koordinierungsstelle.',
  coordinatorCarrier: 'Das Angebot ging auch an den zuständigen Träger: {carrier}.',
  coordinatorCarrierBezirk:
    'Das Angebot ging auch an den für den Stadtbezirk {stadtbezirk} zuständigen Träger: {carrier}.',
  coordinatorNoCarrier: 'Kein Träger zugeordnet: bitte selbst weiterleiten.',
  englishForm: 'Die Vermieter*in hat das Formular auf Englisch ausgefüllt.',
  whyTitle: 'Warum an Sie?',
  offerTitle: 'Das Angebot',
  replyLabel: 'Rückfragen an die Vermieter*in',
  reply: 'Antworten Sie einfach auf diese E-Mail. Die Antwort geht direkt an {name} ({email}).',
  attachmentLabel: 'Anhang',
  attachment: 'Eine maschinenlesbare Kopie des Angebots ist als JSON-Datei angehängt.',
  footer: 'Automatisch verschickt vom Wohnungsportal des Auszugsmanagements der Stadt Köln.',
} as const;

/** Confirmation to the landlord, in the language of the form. */
export const confirmation = {
  de: {
    subject: 'Ihr Wohnungsangebot {reference} ist eingegangen',
    title: 'Vielen Dank für Ihr Wohnungsangebot',
    greeting: 'Guten Tag {name},',
    intro:
      'vielen Dank, dass Sie Ihre Wohnung über das Portal der Stadt Köln anbieten. Ihr Angebot ist am {date} um {time} Uhr bei uns eingegangen.',
    introNoTime:
      'vielen Dank, dass Sie Ihre Wohnung über das Portal der Stadt Köln anbieten. Ihr Angebot ist bei uns eingegangen.',
    referenceLabel: 'Ihre Vorgangsnummer',
    referenceHint: 'Bitte nennen Sie diese Nummer, wenn Sie uns schreiben.',
    referenceHintPhone: 'Bitte nennen Sie diese Nummer, wenn Sie uns schreiben oder anrufen.',
    summaryTitle: 'Ihre Angaben',
    summaryIntro: 'Diese Angaben haben wir von Ihnen erhalten:',
    nextTitle: 'Wie es weitergeht',
    step1:
      'Ihr Angebot geht an die Koordinierungsstelle der Stadt Köln und an den Träger, der für den Stadtbezirk Ihrer Wohnung zuständig ist.',
    step1Carrier: 'Für den Stadtbezirk {stadtbezirk} ist das: {carrier}.',
    step2: 'Eine Ansprechperson meldet sich bei Ihnen und bespricht alles Weitere persönlich.',
    contactTitle: 'Fragen zu Ihrem Angebot?',
    contactIntro: 'Wenden Sie sich an die Koordinierungsstelle:',
    email: 'E-Mail',
    phone: 'Telefon',
    withdrawTitle: 'Angebot zurückziehen',
    withdraw:
      'Sie möchten Ihr Angebot zurückziehen? Schreiben Sie der Koordinierungsstelle an {email} und nennen Sie Ihre Vorgangsnummer {reference}. Dann löschen wir Ihre Angaben.',
    closing: 'Mit freundlichen Grüßen',
    footer:
      'Sie erhalten diese E-Mail, weil Sie über das Portal der Stadt Köln für Vermieter*innen eine Wohnung angeboten haben.',
  },
  en: {
    subject: 'Your apartment offer {reference} has been received',
    title: 'Thank you for your apartment offer',
    greeting: 'Dear {name},',
    intro:
      "Thank you for offering your apartment through the City of Cologne's portal. We received your offer on {date} at {time} (Cologne time).",
    introNoTime:
      "Thank you for offering your apartment through the City of Cologne's portal. We have received your offer.",
    referenceLabel: 'Your reference number',
    referenceHint: 'Please quote this number when you write to us.',
    referenceHintPhone: 'Please quote this number when you write to us or call us.',
    summaryTitle: 'What you sent us',
    summaryIntro: 'These are the details we received from you:',
    nextTitle: 'What happens next',
    step1:
      "Your offer goes to the City of Cologne's coordination office and to the carrier responsible for the district (Stadtbezirk) of your apartment.",
    step1Carrier: 'For the district of {stadtbezirk}, that is {carrier}.',
    step2: 'A contact person will get in touch with you and discuss everything else in person.',
    contactTitle: 'Questions about your offer?',
    contactIntro: 'Please contact the coordination office:',
    email: 'Email',
    phone: 'Phone',
    withdrawTitle: 'Withdrawing your offer',
    withdraw:
      'Would you like to withdraw your offer? Write to the coordination office at {email} quoting your reference number {reference}, and we will delete your details.',
    closing: 'Kind regards',
    footer:
      "You are receiving this email because you offered an apartment through the City of Cologne's portal for landlords.",
  },
} as const satisfies Record<'de' | 'en', Record<string, string>>;

/** Splits a template around its `{placeholders}` and puts the given values in: ["Sie sind für ", value, " zuständig."]. */
export function fill<T>(template: string, params: Record<string, T>): (string | T)[] {
  return template
    .split(/(\{\w+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part;
      if (!Object.hasOwn(params, m[1]!)) throw new Error(`Missing mail placeholder {${m[1]}}`);
      return params[m[1]!]!;
    });
}

/** `fill` for plain text. */
export const fillText = (template: string, params: Record<string, string>) => fill(template, params).join('');
