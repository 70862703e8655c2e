import { LIMITS, type ChatMessage, type Role } from '../protocol';

/** A class's chat: messages in order with ids unique within the class, the latest `keep` kept. */
export class ChatLog {
  private readonly messages: ChatMessage[] = [];
  private seq = 0;

  constructor(private readonly keep: number) {}

  /** Ids need only be unique within the class (no secret): a counter, not a crypto call. */
  post(classId: string, from: { id: string; name: string; role: Role }, text: string): ChatMessage {
    const message: ChatMessage = {
      id: `${classId}.${(++this.seq).toString(36)}`,
      from: from.id,
      name: from.name,
      role: from.role,
      text,
      at: Date.now(),
    };
    this.messages.push(message);
    if (this.messages.length > this.keep) this.messages.shift();
    return message;
  }

  /** The latest messages, oldest first, as a snapshot carries them. */
  recent(count: number = LIMITS.chatInSnapshot): { messages: ChatMessage[]; more: boolean } {
    return {
      messages: this.messages.slice(-count),
      more: this.messages.length > count,
    };
  }

  /** Up to `limit` messages before the one with id `before` (or the latest), oldest first. */
  page(before: string | undefined, limit: number): { messages: ChatMessage[]; more: boolean } {
    const end = before === undefined ? this.messages.length : this.indexOf(before);
    const start = Math.max(0, end - limit);
    return { messages: this.messages.slice(start, end), more: start > 0 };
  }

  clear(): void {
    this.messages.length = 0;
  }

  private indexOf(id: string): number {
    const i = this.messages.findIndex((m) => m.id === id);
    return i < 0 ? 0 : i;
  }
}
