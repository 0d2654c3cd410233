/**
 * Hostile realtime clients: malformed WebSocket frames, oversized messages, clients that never
 * read. Each is answered on its own connection (a close frame with its code, or a disconnect) and
 * the process keeps serving everyone else: `/health` answers and another client's stream still
 * receives its events.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createInteraction, createUser, type TestUser } from '../helpers/factories';
import { type EventClient, openEventStream } from '../helpers/realtime';

let app: TestApp;
let user: TestUser;
let watcher: EventClient;

beforeAll(async () => {
  app = await startTestApp();
  user = await createUser(app.db.knex, { role: 'manager' });
  watcher = await openEventStream(app.url, { headers: user.auth });
});
afterAll(async () => {
  watcher.close();
  await app.close();
});

/** A WebSocket opened by hand, so that the test can write any bytes on it. */
async function rawSocket(): Promise<{ socket: net.Socket; received: () => Buffer; closed: Promise<void> }> {
  const { port } = new URL(app.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  let data = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    data = Buffer.concat([data, chunk]);
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    [
      `GET /v1/ws?access_token=${user.token} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  await expect.poll(() => data.toString('latin1')).toContain('\r\n\r\n');
  expect(data.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
  data = Buffer.alloc(0);
  return { socket, received: () => data, closed };
}

/** A masked client frame (clients must mask) with the given first byte. */
function maskedFrame(firstByte: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([firstByte]), length, mask, masked]);
}

/** The status code of the close frame the server sent first, if any. */
function closeCode(bytes: Buffer): number | null {
  if (bytes.length < 4 || bytes[0] !== 0x88) return null;
  return bytes.readUInt16BE(2);
}

async function stillServing(): Promise<void> {
  expect((await app.request('GET', '/health')).status).toBe(200);
  const interaction = await createInteraction(app.db.knex, { created_by: user.id, assignee_id: user.id });
  const update = await app.request('PATCH', `/v1/interactions/${interaction.id}`, {
    headers: user.auth,
    body: { title: `seen after abuse ${interaction.id}` },
  });
  expect(update.status).toBe(200);
  await watcher.waitFor((event) => (event.data as { id?: string }).id === interaction.id);
}

describe('malformed WebSocket frames close that socket only', () => {
  it.each([
    ['an unmasked text frame', 1002, Buffer.from('810568656c6c6f', 'hex')],
    ['a message over 4,096 bytes', 1009, maskedFrame(0x81, Buffer.alloc(5_000, 0x61))],
    ['RSV2 set', 1002, maskedFrame(0x81 | 0x20, Buffer.from('hello'))],
    ['RSV3 set', 1002, maskedFrame(0x81 | 0x10, Buffer.from('hello'))],
    ['the reserved opcode 3', 1002, maskedFrame(0x83, Buffer.from('hello'))],
  ])('%s gets close code %i, and the API goes on serving', async (_name, code, frame) => {
    const { socket, received, closed } = await rawSocket();
    socket.write(frame);
    await closed;
    expect(closeCode(received())).toBe(code);
    await stillServing();
  });
});

describe('clients that never read', () => {
  it('leave other clients served', async () => {
    const { port } = new URL(app.url);
    const idle: net.Socket[] = [];
    for (let index = 0; index < 10; index += 1) {
      const socket = net.connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${user.token}\r\n\r\n`);
      socket.pause();
      idle.push(socket);
    }
    const sockets = await Promise.all(Array.from({ length: 5 }, () => rawSocket()));
    for (const { socket } of sockets) socket.pause();
    for (let index = 0; index < 20; index += 1) await stillServing();
    for (const socket of [...idle, ...sockets.map((entry) => entry.socket)]) socket.destroy();
  });
});

describe('HEAD on the event stream', () => {
  it('answers with the stream’s headers and ends (it used to hang until the client gave up)', async () => {
    const response = await fetch(`${app.url}/v1/events`, {
      method: 'HEAD',
      headers: user.auth,
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });
});
