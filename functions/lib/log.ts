/**
 * Structured log lines without personal data. Every line is one JSON object with a time, an
 * event name and a few fields that callers choose from what they know to be safe (references,
 * counts, field NAMES from the schema, status codes). Free text from outside (error messages of
 * mail servers and webhook receivers) goes through `scrub` first.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (event: string, fields: LogFields) => void;

/** One JSON line per event on stdout: what `npm start` and the operator commands print. */
export const jsonLogger: Logger = (event, fields) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));

/** For tests and libraries: logs nothing. */
export const silentLogger: Logger = () => {};

const emailPattern = /[^\s<>()[\]{}"',;:]+@[^\s<>()[\]{}"',;:]+/g;

/**
 * Removes what could identify a person from text that outsiders wrote: e-mail addresses (SMTP
 * servers quote them in rejections: "550 5.1.1 <erika@example.org>: user unknown"), and cuts the
 * rest to a length that fits a log line.
 */
export function scrub(text: unknown, max = 200): string {
  const value = text instanceof Error ? text.message : String(text ?? '');
  return Array.from(value.replace(emailPattern, '<address>').replace(/[\u0000-\u001f\u007f]+/g, ' '))
    .slice(0, max)
    .join('');
}
