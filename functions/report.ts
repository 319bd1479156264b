import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { loadCarriers } from './offers/routing.ts';
import { parseReportArgs } from './report/args.ts';
import { renderHtml } from './report/html.ts';
import { loadFigures } from './report/load.ts';
import { renderText } from './report/text.ts';
import { openStore } from './storage/open.ts';
import { databaseFile } from './storage/sqlite.ts';

/**
 * `npm run report -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--html FILE]`: the coordinator's
 * figures for a period (both dates included; without dates the last four full weeks), as text
 * on the terminal and, with --html, as one self-contained page with charts (readable by the
 * owner only). Reads the same configuration as the portal: SQLite in DATA_DIR or DATABASE_URL.
 */
const now = new Date();
const args = parseReportArgs(process.argv.slice(2), now);
if ('error' in args) {
  console.error(args.error);
  process.exit(2);
}
const config = loadConfig();
if (!config.databaseUrl && !existsSync(databaseFile(config.dataDir))) {
  console.error(`Keine Datenbank in ${config.dataDir}: DATA_DIR oder DATABASE_URL prüfen.`);
  process.exit(2);
}
const carriers = loadCarriers(config.routingFile);
const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
let figures;
try {
  figures = await loadFigures(store, args.period, carriers);
} finally {
  await store.close();
}
process.stdout.write(renderText(figures, { generatedAt: now }));
if (args.html) {
  const file = resolve(args.html);
  writeFileSync(file, renderHtml(figures, { generatedAt: now }), { mode: 0o600 });
  // An existing file keeps its mode on write: the figures are internal, so make it private.
  chmodSync(file, 0o600);
  console.log(`\nHTML-Seite mit Diagrammen geschrieben: ${file}`);
}
