const VIDEO_CODECS = /^a=rtpmap:(\d+) (VP8|VP9|H264|AV1)\/90000/;

/**
 * Adds `x-google-start-bitrate` (kbps) to every video codec's fmtp line of a remote description,
 * so a LAN share starts near its target instead of at 300 kbps and ramping for seconds.
 * Codecs without an fmtp line get one.
 */
export function withStartBitrate(sdp: string, kbps: number): string {
  const lines = sdp.split('\r\n');
  const fmtp = new Map<string, number>();
  lines.forEach((l, i) => {
    const m = /^a=fmtp:(\d+) /.exec(l);
    if (m) fmtp.set(m[1]!, i);
  });
  const out: string[] = [];
  for (const line of lines) {
    const fm = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (fm && isVideoPt(lines, fm[1]!)) {
      const params = fm[2]!.split(';').filter((p) => !p.startsWith('x-google-start-bitrate='));
      out.push(`a=fmtp:${fm[1]} ${[...params, `x-google-start-bitrate=${kbps}`].join(';')}`);
      continue;
    }
    out.push(line);
    const rm = VIDEO_CODECS.exec(line);
    if (rm && !fmtp.has(rm[1]!)) out.push(`a=fmtp:${rm[1]} x-google-start-bitrate=${kbps}`);
  }
  return out.join('\r\n');
}

function isVideoPt(lines: readonly string[], pt: string): boolean {
  return lines.some((l) => {
    const m = VIDEO_CODECS.exec(l);
    return m !== null && m[1] === pt;
  });
}

/**
 * Asks for audio packets of `ms` (an `a=ptime` line in every audio section of a remote
 * description, replacing one there): the side that applies it sends Opus frames that long.
 */
export function withPtime(sdp: string, ms: number): string {
  return sdp
    .split(/\r\n(?=m=)/)
    .map((section) => {
      if (!section.startsWith('m=audio')) return section;
      const lines = section.split('\r\n').filter((l) => !l.startsWith('a=ptime:'));
      // After the section's attributes, before the trailing empty line of the description.
      const end = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
      lines.splice(end, 0, `a=ptime:${ms}`);
      return lines.join('\r\n');
    })
    .join('\r\n');
}
