export * from './errors';
export * from './model';
export * from './client';
export * from './server';
export * from './envelope';
export { RpcClient, type RpcSocket, type RpcClientOptions } from './RpcClient';
export { sfuMethods, sfuNotifications, TransportInfo, type SfuMethod } from './sfu';
export * from './metrics';
export * from './quality';
export * from './board';
export * from './records';
export * from './recordUploads';
export * from './schedule';
export * from './joinLink';
export * from './upstream';
export * from './remote';
export * from './cloudSfu';
export * from './probe';
export {
  SendStream,
  type Entry,
  type KindClass,
  type SendJournal,
  type SendStats,
} from './link/SendStream';
export { RecvStream, StreamError } from './link/RecvStream';
export { LinkChannel, type LinkSocket } from './link/LinkChannel';
export type * from './console';
export * from './cloudApi';
