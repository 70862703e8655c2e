import type { ChatMessage } from '../protocol';

/** A class's chat: messages in order with ids unique within the class, the latest `keep` kept. */
export class ChatLog {
  private readonly messages: ChatMessage[] = [];
  private seq = 0;

  constructor(private readonly keep: number) {}

  /** Ids need only be unique within the class (no secret): a counter, not a crypto call. */
  post(classId: string, from: { id: string; name: string }, text: string): ChatMessage {
    const message: ChatMessage = {
      id: `${classId}.${(++this.seq).toString(36)}`,
      from: from.id,
      name: from.name,
      text,
      at: Date.now(),
    };
    this.messages.push(message);
    if (this.messages.length > this.keep) this.messages.shift();
    return message;
  }

  recent(): ChatMessage[] {
    return [...this.messages];
  }

  clear(): void {
    this.messages.length = 0;
  }
}
