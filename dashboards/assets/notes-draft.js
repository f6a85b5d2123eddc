// Keeps a draft of the street-note form in this browser (localStorage), so a dropped connection or a closed tab
// loses nothing. Served from /assets (CSP script-src 'self'); the form works the same without it. The draft is
// restored only into a fresh form, and cleared once the server confirms the note was saved.
(function () {
  'use strict';
  var form = document.getElementById('notes-form');
  if (!form) return;
  var key = form.getAttribute('data-draft-key');
  if (!key) return;
  var storage;
  try {
    storage = window.localStorage;
  } catch (e) {
    return;
  }
  if (document.querySelector('[data-draft-clear="true"]')) storage.removeItem(key);

  var fields = ['wijk', 'place', 'date', 'ageBand', 'role'];
  var container = document.getElementById('note-signals');

  function signalAreas() {
    return Array.prototype.slice.call(container.querySelectorAll('textarea[name="signal"]'));
  }

  function save() {
    var draft = { fields: {}, signals: signalAreas().map(function (t) { return t.value; }) };
    fields.forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el) draft.fields[name] = el.value;
    });
    var empty = draft.signals.every(function (s) { return s.trim() === ''; }) && !draft.fields.place;
    try {
      if (empty) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(draft));
    } catch (e) {
      // Storage full or blocked: the form still works, only without a draft.
    }
  }

  function addSignalField() {
    var areas = signalAreas();
    var last = areas[areas.length - 1];
    var field = last.closest('.note-signal');
    var copy = field.cloneNode(true);
    var n = areas.length;
    var area = copy.querySelector('textarea');
    var label = copy.querySelector('label');
    var error = copy.querySelector('.utrecht-form-field-error-message');
    if (error) error.remove();
    copy.classList.remove('utrecht-form-field--invalid');
    area.id = 'note-signal-' + n;
    area.value = '';
    area.removeAttribute('aria-invalid');
    area.removeAttribute('aria-describedby');
    area.removeAttribute('autofocus');
    label.setAttribute('for', area.id);
    label.textContent = (form.getAttribute('data-signal-label') || '{n}').replace('{n}', String(n + 1));
    container.appendChild(copy);
    return area;
  }

  function restore() {
    var raw = storage.getItem(key);
    if (!raw) return;
    var draft;
    try {
      draft = JSON.parse(raw);
    } catch (e) {
      storage.removeItem(key);
      return;
    }
    fields.forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && draft.fields && typeof draft.fields[name] === 'string') el.value = draft.fields[name];
    });
    var signals = Array.isArray(draft.signals) ? draft.signals : [];
    signals.forEach(function (text, i) {
      var area = signalAreas()[i] || addSignalField();
      area.value = String(text);
    });
    var status = document.getElementById('draft-status');
    if (status) status.textContent = status.getAttribute('data-restored') || '';
  }

  if (form.getAttribute('data-draft-restore') === 'true') restore();
  else save();
  form.addEventListener('input', save);
  form.addEventListener('change', save);
})();
