export { RelayServer, type RelayStats } from './RelayServer';
export { RoomHost, type RoomHostInfo, type RoomHostOptions } from './RoomHost';
export { DEFAULT_LIMITS, DEFAULT_PORT, type RelayLimits, type RelayOptions } from './config';
export type { Room } from './Room';
export type { CodeChange, RoomKeys } from './RoomRegistry';
export { hashCredential, verifyCredential } from '../server-kit/secrets';
