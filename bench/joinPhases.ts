/**
 * Join phases timed in a student's own page, from navigation start (bench:join, bench:remote):
 * the join form usable, the click on Join, the room's view, the first decoded frame of the
 * share. Add PHASES as an init script of the page's context; read `window.__join`.
 */
/** In the student's page before anything loads: when each phase ended (ms since navigation). */
export const PHASES = `
  window.__join = { form: null, click: null, room: null, frame: null, html: 0, scripts: 0, dcl: 0 };
  const j = window.__join;
  const look = () => {
    const t = performance.now();
    if (j.form === null && document.querySelector('form button[type=submit]')) {
      j.form = t;
      const nav = performance.getEntriesByType('navigation')[0];
      const js = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'));
      j.html = nav ? nav.responseEnd : 0;
      j.scripts = Math.max(0, ...js.map((r) => r.responseEnd));
      j.dcl = nav ? nav.domContentLoadedEventEnd : 0;
    }
    if (j.click !== null && j.room === null && document.querySelector('.viewer')) j.room = t;
    const v = document.querySelector('.viewer video');
    if (j.room !== null && v && !v.__watched && v.requestVideoFrameCallback) {
      v.__watched = true;
      v.requestVideoFrameCallback(() => { if (j.frame === null) j.frame = performance.now(); });
    }
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
  addEventListener('click', (e) => {
    if (j.click === null && e.target.closest && e.target.closest('button[type=submit]')) j.click = performance.now();
  }, true);
`;

export interface Phases {
  /** Navigation start to: the page's HTML, the last script file, DOMContentLoaded, the form. */
  html: number;
  scripts: number;
  dcl: number;
  form: number;
  click: number;
  room: number;
  frame: number;
}
