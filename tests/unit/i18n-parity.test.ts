import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import de from '../../src/i18n/ui/de.json';
import en from '../../src/i18n/ui/en.json';
import { locales, pageIds, pageIdOfPath, routes, localeOfPath } from '../../src/i18n/routes.ts';
import { useTranslations } from '../../src/i18n/index.ts';
import { contentDir, markdownKeys } from '../support/content-files.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n parity', () => {
  it('every UI string exists in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
  });

  it.each(Object.keys(de))('UI string %s is translated with the same placeholders', (key) => {
    const german = (de as Record<string, string>)[key]!;
    const english = (en as Record<string, string>)[key]!;
    expect(english.trim()).not.toBe('');
    expect(placeholders(english)).toEqual(placeholders(german));
  });

  it('every page of the route table has a text in each language, and no text is orphaned', () => {
    for (const locale of locales) {
      expect(markdownKeys(join(contentDir, 'pages', locale))).toEqual([...pageIds].sort());
    }
  });

  it('the FAQ has the same questions in both languages', () => {
    const german = markdownKeys(join(contentDir, 'faq', 'de'));
    expect(german.length).toBeGreaterThan(5);
    expect(markdownKeys(join(contentDir, 'faq', 'en'))).toEqual(german);
  });

  it('German pages live at the root, English pages under /en/, all addresses distinct', () => {
    const all = pageIds.flatMap((id) => locales.map((l) => routes[id][l]));
    expect(new Set(all).size).toBe(all.length);
    for (const id of pageIds) {
      expect(routes[id].de.startsWith('/en/')).toBe(false);
      expect(routes[id].en.startsWith('/en/')).toBe(true);
      expect(localeOfPath(routes[id].en)).toBe('en');
      expect(localeOfPath(routes[id].de)).toBe('de');
      expect(pageIdOfPath(routes[id].en)).toBe(id);
      expect(pageIdOfPath(routes[id].de.replace(/\/$/, '') || '/')).toBe(id);
    }
  });

  it('the translator fills placeholders and refuses unknown keys', () => {
    const t = useTranslations('de');
    expect(t('a11y.statementDate', { date: '1. Januar 2027' })).toBe(
      'Diese Erklärung wurde am 1. Januar 2027 erstellt.',
    );
    expect(() => t('no.such.key' as 'nav.home')).toThrow(/Missing UI string/);
  });
});
