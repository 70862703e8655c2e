import type { RelayLimits } from '../../local-ws';

/**
 * For tests that load one relay from one address on purpose (hundreds of devices on
 * 127.0.0.1, thousands of chats a second): the per-address and per-sender budgets, which would
 * stop them by design, are lifted. The budgets are tested with production values in test/hostile; benchmarks use these too.
 */
export const LOAD_LIMITS: Partial<RelayLimits> = {
  maxConnectionsPerAddress: 1000,
  maxTcpPerAddress: 1000,
  maxPendingPerAddress: 1000,
  maxPendingHandshakes: 1000,
  connectsPerSecondPerAddress: 1e9,
  connectsBurstPerAddress: 1e9,
  codeGuessBurst: 1e9,
  chatPerSecond: 1e9,
  chatBurst: 1e9,
  roomChatPerSecond: 1e9,
  roomChatBurst: 1e9,
  fanoutBytesPerSecond: 1e12,
  fanoutBurstBytes: 1e12,
  metricsPerSecond: 1e9,
  metricsBurst: 1e9,
};
