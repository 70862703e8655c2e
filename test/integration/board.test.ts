import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RoomHost } from '../../local-ws';
import type { BoardPoint } from '../../protocol';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';
import { PNG } from 'pngjs';
import { until } from '../helpers/media';
import { TestClient } from '../helpers/TestClient';

const pen = { tool: 'pen' as const, color: '#1d4ed8', width: 4 };
const line = (n: number, y = 0.5): BoardPoint[] =>
  Array.from({ length: n }, (_, i) => [i / n, y, 0.5] as BoardPoint);

describe('the whiteboard: the relay keeps it and says who may draw', () => {
  let t: TestRelay;
  beforeEach(async () => {
    t = await startRelay();
  });
  afterEach(() => t.stop());

  it('batches that reach the relay in one turn leave as one boardInk message, in order', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    await teacher.request('board.open', { background: 'blank' });
    await screen.waitFor('boardChanged');
    // Ten batches written at once arrive in one read: the screen gets them in one message. One
    // TCP write for all ten (corked), so a loaded machine cannot split them into ten reads.
    const tcp = (teacher.ws as unknown as { _socket: import('node:net').Socket })._socket;
    tcp.cork();
    for (let i = 0; i < 10; i++) {
      teacher.sendRaw(
        JSON.stringify({
          type: 'notification',
          method: 'board.draw',
          params: {
            target: { page: 0 },
            id: 'ink',
            ...pen,
            points: line(2, i / 10),
            done: i === 9,
          },
        }),
      );
    }
    tcp.uncork();
    // Ink leaves at most once per INK_EVERY_MS: wait for all ten strokes' points to arrive.
    const arrived = () => {
      const ink = screen.received('boardInk');
      const events = [
        ...ink.flatMap((m) => m.events),
        ...screen
          .received('boardDrawn')
          .map((params) => ({ method: 'boardDrawn' as const, params })),
      ];
      return { ink, events };
    };
    const { ink, events } = await until(
      'ten batches at the screen',
      async () => arrived(),
      (a) => a.events.filter((e) => e.method === 'boardDrawn').length >= 10,
      3000,
      10,
    );
    assert.ok(ink.length >= 1 && ink.length < 10, `${ink.length} boardInk messages`);
    const drawn = events.flatMap((e) => (e.method === 'boardDrawn' ? [e.params] : []));
    assert.deepEqual(
      drawn.map((d) => d.from),
      [0, 2, 4, 6, 8, 10, 12, 14, 16, 18].slice(0, drawn.length),
      'in the order drawn',
    );
    assert.equal(drawn.length, 10);
    const { board } = await screen.request('snapshot', {});
    assert.equal(board!.pages[0]![0]!.points.length, 20);
  });

  it('a teacher opens it and draws; points stream to everyone while the pen moves', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    await rejectsWith(
      teacher.request('board.draw', {
        target: { page: 0 },
        id: 's1',
        ...pen,
        points: line(3),
        done: false,
      }),
      'BOARD_CLOSED',
    );
    await teacher.request('board.open', { background: 'grid' });
    const opened = await screen.waitFor('boardChanged');
    assert.deepEqual(opened.info, { background: 'grid', pages: 1, page: 0, everyone: false });

    await teacher.request('board.draw', {
      target: { page: 0 },
      id: 's1',
      ...pen,
      points: line(3),
      done: false,
    });
    const first = await screen.waitFor('boardDrawn');
    assert.equal(first.by, teacher.peerId, 'the relay names the drawer');
    assert.equal(first.from, 0);
    assert.equal(first.points.length, 3);
    assert.equal(first.done, false, 'seen before the pen lifts');
    await teacher.request('board.draw', {
      target: { page: 0 },
      id: 's1',
      ...pen,
      points: [[0.9, 0.123456789, 0.3]],
      done: true,
    });
    const second = await ana.waitFor('boardDrawn', (p) => p.done);
    assert.equal(second.from, 3);
    assert.deepEqual(second.points, [[0.9, 0.1235, 0.3]], 'coordinates kept to 4 decimals');
    await rejectsWith(
      teacher.request('board.draw', {
        target: { page: 0 },
        id: 's1',
        ...pen,
        points: line(1),
        done: false,
      }),
      'STROKE_NOT_FOUND',
    );

    // A late joiner gets the board in its snapshot.
    const late = await t.student('Late');
    const snap = await late.request('snapshot', {});
    assert.equal(snap.board?.info?.background, 'grid');
    assert.equal(snap.board?.pages[0]?.[0]?.points.length, 4);
  });

  it('students draw on stage, or when the board is open to all; never the screen', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    await teacher.request('board.open', { background: 'blank' });
    const draw = (c: typeof ana, id: string) =>
      c.request('board.draw', { target: { page: 0 }, id, ...pen, points: line(2), done: true });
    await rejectsWith(draw(ana, 'a1'), 'BOARD_NOT_ALLOWED');
    await rejectsWith(draw(screen, 'x1'), 'BOARD_NOT_ALLOWED');
    await rejectsWith(ana.request('board.open', { background: 'lined' }), 'NOT_TEACHER');
    await rejectsWith(ana.request('board.clear', { target: { page: 0 } }), 'NOT_TEACHER');
    await teacher.request('board.set', { everyone: true });
    await draw(ana, 'a1');
    await teacher.request('board.set', { everyone: false });
    await rejectsWith(draw(ana, 'a2'), 'BOARD_NOT_ALLOWED');
    await teacher.request('stage.invite', { peerId: ana.peerId });
    await ana.request('stage.respond', { accept: true });
    await draw(ana, 'a2');
    assert.equal(t.room.board.snapshot()?.pages[0]?.length, 2);
  });

  it('erase and undo: your own strokes, any for a teacher; undo and redo reach everyone', async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    const bo = await t.student('Bo');
    await teacher.request('board.open', { background: 'blank' });
    await teacher.request('board.set', { everyone: true });
    for (const [c, id] of [
      [ana, 'a'],
      [bo, 'b'],
    ] as const) {
      await c.request('board.draw', {
        target: { page: 0 },
        id,
        ...pen,
        points: line(2),
        done: true,
      });
    }
    // Bo cannot erase Ana's stroke, nor undo it (undo is his own steps only).
    await rejectsWith(
      bo.request('board.erase', { target: { page: 0 }, by: ana.peerId!, id: 'a' }),
      'FORBIDDEN',
    );
    await bo.request('board.undo', {});
    const erased = await ana.waitFor('boardErased');
    assert.deepEqual(erased, { target: { page: 0 }, by: bo.peerId, id: 'b' });
    await rejectsWith(bo.request('board.undo', {}), 'STROKE_NOT_FOUND');
    await bo.request('board.redo', {});
    const back = await ana.waitFor('boardRestored');
    assert.equal(back.stroke.id, 'b');
    // The teacher erases Ana's; the teacher's undo brings it back.
    await teacher.request('board.erase', { target: { page: 0 }, by: ana.peerId!, id: 'a' });
    await teacher.request('board.undo', {});
    await bo.waitFor('boardRestored', (p) => p.stroke.id === 'a');
    await teacher.request('board.clear', { target: { page: 0 } });
    await bo.waitFor('boardCleared');
    assert.equal(t.room.board.snapshot()?.pages[0]?.length, 0);
    // Undo after a clear finds nothing left to undo.
    await rejectsWith(ana.request('board.undo', {}), 'STROKE_NOT_FOUND');
  });

  it('annotations belong to a live share and go when it ends; pages and the laser', async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    const { shareId } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'Slides',
      preset: 'auto',
    });
    await rejectsWith(
      teacher.request('board.draw', {
        target: { share: 'nope' },
        id: 'n',
        ...pen,
        points: line(2),
        done: true,
      }),
      'SHARE_NOT_FOUND',
    );
    await teacher.request('board.draw', {
      target: { share: shareId },
      id: 'n1',
      tool: 'arrow',
      color: '#dc2626',
      width: 6,
      points: [
        [0.1, 0.1, 0.5],
        [0.2, 0.2, 0.5],
        [0.3, 0.3, 0.5],
      ],
      done: false,
    });
    const arrow = await ana.waitFor('boardDrawn');
    assert.equal(arrow.points.length, 2, 'a shape keeps its start and its end');
    await teacher.request('board.draw', {
      target: { share: shareId },
      id: 'n1',
      tool: 'arrow',
      color: '#dc2626',
      width: 6,
      points: [[0.6, 0.5, 0.5]],
      done: true,
    });
    const moved = await ana.waitFor('boardDrawn', (p) => p.done);
    assert.deepEqual([moved.from, moved.points], [1, [[0.6, 0.5, 0.5]]]);
    await teacher.request('share.stop', { shareId });
    const cleared = await ana.waitFor('boardCleared');
    assert.deepEqual(cleared.target, { share: shareId });
    assert.equal(t.room.board.snapshot(), undefined, 'nothing left to send late joiners');

    await teacher.request('board.open', { background: 'lined' });
    assert.equal((await teacher.request('board.addPage', {})).page, 1);
    await teacher.request('board.set', { page: 0 });
    await rejectsWith(teacher.request('board.set', { page: 5 }), 'INVALID_PARAMS');
    await teacher.request('board.laser', { target: { page: 0 }, x: 0.5, y: 0.5 });
    const laser = await ana.waitFor('boardLaser');
    assert.deepEqual([laser.by, laser.x], [teacher.peerId, 0.5]);
    assert.equal(t.room.board.snapshot()?.pages.flat().length, 0, 'the laser is never stored');
  });

  it('the open board takes a slot on the room screen, beside a share', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    await teacher.request('board.open', { background: 'blank' });
    const alone = await screen.waitFor('layoutChanged', (p) => p.layout.slots.includes('board'));
    assert.deepEqual(alone.layout, { mode: 'single', slots: ['board'] });
    const { shareId } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'Slides',
      preset: 'auto',
    });
    const beside = await screen.waitFor('layoutChanged', (p) => p.layout.mode === '2up');
    assert.deepEqual(beside.layout.slots, [shareId, 'board']);
    await teacher.request('layout.set', { mode: 'single', slots: ['board'] });
    await teacher.request('board.close', {});
    const back = await screen.waitFor('layoutChanged', (p) => !p.layout.slots.includes('board'));
    assert.deepEqual(back.layout, { mode: 'single', slots: [shareId] });
    await rejectsWith(
      teacher.request('layout.set', { mode: 'single', slots: ['board'] }),
      'BOARD_CLOSED',
    );
  });

  it('a new class starts with no board', async () => {
    const teacher = await t.teacher();
    await teacher.request('board.open', { background: 'blank' });
    await teacher.request('board.draw', {
      target: { page: 0 },
      id: 's',
      ...pen,
      points: line(2),
      done: true,
    });
    await teacher.request('class.end', {});
    assert.equal(t.room.board.snapshot(), undefined);
  });
});

/** A teacher of a room host on `port` (the room as the host started it). */
async function teacherOn(port: number, code: string, credential: string): Promise<TestClient> {
  const c = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
  await c.join({ role: 'teacher', name: 'Ms. Park', code, credential });
  return c;
}

describe('the whiteboard across a host restart', () => {
  it('a restarted host brings the board back from its data dir (0600); a new class clears it', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-board-'));
    process.env['LECTERN_TEACHER_CREDENTIAL'] = 'board-teacher-1';
    const options = { dataDir, roomName: 'Room 9', staticDir: '', host: '127.0.0.1', port: 0 };
    let host = new RoomHost(options);
    let { room, port } = await host.start();
    const teacherOf = () => teacherOn(port, room.code, 'board-teacher-1');
    let teacher = await teacherOf();
    await teacher.request('board.open', { background: 'lined' });
    await teacher.request('board.addPage', {});
    await teacher.request('board.draw', {
      target: { page: 1 },
      id: 'w',
      ...pen,
      points: line(50),
      done: true,
    });
    await teacher.close();
    await host.stop();
    const file = path.join(dataDir, 'board.json');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);

    host = new RoomHost(options);
    ({ room, port } = await host.start());
    teacher = await teacherOf();
    const snap = await teacher.request('snapshot', {});
    assert.deepEqual(snap.board?.info, { background: 'lined', pages: 2, page: 1, everyone: false });
    assert.equal(snap.board?.pages[1]?.[0]?.points.length, 50);
    await teacher.request('class.end', {});
    await teacher.close();
    await host.stop();
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as {
      info: unknown;
      pages: unknown[];
    };
    assert.deepEqual(saved, { info: null, pages: [] });
  });

  it('a board drawn on without a pause is still written every second (a crash loses ≤ 1 s)', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-board-'));
    process.env['LECTERN_TEACHER_CREDENTIAL'] = 'board-teacher-3';
    const host = new RoomHost({
      dataDir,
      roomName: 'Room 7',
      staticDir: '',
      host: '127.0.0.1',
      port: 0,
    });
    const { room, port } = await host.start();
    try {
      const teacher = await teacherOn(port, room.code, 'board-teacher-3');
      await teacher.request('board.open', { background: 'blank' });
      const file = path.join(dataDir, 'board.json');
      const onDisk = async () =>
        (
          JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{"pages":[[]]}')) as {
            pages: unknown[][];
          }
        ).pages[0]?.length ?? 0;
      // A stroke every 150 ms for 2.4 s: the board never rests for a second.
      let seenWhileDrawing = 0;
      for (let i = 0; i < 16; i++) {
        await teacher.request('board.draw', {
          target: { page: 0 },
          id: `s${i}`,
          ...pen,
          points: line(5),
          done: true,
        });
        await new Promise((r) => setTimeout(r, 150));
        seenWhileDrawing = Math.max(seenWhileDrawing, await onDisk());
      }
      assert.ok(seenWhileDrawing >= 5, `${seenWhileDrawing} strokes on disk while drawing`);
      await teacher.close();
    } finally {
      await host.stop();
    }
  });

  it('a class that ends keeps its board as PNG pages in the data dir, for its teachers to download', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-board-'));
    process.env['LECTERN_TEACHER_CREDENTIAL'] = 'board-teacher-2';
    const host = new RoomHost({
      dataDir,
      roomName: 'Room 8',
      staticDir: '',
      host: '127.0.0.1',
      port: 0,
    });
    const { room, port } = await host.start();
    try {
      const teacher = await teacherOn(port, room.code, 'board-teacher-2');
      await teacher.request('board.open', { background: 'grid' });
      // A thick black line across the middle of page 1, words on it; page 2 stays empty.
      await teacher.request('board.draw', {
        target: { page: 0 },
        id: 'mid',
        tool: 'line',
        color: '#111827',
        width: 12,
        points: [
          [0.2, 0.5, 0.5],
          [0.8, 0.5, 0.5],
        ],
        done: true,
      });
      await teacher.request('board.draw', {
        target: { page: 0 },
        id: 'words',
        tool: 'text',
        color: '#b91c1c',
        width: 6,
        points: [[0.1, 0.1, 0.5]],
        text: '시험 <b>&',
        done: true,
      });
      await teacher.request('board.addPage', {});
      await teacher.request('class.end', {});
      const saved = await teacher.waitFor('boardSaved', () => true, 10_000);
      assert.deepEqual(
        saved.pages.map((p) => p.page),
        [1],
        'an empty page is not kept',
      );
      const [folder] = await fs.readdir(path.join(dataDir, 'boards'));
      const file = path.join(dataDir, 'boards', folder!, 'page-1.png');
      assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
      assert.equal((await fs.stat(path.dirname(file))).mode & 0o777, 0o700);

      const res = await fetch(`http://127.0.0.1:${port}${saved.pages[0]!.url}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      assert.deepEqual([png.width, png.height], [1920, 1080]);
      const at = (fx: number, fy: number) => {
        const i = (Math.round(fy * png.height) * png.width + Math.round(fx * png.width)) * 4;
        return [...png.data.subarray(i, i + 3)];
      };
      assert.ok(
        at(0.5, 0.5).every((c) => c < 60),
        `ink on the line: ${at(0.5, 0.5)}`,
      );
      assert.ok(
        at(0.5, 0.8).every((c) => c > 200),
        `paper below it: ${at(0.5, 0.8)}`,
      );
      // The words are drawn (red pixels right of their anchor), not dropped or taken as markup.
      let red = 0;
      for (let x = 0.1; x < 0.2; x += 0.002) {
        for (let y = 0.1; y < 0.14; y += 0.004) {
          const [r, g, b] = at(x, y);
          if (r! > 140 && g! < 90 && b! < 90) red++;
        }
      }
      assert.ok(red > 10, `${red} red pixels of text`);
      // Only with the link: another token, or another page, is not there.
      const other = saved.pages[0]!.url.replace(
        /\/boards\/[^/]+/,
        '/boards/AAAAAAAAAAAAAAAAAAAAAA',
      );
      assert.equal((await fetch(`http://127.0.0.1:${port}${other}`)).status, 404);
      const page2 = saved.pages[0]!.url.replace('page-1', 'page-2');
      assert.equal((await fetch(`http://127.0.0.1:${port}${page2}`)).status, 404);
      await teacher.close();
    } finally {
      await host.stop();
    }
  });
});
