import type { TFunction } from 'i18next';
import type { PeerInfo, Share } from '../../../protocol';

/** A track label that is a browser's internal name ("screen:-3:0"), not a person's words. */
export const machineLabel = (label: string): boolean =>
  /^[a-z-]+:[-\d:]+$/i.test(label) || /^[\w-]+:\/\//.test(label) || label.trim() === '';

/**
 * What a person calls a share: "Ms. Park — entire screen", "Ana — window: Slides". A camera or
 * device label ("Integrated Camera (04f2:b6d9)") says nothing the kind does not.
 */
export function shareTitle(share: Share, owner: PeerInfo | undefined, t: TFunction): string {
  const what = t(`kind.${share.kind}`);
  const detail =
    (share.kind === 'window' || share.kind === 'tab' || share.kind === 'screen') &&
    !machineLabel(share.label)
      ? `: ${share.label}`
      : '';
  return owner ? `${owner.name} — ${what}${detail}` : `${what}${detail}`;
}
