/**
 * Electron glue for room certificates: Chromium's verdict stands for certificates it trusts (a
 * school's own, the cloud's); any other goes through the pin decision (main/policy/certPins.ts),
 * with a first-use prompt and a refusal that says why.
 */
import { dialog, type Session } from 'electron';
import { judgeCertificate, type PinStore } from './policy/certPins';
import { pinText } from './policy/pinMessages';

/** Chromium's codes for setCertificateVerifyProc: accept, refuse, use its own verdict. */
const ACCEPT = 0;
const REFUSE = -2;
const CHROMIUM = -3;

export interface CertTrustDeps {
  pins: PinStore;
  /** The pin a room advertised for this host (mDNS), if any. */
  advertised(host: string): string | undefined;
  language(): string;
  log(message: string): void;
}

export function installCertTrust(ses: Session, deps: CertTrustDeps): void {
  // One prompt per host at a time: a page opens several connections at once.
  const asking = new Map<string, Promise<boolean>>();
  ses.setCertificateVerifyProc((request, callback) => {
    if (request.verificationResult === 'net::OK') return callback(CHROMIUM);
    const host = request.hostname;
    const verdict = judgeCertificate(
      request.certificate.data,
      deps.pins.get(host),
      deps.advertised(host),
    );
    if (verdict.kind === 'trusted') {
      if (verdict.remember) void deps.pins.remember(host, verdict.pin);
      return callback(ACCEPT);
    }
    const text = pinText(deps.language(), host, verdict);
    if (verdict.kind !== 'ask') {
      deps.log(`refused ${host}: key ${verdict.short} (${verdict.kind})`);
      callback(REFUSE);
      void dialog.showMessageBox({
        type: 'warning',
        title: text.title,
        message: text.message,
        buttons: [text.cancel],
      });
      return;
    }
    let answer = asking.get(host);
    if (!answer) {
      answer = dialog
        .showMessageBox({
          type: 'question',
          title: text.title,
          message: text.message,
          buttons: [text.trust!, text.cancel],
          defaultId: 1,
          cancelId: 1,
        })
        .then(async ({ response }) => {
          if (response === 0) await deps.pins.remember(host, verdict.pin);
          return response === 0;
        })
        .finally(() => asking.delete(host));
      asking.set(host, answer);
    }
    void answer.then((ok) => callback(ok ? ACCEPT : REFUSE));
  });
}
