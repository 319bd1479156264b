import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { backupSqlite, databaseFile } from './storage/sqlite.ts';

/**
 * `npm run backup -- FILE`: a consistent copy of the live SQLite database while the portal runs
 * (SQLite's online backup), readable by the owner only. Copying the data folder by hand is not
 * consistent while the WAL is in use. PostgreSQL is backed up with its own tools (docs/deploy/).
 */
const config = loadConfig(process.env, { checkLinkSecret: false });
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- FILE   (e.g. npm run backup -- /backup/offers-2027-01-01.sqlite)');
  process.exit(2);
}
if (config.databaseUrl) {
  console.error('DATABASE_URL is set: back up PostgreSQL with pg_dump (see docs/deploy/).');
  process.exit(2);
}
if (!existsSync(databaseFile(config.dataDir))) {
  console.error(`no database in ${config.dataDir}`);
  process.exit(2);
}
const file = resolve(target);
if (existsSync(file)) {
  console.error(`${file} exists already: choose a new file name`);
  process.exit(2);
}
const pages = await backupSqlite(config.dataDir, file);
console.log(`backup: ${pages} pages of ${databaseFile(config.dataDir)} copied to ${file}.`);
