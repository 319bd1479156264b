import { stadtteileByPostalCode } from './cologne-postal.ts';

export { stadtteileByPostalCode };

/**
 * Cologne's 86 Stadtteile with their official numbers and Stadtbezirke (the first digit of the
 * number is the Stadtbezirk), and the postal codes of the city. The Stadtteil of an offer decides
 * its Stadtbezirk, and the Stadtbezirk its carrier.
 */
/** Cologne's nine Stadtbezirke, in the city's official numbering order. No zod here: the island imports this. */
export const stadtbezirke = [
  'Innenstadt',
  'Rodenkirchen',
  'Lindenthal',
  'Ehrenfeld',
  'Nippes',
  'Chorweiler',
  'Porz',
  'Kalk',
  'Mülheim',
] as const;
export type Stadtbezirk = (typeof stadtbezirke)[number];
export interface Stadtteil {
  number: number;
  name: string;
  bezirk: Stadtbezirk;
}

const byBezirk: Array<[Stadtbezirk, string[]]> = [
  ['Innenstadt', ['Altstadt-Süd', 'Neustadt-Süd', 'Altstadt-Nord', 'Neustadt-Nord', 'Deutz']],
  [
    'Rodenkirchen',
    [
      'Bayenthal',
      'Marienburg',
      'Raderberg',
      'Raderthal',
      'Zollstock',
      'Rondorf',
      'Hahnwald',
      'Rodenkirchen',
      'Weiß',
      'Sürth',
      'Godorf',
      'Immendorf',
      'Meschenich',
    ],
  ],
  [
    'Lindenthal',
    [
      'Klettenberg',
      'Sülz',
      'Lindenthal',
      'Braunsfeld',
      'Müngersdorf',
      'Junkersdorf',
      'Weiden',
      'Lövenich',
      'Widdersdorf',
    ],
  ],
  ['Ehrenfeld', ['Ehrenfeld', 'Neuehrenfeld', 'Bickendorf', 'Vogelsang', 'Bocklemünd/Mengenich', 'Ossendorf']],
  ['Nippes', ['Nippes', 'Mauenheim', 'Riehl', 'Niehl', 'Weidenpesch', 'Longerich', 'Bilderstöckchen']],
  [
    'Chorweiler',
    [
      'Merkenich',
      'Fühlingen',
      'Seeberg',
      'Heimersdorf',
      'Lindweiler',
      'Pesch',
      'Esch/Auweiler',
      'Volkhoven/Weiler',
      'Chorweiler',
      'Blumenberg',
      'Roggendorf/Thenhoven',
      'Worringen',
    ],
  ],
  [
    'Porz',
    [
      'Poll',
      'Westhoven',
      'Ensen',
      'Gremberghoven',
      'Eil',
      'Porz',
      'Urbach',
      'Elsdorf',
      'Grengel',
      'Wahnheide',
      'Wahn',
      'Lind',
      'Libur',
      'Zündorf',
      'Langel',
      'Finkenberg',
    ],
  ],
  [
    'Kalk',
    ['Humboldt/Gremberg', 'Kalk', 'Vingst', 'Höhenberg', 'Ostheim', 'Merheim', 'Brück', 'Rath/Heumar', 'Neubrück'],
  ],
  [
    'Mülheim',
    ['Mülheim', 'Buchforst', 'Buchheim', 'Holweide', 'Dellbrück', 'Höhenhaus', 'Dünnwald', 'Stammheim', 'Flittard'],
  ],
];

/** All Stadtteile in official order (101 Altstadt-Süd … 909 Flittard). */
export const stadtteile: readonly Stadtteil[] = byBezirk.flatMap(([bezirk, names], b) =>
  names.map((name, i) => ({ number: (b + 1) * 100 + i + 1, name, bezirk })),
);

export const stadtteilNames = stadtteile.map((s) => s.name) as [string, ...string[]];

/** The Stadtbezirk of a Stadtteil, or undefined for a name that is not one. */
export function bezirkOf(name: string): Stadtbezirk | undefined {
  return stadtteile.find((s) => s.name === name)?.bezirk;
}

/** Postal codes within the city of Cologne. */
export const colognePostalCodes: ReadonlySet<string> = new Set([
  '50667',
  '50668',
  '50670',
  '50672',
  '50674',
  '50676',
  '50677',
  '50678',
  '50679',
  '50733',
  '50735',
  '50737',
  '50739',
  '50765',
  '50767',
  '50769',
  '50823',
  '50825',
  '50827',
  '50829',
  '50858',
  '50859',
  '50931',
  '50933',
  '50935',
  '50937',
  '50939',
  '50968',
  '50969',
  '50996',
  '50997',
  '50999',
  '51061',
  '51063',
  '51065',
  '51067',
  '51069',
  '51103',
  '51105',
  '51107',
  '51109',
  '51143',
  '51145',
  '51147',
  '51149',
]);

export function isColognePostalCode(code: string): boolean {
  return colognePostalCodes.has(code);
}

/**
 * Whether a Stadtteil can lie in the area of a postal code (inclusive: a real address is never
 * refused; see cologne-postal.ts). Unknown codes are another field's error, not this one's.
 */
export function postalCodeFits(postalCode: string, stadtteil: string): boolean {
  const area = stadtteileByPostalCode[postalCode];
  return !area || area.streets.includes(stadtteil) || area.near.includes(stadtteil);
}

/** The Stadtteile a postal code's streets lie in, for the error message. */
export function stadtteileOf(postalCode: string): readonly string[] {
  return stadtteileByPostalCode[postalCode]?.streets ?? [];
}
