/**
 * Simulcast for screen shares through the SFU, and which layer a receiver asks for. Pure, so
 * the policy is unit-tested.
 */

export interface SimulcastLayer {
  rid: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
  scalabilityMode: string;
}

/**
 * Three layers: quarter, half and full resolution. The top layer gets the preset's bitrate;
 * the lower ones what their size needs (at least enough to read large text).
 */
export function simulcastEncodings(sourceWidth: number, topBitrate: number): SimulcastLayer[] {
  const quarter = Math.max(300_000, Math.round(topBitrate / 10));
  const half = Math.max(800_000, Math.round(topBitrate / 3.5));
  const layers: SimulcastLayer[] = [
    { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: quarter, scalabilityMode: 'L1T3' },
    { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: half, scalabilityMode: 'L1T3' },
    { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: topBitrate, scalabilityMode: 'L1T3' },
  ];
  // A small source (a window) gets fewer layers: nothing below ~320 px wide.
  return sourceWidth >= 1280 ? layers : sourceWidth >= 640 ? layers.slice(1) : layers.slice(2);
}

/**
 * The spatial layer a receiver needs for a video shown `viewportWidth` CSS pixels wide (times
 * the device pixel ratio): the smallest layer at least that wide, of a source `sourceWidth`
 * wide sent with `layerCount` layers (each twice the previous).
 */
export function preferredLayer(
  viewportWidth: number,
  devicePixelRatio: number,
  sourceWidth = 1920,
  layerCount = 3,
): number {
  const needed = viewportWidth * Math.max(1, devicePixelRatio);
  for (let layer = 0; layer < layerCount; layer++) {
    const width = sourceWidth / 2 ** (layerCount - 1 - layer);
    if (width >= needed * 0.9) return layer;
  }
  return layerCount - 1;
}
