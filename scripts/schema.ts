// Writes docs/webhook-payload.schema.json from src/schemas/webhook.ts: `npm run schema`.
import { writeFileSync } from 'node:fs';
import { offerEventJsonSchema } from '../src/schemas/webhook.ts';

writeFileSync('docs/webhook-payload.schema.json', `${JSON.stringify(offerEventJsonSchema(), null, 2)}\n`);
console.log('docs/webhook-payload.schema.json written');
