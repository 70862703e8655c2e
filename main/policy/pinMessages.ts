/**
 * What the app says about a room's key, in the app's language (the main process has no i18next:
 * these few sentences live here, beside the decisions they explain).
 */
import type { PinVerdict } from './certPins';

type Lang = 'en' | 'ko' | 'zh-CN';
type Text = { title: string; message: string; trust?: string; cancel: string };

const TEXTS: Record<Lang, (host: string, v: Exclude<PinVerdict, { kind: 'trusted' }>) => Text> = {
  en: (host, v) =>
    v.kind === 'ask'
      ? {
          title: 'New room',
          message: `First visit to the room at ${host}. Its key is ${v.short}. Trust it only if the room screen shows the same key.`,
          trust: 'Trust this room',
          cancel: 'Cancel',
        }
      : {
          title: 'The room’s key has changed',
          message: `The host at ${host} shows key ${v.short}, not ${v.kind === 'changed' ? v.remembered : v.expected}. Someone may be pretending to be this room; Lectern did not connect. If the room was set up again, ask the school’s IT to confirm the new key.`,
          cancel: 'Close',
        },
  ko: (host, v) =>
    v.kind === 'ask'
      ? {
          title: '새 교실',
          message: `${host} 교실에 처음 접속합니다. 키는 ${v.short}입니다. 교실 화면에 같은 키가 보일 때만 신뢰하세요.`,
          trust: '이 교실 신뢰',
          cancel: '취소',
        }
      : {
          title: '교실 키가 바뀌었습니다',
          message: `${host} 호스트의 키가 ${v.kind === 'changed' ? v.remembered : v.expected}이(가) 아니라 ${v.short}입니다. 누군가 이 교실을 사칭할 수 있어 연결하지 않았습니다. 교실을 다시 설치했다면 학교 IT 담당자에게 새 키를 확인하세요.`,
          cancel: '닫기',
        },
  'zh-CN': (host, v) =>
    v.kind === 'ask'
      ? {
          title: '新教室',
          message: `首次连接 ${host} 的教室，其密钥为 ${v.short}。只有教室大屏显示相同密钥时才信任它。`,
          trust: '信任此教室',
          cancel: '取消',
        }
      : {
          title: '教室密钥已改变',
          message: `${host} 的主机密钥为 ${v.short}，而不是 ${v.kind === 'changed' ? v.remembered : v.expected}。可能有人冒充此教室，Lectern 没有连接。如果教室重新安装过，请向学校 IT 确认新密钥。`,
          cancel: '关闭',
        },
};

export function pinText(
  lang: string,
  host: string,
  verdict: Exclude<PinVerdict, { kind: 'trusted' }>,
): Text {
  const l: Lang = lang.startsWith('ko') ? 'ko' : lang.startsWith('zh') ? 'zh-CN' : 'en';
  return TEXTS[l](host, verdict);
}
