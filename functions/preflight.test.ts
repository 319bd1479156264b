import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { loadCarriers, loadSettings } from './offers/routing.ts';
import { checkStartup, formatProblems, readBuiltNotices, type BuiltNotice, type StartupFacts } from './preflight.ts';
import { isExampleValue } from '../src/schemas/example-values.ts';
import type { Carrier } from '../src/schemas/carriers.ts';
import type { Settings } from '../src/schemas/settings.ts';

/** The shipped content with every marked example value replaced: what a city would deploy. */
function withoutExamples<T>(value: T): T {
  if (typeof value === 'string')
    return (
      isExampleValue(value)
        ? value
            .replace(/example\.org/g, 'stadt-koeln.de')
            .replace(/Beispielwert: |Example value: |Musterstraße|X{3,}/g, 'Echt')
        : value
    ) as T;
  if (Array.isArray(value)) return value.map(withoutExamples) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutExamples(v)])) as T;
  }
  return value;
}

const shippedSettings = loadSettings('content/settings.yaml');
const shippedCarriers = loadCarriers('content/carriers.yaml');
const realSettings = withoutExamples(shippedSettings);
const realCarriers = withoutExamples(shippedCarriers);
const page = (overrides: Partial<BuiltNotice> = {}): BuiltNotice => ({
  page: 'dist/client/datenschutz/index.html',
  offerDays: 90,
  spamDays: 14,
  rateLimit: { limit: 30, windowSeconds: 600 },
  ...overrides,
});
/** What production needs besides the content: a transport, a sender, the public address. */
const productionEnv = {
  NODE_ENV: 'production',
  SMTP_URL: 'smtp://mail.stadt-koeln.de:587',
  MAIL_FROM: 'Wohnraum für Geflüchtete <portal@stadt-koeln.de>',
  SITE_URL: 'https://wohnraum.stadt-koeln.de',
};

const without = (env: Record<string, string>, name: string) =>
  Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));

interface Case {
  name: string;
  env?: Record<string, string>;
  settings?: Settings;
  carriers?: Carrier[];
  build?: BuiltNotice[];
  requireBuild?: boolean;
  /** rule → a pattern for each problem it must report (in order); rules not named report none. */
  problems?: Record<string, RegExp[]>;
  warnings?: Record<string, RegExp[]>;
}

function facts(c: Case): StartupFacts {
  const env = c.env ?? {};
  return {
    env,
    config: loadConfig(env, { checkLinkSecret: false }),
    settings: { file: 'content/settings.yaml', values: c.settings ?? realSettings },
    carriers: { file: 'content/carriers.yaml', values: c.carriers ?? realCarriers },
    build: c.build ?? [page(), page({ page: 'dist/client/en/privacy/index.html' })],
    requireBuild: c.requireBuild ?? true,
  };
}

const withWebhook = realCarriers.map((c) =>
  c.id === 'caritas' ? { ...c, webhookUrl: 'https://caritas.stadt-koeln.de/hook' } : c,
);

const cases: Case[] = [
  { name: 'a developer machine: defaults, shipped example content, a matching build' },
  { name: 'development tolerates example content', settings: shippedSettings, carriers: shippedCarriers },
  { name: 'production with real content, transport, sender and address', env: productionEnv },
  {
    name: 'production with the shipped example settings',
    env: productionEnv,
    settings: shippedSettings,
    problems: {
      exampleContent: [
        /24 marked example values .*\n.*content\/settings\.yaml coordinator\.email: auszugsmanagement@example\.org/,
      ],
    },
  },
  {
    name: 'production with an example carrier address, named by carrier id',
    env: productionEnv,
    carriers: realCarriers.map((c) => (c.id === 'drk' ? { ...c, email: 'drk@example.org' } : c)),
    problems: {
      exampleContent: [/1 marked example value is .*\n\s+content\/carriers\.yaml drk\.email: drk@example\.org$/],
    },
  },
  {
    name: 'production with the default MAIL_FROM (an example value)',
    env: without(productionEnv, 'MAIL_FROM'),
    problems: { mailFrom: [/MAIL_FROM is an example value \(.*portal@auszugsmanagement\.example\.org>\)/] },
  },
  {
    name: 'production with an empty MAIL_FROM',
    env: { ...productionEnv, MAIL_FROM: ' ' },
    problems: { mailFrom: [/MAIL_FROM is empty/] },
  },
  {
    name: 'production with the default SITE_URL',
    env: without(productionEnv, 'SITE_URL'),
    problems: { siteUrl: [/SITE_URL is an example value \(https:\/\/auszugsmanagement\.example\.org\)/] },
  },
  {
    name: 'production on PostgreSQL without LINK_SECRET',
    env: { ...productionEnv, DATABASE_URL: 'postgres://portal@db.stadt-koeln.de/portal' },
    problems: { linkSecret: [/LINK_SECRET must be set with DATABASE_URL/] },
  },
  {
    name: 'production on PostgreSQL with LINK_SECRET',
    env: { ...productionEnv, DATABASE_URL: 'postgres://portal@db.stadt-koeln.de/portal', LINK_SECRET: 'x'.repeat(32) },
  },
  {
    name: 'a LINK_SECRET that is too short, in any mode',
    env: { LINK_SECRET: 'x'.repeat(31) },
    problems: { linkSecret: [/LINK_SECRET must be at least 32 characters/] },
  },
  {
    name: 'production with a webhook but no secret',
    env: productionEnv,
    carriers: withWebhook,
    problems: { webhookSecrets: [/"caritas" has a webhookUrl .* WEBHOOK_SECRET_CARITAS is not set/] },
  },
  {
    name: 'production with a webhook and its secret',
    env: { ...productionEnv, WEBHOOK_SECRET_CARITAS: 'whsec_c2VjcmV0' },
    carriers: withWebhook,
  },
  {
    name: 'a webhook without secret outside production (its jobs go to dead letter, visibly)',
    carriers: withWebhook,
  },
  {
    name: 'production without a mail transport',
    env: without(productionEnv, 'SMTP_URL'),
    problems: { mailTransport: [/No mail transport: set SMTP_URL \(or SENDGRID_API_KEY\)/] },
  },
  {
    name: 'production with SendGrid as transport',
    env: { ...without(productionEnv, 'SMTP_URL'), SENDGRID_API_KEY: 'SG.x' },
  },
  {
    name: 'any mode: the build names another RETENTION_DAYS',
    env: { RETENTION_DAYS: '30' },
    problems: {
      builtRetention: [
        /privacy notice \(dist\/client\/datenschutz\/index\.html, dist\/client\/en\/privacy\/index\.html\) was made with RETENTION_DAYS=90 \(this process: 30\)\. .*rebuild .*RETENTION_DAYS=30 SPAM_RETENTION_DAYS=14 npm run build/,
      ],
    },
  },
  {
    name: 'any mode: the build names another SPAM_RETENTION_DAYS (in one language only)',
    env: { ...productionEnv, SPAM_RETENTION_DAYS: '7' },
    build: [page({ spamDays: 7 }), page({ page: 'dist/client/en/privacy/index.html' })],
    problems: {
      builtRetention: [
        /\(dist\/client\/en\/privacy\/index\.html\) was made with SPAM_RETENTION_DAYS=14 \(this process: 7\)/,
      ],
    },
  },
  {
    name: 'any mode: the build names another rate-limit window',
    env: { RATE_LIMIT: '30/3600' },
    problems: { builtRateLimit: [/made with RATE_LIMIT=30\/600, this process runs with RATE_LIMIT=30\/3600.*Rebuild/] },
  },
  {
    name: 'the limiter on while the build says it is off',
    build: [page({ rateLimit: { limit: 0, windowSeconds: 0.001 } })],
    problems: { builtRateLimit: [/made with RATE_LIMIT=off, this process runs with RATE_LIMIT=30\/600/] },
  },
  {
    name: 'the limiter off while the build names a window: the notice says more than the portal does (a warning)',
    env: { RATE_LIMIT: 'off' },
    warnings: { builtRateLimit: [/RATE_LIMIT is off, but the privacy notice .* was built with RATE_LIMIT=30\/600/] },
  },
  {
    name: 'the limiter off in both',
    env: { RATE_LIMIT: 'off' },
    build: [page({ rateLimit: { limit: 0, windowSeconds: 0.001 } })],
  },
  {
    name: 'the server without a build',
    build: [],
    problems: { buildPresent: [/There is no built site in .*dist \(DIST_DIR\): build it first/] },
  },
  { name: 'npm run deliver on a host without a build', build: [], requireBuild: false },
  {
    name: 'a build from before the data attributes',
    build: [{ page: 'dist/client/datenschutz/index.html' }],
    problems: { buildPresent: [/does not say which retention periods .* rebuild the site/] },
  },
];

describe('preflight: the rules, one case each', () => {
  it.each(cases)('$name', (c) => {
    const result = checkStartup(facts(c));
    const grouped = (list: Array<{ rule: string; message: string }>) =>
      list.reduce<Record<string, string[]>>(
        (all, f) => ({ ...all, [f.rule]: [...(all[f.rule] ?? []), f.message] }),
        {},
      );
    const problems = grouped(result.problems);
    const warnings = grouped(result.warnings);
    expect(Object.keys(problems).sort()).toEqual(Object.keys(c.problems ?? {}).sort());
    expect(Object.keys(warnings).sort()).toEqual(Object.keys(c.warnings ?? {}).sort());
    for (const [rule, patterns] of Object.entries(c.problems ?? {})) {
      expect(problems[rule]).toHaveLength(patterns.length);
      patterns.forEach((pattern, i) => expect(problems[rule]![i]).toMatch(pattern));
    }
    for (const [rule, patterns] of Object.entries(c.warnings ?? {})) {
      expect(warnings[rule]).toHaveLength(patterns.length);
      patterns.forEach((pattern, i) => expect(warnings[rule]![i]).toMatch(pattern));
    }
  });

  it('reports everything wrong at once, numbered, in one message', () => {
    const env = { NODE_ENV: 'production', RETENTION_DAYS: '30', DATABASE_URL: 'postgres://portal@db/portal' };
    const result = checkStartup(facts({ name: 'all wrong', env, settings: shippedSettings, carriers: withWebhook }));
    expect(result.problems.map((p) => p.rule)).toEqual([
      'builtRetention',
      'mailTransport',
      'mailFrom',
      'siteUrl',
      'webhookSecrets',
      'linkSecret',
      'exampleContent',
    ]);
    const message = formatProblems('The portal', result.problems, env);
    expect(message).toMatch(/^The portal does not start: 7 problems in its configuration \(NODE_ENV=production\)\.\n/);
    expect(message).toMatch(/\n {2}1\. The built privacy notice/);
    expect(message).toMatch(/\n {2}7\. 24 marked example values/);
    expect(message).not.toMatch(/\n\s+at /);
  });
});

describe('preflight: what the build says', () => {
  it('reads the data attributes of both privacy pages, and nothing where there is no build', () => {
    const dist = mkdtempSync(join(tmpdir(), 'preflight-'));
    const write = (path: string, html: string) => {
      mkdirSync(join(dist, 'client', path), { recursive: true });
      writeFileSync(join(dist, 'client', path, 'index.html'), html);
    };
    expect(readBuiltNotices(dist, dist)).toEqual([]);
    // As PrivacySummary.astro renders them (Astro writes attributes in source order).
    write(
      'datenschutz',
      '<dl class="card" data-retention-offer-days="30" data-retention-spam-days="7" data-rate-limit="5/60">',
    );
    write('en/privacy', '<dl data-retention-offer-days="30" data-retention-spam-days="7" data-rate-limit="0/0.001">');
    expect(readBuiltNotices(dist, dist)).toEqual([
      { page: 'client/datenschutz/index.html', offerDays: 30, spamDays: 7, rateLimit: { limit: 5, windowSeconds: 60 } },
      {
        page: 'client/en/privacy/index.html',
        offerDays: 30,
        spamDays: 7,
        rateLimit: { limit: 0, windowSeconds: 0.001 },
      },
    ]);
    write('datenschutz', '<dl class="card">');
    expect(readBuiltNotices(dist, dist)[0]).toEqual({ page: 'client/datenschutz/index.html' });
  });
});
