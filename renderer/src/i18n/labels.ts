import type { TFunction } from 'i18next';
import { machineLabel, type PeerInfo, type Share } from '../../../protocol';

export { machineLabel };

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
