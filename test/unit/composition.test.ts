import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReviewStream } from '../../protocol';
import { composition, slots } from '../../local-ws/record/composition';

const video = (file: string, peer: string, from: number, to: number | null): ReviewStream => ({
  file,
  kind: 'video',
  codec: 'video/VP8',
  peer,
  role: 'teacher',
  label: '',
  shareKind: 'screen',
  from,
  to,
});

describe('export composition', () => {
  it('cuts the class where pictures start and end, and places them as the room screen does', () => {
    const pieces = composition(
      [
        video('01-video.webm', 'Ms. Park', 1000, 9000),
        video('02-video.webm', 'Ana', 4000, null),
        { ...video('03-audio.webm', 'Ms. Park', 0, 9000), kind: 'audio' },
      ],
      10_000,
    );
    assert.deepEqual(
      pieces.map((p) => [p.fromMs, p.toMs, p.tiles.map((t) => `${t.name}@${t.offsetMs}`)]),
      [
        [0, 1000, []],
        [1000, 4000, ['Ms. Park@0']],
        [4000, 9000, ['Ms. Park@3000', 'Ana@0']],
        [9000, 10_000, ['Ana@5000']],
      ],
      'sound is not a picture; an unfinished stream runs to the end',
    );
    assert.deepEqual(pieces[1]!.tiles[0], { ...pieces[1]!.tiles[0]!, ...slots(1)[0]! });
    assert.equal(pieces[2]!.tiles[1]!.x, 640, 'side by side');
  });

  it('merges slivers, keeps at most four pictures, and a grid for three or four', () => {
    const many = [0, 1, 2, 3, 4].map((i) => video(`0${i}-video.webm`, `P${i}`, 0, 5000 + i * 20));
    const pieces = composition(many, 6000);
    assert.equal(pieces[0]!.tiles.length, 4);
    assert.deepEqual(
      pieces.map((p) => [p.fromMs, p.toMs]),
      [
        [0, 5080],
        [5080, 6000],
      ],
      'streams ending 20 ms apart make no 20 ms pieces',
    );
    assert.deepEqual(
      slots(3).map((s) => [s.x, s.y]),
      [
        [0, 0],
        [640, 0],
        [0, 360],
      ],
    );
  });
});
