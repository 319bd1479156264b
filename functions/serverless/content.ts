import carriersYaml from '#routing-file?raw';
import settingsYaml from '#settings-file?raw';
import { parseCarriers, parseSettings } from '../offers/routing.ts';

/**
 * The routing table and the site settings, built into the bundle: a Worker has no file system and
 * a Netlify Function only the files it was told to ship. Vite inlines both YAML files at build
 * time (`?raw`; astro.config.mjs points `#routing-file` and `#settings-file` at ROUTING_FILE and
 * SETTINGS_FILE, content/ by default); they are validated with the same schemas as on Node, at
 * the first request. So on these platforms the two settings count when building, not at run
 * time: change the file, build and deploy again.
 */
export function builtInContent() {
  return {
    carriers: parseCarriers(carriersYaml, 'the built-in routing table'),
    settings: parseSettings(settingsYaml, 'the built-in settings'),
  };
}
