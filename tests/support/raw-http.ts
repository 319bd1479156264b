import { connect } from 'node:net';

/** What came back for one raw request: the status code (if a status line came), and the whole answer. */
export interface RawAnswer {
  status?: number;
  text: string;
  /** The server closed the connection without a status line. */
  closedWithoutAnswer: boolean;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection (no client library normalising the
 * request line or the headers) and reads until the server closes or `timeoutMs` passes.
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : undefined, text, closedWithoutAnswer: !status });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is enough: stop once its head and announced body have arrived.
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, headEnd))?.[1];
      const chunked = /\r\ntransfer-encoding: *chunked/i.test(text.slice(0, headEnd));
      const bodyBytes = Buffer.byteLength(text.slice(headEnd + 4), 'latin1');
      if ((length !== undefined && bodyBytes >= Number(length)) || (chunked && text.endsWith('0\r\n\r\n'))) finish();
    });
    socket.on('end', finish);
    socket.on('error', finish);
    socket.write(request);
  });
}
