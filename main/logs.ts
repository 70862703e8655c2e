/**
 * A log file that rotates by size: `main.log`, `main.log.1` … `main.log.<keep>`. Synchronous
 * appends so the last lines before a crash are on disk.
 */
import fs from 'node:fs';

export interface LogOptions {
  maxBytes?: number;
  keep?: number;
}

export class RotatingLog {
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(
    readonly file: string,
    opts: LogOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 1_000_000;
    this.keep = opts.keep ?? 3;
    this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  /** One line: ISO time, level, context, message. Newlines in the message are escaped. */
  write(level: 'info' | 'warn' | 'error', context: string, message: string): void {
    const line = `${new Date().toISOString()} ${level} [${context}] ${message.replace(/\n/g, '\\n')}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size + bytes > this.maxBytes && this.size > 0) this.rotate();
    fs.appendFileSync(this.file, line);
    this.size += bytes;
  }

  /** The files that exist, newest first. */
  files(): string[] {
    const all = [this.file];
    for (let i = 1; i <= this.keep; i++) all.push(`${this.file}.${i}`);
    return all.filter((f) => fs.existsSync(f));
  }

  private rotate(): void {
    fs.rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--)
      if (fs.existsSync(`${this.file}.${i}`))
        fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    fs.renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}
