/**
 * Screen capture for the app's own source picker: list screens and windows with thumbnails and
 * app icons, and hand the picked one to the renderer's getDisplayMedia.
 */
import { desktopCapturer, session } from 'electron';
import type { CaptureSource } from '../protocol/desktop';
import { CapturePick, isSourceId } from './capturePick';
import { isAppUrl } from './policy/navigation';

export class ScreenCapture {
  private readonly pick = new CapturePick();

  async listSources(): Promise<CaptureSource[]> {
    const sources = await desktopCapturer.getSources({
      types: ['screen', 'window'],
      thumbnailSize: { width: 320, height: 180 },
      fetchWindowIcons: true,
    });
    return sources.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.id.startsWith('screen:') ? 'screen' : 'window',
      thumbnail: s.thumbnail.toDataURL(),
      appIcon: s.appIcon && !s.appIcon.isEmpty() ? s.appIcon.toDataURL() : null,
      displayId: s.display_id || null,
    }));
  }

  choose(sourceId: string, withAudio: boolean): void {
    if (!isSourceId(sourceId)) throw new Error(`not a capture source id: ${String(sourceId)}`);
    this.pick.set({ sourceId, withAudio }, Date.now());
  }

  /** getDisplayMedia from our own page gets the picked source; anything else gets nothing. */
  install(): void {
    session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
      const pick = this.pick.take(Date.now());
      const ours = request.frame !== null && isAppUrl(request.frame.url);
      if (!pick || !ours) {
        callback({});
        return;
      }
      void desktopCapturer.getSources({ types: ['screen', 'window'] }).then((sources) => {
        const source = sources.find((s) => s.id === pick.sourceId);
        if (!source) return callback({});
        // System audio loopback exists on Windows only; elsewhere video alone.
        const loopback = pick.withAudio && request.audioRequested && process.platform === 'win32';
        callback(loopback ? { video: source, audio: 'loopback' } : { video: source });
      });
    });
  }
}
