import type { Offer } from '../../src/schemas/offer.ts';

/** What every mail about one offer is built from. */
export interface MailInput {
  /** e.g. "K7M4-QX9T" */
  reference: string;
  /** ISO timestamp */
  receivedAt: string;
  offer: Offer;
  stadtbezirk?: string;
  /** The responsible carrier, if any. */
  carrierName?: string;
  /** German sentence, e.g. "Stadtteil Kalk liegt im Stadtbezirk Kalk; …" */
  routingReason: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export type OfferMailInput = MailInput & {
  recipient: 'coordinator' | 'carrier';
  /** Take on / placed / not suitable, as signed links for this recipient. */
  buttons?: ReadonlyArray<{ label: string; href: string }>;
};

export interface Coordinator {
  name: string;
  email: string;
  phone?: string;
}

export type ConfirmationMailInput = MailInput & {
  locale: 'de' | 'en';
  coordinator: Coordinator;
  /** The city has confirmed which carrier serves which Stadtbezirk: only then is the carrier named. */
  nameCarrier: boolean;
  /** The signed link that withdraws the offer. */
  withdraw?: string;
};
