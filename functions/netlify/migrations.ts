import { migrationsFrom, type Migration } from '../storage/migrations.ts';

/**
 * The PostgreSQL migrations, built into the bundle: a Netlify Function carries only the files its
 * bundler put in, not functions/storage/migrations/ beside it. Vite reads every numbered file of
 * the folder at build time (the same files Node's migrator reads at run time), so a new migration
 * reaches Netlify with the next build and no list to keep up to date.
 */
const files = import.meta.glob<string>('../storage/migrations/postgres/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export const builtInMigrations: readonly Migration[] = migrationsFrom(files);
