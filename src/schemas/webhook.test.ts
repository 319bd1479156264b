import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { offerEventJsonSchema, offerEventSchema } from './webhook.ts';
import { fieldTable, fieldTableMarkers, tableCells } from '../lib/field-docs.ts';

const root = join(import.meta.dirname, '..', '..');

describe('webhook payloads', () => {
  it('docs/webhook-payload.schema.json is the schema generated from the code (run npm run schema)', () => {
    const committed = JSON.parse(readFileSync(join(root, 'docs', 'webhook-payload.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(offerEventJsonSchema())));
  });

  it("the README's field table is the one made from the field list (run npm run schema)", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const [start, end] = fieldTableMarkers;
    const committed = readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end));
    expect(tableCells(committed)).toEqual(tableCells(fieldTable()));
    expect(tableCells(committed).length).toBeGreaterThan(20);
  });

  it('rejects an event with an unknown version or missing routing', () => {
    const event = {
      type: 'offer.submitted',
      timestamp: '2026-11-28T12:00:00.000Z',
      data: { version: 1, reference: 'K7M4-QX9T', receivedAt: '2026-11-28T12:00:00.000Z', offer: {} },
    };
    const issues = offerEventSchema.safeParse(event).error!.issues.map((i) => i.path.join('.'));
    expect(issues).toContain('data.version');
    expect(issues).toContain('data.routing');
  });
});
