/**
 * The path of an incoming request, read defensively. Node hands the raw request target to us
 * unchecked: "//", "/%FF", "/%", absolute forms ("http://host/x") and NUL bytes all arrive, and
 * `new URL(target, base)` or `decodeURIComponent` throw on some of them. Everything here returns
 * `undefined` instead of throwing; the server answers 400.
 */
export interface RequestTarget {
  /** The path as sent (still percent-encoded), always starting with "/". */
  rawPath: string;
  /** The decoded path: "/", "/angebot/", "/en/offer/". */
  path: string;
  /** "?a=b" or "". */
  search: string;
  searchParams: URLSearchParams;
}

export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (!target) return undefined;
  let pathAndQuery = target;
  // Absolute form (proxies may send it): keep only path and query.
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      pathAndQuery = url.pathname + url.search;
    } catch {
      return undefined;
    }
  }
  if (!pathAndQuery.startsWith('/')) return undefined;
  const queryAt = pathAndQuery.indexOf('?');
  const rawPath = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const search = queryAt === -1 ? '' : pathAndQuery.slice(queryAt);
  const path = decodePath(rawPath);
  if (path === undefined) return undefined;
  return { rawPath, path, search: search === '?' ? '' : search, searchParams: new URLSearchParams(search) };
}

/**
 * Percent-decodes a path and refuses what no page of ours can be: malformed escapes, control
 * characters (NUL included), backslashes and "." or ".." segments (also when encoded as %2e or
 * hidden behind an encoded slash). The result can be compared with known paths without any
 * further normalising.
 */
export function decodePath(rawPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return undefined;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  return path;
}
