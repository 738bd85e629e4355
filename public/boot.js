// The lock screen before the app's code has loaded: on a phone with a PIN the page shows its PIN
// field at once (the wasm takes a moment to start on a cheap phone), the teacher types while the
// app loads, and the app's own lock screen takes over what was typed and whether 解锁 was tapped
// (src/gate/boot.rs). Nothing here reads a record or checks the PIN; the app does.
(() => {
  const lock = document.getElementById('boot-lock');
  if (!lock) return;
  let locked = false;
  let enrolment = null;
  try {
    // Written by the app (src/prefs.rs): it has a PIN, and it was not erased by the school.
    locked = localStorage.getItem('shouwang.locked') === 'true'
      && localStorage.getItem('shouwang.wiped') !== 'true';
    enrolment = JSON.parse(localStorage.getItem('shouwang.enrolment') ?? 'null');
  } catch {
    locked = false;
  }
  if (!locked) {
    lock.remove();
    return;
  }
  document.getElementById('boot-opening')?.remove();
  if (enrolment?.school?.name && enrolment?.teacher?.name) {
    document.getElementById('boot-who').textContent = `${enrolment.school.name} · ${enrolment.teacher.name}`;
  }
  const form = lock.querySelector('form');
  const button = form.querySelector('button');
  form.addEventListener('submit', (event) => {
    // Never sent anywhere: the app unlocks with it once it has started.
    event.preventDefault();
    if (!form.elements.pin.value) {
      form.elements.pin.focus();
      return;
    }
    lock.dataset.submitted = 'true';
    button.disabled = true;
    button.textContent = '正在解锁…';
  });
  lock.hidden = false;
})();
