import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF as Chromium writes it to check printed pages: the page objects (their
 * dictionaries are plain text) and the drawing operators of each page (its content streams,
 * inflated). Not a PDF parser for anything else.
 */
export interface PdfPage {
  /** [x0, y0, x1, y1] in points; A4 is 595 × 842. */
  mediaBox: number[];
  /** The page's drawing operators, as text. */
  content: string;
}

export function pdfPages(pdf: Buffer): PdfPage[] {
  const text = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: Buffer }>();
  for (const m of text.matchAll(/(\d+) 0 obj\s*/g)) {
    const start = m.index + m[0].length;
    const body = text.slice(start, text.indexOf('endobj', start));
    const at = body.search(/\bstream\r?\n/);
    if (at < 0) {
      objects.set(Number(m[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, at);
    const offset = start + at + (body[at + 6] === '\r' ? 8 : 7);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const raw = pdf.subarray(offset, offset + length);
    objects.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  return [...objects.values()]
    .filter((o) => /\/Type\s*\/Page(?![a-zA-Z])/.test(o.dict))
    .map((o) => {
      const contents = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(o.dict)?.[1] ?? '';
      const content = [...contents.matchAll(/(\d+) 0 R/g)]
        .map((r) => objects.get(Number(r[1]))?.stream?.toString('latin1') ?? '')
        .join('\n');
      const mediaBox = (/\/MediaBox\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '').trim().split(/\s+/).map(Number);
      return { mediaBox, content };
    });
}

/** Does the page fill anything in this colour ("#1f5a96")? Chromium writes fills as "r g b rg". */
export function fillsWith(page: PdfPage, hex: string): boolean {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return [...page.content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) rg\b/g)].some((m) =>
    want.every((w, i) => Math.abs(Number(m[i + 1]) - w) < 0.003),
  );
}
