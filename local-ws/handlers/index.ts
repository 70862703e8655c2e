import type { ClientMethod } from '../../protocol';
import { boardHandlers } from './board';
import { chatHandlers } from './chat';
import { credentialHandlers } from './credentials';
import { deviceHandlers } from './devices';
import { metricsHandlers } from './metrics';
import { moderationHandlers } from './moderation';
import { recordHandlers } from './record';
import { scheduleHandlers } from './schedule';
import { sessionHandlers } from './session';
import { shareHandlers } from './share';
import { sfuHandlers } from './sfu';
import { stageHandlers } from './stage';
import type { HandlerTable } from './types';

export type { Handler, HandlerTable } from './types';

/**
 * Every client method's handler. A new method is one schema in protocol/client.ts (or sfu.ts)
 * and one entry in its concern's table here; forgetting either fails the type-check.
 */
export const handlers: HandlerTable<ClientMethod> = {
  ...sessionHandlers,
  ...chatHandlers,
  ...stageHandlers,
  ...shareHandlers,
  ...moderationHandlers,
  ...metricsHandlers,
  ...credentialHandlers,
  ...deviceHandlers,
  ...sfuHandlers,
  ...boardHandlers,
  ...recordHandlers,
  ...scheduleHandlers,
} satisfies HandlerTable<ClientMethod>;
