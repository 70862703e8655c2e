import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RelayServer, type RelayOptions, type Room, type RoomKeys } from '../../local-ws';
import { hashCredential } from '../../server-kit/secrets';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';

export const WEB = path.resolve('out/web');
export const HOST_CREDENTIAL = 'teach-me-123';
const teacherCredentialHash = hashCredential(HOST_CREDENTIAL);

export interface TestHost {
  relay: RelayServer;
  room: Room;
  port: number;
  base: string;
}

/** A headless room host on 127.0.0.1 serving the built web client, with one room. */
export async function startHost(
  options: Partial<RelayOptions> & { port?: number; restore?: RoomKeys } = {},
): Promise<TestHost> {
  assert.ok(existsSync(path.join(WEB, 'index.html')), 'run npm run build:web first');
  const { restore, ...rest } = options;
  const relay = new RelayServer({
    host: '127.0.0.1',
    port: 0,
    staticDir: WEB,
    teacherCredentialHash,
    ...rest,
  });
  const room = relay.registry.createRoom('Room 101', restore);
  const port = await relay.listen();
  return { relay, room, port, base: `http://127.0.0.1:${port}` };
}

/** Joins the test host's room from the start screen (the code is in the page's URL). */
export async function joinAs(p: Page, role: 'Student' | 'Teacher', name: string): Promise<void> {
  await p.getByLabel(role, { exact: true }).check();
  await p.getByLabel('Your name').fill(name);
  if (role === 'Teacher') await p.getByLabel('Teacher credential').fill(HOST_CREDENTIAL);
  await p.getByRole('button', { name: 'Join' }).click();
  await p.getByRole('heading', { name: 'Room 101' }).waitFor();
}

/**
 * A test host and a Chromium for a describe block: started in before(), closed in after().
 * The fields are filled in once before() ran.
 */
export function hostWithBrowser(
  options: Parameters<typeof startHost>[0] = {},
): TestHost & { browser: Browser } {
  const env = {} as TestHost & { browser: Browser };
  before(async () => {
    Object.assign(env, await startHost(options));
    env.browser = await launchChromium();
  });
  after(async () => {
    await env.browser?.close();
    await env.relay?.close();
  });
  return env;
}
