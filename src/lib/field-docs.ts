import { submittedEventJsonSchema } from '../schemas/webhook.ts';
import { inputFields, offerFields, repeatedToSender, type OfferField } from '../schemas/offer-fields.ts';
import { useTranslations } from '../i18n/index.ts';

/**
 * The README's table of the offer's fields, made from the field list and the JSON Schema of the
 * webhook payload (npm run schema writes it between the markers; a test keeps it in sync).
 */
export const fieldTableMarkers = ['<!-- offer-fields:start -->', '<!-- offer-fields:end -->'] as const;

interface JsonProperty {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  anyOf?: JsonProperty[];
}

function describeType(p: JsonProperty | undefined): string {
  if (!p) return '';
  if (p.anyOf) return p.anyOf.map(describeType).filter(Boolean).join(' or ');
  if (p.enum && p.enum.length > 8) return `one of ${p.enum.length} names (src/data/cologne.ts)`;
  if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (p.const !== undefined) return `\`${JSON.stringify(p.const)}\``;
  const parts = [String(p.type ?? '')];
  if (p.format) parts.push(p.format);
  if (p.maxLength !== undefined) parts.push(`≤ ${p.maxLength} chars`);
  if (p.exclusiveMinimum !== undefined) parts.push(`> ${p.exclusiveMinimum}`);
  if (p.minimum !== undefined) parts.push(`≥ ${p.minimum}`);
  if (p.maximum !== undefined) parts.push(`≤ ${p.maximum}`);
  return parts.filter(Boolean).join(', ');
}

export function fieldTable(fields: readonly OfferField[] = offerFields): string {
  const schema = submittedEventJsonSchema(fields) as unknown as {
    properties: { data: { properties: { offer: { properties: Record<string, JsonProperty>; required: string[] } } } };
  };
  const offer = schema.properties.data.properties.offer;
  const t = useTranslations('en');
  const rows = inputFields(fields).map((f) => {
    const p = offer.properties[f.name];
    const type = describeType(p);
    return `| \`${f.name}\` | ${f.section} | ${t(`offer.${f.name}.summary`)} | ${type} | ${offer.required.includes(f.name) ? 'yes' : 'no'} | ${repeatedToSender(f) ? 'yes' : 'no'} |`;
  });
  const meta = ['submissionId', 'locale'].map(
    (name) => `| \`${name}\` | (form) | | ${describeType(offer.properties[name])} | yes | no |`,
  );
  return [
    '| field | section | in words | JSON type and limits | required | repeated to the landlord |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...meta,
  ].join('\n');
}

/** The README with its field table replaced. */
export function withFieldTable(readme: string, table = fieldTable()): string {
  const [start, end] = fieldTableMarkers;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${readme.slice(0, from + start.length)}\n\n${table}\n\n${readme.slice(to)}`;
}

/** A Markdown table's cells, whatever padding a formatter gave it: for comparing tables. */
export function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => (/^\s*-+\s*$/.test(cell) ? '---' : cell.trim())),
    );
}
