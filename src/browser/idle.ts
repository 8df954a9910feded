/**
 * Portal pages' idle-logout warning (bundled into idle.bundle.js): a few minutes before the server's idle
 * limit, an alert dialog offers "Rester connecté"; the button calls a keep-alive URL, which counts as
 * activity on the server. No inline script: the page carries the settings in data-* attributes.
 */
function start(): void {
  const box = document.getElementById('idle-warning');
  const stay = document.getElementById('idle-stay');
  const countdown = box?.querySelector<HTMLElement>('[data-countdown]');
  if (!box || !stay || !countdown) return;
  const idleMs = Number(box.dataset.idleMinutes ?? '45') * 60_000;
  const warnMs = Math.min(Number(box.dataset.warnMinutes ?? '5') * 60_000, idleMs / 2);
  const keepAliveUrl = box.dataset.keepaliveUrl ?? '';
  const expiredUrl = box.dataset.expiredUrl ?? '/connexion?expired=1';
  let deadline = 0;
  let ticker: ReturnType<typeof setInterval> | null = null;

  function arm(): void {
    deadline = Date.now() + idleMs;
    box!.hidden = true;
    if (ticker) clearInterval(ticker);
    ticker = setInterval(tick, 1000);
  }

  function tick(): void {
    const left = deadline - Date.now();
    if (left <= 0) {
      if (ticker) clearInterval(ticker);
      location.assign(expiredUrl);
      return;
    }
    if (left <= warnMs) {
      countdown!.textContent = String(Math.ceil(left / 60_000));
      if (box!.hidden) {
        box!.hidden = false;
        stay!.focus();
      }
    }
  }

  stay.addEventListener('click', () => {
    void fetch(keepAliveUrl, { credentials: 'same-origin', redirect: 'manual', headers: { accept: 'application/json' } })
      .then((response) => (response.ok ? arm() : location.assign(expiredUrl)))
      .catch(() => undefined);
  });
  arm();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
