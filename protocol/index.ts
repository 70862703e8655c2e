export * from './errors';
export * from './model';
export * from './client';
export * from './server';
export * from './envelope';
export { RpcClient, type RpcSocket, type RpcClientOptions } from './RpcClient';
export { sfuMethods, sfuNotifications, TransportInfo } from './sfu';
