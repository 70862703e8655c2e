import type { ClientMethod, ClientResult, ParsedClientParams } from '../../protocol';
import type { Connection } from '../Connection';
import type { Member } from '../Member';
import type { RelayContext } from '../RelayContext';

/** A handler's answer: the method's result type as the protocol declares it. */
export type Answer<M extends ClientMethod> = ClientResult<M> | Promise<ClientResult<M>>;

/**
 * How one client method is carried out. `guard` says who may call it, checked before `run`:
 * any connection (`join`, `ping`), a member of a room, or a teacher. Identity (`from`) always
 * comes from the caller, never from the params; targets are looked up in the caller's room.
 */
export type Handler<M extends ClientMethod> =
  | {
      guard: 'connection';
      run(ctx: RelayContext, conn: Connection, params: ParsedClientParams<M>): Answer<M>;
    }
  | {
      guard: 'member' | 'teacher';
      /** `conn` is the member's connection the call came on (its budget pays for the call). */
      run(
        ctx: RelayContext,
        member: Member,
        params: ParsedClientParams<M>,
        conn: Connection,
      ): Answer<M>;
    };

/**
 * One concern's methods (session, chat, stage, …). The full table is checked with `satisfies`
 * against every `ClientMethod`, so a method without a handler, or a handler answering the wrong
 * shape, fails the type-check.
 */
export type HandlerTable<Ms extends ClientMethod> = { [M in Ms]: Handler<M> };
