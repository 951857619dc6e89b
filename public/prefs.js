// Runs before the first paint: this device's language and elder mode (chosen on 我的, stored
// by src/prefs.rs under these keys) apply to the shell index.html draws while the app loads,
// so nothing changes language or size under the reader's eyes when the app takes over.
// The language is also left where the service worker reads it (it has no localStorage), so
// that lock-screen notices speak it too.
try {
  const root = document.documentElement;
  const language = localStorage.getItem('microwish.language');
  if (language === 'en') root.lang = 'en';
  if (localStorage.getItem('microwish.elder') === 'on') root.classList.add('elder');
  if (window.caches) {
    caches
      .open('microwish.settings')
      .then((cache) => cache.put('/settings/language', new Response(language ?? 'zh-CN')))
      .catch(() => {});
  }
} catch (_) {
  // Storage refused (private mode): the defaults.
}
