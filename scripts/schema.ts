// `npm run schema`: writes what is generated from the offer's field list (src/schemas/offer-fields.ts):
// docs/webhook-payload.schema.json and the README's field table. Tests fail when either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { offerEventJsonSchema } from '../src/schemas/webhook.ts';
import { withFieldTable } from '../src/lib/field-docs.ts';

writeFileSync('docs/webhook-payload.schema.json', `${JSON.stringify(offerEventJsonSchema(), null, 2)}\n`);
writeFileSync('README.md', withFieldTable(readFileSync('README.md', 'utf8')));
console.log('docs/webhook-payload.schema.json and the field table in README.md written');
