/**
 * Stable error codes carried in error responses and `error` notifications.
 * Tests and clients switch on these, never on message text.
 */
export const ErrorCode = {
  PARSE_ERROR: 'PARSE_ERROR',
  INVALID_REQUEST: 'INVALID_REQUEST',
  INVALID_PARAMS: 'INVALID_PARAMS',
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  VERSION_MISMATCH: 'VERSION_MISMATCH',
  NOT_JOINED: 'NOT_JOINED',
  ALREADY_JOINED: 'ALREADY_JOINED',
  BAD_CODE: 'BAD_CODE',
  BAD_CREDENTIAL: 'BAD_CREDENTIAL',
  BAD_RESUME_TOKEN: 'BAD_RESUME_TOKEN',
  ROOM_LOCKED: 'ROOM_LOCKED',
  ROOM_FULL: 'ROOM_FULL',
  NOT_TEACHER: 'NOT_TEACHER',
  NOT_ON_STAGE: 'NOT_ON_STAGE',
  NO_INVITATION: 'NO_INVITATION',
  STAGE_FULL: 'STAGE_FULL',
  /** The teacher switched this microphone / camera off; only they switch it on again. */
  MUTED: 'MUTED',
  /** The stage invitation does not include this (e.g. a camera when invited for voice). */
  NOT_INVITED_FOR: 'NOT_INVITED_FOR',
  PEER_NOT_FOUND: 'PEER_NOT_FOUND',
  SHARE_NOT_FOUND: 'SHARE_NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  /** Teaching, sharing, speaking or showing the room needs the https page (plain http views only). */
  INSECURE_TRANSPORT: 'INSECURE_TRANSPORT',
  /** A remembered device's credential that this host does not know (forgotten, or not its own). */
  BAD_DEVICE_CREDENTIAL: 'BAD_DEVICE_CREDENTIAL',
  /** The teacher did not let this device in from the lobby. */
  LOBBY_REFUSED: 'LOBBY_REFUSED',
  /** Too many devices wait in the lobby (from this address, or in all). */
  LOBBY_FULL: 'LOBBY_FULL',
  /** A name with invisible, control or direction-changing characters. */
  BAD_NAME: 'BAD_NAME',
  /** A student's name that claims a role word or a teacher's name. */
  NAME_RESERVED: 'NAME_RESERVED',
  /** Text (chat, a share label) with control or direction-changing characters. */
  BAD_TEXT: 'BAD_TEXT',
  /** Another member of the room already speaks for this device. */
  DEVICE_TAKEN: 'DEVICE_TAKEN',
  /** The teacher removed this device from the class (until they undo it or the class ends). */
  BANNED: 'BANNED',
  /** The member a message is for cannot take more now: try again shortly. */
  PEER_BUSY: 'PEER_BUSY',
  /** The host has no SFU (or it is restarting). */
  SFU_UNAVAILABLE: 'SFU_UNAVAILABLE',
  /** mediasoup refused the call (bad parameters, unknown transport/producer/consumer). */
  SFU_REJECTED: 'SFU_REJECTED',
  /** No board is open (draw on a page, change its pages). */
  BOARD_CLOSED: 'BOARD_CLOSED',
  /** This member may not draw now (off stage while the board is not open to everyone). */
  BOARD_NOT_ALLOWED: 'BOARD_NOT_ALLOWED',
  /** A page, stroke, share or board limit is reached (protocol/board.ts: BOARD_LIMITS). */
  BOARD_FULL: 'BOARD_FULL',
  /** No such stroke (or not one this member may change), or nothing to undo / redo. */
  STROKE_NOT_FOUND: 'STROKE_NOT_FOUND',
  /** This host cannot record (no SFU, or no recorder binary). */
  RECORDING_UNAVAILABLE: 'RECORDING_UNAVAILABLE',
  /** The host's disk has too little space left to record. */
  DISK_LOW: 'DISK_LOW',
  /** No class record by that id on this host (deleted, or never there). */
  RECORD_NOT_FOUND: 'RECORD_NOT_FOUND',
  /** That record is being written: stop recording first. */
  RECORD_BUSY: 'RECORD_BUSY',
  /** This host is not linked to a cloud that keeps records (nothing to upload to). */
  CLOUD_UNAVAILABLE: 'CLOUD_UNAVAILABLE',
  /** A scheduled class that ends before (or too long after) it starts, or ids given twice. */
  SCHEDULE_INVALID: 'SCHEDULE_INVALID',
  /** Two scheduled classes of the room overlap (also an extension into the next class). */
  SCHEDULE_OVERLAP: 'SCHEDULE_OVERLAP',
  /** More scheduled classes than a room keeps (protocol/schedule.ts: SCHEDULE_LIMITS). */
  SCHEDULE_FULL: 'SCHEDULE_FULL',
  /** No scheduled class is running (nothing to extend). */
  NOT_SCHEDULED: 'NOT_SCHEDULED',
  /** A remote link that is unknown, expired or revoked. */
  LINK_INVALID: 'LINK_INVALID',
  /** The room is not connected to the cloud now: the class has not started. */
  ROOM_OFFLINE: 'ROOM_OFFLINE',
  /** Only devices in the room may do this (remember a device, show the room). */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  TIMEOUT: 'TIMEOUT',
  CONNECTION_CLOSED: 'CONNECTION_CLOSED',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes the relay uses (1000–1015 standard, 4000–4999 ours). */
export const CloseCode = {
  /** The host is shutting down. */
  GOING_AWAY: 1001,
  /** A frame over the size limit (`ws` closes with it). */
  MESSAGE_TOO_BIG: 1009,
  JOIN_TIMEOUT: 4001,
  REMOVED: 4002,
  CLASS_ENDED: 4003,
  REPLACED: 4004,
  LEFT: 4005,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4009,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** An error with a stable code, mapped onto protocol error responses. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    // A refusal is an answer, not a fault: no stack is taken, so refusing a flood stays cheap.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}
