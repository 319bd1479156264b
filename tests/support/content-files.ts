import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';

export const root = join(import.meta.dirname, '..', '..');
export const contentDir = join(root, 'content');
/** The static part of the build (what the server serves as files); on-demand routes are in dist/server. */
export const distDir = join(root, 'dist', 'client');

/** Frontmatter and body of a Markdown file, split the way Astro's glob loader does. */
export function readMarkdown(path: string): { data: unknown; body: string } {
  const text = readFileSync(path, 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${path} has no frontmatter`);
  return { data: parseYaml(match[1]!), body: match[2]! };
}

export function readYaml(path: string): unknown {
  return parseYaml(readFileSync(path, 'utf8'));
}

/** File names (without .md) in a content folder, or [] if it does not exist. */
export function markdownKeys(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .map((f) => f.slice(0, -3))
        .sort()
    : [];
}

/** All files below a folder, relative paths. */
export function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/**
 * A copy of the shipped routing table (content/carriers.yaml) into `dir`, with every carrier's
 * webhook pointing at `receiverUrl`/<id>: for tests that need webhooks a real receiver gets.
 * Returns the file's path (for ROUTING_FILE) and the carrier ids.
 */
export function routingWithWebhooks(dir: string, receiverUrl: string): { file: string; ids: string[] } {
  const carriers = (readYaml(join(contentDir, 'carriers.yaml')) as Array<{ id: string }>).map((c) => ({
    ...c,
    webhookUrl: `${receiverUrl}/${c.id}`,
  }));
  const file = join(dir, 'carriers.yaml');
  writeFileSync(file, stringify(carriers));
  return { file, ids: carriers.map((c) => c.id) };
}
