// Runs before the first paint: this device's language and elder mode (chosen on 我的, stored
// by src/prefs.rs under these keys) apply to the shell index.html draws while the app loads,
// so nothing changes language or size under the reader's eyes when the app takes over.
try {
  const root = document.documentElement;
  if (localStorage.getItem('microwish.language') === 'en') root.lang = 'en';
  if (localStorage.getItem('microwish.elder') === 'on') root.classList.add('elder');
} catch (_) {
  // Storage refused (private mode): the defaults.
}
