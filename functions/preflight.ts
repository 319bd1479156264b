import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { linkSecretProblem, loadConfig, type ServerConfig } from './config.ts';
import { loadCarriers, loadSettings } from './offers/routing.ts';
import { secretEnvName } from './delivery/webhooks.ts';
import { jsonLogger } from './lib/log.ts';
import { isExampleValue } from '../src/schemas/example-values.ts';
import { locales, routes } from '../src/i18n/routes.ts';
import type { Carrier } from '../src/schemas/carriers.ts';
import type { Settings } from '../src/schemas/settings.ts';

/**
 * The checks before the portal (or an operator command that sends mail) starts: everything that
 * would make it unsafe or dishonest, found at once and reported in ONE message, so an operator
 * fixes the whole list instead of one error per restart.
 *
 * - Always: the built privacy notice names the retention periods and the rate-limit window the
 *   site was built with (data attributes of src/components/PrivacySummary.astro). A server that
 *   runs with other values would keep data longer or shorter than the notice says: rebuild.
 * - With NODE_ENV=production: no marked example values in the settings, the routing table,
 *   MAIL_FROM or SITE_URL (mails would go to example.org), a secret for every webhook, and a
 *   real mail transport (without one, mails only land as files in DATA_DIR/mail).
 *
 * The rules are plain functions of the facts gathered below, so the tests can feed each one a
 * table of cases without files or processes.
 */

/** What one built privacy page says (both languages are checked: both are served). */
export interface BuiltNotice {
  /** The file, relative to the working folder, for the message. */
  page: string;
  /** Undefined when the page carries no data attributes (a build from before they existed). */
  offerDays?: number;
  spamDays?: number;
  rateLimit?: { limit: number; windowSeconds: number };
}

export interface StartupFacts {
  env: Record<string, string | undefined>;
  config: ServerConfig;
  settings?: { file: string; values: Settings };
  carriers?: { file: string; values: Carrier[] };
  /** The privacy pages of the build; empty when there is no build in DIST_DIR. */
  build: BuiltNotice[];
  /** The server cannot run without a build; `npm run deliver` can (a worker host may have none). */
  requireBuild: boolean;
}

export interface Finding {
  rule: string;
  message: string;
}

export interface PreflightResult {
  problems: Finding[];
  warnings: Finding[];
}

type Rule = (facts: StartupFacts) => { problems?: string[]; warnings?: string[] };

const production = (facts: StartupFacts) => facts.env.NODE_ENV === 'production';
const shorten = (value: string, max = 70) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** Every string in a parsed YAML document with its dotted path. */
function leaves(value: unknown, path: string[] = []): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path: path.join('.'), value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, String(i)]));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  }
  return [];
}

/** The built pages grouped by what they say (both languages normally say the same): value → "page, page". */
function byValue(pages: readonly BuiltNotice[], key: (page: BuiltNotice) => string | undefined): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const page of pages) {
    const value = key(page);
    if (value !== undefined) groups.set(value, [...(groups.get(value) ?? []), page.page]);
  }
  return new Map([...groups].map(([value, files]) => [value, files.join(', ')]));
}

/** A routing-table path reads better with the carrier's id than with its index. */
function carrierPath(carriers: Carrier[], path: string): string {
  const [index, ...rest] = path.split('.');
  const id = carriers[Number(index)]?.id;
  return id ? [id, ...rest].join('.') : path;
}

export const rules: Record<string, Rule> = {
  /**
   * The server needs a build (the worker command does not). A privacy page without the data
   * attributes comes from an older build, which cannot be checked.
   */
  buildPresent(facts) {
    const { distDir } = facts.config;
    if (facts.build.length === 0) {
      return facts.requireBuild
        ? { problems: [`There is no built site in ${distDir} (DIST_DIR): build it first (npm run build).`] }
        : {};
    }
    const unchecked = facts.build.filter((p) => p.offerDays === undefined || p.rateLimit === undefined);
    return {
      problems: unchecked.map(
        (p) =>
          `The built privacy notice ${p.page} does not say which retention periods and rate limit it was built with ` +
          `(an older build): rebuild the site (npm run build).`,
      ),
    };
  },

  /** The privacy notice names the periods the server keeps (src/config/retention.ts promises this check). */
  builtRetention(facts) {
    const { offerDays, spamDays } = facts.config.retention;
    const problems: string[] = [];
    for (const [built, pages] of byValue(facts.build, (p) =>
      p.offerDays === undefined || p.spamDays === undefined ? undefined : `${p.offerDays}/${p.spamDays}`,
    )) {
      const [builtOffer, builtSpam] = built.split('/').map(Number);
      const differs = [
        builtOffer !== offerDays && `RETENTION_DAYS=${builtOffer} (this process: ${offerDays})`,
        builtSpam !== spamDays && `SPAM_RETENTION_DAYS=${builtSpam} (this process: ${spamDays})`,
      ].filter(Boolean);
      if (differs.length === 0) continue;
      problems.push(
        `The built privacy notice (${pages}) was made with ${differs.join(' and ')}. ` +
          `It must name the periods the portal really keeps: rebuild the site with the settings the server runs with ` +
          `(RETENTION_DAYS=${offerDays} SPAM_RETENTION_DAYS=${spamDays} npm run build), or run with the values of the build.`,
      );
    }
    return { problems };
  },

  /**
   * The notice says how long an IP address stays in memory (the rate-limit window). A server
   * with the limiter off holds none: the notice then says more than the portal does, which breaks
   * no promise, so that is a warning. Every other difference is a problem.
   */
  builtRateLimit(facts) {
    const { limit, windowMs } = facts.config.rateLimit;
    const running = limit > 0 ? `${limit}/${windowMs / 1000}` : 'off';
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const [wasBuilt, pages] of byValue(facts.build, (p) =>
      p.rateLimit ? (p.rateLimit.limit > 0 ? `${p.rateLimit.limit}/${p.rateLimit.windowSeconds}` : 'off') : undefined,
    )) {
      if (running === wasBuilt) continue;
      if (limit === 0) {
        warnings.push(
          `RATE_LIMIT is off, but the privacy notice (${pages}) was built with RATE_LIMIT=${wasBuilt}: ` +
            `it names a time the portal holds IP addresses, and now it holds none. Rebuild with RATE_LIMIT=off to make it exact.`,
        );
      } else {
        problems.push(
          `The built privacy notice (${pages}) was made with RATE_LIMIT=${wasBuilt}, this process runs with ` +
            `RATE_LIMIT=${running}: the notice must name how long the portal holds IP addresses. ` +
            `Rebuild the site with the same setting (RATE_LIMIT=${running} npm run build), or run with RATE_LIMIT=${wasBuilt}.`,
        );
      }
    }
    return { problems, warnings };
  },

  /** Without SMTP or SendGrid, mails are only written as files: nobody would receive an offer. */
  mailTransport(facts) {
    if (!production(facts) || facts.config.mail.smtpUrl || facts.config.mail.sendgridApiKey) return {};
    return {
      problems: [
        `No mail transport: set SMTP_URL (or SENDGRID_API_KEY). Without one, mails are only written as files into ` +
          `${join(facts.config.dataDir, 'mail')} and nobody receives the offers.`,
      ],
    };
  },

  /** The sender of every mail. Its default is an example value too. */
  mailFrom(facts) {
    if (!production(facts)) return {};
    const { from } = facts.config.mail;
    if (!from.trim()) return { problems: ["MAIL_FROM is empty: set the portal's real sender address."] };
    if (!isExampleValue(from)) return {};
    return { problems: [`MAIL_FROM is an example value (${from}): set the portal's real sender address.`] };
  },

  /** The public address: canonical links, the sitemap and the origin allowed to post offers. */
  siteUrl(facts) {
    if (!production(facts) || !isExampleValue(facts.config.siteUrl)) return {};
    return {
      problems: [
        `SITE_URL is an example value (${facts.config.siteUrl}): set the public address, and build the site with it.`,
      ],
    };
  },

  /** A webhook without its secret is never sent (its jobs go to dead letter). */
  webhookSecrets(facts) {
    if (!production(facts) || !facts.carriers) return {};
    return {
      problems: facts.carriers.values
        .filter((c) => c.webhookUrl && !facts.config.webhookSecret(c.id))
        .map(
          (c) =>
            `Carrier "${c.id}" has a webhookUrl in ${facts.carriers!.file}, but ${secretEnvName(c.id)} is not set: ` +
            `set the carrier's whsec_… secret, or remove the webhookUrl.`,
        ),
    };
  },

  /**
   * The action links in mails are signed with LINK_SECRET. With DATABASE_URL every instance needs
   * the same one (no shared DATA_DIR to keep a generated one in); in any mode it must be long
   * enough. Without DATABASE_URL an unset secret is generated once into DATA_DIR.
   */
  linkSecret(facts) {
    const problem = linkSecretProblem(facts.env);
    return problem ? { problems: [problem] } : {};
  },

  /** Contact data that is still a marked example (src/schemas/example-values.ts): mails would go nowhere. */
  exampleContent(facts) {
    if (!production(facts)) return {};
    const found: string[] = [];
    if (facts.settings) {
      for (const leaf of leaves(facts.settings.values)) {
        if (isExampleValue(leaf.value)) found.push(`${facts.settings.file} ${leaf.path}: ${shorten(leaf.value)}`);
      }
    }
    if (facts.carriers) {
      for (const leaf of leaves(facts.carriers.values)) {
        if (isExampleValue(leaf.value)) {
          found.push(`${facts.carriers.file} ${carrierPath(facts.carriers.values, leaf.path)}: ${shorten(leaf.value)}`);
        }
      }
    }
    if (found.length === 0) return {};
    return {
      problems: [
        `${found.length} marked example value${found.length === 1 ? ' is' : 's are'} still in the content; replace ${found.length === 1 ? 'it' : 'them'} with the real data and rebuild:\n` +
          found.map((line) => `     ${line}`).join('\n'),
      ],
    };
  },
};

/** Runs every rule over the facts. */
export function checkStartup(facts: StartupFacts): PreflightResult {
  const result: PreflightResult = { problems: [], warnings: [] };
  for (const [rule, check] of Object.entries(rules)) {
    const { problems = [], warnings = [] } = check(facts);
    result.problems.push(...problems.map((message) => ({ rule, message })));
    result.warnings.push(...warnings.map((message) => ({ rule, message })));
  }
  return result;
}

/** Reads what the built privacy pages say (PrivacySummary.astro writes the data attributes). */
export function readBuiltNotices(distDir: string, cwd = process.cwd()): BuiltNotice[] {
  const notices: BuiltNotice[] = [];
  for (const locale of locales) {
    const file = join(distDir, 'client', routes.privacy[locale], 'index.html');
    if (!existsSync(file)) continue;
    const html = readFileSync(file, 'utf8');
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(html)?.[1];
    const number = (name: string) => {
      const raw = attribute(name);
      return raw === undefined || !/^\d+$/.test(raw) ? undefined : Number(raw);
    };
    // "30/600", or "0/0.001" for RATE_LIMIT=off (limit 0; the window does not matter then).
    const rate = /^(\d+)\/([\d.]+)$/.exec(attribute('data-rate-limit') ?? '');
    notices.push({
      page: relative(cwd, file) || file,
      offerDays: number('data-retention-offer-days'),
      spamDays: number('data-retention-spam-days'),
      rateLimit: rate ? { limit: Number(rate[1]), windowSeconds: Number(rate[2]) } : undefined,
    });
  }
  return notices;
}

/** A message from an error, without the stack: what an operator needs to read. */
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Gathers the facts from the environment and the files. A setting or file that cannot even be
 * read is a problem of its own; the other checks still run where they can.
 */
export function preflight(
  env: Record<string, string | undefined> = process.env,
  options: { requireBuild: boolean },
): PreflightResult & { config?: ServerConfig } {
  let config: ServerConfig;
  try {
    // LINK_SECRET is one rule among the others below, not an error that hides them.
    config = loadConfig(env, { checkLinkSecret: false });
  } catch (error) {
    return { problems: [{ rule: 'config', message: reason(error) }], warnings: [] };
  }
  const unreadable: Finding[] = [];
  const read = <T>(file: string, load: (file: string) => T) => {
    try {
      return { file: relative(process.cwd(), file) || file, values: load(file) };
    } catch (error) {
      unreadable.push({ rule: 'content', message: reason(error) });
      return undefined;
    }
  };
  const result = checkStartup({
    env,
    config,
    settings: read(config.settingsFile, loadSettings),
    carriers: read(config.routingFile, loadCarriers),
    build: readBuiltNotices(config.distDir),
    requireBuild: options.requireBuild,
  });
  return { problems: [...unreadable, ...result.problems], warnings: result.warnings, config };
}

/** sysexits.h EX_CONFIG; the systemd unit does not restart on it (RestartPreventExitStatus). */
export const configurationExitCode = 78;

/** The one message that lists everything wrong. */
export function formatProblems(command: string, problems: readonly Finding[], env: Record<string, string | undefined>) {
  const mode = env.NODE_ENV === 'production' ? ' (NODE_ENV=production)' : '';
  return [
    `${command} does not start: ${problems.length} problem${problems.length === 1 ? '' : 's'} in its configuration${mode}.`,
    '',
    ...problems.map((p, i) => `  ${i + 1}. ${p.message}`),
    '',
    'Settings: README.md, "Configuration"; going live: docs/deploy/README.md.',
  ].join('\n');
}

/**
 * For the entry points: returns the configuration when all is well (warnings are logged);
 * otherwise prints the one message and ends the process with exit code 78, without a stack trace.
 */
export function preflightOrExit(
  command: string,
  options: { requireBuild: boolean },
  env: Record<string, string | undefined> = process.env,
): ServerConfig {
  const result = preflight(env, options);
  // Warnings are log lines like any other (JSON on stdout), so they reach the same place.
  for (const warning of result.warnings)
    jsonLogger('preflight.warning', { rule: warning.rule, detail: warning.message });
  if (result.problems.length > 0 || !result.config) {
    console.error(formatProblems(command, result.problems, env));
    process.exit(configurationExitCode);
  }
  return result.config;
}
