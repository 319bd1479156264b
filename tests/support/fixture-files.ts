import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { contentDir, readYaml } from './content-files.ts';
import { tempDataDir } from './offers.ts';

/**
 * Copies of content/ files with one thing changed, for a portal under test (SETTINGS_FILE,
 * CAMPAIGNS_FILE, ROUTING_FILE point at them). The shipped files stay as the city edits them.
 */
function write(name: string, data: unknown): string {
  const file = join(tempDataDir(), name);
  writeFileSync(file, stringify(data));
  return file;
}

/**
 * Sample rent limits, published (not the city's values): 1 person 600 €, 2 people 700 €,
 * 3 people 800 €, each further person 100 € more.
 */
export const sampleRentLimits = {
  published: true,
  validFrom: '2027-01-01',
  source: 'Testquelle Mietobergrenzen',
  rows: [
    { persons: 1, maxLivingSpace: 50, maxGrossColdRent: 600 },
    { persons: 2, maxLivingSpace: 65, maxGrossColdRent: 700 },
    { persons: 3, maxLivingSpace: 80, maxGrossColdRent: 800 },
  ],
  perFurtherPerson: { livingSpace: 15, grossColdRent: 100 },
};

/** content/settings.yaml with these rent limits. */
export function settingsFileWith(rentLimits: typeof sampleRentLimits): string {
  const settings = readYaml(join(contentDir, 'settings.yaml')) as Record<string, unknown>;
  return write('settings.yaml', { ...settings, rentLimits });
}

/** A list of campaign codes. */
export function campaignsFileWith(campaigns: Array<{ code: string; label: string; stadtbezirk?: string }>): string {
  return write('campaigns.yaml', campaigns);
}

/** content/carriers.yaml with a webhook address for one carrier. */
export function routingFileWithWebhook(carrierId: string, webhookUrl: string): string {
  const carriers = readYaml(join(contentDir, 'carriers.yaml')) as Array<Record<string, unknown>>;
  return write(
    'carriers.yaml',
    carriers.map((c) => (c.id === carrierId ? { ...c, webhookUrl } : c)),
  );
}
