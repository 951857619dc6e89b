// Trunk's initializer (index.html: `data-initializer`): while the wasm downloads (seconds on a
// slow 4G link) the shell's loading line shows how far it has come; when the download fails, or
// no byte has come for a while, the shell says so and offers to try again, instead of a
// loading line that never ends. The words are the shell's own (index.html, both languages).

// No byte for this long: say the network looks slow or down (hidden again when bytes come).
const STALL_MS = 10_000;

export default function loader() {
  const shell = () => document.getElementById('shell');
  const find = (selector) => shell()?.querySelector(selector);
  let stallTimer;

  // `stalled` or `failed`, or null to hide the notice.
  const notice = (state) => {
    const box = find('.load-problem');
    if (!box) return; // The app has mounted and removed the shell.
    box.hidden = state === null;
    box.dataset.state = state ?? '';
    // Failed: no more "loading" and no skeleton cards promising wishes.
    for (const selector of ['.loading', '.skeleton-list']) {
      find(selector)?.toggleAttribute('hidden', state === 'failed');
    }
  };
  const watch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => notice('stalled'), STALL_MS);
  };

  return {
    onStart() {
      find('.load-problem__retry')?.addEventListener('click', () => location.reload());
      watch();
    },
    onProgress({ current, total }) {
      const bar = find('.loading__bar');
      if (bar && total > 0) bar.value = Math.min(100, Math.floor((current / total) * 100));
      if (find('.load-problem')?.dataset.state === 'stalled') notice(null);
      watch();
    },
    onComplete() {
      clearTimeout(stallTimer);
    },
    onFailure(reason) {
      console.error('the app did not load:', reason);
      notice('failed');
    },
  };
}
