import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { offerEventJsonSchema, offerEventSchema } from './webhook.ts';

describe('offer.submitted payload', () => {
  it('docs/webhook-payload.schema.json is the schema generated from the code (run npm run schema)', () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'webhook-payload.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(offerEventJsonSchema())));
  });

  it('rejects an event with an unknown version or missing routing', () => {
    const event = {
      type: 'offer.submitted',
      timestamp: '2026-11-28T12:00:00.000Z',
      data: { version: 2, reference: 'K7M4-QX9T', receivedAt: '2026-11-28T12:00:00.000Z', offer: {} },
    };
    const issues = offerEventSchema.safeParse(event).error!.issues.map((i) => i.path.join('.'));
    expect(issues).toContain('data.version');
    expect(issues).toContain('data.routing');
  });
});
