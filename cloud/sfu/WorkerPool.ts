/**
 * The cloud SFU's mediasoup workers: up to `size` of them (one per core by default), each
 * started when first needed. A worker is one thread of media forwarding; a class that outgrows
 * one spills its receivers onto the next (its rooms pipe producers there, see CloudRoomSfu), and
 * classes start on the least loaded. Load is counted in consumers, what a worker's CPU follows.
 */
import os from 'node:os';
import type { types } from 'mediasoup';
import { createLogger } from '../../server-kit/log';
import { startWorker, type SfuOptions } from '../../server-kit/sfuConfig';

const log = createLogger('cloud-sfu');

export interface PoolOptions {
  /** Workers at most (default: the machine's cores). */
  workers?: number;
  /**
   * Consumers a worker takes before receivers spill onto another (the fan-out a core carries
   * with room to spare; `npm run bench:remote -- --only fanout` measures it).
   */
  spillAt?: number;
}

/** Consumers per worker before a class spills over: bench:remote measured ~93 receivers of a 4 Mbit/s share at 80 % of a core; a viewer's audio consumer costs a tenth of that. */
export const DEFAULT_SPILL_AT = 100;

interface Slot {
  worker: Promise<types.Worker> | null;
  consumers: number;
}

export class WorkerPool {
  private readonly slots: Slot[];
  /** Running workers' slots. */
  private readonly slotOf = new Map<types.Worker, Slot>();
  readonly spillAt: number;
  private closed = false;

  constructor(
    private readonly options: SfuOptions,
    opts: PoolOptions,
    /** A worker died: everything on it is gone. */
    private readonly died: (worker: types.Worker) => void,
  ) {
    const size = Math.max(1, opts.workers ?? os.availableParallelism());
    this.slots = Array.from({ length: size }, () => ({ worker: null, consumers: 0 }));
    this.spillAt = opts.spillAt ?? DEFAULT_SPILL_AT;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Workers running now. */
  get started(): number {
    return this.slots.filter((s) => s.worker !== null).length;
  }

  /** The workers running now. */
  running(): types.Worker[] {
    return [...this.slotOf.keys()];
  }

  /** Consumers per worker slot (stats and tests). */
  loads(): number[] {
    return this.slots.map((s) => s.consumers);
  }

  /**
   * Where new consumers go: `prefer` while it has room (no pipe needed), else the least loaded
   * running worker with room, else a worker not started yet, else the least loaded of all.
   */
  async pick(prefer?: types.Worker): Promise<types.Worker> {
    if (this.closed) throw new Error('SFU closed');
    const preferred = prefer && this.slotOf.get(prefer);
    if (preferred && preferred.consumers < this.spillAt) return prefer;
    const running = this.slots.filter((s) => s.worker !== null);
    const roomy = running
      .filter((s) => s.consumers < this.spillAt)
      .sort((a, b) => a.consumers - b.consumers)[0];
    const idle = this.slots.find((s) => s.worker === null);
    const slot = roomy ?? idle ?? [...this.slots].sort((a, b) => a.consumers - b.consumers)[0]!;
    return this.start(slot);
  }

  /** The first worker (started if needed): for what does not fan out (checks, pipes). */
  first(): Promise<types.Worker> {
    if (this.closed) return Promise.reject(new Error('SFU closed'));
    return this.start(this.slots[0]!);
  }

  /** A consumer was made (+1) or went (-1) on `worker`. */
  count(worker: types.Worker, delta: number): void {
    const slot = this.slotOf.get(worker);
    if (slot) slot.consumers = Math.max(0, slot.consumers + delta);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      const w = await slot.worker?.catch(() => null);
      w?.close();
      slot.worker = null;
    }
    this.slotOf.clear();
  }

  private start(slot: Slot): Promise<types.Worker> {
    if (!slot.worker) {
      const started = startWorker(this.options).then((w) => {
        this.slotOf.set(w, slot);
        w.on('died', (err) => {
          log.warn(`mediasoup worker ${w.pid} died: ${err.message}`);
          this.slotOf.delete(w);
          if (slot.worker === started) {
            slot.worker = null;
            slot.consumers = 0;
          }
          if (!this.closed) this.died(w);
        });
        log.info(`mediasoup worker ${w.pid} started (${this.started} of ${this.size})`);
        return w;
      });
      started.catch(() => {
        if (slot.worker === started) slot.worker = null;
      });
      slot.worker = started;
    }
    return slot.worker;
  }
}
