/**
 * A room's routers on the cloud's workers: a home router on the least loaded worker (the room's
 * pipe, its producers and send transports live there) and, once the home worker carries its
 * share of consumers, routers on other workers for the receivers that spill over, each fed the
 * producers they consume once through `pipeToRouter`.
 */
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../server-kit/sfuConfig';
import type { WorkerPool } from './WorkerPool';

interface Home {
  worker: types.Worker;
  router: types.Router;
}

export class RoomRouters {
  private homePromise: Promise<Home> | null = null;
  /** This room's routers on other workers, for receivers that spilled over. */
  private readonly spill = new Map<types.Worker, Promise<types.Router>>();
  /** Producers piped to a spill router, by `routerId producerId`. */
  private readonly piped = new Map<string, Promise<unknown>>();

  constructor(private readonly pool: WorkerPool) {}

  /** The home router (created on first use, on the least loaded worker). */
  async home(): Promise<types.Router> {
    return (await this.homeEntry()).router;
  }

  /** Where a new receiver goes: home while its worker has room, else a router elsewhere. */
  async forReceiver(): Promise<types.Router> {
    const home = await this.homeEntry();
    const worker = await this.pool.pick(home.worker);
    if (worker === home.worker) return home.router;
    let router = this.spill.get(worker);
    if (!router) {
      router = worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      const made = router;
      made.catch(() => {
        if (this.spill.get(worker) === made) this.spill.delete(worker);
      });
      this.spill.set(worker, made);
    }
    return router;
  }

  /** The worker a router of this room is on. */
  async workerOf(router: types.Router): Promise<types.Worker> {
    const home = await this.homeEntry();
    if (router === home.router) return home.worker;
    for (const [worker, r] of this.spill) if ((await r.catch(() => null)) === router) return worker;
    return home.worker;
  }

  /** A producer of the home router made consumable on `router` (piped there once). */
  async pipeTo(producer: types.Producer, router: types.Router): Promise<void> {
    const home = await this.home();
    if (router === home) return;
    const key = `${router.id} ${producer.id}`;
    let piping = this.piped.get(key);
    if (!piping) {
      piping = home.pipeToRouter({ producerId: producer.id, router });
      this.piped.set(key, piping);
      piping.catch(() => this.piped.delete(key));
      // The piped copy closes with its producer; so does the record of it.
      producer.observer.once('close', () => this.piped.delete(key));
    }
    await piping;
  }

  /** Whether any of this room's routers is on `worker`. */
  async uses(worker: types.Worker): Promise<boolean> {
    if (this.spill.has(worker)) return true;
    return (await this.homePromise?.catch(() => null))?.worker === worker;
  }

  /** Workers this room's routers are on. */
  get workers(): number {
    return (this.homePromise ? 1 : 0) + this.spill.size;
  }

  /** Every router closes; the next call starts afresh. */
  reset(): void {
    const home = this.homePromise;
    const spill = [...this.spill.values()];
    this.homePromise = null;
    this.spill.clear();
    this.piped.clear();
    void home?.then((h) => h.router.close()).catch(() => undefined);
    for (const r of spill) void r.then((x) => x.close()).catch(() => undefined);
  }

  private homeEntry(): Promise<Home> {
    if (!this.homePromise) {
      const created = this.pool.pick().then(async (worker) => ({
        worker,
        router: await worker.createRouter({ mediaCodecs: MEDIA_CODECS }),
      }));
      created.catch(() => {
        if (this.homePromise === created) this.homePromise = null;
      });
      this.homePromise = created;
    }
    return this.homePromise;
  }
}
