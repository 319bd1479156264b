import carriersYaml from '#routing-file?raw';
import settingsYaml from '#settings-file?raw';
import campaignsYaml from '#campaigns-file?raw';
import { parseCampaigns, parseCarriers, parseSettings } from '../offers/routing.ts';

/**
 * The routing table, the site settings and the campaign codes, built into the bundle: a Worker has no file system and
 * a Netlify Function only the files it was told to ship. Vite inlines both YAML files at build
 * time (`?raw`; astro.config.mjs points `#routing-file`, `#settings-file` and `#campaigns-file` at
 * ROUTING_FILE, SETTINGS_FILE and CAMPAIGNS_FILE, content/ by default); they are validated with the same schemas as on Node, at
 * the first request. So on these platforms the three settings count when building, not at run
 * time: change the file, build and deploy again.
 */
export function builtInContent() {
  return {
    carriers: parseCarriers(carriersYaml, 'the built-in routing table'),
    settings: parseSettings(settingsYaml, 'the built-in settings'),
    campaigns: parseCampaigns(campaignsYaml, 'the built-in campaign codes'),
  };
}
