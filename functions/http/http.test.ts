import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy } from './client-address.ts';
import { decodePath, parseRequestTarget } from './request-target.ts';

describe('client address behind proxies', () => {
  it.each([
    // [socket peer, X-Forwarded-For, trusted proxies, expected client]
    ['10.0.0.1', undefined, 0, '10.0.0.1'],
    ['10.0.0.1', '203.0.113.7', 0, '10.0.0.1'],
    ['10.0.0.1', '203.0.113.7', 1, '203.0.113.7'],
    // The client wrote the left entry itself: one trusted proxy means the rightmost counts.
    ['10.0.0.1', '198.51.100.99, 203.0.113.7', 1, '203.0.113.7'],
    ['10.0.0.1', '1.1.1.1, 2.2.2.2, 203.0.113.7, 10.0.0.2', 2, '203.0.113.7'],
    // Fewer entries than proxies: the chain is not ours, the peer is all we know.
    ['10.0.0.1', '203.0.113.7', 2, '10.0.0.1'],
    ['10.0.0.1', ['1.1.1.1', '203.0.113.7'], 1, '203.0.113.7'],
    ['10.0.0.1', ' , ,203.0.113.7 ', 1, '203.0.113.7'],
    [undefined, undefined, 0, 'unknown'],
  ] as const)('peer %s, X-Forwarded-For %j, %i proxies → %s', (peer, forwarded, proxies, expected) => {
    expect(clientAddress(peer, forwarded as string | string[] | undefined, proxies)).toBe(expected);
  });

  it('a spoofed leftmost entry never changes the address the rate limit sees', () => {
    const real = clientAddress('10.0.0.1', '203.0.113.7', 1);
    for (const spoof of ['1.2.3.4', 'evil', '::1', '203.0.113.8, 9.9.9.9']) {
      expect(clientAddress('10.0.0.1', `${spoof}, 203.0.113.7`, 1)).toBe(real);
    }
  });

  it.each([
    [undefined, 0],
    ['', 0],
    ['false', 0],
    ['0', 0],
    ['true', 1],
    ['1', 1],
    ['2', 2],
  ] as const)('TRUST_PROXY=%j means %i proxies', (value, expected) => {
    expect(parseTrustProxy(value)).toBe(expected);
  });

  it.each(['yes', '-1', '1.5', '11'])('refuses TRUST_PROXY=%j', (value) => {
    expect(() => parseTrustProxy(value)).toThrow(/TRUST_PROXY/);
  });
});

describe('request targets', () => {
  it.each([
    ['/', '/', ''],
    ['/angebot/?ref=AB', '/angebot/', '?ref=AB'],
    ['/en/offer/confirmation/', '/en/offer/confirmation/', ''],
    ['/K%C3%B6ln/', '/Köln/', ''],
    ['//', '//', ''],
    ['http://localhost/angebot/?x=1', '/angebot/', '?x=1'],
    ['/a?', '/a', ''],
  ])('reads %s', (target, path, search) => {
    expect(parseRequestTarget(target)).toMatchObject({ path, search });
  });

  it.each([
    undefined,
    '',
    '*',
    'angebot',
    '/%FF',
    '/%',
    '/%C3',
    '/%E0%A4%A',
    '/%00',
    '/a\\b',
    '/..',
    '/a/../b',
    '/%2e%2e/x',
    '/a%2f..%2fb',
    '/./',
    'http://[::1',
  ])('refuses %j', (target) => {
    expect(parseRequestTarget(target)).toBeUndefined();
  });

  it('never throws, whatever the bytes', () => {
    for (let i = 0; i < 256; i++) {
      const hex = i.toString(16).padStart(2, '0');
      expect(() => decodePath(`/%${hex}`)).not.toThrow();
      expect(() => decodePath(`/${String.fromCharCode(i)}`)).not.toThrow();
    }
  });
});
