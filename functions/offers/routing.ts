import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { carriersSchema, type Carrier } from '../../src/schemas/carriers.ts';
import { settingsSchema, type Settings } from '../../src/schemas/settings.ts';
import { bezirkOf } from '../../src/data/cologne.ts';
import type { DeliveryTarget } from '../storage/types.ts';

/**
 * Who receives an offer. The Stadtteil gives the Stadtbezirk, the routing table
 * (`content/carriers.yaml`, or ROUTING_FILE) gives the carrier for it. The coordinator receives
 * every offer; an offer without a carrier goes to the coordinator alone.
 */
export interface RoutingDecision {
  stadtbezirk?: string;
  carrier?: Carrier;
  /** A sentence for the recipients and the record: why this carrier (or none). */
  reason: string;
  deliveries: DeliveryTarget[];
}

export interface Router {
  route(offer: { stadtteil: string; email: string }): RoutingDecision;
}

/** Reads and validates a routing table; a broken table stops the server at start, not at the first offer. */
export function loadCarriers(file: string): Carrier[] {
  return parseCarriers(readFileSync(file, 'utf8'), file);
}

export function loadSettings(file: string): Settings {
  return parseSettings(readFileSync(file, 'utf8'), file);
}

/** The routing table from its YAML text (platforms without files get the text built in). */
export function parseCarriers(text: string, source: string): Carrier[] {
  const result = carriersSchema.safeParse(parseYaml(text));
  if (!result.success) {
    throw new Error(
      `Routing table ${source} is invalid:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return result.data;
}

export function parseSettings(text: string, source: string): Settings {
  const result = settingsSchema.safeParse(parseYaml(text));
  if (!result.success) {
    throw new Error(
      `Settings ${source} are invalid:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return result.data;
}

export function createRouter(carriers: Carrier[], coordinatorEmail: string): Router {
  return {
    route({ stadtteil, email }) {
      const stadtbezirk = bezirkOf(stadtteil);
      const carrier = stadtbezirk
        ? carriers.find((c) => (c.stadtbezirke as string[]).includes(stadtbezirk))
        : undefined;
      const deliveries: DeliveryTarget[] = [
        { channel: 'email', recipientKind: 'coordinator', recipientId: 'coordinator', target: coordinatorEmail },
        { channel: 'email', recipientKind: 'landlord', recipientId: 'landlord', target: email },
      ];
      if (carrier) {
        deliveries.push({ channel: 'email', recipientKind: 'carrier', recipientId: carrier.id, target: carrier.email });
        if (carrier.webhookUrl) {
          deliveries.push({
            channel: 'webhook',
            recipientKind: 'carrier',
            recipientId: carrier.id,
            target: carrier.webhookUrl,
          });
        }
      }
      const reason = carrier
        ? `Stadtteil ${stadtteil} liegt im Stadtbezirk ${stadtbezirk}; laut Routing-Tabelle ist ${carrier.name} für ${stadtbezirk} zuständig.`
        : stadtbezirk
          ? `Stadtteil ${stadtteil} liegt im Stadtbezirk ${stadtbezirk}; dafür ist in der Routing-Tabelle kein Träger eingetragen. Das Angebot geht nur an die Koordinierungsstelle.`
          : `Stadtteil ${stadtteil} ist keinem Stadtbezirk zugeordnet. Das Angebot geht nur an die Koordinierungsstelle.`;
      return { stadtbezirk, carrier, reason, deliveries };
    },
  };
}
