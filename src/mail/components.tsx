import { Fragment, type CSSProperties, type ReactNode } from 'react';
import type { Group } from './format.ts';
import { fill } from './strings.ts';

/**
 * Building blocks of the HTML mails. Mail clients need inline styles, no stylesheet. Every
 * element that sets a text colour also sets its background colour and the other way round, so
 * that clients that recolour for dark mode keep readable pairs. No images, no web fonts.
 */
export const fontStack = '-apple-system, BlinkMacSystemFont, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';
const monoStack = 'ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, monospace';

/** Colour pairs (text on background), each at least 7:1. */
export const colors = {
  page: { color: '#1f2328', backgroundColor: '#f2f3f5' },
  card: { color: '#1f2328', backgroundColor: '#ffffff' },
  muted: { color: '#4a5058', backgroundColor: '#ffffff' },
  link: { color: '#0b4a8b', backgroundColor: '#ffffff' },
  label: { color: '#1f2328', backgroundColor: '#f5f6f8' },
  info: { color: '#0f2a47', backgroundColor: '#e8f1fb' },
  infoLink: { color: '#0a3f78', backgroundColor: '#e8f1fb' },
  warn: { color: '#4a2800', backgroundColor: '#fff3dd' },
  reference: { color: '#10161d', backgroundColor: '#eef1f4' },
} as const satisfies Record<string, { color: string; backgroundColor: string }>;
type Pair = (typeof colors)[keyof typeof colors];

const text: CSSProperties = { fontFamily: fontStack, fontSize: '16px', lineHeight: '1.5' };

export function Layout({
  lang,
  title,
  preheader,
  children,
}: {
  lang: 'de' | 'en';
  title: string;
  preheader: string;
  children: ReactNode;
}) {
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <meta name="x-apple-disable-message-reformatting" />
        <meta name="format-detection" content="telephone=no, date=no, address=no, email=no" />
        <title>{title}</title>
      </head>
      <body style={{ margin: 0, padding: 0, width: '100%', ...colors.page, ...text }}>
        {/* Preview text in the inbox list; not shown in the mail itself. */}
        <div
          style={{ display: 'none', maxHeight: 0, overflow: 'hidden', opacity: 0, fontSize: '1px', lineHeight: '1px' }}
        >
          {preheader}
        </div>
        <table
          role="presentation"
          width="100%"
          cellPadding={0}
          cellSpacing={0}
          border={0}
          style={{ width: '100%', borderCollapse: 'collapse', ...colors.page }}
        >
          <tbody>
            <tr>
              <td align="center" style={{ padding: '16px 8px', ...colors.page }}>
                <table
                  role="presentation"
                  width="100%"
                  cellPadding={0}
                  cellSpacing={0}
                  border={0}
                  style={{
                    width: '100%',
                    maxWidth: '640px',
                    borderCollapse: 'collapse',
                    borderRadius: '6px',
                    ...colors.card,
                  }}
                >
                  <tbody>
                    <tr>
                      <td style={{ padding: '24px 20px', textAlign: 'left', ...colors.card, ...text }}>{children}</td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

export function H1({ children }: { children: ReactNode }) {
  return (
    <h1
      style={{
        margin: '0 0 16px',
        fontFamily: fontStack,
        fontSize: '24px',
        lineHeight: '1.3',
        fontWeight: 700,
        ...colors.card,
      }}
    >
      {children}
    </h1>
  );
}

export function H2({ children, pair = colors.card }: { children: ReactNode; pair?: Pair }) {
  return (
    <h2
      style={{
        margin: '28px 0 8px',
        fontFamily: fontStack,
        fontSize: '19px',
        lineHeight: '1.3',
        fontWeight: 700,
        ...pair,
      }}
    >
      {children}
    </h2>
  );
}

export function P({
  children,
  pair = colors.card,
  spaced = false,
}: {
  children: ReactNode;
  pair?: Pair;
  spaced?: boolean;
}) {
  return <p style={{ margin: spaced ? '24px 0 12px' : '0 0 12px', ...text, ...pair }}>{children}</p>;
}

/** Keeps a short value (a reference number) on one line. */
export function NoWrap({ children }: { children: ReactNode }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}

export function A({ href, children, pair = colors.link }: { href: string; children: ReactNode; pair?: Pair }) {
  return (
    <a href={href} style={{ textDecoration: 'underline', overflowWrap: 'anywhere', ...pair }}>
      {children}
    </a>
  );
}

/** A tinted box with a bold heading line ("Warum an Sie?") or just a sentence. */
export function Box({
  title,
  children,
  tone = 'info',
}: {
  title?: string;
  children: ReactNode;
  tone?: 'info' | 'warn';
}) {
  const pair = tone === 'warn' ? colors.warn : colors.info;
  const border = tone === 'warn' ? '#b45309' : '#2563a8';
  return (
    <div
      style={{
        margin: '16px 0',
        padding: '12px 16px',
        borderLeft: `4px solid ${border}`,
        borderRadius: '4px',
        ...pair,
        ...text,
      }}
    >
      {title ? <p style={{ margin: '0 0 4px', fontWeight: 700, ...text, ...pair }}>{title}</p> : null}
      <p style={{ margin: 0, ...text, ...pair }}>{children}</p>
    </div>
  );
}

/** The reference number, large and easy to copy. */
export function Reference({ label, reference, hint }: { label: string; reference: string; hint: string }) {
  return (
    <div
      style={{
        margin: '20px 0',
        padding: '16px',
        borderRadius: '6px',
        border: '1px solid #8a939e',
        ...colors.reference,
        ...text,
      }}
    >
      <p style={{ margin: 0, fontWeight: 700, ...text, ...colors.reference }}>{label}</p>
      <p
        style={{
          margin: '4px 0 8px',
          fontFamily: monoStack,
          fontSize: '28px',
          lineHeight: '1.2',
          fontWeight: 700,
          letterSpacing: '2px',
          ...colors.reference,
        }}
      >
        {reference}
      </p>
      <p style={{ margin: 0, ...text, fontSize: '14px', ...colors.reference }}>{hint}</p>
    </div>
  );
}

/** The offer as one two-column table per group: label (th scope="row") and value. */
export function OfferTables({ groups }: { groups: Group[] }) {
  return (
    <>
      {groups.map((group) => (
        <div key={group.title}>
          <H2>{group.title}</H2>
          <table
            width="100%"
            cellPadding={0}
            cellSpacing={0}
            border={0}
            style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed', ...colors.card, ...text }}
          >
            <tbody>
              {group.rows.map((row) => (
                <tr key={row.label}>
                  <th
                    scope="row"
                    style={{
                      width: '42%',
                      padding: '8px 10px',
                      textAlign: 'left',
                      verticalAlign: 'top',
                      fontWeight: 600,
                      borderBottom: '1px solid #d5d9de',
                      overflowWrap: 'break-word',
                      hyphens: 'auto',
                      ...text,
                      ...colors.label,
                    }}
                  >
                    {row.label}
                  </th>
                  <td
                    style={{
                      padding: '8px 10px',
                      verticalAlign: 'top',
                      borderBottom: '1px solid #d5d9de',
                      overflowWrap: 'break-word',
                      hyphens: 'auto',
                      ...(row.multiline ? { whiteSpace: 'pre-line' } : {}),
                      ...(row.nowrap ? { whiteSpace: 'nowrap' } : {}),
                      ...text,
                      ...(row.empty ? colors.muted : colors.card),
                    }}
                  >
                    {row.href ? <A href={row.href}>{row.value}</A> : row.value}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}

export function Footer({ children }: { children: ReactNode }) {
  return (
    <p
      style={{
        margin: '32px 0 0',
        paddingTop: '12px',
        borderTop: '1px solid #d5d9de',
        ...text,
        fontSize: '13px',
        ...colors.muted,
      }}
    >
      {children}
    </p>
  );
}

/** A sentence from strings.ts with its placeholders filled by text or elements (links). */
export function Fill({ template, params }: { template: string; params: Record<string, ReactNode> }) {
  return (
    <>
      {fill<ReactNode>(template, params).map((part, i) => (
        <Fragment key={i}>{part}</Fragment>
      ))}
    </>
  );
}
