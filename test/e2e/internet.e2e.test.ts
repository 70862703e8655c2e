/**
 * The class across a real (if small) internet, built in network namespaces: the room host and
 * the in-room browsers on the school's LAN behind its router's NAT (nftables masquerade), the
 * cloud with its SFU and coturn on a public address, a student at home whose direct paths to
 * the school are blocked. Everything runs as a person starts it (`local-ws/cli.ts`,
 * `cloud/cli.ts`), over TLS where a browser captures: the teacher on the host's https page
 * (its key pinned), the student on the cloud's https page. Real Chromium, real workers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fakeMic, loudestFrom, sound, toneWav } from '../helpers/audio';
import type { RoomView } from '../../protocol';
import { consoleLog, headedUserAgent, launchChromium, screenshot } from '../helpers/browser';
import { ADMIN_TOKEN, adminApi } from '../helpers/cloud';
import { HOST_CREDENTIAL, joinAs } from '../helpers/host';
import { canBuildInternet, Internet, NET } from '../helpers/internet';
import { checkAccessibility } from '../helpers/ui';
import { streamStats, until } from '../helpers/media';
import { spawnCli, type CliChild } from '../helpers/spawnCli';

const TEACHER_HZ = 440;
const RITA_HZ = 660;
const CLEAR_DB = 20;
const TURN_SECRET = 'internet-test-turn-secret-0123456789';

/** base64 SHA-256 of a certificate's public key (what Chromium's SPKI allow-list takes). */
function spkiPin(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** A self-signed certificate for the cloud's public address. */
function cloudCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cloud.crt');
  const key = path.join(dir, 'cloud.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=lectern-cloud.test',
      '-addext',
      `subjectAltName=IP:${NET.cloud}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

const cameraWidths = (p: Page) =>
  p.$$eval('.tile[data-kind="camera"] video', (vs) =>
    vs.map((v) => (v as unknown as { videoWidth: number }).videoWidth),
  );

describe(
  'a class across the internet: school behind NAT, cloud, home',
  { skip: canBuildInternet() ? false : 'needs root in the runner’s namespace and nftables' },
  () => {
    let net: Internet;
    let cloud: CliChild;
    let host: CliChild;
    let school: Browser;
    let home: Browser;
    let cloudBase: string;
    let cloudPort: number;
    let api: ReturnType<typeof adminApi>;
    let roomId: string;
    let hostHttps: string;
    let screenUrl: string;
    let code: string;
    let cloudPin: string;
    /** The in-room pages of the first test, which the lesson goes on with. */
    let teacher: Page;
    let screen: Page;
    let ana: Page;

    before(async () => {
      net = await Internet.build();
      const tls = cloudCertificate(net.dir);
      const cloudCert = readFileSync(tls.cert, 'utf8');
      cloudPin = spkiPin(cloudCert);
      cloud = await spawnCli(
        'cloud/cli.ts',
        [
          '--host',
          NET.cloud,
          '--port',
          '0',
          '--data-dir',
          path.join(net.dir, 'cloud'),
          '--tls-cert',
          tls.cert,
          '--tls-key',
          tls.key,
          '--web-dir',
          path.resolve('out/web'),
          '--sfu-ip',
          NET.cloud,
          '--sfu-ports',
          '40000-40999',
          '--turn-ip',
          NET.cloud,
          '--heartbeat-ms',
          '2000',
        ],
        /Room links:/,
        { LECTERN_ADMIN_TOKEN: ADMIN_TOKEN, LECTERN_TURN_SECRET: TURN_SECRET, LECTERN_LOG: 'warn' },
        net.cloud.wrap,
      );
      cloudPort = Number(/Console:\s+https:\/\/[^:]+:(\d+)\//.exec(cloud.printed)![1]);
      cloudBase = `https://${NET.cloud}:${cloudPort}`;
      api = adminApi(cloudBase, ADMIN_TOKEN, cloudCert);
      const room = await api<{ id: string; token: string }>('POST', '/api/rooms', {
        name: 'Room 101',
      });
      roomId = room.body.id;

      // The room host, as `npm start` runs it on the school's PC, linked to the cloud over wss.
      host = await spawnCli(
        'local-ws/cli.ts',
        [
          '--host',
          '0.0.0.0',
          '--port',
          '47800',
          '--room',
          'Room 101',
          '--data-dir',
          path.join(net.dir, 'host'),
          '--cloud',
          `wss://${NET.cloud}:${cloudPort}/link`,
          '--cloud-room',
          roomId,
          '--cloud-token',
          room.body.token,
        ],
        /Join code: \d{3} \d{3}/,
        {
          LECTERN_TEACHER_CREDENTIAL: HOST_CREDENTIAL,
          LECTERN_LOG: 'warn',
          // The school trusts its cloud's certificate (here a self-signed one).
          NODE_EXTRA_CA_CERTS: tls.cert,
        },
        net.school.wrap,
      );
      const printed = host.printed;
      hostHttps = /Teachers, sharing, voices: (https:\/\/10\.20\.0\.10:\d+\/)/.exec(printed)![1]!;
      screenUrl = /Room screen \(this machine's big screen\): (\S+)/.exec(printed)![1]!;
      code = /Join code: (\d{3}) (\d{3})/.exec(printed)!.slice(1).join('');
      const hostPin = /pin sha256\/(\S+)\)/.exec(printed)![1]!;

      school = await launchChromium(
        [
          ...fakeMic(toneWav(`tone-${TEACHER_HZ}`, TEACHER_HZ)),
          `--ignore-certificate-errors-spki-list=${hostPin}`,
        ],
        net.school.chromium(net.dir),
      );
      home = await launchChromium(
        [
          ...fakeMic(toneWav(`tone-${RITA_HZ}`, RITA_HZ)),
          `--ignore-certificate-errors-spki-list=${cloudPin}`,
        ],
        net.home.chromium(net.dir),
      );
    });
    after(async () => {
      await school?.close();
      await home?.close();
      await host?.kill('SIGTERM');
      await cloud?.kill('SIGTERM');
      net?.close();
    });

    async function open(b: Browser, url: string, width = 1280, height = 720): Promise<Page> {
      const userAgent = await headedUserAgent(b);
      const context = await b.newContext({ viewport: { width, height }, userAgent });
      await context.grantPermissions(['camera', 'microphone']);
      await context.addInitScript('window.__name = (f) => f');
      const p = await context.newPage();
      logs.set(p, consoleLog(p, 60, /^\[stats\]/));
      await p.goto(url);
      return p;
    }
    const logs = new Map<Page, { tail(): string }>();

    /** What a page's media engine and console say (printed when a wait for media fails). */
    async function diagnose(p: Page, who: string): Promise<string> {
      // Private fields are read on purpose: this only runs when a test is failing.
      const state = await p
        .evaluate(
          `(() => {
            const engine = window.lectern.app.engine;
            const st = window.lectern.store.getState();
            return JSON.stringify({
              links: [...engine.links].map(([id, l]) => ({
                id,
                state: l.pc.connectionState,
                ice: l.pc.iceConnectionState,
                signaling: l.pc.signalingState,
                sending: l.sending,
                transceivers: l.pc.getTransceivers().map((t) => ({
                  mid: t.mid,
                  dir: t.direction,
                  cur: t.currentDirection,
                  out: t.sender.track ? t.sender.track.kind : null,
                  in: t.receiver.track.readyState,
                })),
              })),
              local: [...engine.local].map(([id, s]) => ({ id, to: [...s.senders.keys()] })),
              remote: [...engine.remote.byId.keys()],
              unreachable: [...engine.reach.unreachable],
              peers: Object.values(st.peers),
              shares: st.shares,
            });
          })()`,
        )
        .catch((err: unknown) => String(err));
      return `--- ${who}: ${state}\n${logs.get(p)?.tail() ?? ''}`;
    }

    async function remoteLink(): Promise<string> {
      const made = await api<{ token: string }>('POST', `/api/rooms/${roomId}/remote-links`, {});
      assert.equal(made.status, 201);
      return made.body.token;
    }

    it(
      'a student at home joins by link, sees and hears the teacher, goes on stage, reaches the room screen',
      { timeout: 240_000 },
      async () => {
        await until(
          'the room online in the cloud',
          async () => (await api<{ online: boolean }>('GET', `/api/rooms/${roomId}`)).body.online,
          (online) => online,
          20_000,
          200,
        );
        screen = await open(school, `${screenUrl}&stats&debug`, 1920, 1080);
        await screen.locator('[data-layout="idle"]').waitFor();
        teacher = await open(school, `${hostHttps}?stats&debug&code=${code}&capture=1280x720`);
        assert.equal(await teacher.evaluate('window.isSecureContext'), true, 'the https page');
        await joinAs(teacher, 'Teacher', 'Ms. Park');
        await teacher.getByRole('button', { name: 'Share screen' }).click();
        await teacher.getByRole('button', { name: '🎤 Microphone on' }).click();
        const teacherId = await teacher.evaluate(sound.myPeerId);
        // A classmate in the room, on the plain http page a phone opens from the QR code.
        ana = await open(school, `${hostHttps.replace('https:', 'http:')}?code=${code}`, 390, 844);
        await joinAs(ana, 'Student', 'Ana');

        const token = await remoteLink();
        const rita = await open(home, `${cloudBase}/join/?stats&debug&link=${token}`);
        assert.equal(await rita.evaluate('window.isSecureContext'), true, 'the cloud’s https page');
        await rita.getByLabel('Your name').fill('Rita');
        await rita.getByRole('button', { name: 'Join' }).click();
        await rita.getByRole('heading', { name: 'Room 101' }).waitFor();
        const ritaId = await rita.evaluate(sound.myPeerId);

        // The teacher's share and voice reach her through the cloud's SFU.
        const seen = await until(
          'Rita decodes the teacher’s share through the cloud SFU',
          async () =>
            (await streamStats(rita)).filter(
              (s) => s.direction === 'in' && s.kind === 'video' && s.path === 'sfu' && s.frames > 0,
            ),
          (s) => s.length > 0,
          60_000,
        );
        console.log(`home decodes the share: ${JSON.stringify(seen[0])}`);
        const heardTeacher = await until(
          'Rita hears the teacher',
          () => loudestFrom(rita, teacherId, [TEACHER_HZ, RITA_HZ]),
          (h) =>
            h !== null && h.loudest === TEACHER_HZ && h.db[TEACHER_HZ]! - h.db[RITA_HZ]! > CLEAR_DB,
          30_000,
          500,
        );
        console.log(`home hears the teacher: ${JSON.stringify(heardTeacher)}`);

        // Hand, invitation, her camera and voice in the room.
        await rita.getByRole('button', { name: 'Raise hand' }).click();
        const row = teacher.locator('li[data-peer="Rita"]');
        await row.getByRole('img', { name: 'hand raised' }).waitFor();
        await row.getByRole('button', { name: 'Invite on stage' }).click();
        await rita.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
        await rita.getByRole('button', { name: '🎤 Microphone on' }).click();
        await rita.getByRole('button', { name: '📷 Camera on' }).click();
        await until(
          'the room screen shows Rita’s camera',
          () => cameraWidths(screen),
          (ws) => ws.some((w) => w > 0),
          60_000,
        );
        const heardRita = await until(
          'the room screen plays Rita',
          () => loudestFrom(screen, ritaId, [TEACHER_HZ, RITA_HZ]),
          (h) =>
            h !== null && h.loudest === RITA_HZ && h.db[RITA_HZ]! - h.db[TEACHER_HZ]! > CLEAR_DB,
          30_000,
          500,
        );
        console.log(`the room screen hears Rita: ${JSON.stringify(heardRita)}`);
        const ritaOut = (await streamStats(rita)).filter((s) => s.direction === 'out');
        assert.ok(ritaOut.length > 0);
        assert.deepEqual(
          ritaOut.filter((s) => s.path !== 'sfu'),
          [],
          'nothing of hers goes P2P into the school',
        );

        // The whole school costs the cloud one TCP connection: the room's link.
        assert.equal(
          net.cloudTcpFrom(NET.schoolPublic, cloudPort),
          1,
          'one connection from the school',
        );
        await screenshot(rita, 'internet-remote-student');
        await screenshot(screen, 'internet-room-screen');

        // The room's join code never leaves the room.
        assert.ok(!(await rita.content()).includes(code), 'no join code on the remote page');

        // Revoked: she leaves at once, and the link opens nothing any more.
        const gone = await api('DELETE', `/api/rooms/${roomId}/remote-links`, {});
        assert.equal(gone.status, 200);
        await rita
          .getByText('Your link to this class was revoked or has expired.')
          .waitFor({ timeout: 15_000 });
        const again = await open(home, `${cloudBase}/join/?link=${token}`);
        await again.getByLabel('Your name').fill('Rita');
        await again.getByRole('button', { name: 'Join' }).click();
        await again.getByText('This link does not work').waitFor({ timeout: 15_000 });
      },
    );

    /** A gauge's value in the cloud's /metrics. */
    async function gauge(name: string): Promise<number> {
      const res = await api<string>('GET', '/metrics');
      return Number(
        String(res.body)
          .split('\n')
          .find((l) => l.startsWith(`${name} `))
          ?.slice(name.length + 1),
      );
    }

    it(
      'a 1:1 lesson between the school and home goes P2P through TURN, and through the cloud SFU when TURN is down',
      { timeout: 240_000 },
      async () => {
        // The room screen and the class go home; the teacher stays for a lesson with a student
        // abroad.
        await screen.close();
        await ana.close();
        await teacher.getByRole('button', { name: 'Stop sharing' }).click();
        await teacher.getByRole('button', { name: '📷 Camera on' }).click();
        await teacher.getByLabel('Sound on this device').check();
        const teacherId = await teacher.evaluate(sound.myPeerId);

        const token = await remoteLink();
        const rita = await open(home, `${cloudBase}/join/?stats&debug&link=${token}`);
        await rita.getByLabel('Your name').fill('Rita');
        await rita.getByRole('button', { name: 'Join' }).click();
        await rita.getByRole('heading', { name: 'Room 101' }).waitFor();
        const ritaId = await rita.evaluate(sound.myPeerId);
        await teacher
          .locator('li[data-peer="Rita"]')
          .getByRole('button', { name: 'Invite on stage' })
          .click();
        await rita.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
        await rita.getByRole('button', { name: '🎤 Microphone on' }).click();
        await rita.getByRole('button', { name: '📷 Camera on' }).click();

        /** What `p` receives from the other side, on `path`. */
        const receiving = async (p: Page, path: string) =>
          (await streamStats(p)).filter(
            (s) => s.direction === 'in' && s.kind === 'video' && s.path === path && s.frames > 0,
          );
        const hears = (p: Page, from: string, hz: number, other: number) =>
          until(
            `${from} heard at ${hz} Hz`,
            () => loudestFrom(p, from, [hz, other]),
            (h) => h !== null && h.loudest === hz && h.db[hz]! - h.db[other]! > CLEAR_DB,
            30_000,
            500,
          );

        // P2P, through the TURN relay: the direct paths between school and home are blocked.
        for (const [who, p] of [
          ['the teacher gets Rita’s camera P2P', teacher],
          ['Rita gets the teacher’s camera P2P', rita],
        ] as const) {
          const seen = await until(
            who,
            () => receiving(p, 'p2p'),
            (s) => s.length > 0,
            60_000,
          ).catch(async (err: unknown) => {
            console.log(await diagnose(teacher, 'teacher'));
            console.log(await diagnose(rita, 'Rita'));
            throw err;
          });
          console.log(`${who}: ${JSON.stringify(seen[0])}`);
          assert.match(seen[0]!.route, /^relay\//, 'through a TURN relay');
        }
        const p2pHeard = [
          await hears(teacher, ritaId, RITA_HZ, TEACHER_HZ),
          await hears(rita, teacherId, TEACHER_HZ, RITA_HZ),
        ];
        console.log(`lesson P2P, teacher and Rita hear: ${JSON.stringify(p2pHeard)}`);
        assert.equal(await gauge('lectern_cloud_sfu_consumers'), 0, 'nothing via the cloud SFU');
        await screenshot(rita, 'internet-lesson-p2p-home');

        // TURN goes down mid-lesson: the link dies, and the two fall back to the cloud SFU.
        net.blockTurn({ listen: 3478, relay: [49160, 49999] });
        const downAt = Date.now();
        for (const [who, p] of [
          ['the teacher gets Rita’s camera through the SFU', teacher],
          ['Rita gets the teacher’s camera through the SFU', rita],
        ] as const) {
          await until(
            who,
            () => receiving(p, 'sfu'),
            (s) => s.length > 0,
            60_000,
          );
        }
        console.log(
          `lesson back through the cloud SFU ${Date.now() - downAt} ms after TURN went down`,
        );
        await hears(teacher, ritaId, RITA_HZ, TEACHER_HZ);
        await hears(rita, teacherId, TEACHER_HZ, RITA_HZ);
        assert.ok((await gauge('lectern_cloud_sfu_consumers')) >= 2, 'Rita consumes on the cloud');
        assert.equal(net.cloudTcpFrom(NET.schoolPublic, cloudPort), 1, 'still one connection');
      },
    );

    /** Runs the pre-join check on a join page; resolves with its verdict and what it shows. */
    async function preJoinCheck(p: Page): Promise<{ verdict: string; text: string }> {
      await p.getByText('Check my connection, microphone, camera and speaker').click();
      await p.getByRole('button', { name: 'Check the network (5 s)' }).click();
      const verdict = p.locator('.check-verdict');
      await verdict.waitFor({ timeout: 30_000 });
      return {
        verdict: (await verdict.getAttribute('data-verdict')) ?? '',
        text: await p.locator('.pre-join-check').innerText(),
      };
    }

    it(
      'the pre-join check measures the way to the media: UDP on the LAN and from home, TCP where UDP is dropped',
      { timeout: 180_000 },
      async () => {
        // A phone in the room, on the plain http page: the room host's SFU, directly.
        const phone = await open(
          school,
          `${hostHttps.replace('https:', 'http:')}?code=${code}`,
          390,
          844,
        );
        const lan = await preJoinCheck(phone);
        console.log(
          `pre-join check in the room: ${lan.verdict} | ${lan.text.replace(/\s+/g, ' ')}`,
        );
        // The verdict depends on what this busy 2-core machine can encode at the moment; the
        // way it connected does not.
        assert.notEqual(lan.verdict, 'none');
        assert.match(lan.text, /directly \(UDP\)/);
        await screenshot(phone, 'internet-check-lan-phone');

        // From home: the cloud's SFU.
        const token = await remoteLink();
        const rita = await open(home, `${cloudBase}/join/?link=${token}`, 390, 844);
        const fromHome = await preJoinCheck(rita);
        console.log(
          `pre-join check from home: ${fromHome.verdict} | ${fromHome.text.replace(/\s+/g, ' ')}`,
        );
        assert.notEqual(fromHome.verdict, 'none');
        assert.match(fromHome.text, /directly \(UDP\)/);

        // From a network that drops every UDP packet: TCP to the cloud's SFU, said plainly.
        const noUdp = await launchChromium(
          [`--ignore-certificate-errors-spki-list=${cloudPin}`],
          net.homeNoUdp.chromium(net.dir),
        );
        try {
          const rex = await open(noUdp, `${cloudBase}/join/?stats&debug&link=${token}`, 390, 844);
          const blocked = await preJoinCheck(rex);
          console.log(
            `pre-join check without UDP: ${blocked.verdict} | ${blocked.text.replace(/\s+/g, ' ')}`,
          );
          assert.notEqual(blocked.verdict, 'none', 'it connects anyway');
          assert.match(blocked.text, /over TCP/);
          assert.match(blocked.text, /UDP is blocked here, so it uses TCP/);
          await screenshot(rex, 'internet-check-no-udp');
          const axe: string[] = [];
          await checkAccessibility(rex, 'pre-join check on a phone', axe);
          console.log(`axe: ${axe.join('; ')}`);
          // And joined, the class reaches Rex over TCP too.
          await rex.getByLabel('Your name').fill('Rex');
          await rex.getByRole('button', { name: 'Join' }).click();
          await rex.getByRole('heading', { name: 'Room 101' }).waitFor();
          await teacher.getByRole('button', { name: 'Share screen' }).click();
          const seen = await until(
            'Rex decodes the share over TCP',
            async () =>
              (await streamStats(rex)).filter(
                (s) => s.direction === 'in' && s.kind === 'video' && s.frames > 0,
              ),
            (s) => s.length > 0,
            60_000,
          );
          console.log(`no-UDP home decodes: ${JSON.stringify(seen[0])}`);
          assert.match(seen[0]!.route, /\/tcp$/);
          // The console's roster says how he is connected, and what his check found.
          const rexId = await rex.evaluate(sound.myPeerId);
          const path = await until(
            'the console sees Rex on the cloud SFU over TCP, with his check',
            async () => (await api<RoomView>('GET', `/api/rooms/${roomId}`)).body.paths[rexId],
            (p) => p?.media === 'sfu' && p.tcp && p.check?.transport === 'tcp',
            40_000,
            1000,
          );
          console.log(`the console's path for Rex: ${JSON.stringify(path)}`);
        } finally {
          await noUdp.close();
        }
      },
    );
  },
);
