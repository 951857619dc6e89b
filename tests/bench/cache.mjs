// Shared by the browser benches: the device cache grown to `target` wishes, copies of the
// ones the first online visit cached, under new ids (the app reads them as its own).
export async function growWishCache(page, target) {
  return page.evaluate(async (target) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('microwish');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('wishes', 'readwrite');
    const store = tx.objectStore('wishes');
    const all = await new Promise((resolve) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result);
    });
    for (let n = all.length; n < target; n += 1) {
      const wish = JSON.parse(all[n % all.length]);
      wish.id = crypto.randomUUID();
      store.put(JSON.stringify(wish), wish.id);
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    return target;
  }, target);
}
