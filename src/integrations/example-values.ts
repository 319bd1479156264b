import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AstroIntegration } from 'astro';
import { isExampleValue } from '../schemas/example-values.ts';

/** Every line in `content/` that still carries an example value, as `file:line: text`. */
export function listExampleValues(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ya?ml|md|json)$/.test(name)) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (!line.trimStart().startsWith('#') && isExampleValue(line)) {
              found.push(`${relative(process.cwd(), path)}:${i + 1}: ${line.trim()}`);
            }
          });
      }
    }
  };
  walk(root);
  return found;
}

/**
 * Prints, after each build, every example value that is still in `content/`: the list the city
 * works through before going live.
 */
export function exampleValueReport(): AstroIntegration {
  return {
    name: 'example-value-report',
    hooks: {
      'astro:build:done': ({ logger }) => {
        const found = listExampleValues(join(process.cwd(), 'content'));
        if (found.length === 0) {
          logger.info('No example values left in content/.');
          return;
        }
        logger.warn(
          `${found.length} example values are still in use; replace them before going live:\n  ${found.join('\n  ')}`,
        );
      },
    },
  };
}
