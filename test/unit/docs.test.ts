import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { clientMethods, CloseCode, ErrorCode } from '../../protocol';

const readme = readFileSync('README.md', 'utf8');

/** The backticked words of the README paragraph that starts with `label`. */
function listed(label: string): Set<string> {
  const start = readme.indexOf(label);
  assert.ok(start >= 0, `README has "${label}"`);
  const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
  return new Set([...paragraph.matchAll(/`([A-Za-z_.]+)`/g)].map((m) => m[1]!));
}

describe('README matches protocol/', () => {
  it('lists every client method, and no method that does not exist', () => {
    const methods = Object.keys(clientMethods);
    const inReadme = listed('Methods:');
    const notifications = [
      'peerJoined',
      'peerUpdated',
      'shareStarted',
      'layoutChanged',
      'codeChanged',
    ];
    assert.deepEqual(
      methods.filter((m) => !inReadme.has(m)),
      [],
      'missing from the README',
    );
    assert.deepEqual(
      [...inReadme].filter((m) => !methods.includes(m) && !notifications.includes(m)),
      [],
      'in the README but not in protocol/client.ts',
    );
  });

  it('lists every error code and every close code', () => {
    const codes = listed('Error codes:');
    assert.deepEqual(
      Object.values(ErrorCode).filter((c) => !codes.has(c)),
      [],
    );
    assert.deepEqual(
      [...codes].filter((c) => !(c in ErrorCode)),
      [],
    );
    const closes = readme.slice(readme.indexOf('Close codes:'));
    for (const code of Object.values(CloseCode)) {
      assert.match(closes.slice(0, 400), new RegExp(`\\b${code}\\b`));
    }
  });
});
