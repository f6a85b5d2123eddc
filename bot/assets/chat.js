// The web chat without page reloads. Served from /assets (CSP script-src 'self'); the page's forms work the same
// without it. Each message gets its own id (the form field "mid"), made here once and kept for every resend, so the
// server stores a message once however often it is sent. A message that fails to send (offline, server busy) stays
// on screen as "not sent yet" and is resent when the connection returns. Only the new reply is read out (the
// aria-live region), and the focus goes back to the text box.
(function () {
  'use strict';
  var form = document.getElementById('chat-form');
  var log = document.getElementById('chat-log');
  var announcer = document.getElementById('chat-announce');
  var status = document.getElementById('chat-status');
  if (!form || !log || !announcer || !window.fetch) return;
  var action = form.getAttribute('action');
  var lang = document.documentElement.lang === 'en' ? 'en' : 'nl';
  var words = {
    nl: { sending: 'Wordt verstuurd…', waiting: 'Nog niet verstuurd. We proberen het opnieuw zodra er verbinding is.', busy: 'Even geduld: we versturen je bericht zo opnieuw.' },
    en: { sending: 'Sending…', waiting: 'Not sent yet. We will try again as soon as you are connected.', busy: 'Please wait: we will send your message again shortly.' },
  }[lang];
  var storageKey = 'wijkstem-chat-outbox:' + action;
  var outbox = [];
  var busy = false;
  var retryTimer = null;
  var retryDelay = 1000;

  function newId() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function save() {
    try { window.sessionStorage.setItem(storageKey, JSON.stringify(outbox)); } catch (e) { /* private mode: memory only */ }
  }

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(storageKey) || '[]') || []; } catch (e) { return []; }
  }

  function textBox() { return document.getElementById('chat-text'); }

  function announce(text) {
    announcer.textContent = '';
    // A pause, so a screen reader hears a change even when the same words come twice.
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function lineElement(direction, text, you) {
    var li = document.createElement('li');
    li.className = 'chat-line chat-line--' + direction;
    var who = document.createElement('span');
    who.className = 'visually-hidden';
    who.textContent = (direction === 'in' ? you : 'Wijkstem') + ': ';
    li.appendChild(who);
    li.appendChild(document.createTextNode(text));
    return li;
  }

  function list() {
    var ol = log.querySelector('.chat-lines');
    if (!ol) {
      var empty = log.querySelector('.chat-empty');
      if (empty) empty.remove();
      ol = document.createElement('ol');
      ol.className = 'chat-lines';
      log.appendChild(ol);
    }
    return ol;
  }

  function outCount() { return log.querySelectorAll('.chat-line--out').length; }

  function renderPending() {
    var ol = list();
    Array.prototype.forEach.call(ol.querySelectorAll('.chat-line--pending'), function (li) { li.remove(); });
    outbox.forEach(function (m) {
      var li = lineElement('in', m.title || m.text, log.getAttribute('data-you') || 'Jij');
      li.className += ' chat-line--pending';
      li.setAttribute('data-note', m.failed ? words.waiting : words.sending);
      ol.appendChild(li);
    });
  }

  function render(view) {
    var before = outCount();
    var ol = list();
    ol.textContent = '';
    var you = log.getAttribute('data-you') || 'Jij';
    view.lines.forEach(function (l) {
      var li = lineElement(l.direction, l.text, you);
      if (l.direction === 'out' && view.language === 'en') li.setAttribute('lang', 'en');
      ol.appendChild(li);
    });
    var outs = view.lines.filter(function (l) { return l.direction === 'out'; });
    var fresh = outs.slice(before);
    if (fresh.length > 0) announce(fresh.map(function (l) { return 'Wijkstem: ' + l.text; }).join(' '));
    renderChoices(view.choices);
    renderPending();
  }

  function renderChoices(choices) {
    var current = document.getElementById('chat-choices');
    if (current) current.remove();
    if (!choices || choices.length === 0) return;
    var f = document.createElement('form');
    f.method = 'post';
    f.action = action;
    f.id = 'chat-choices';
    f.className = 'chat-choices';
    f.setAttribute('aria-label', lang === 'en' ? 'Quick replies' : 'Snel antwoorden');
    var group = document.createElement('div');
    group.className = 'utrecht-button-group';
    choices.forEach(function (c) {
      var b = document.createElement('button');
      b.type = 'submit';
      b.name = 'choice';
      b.value = c.id;
      b.className = 'utrecht-button utrecht-button--secondary-action';
      b.textContent = c.title;
      group.appendChild(b);
    });
    f.appendChild(group);
    form.parentNode.insertBefore(f, form);
    f.addEventListener('submit', onChoice);
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function flush() {
    if (busy || outbox.length === 0) return;
    busy = true;
    var m = outbox[0];
    var body = new URLSearchParams();
    body.set('mid', m.id);
    if (m.choice) body.set('choice', m.choice); else body.set('text', m.text);
    window.fetch(action, { method: 'POST', body: body, headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) { return { response: response, data: data }; });
      })
      .then(function (r) {
        busy = false;
        if (r.response.ok) {
          outbox.shift();
          save();
          retryDelay = 1000;
          status.textContent = '';
          render(r.data);
          flush();
        } else if (r.response.status === 429 || r.response.status >= 500) {
          m.failed = true;
          save();
          renderPending();
          status.textContent = words.busy;
          scheduleRetry();
        } else {
          // Refused for good (empty, too long): not resent; the reason is shown and read out.
          outbox.shift();
          save();
          renderPending();
          status.textContent = (r.data && r.data.error) || '';
          flush();
        }
      })
      .catch(function () {
        busy = false;
        m.failed = true;
        save();
        renderPending();
        status.textContent = words.waiting;
        scheduleRetry();
      });
  }

  function enqueue(m) {
    outbox.push(m);
    save();
    renderPending();
    flush();
  }

  function onChoice(event) {
    event.preventDefault();
    var button = event.submitter;
    if (!button || !button.value) return;
    var title = button.textContent;
    event.currentTarget.remove();
    enqueue({ id: newId(), choice: button.value, title: title });
    var box = textBox();
    if (box) box.focus();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var box = textBox();
    var text = box ? box.value.trim() : '';
    if (!text) { if (box) box.focus(); return; }
    enqueue({ id: newId(), text: text });
    box.value = '';
    box.focus();
  });
  var choices = document.getElementById('chat-choices');
  if (choices) choices.addEventListener('submit', onChoice);
  window.addEventListener('online', function () { retryDelay = 1000; if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; } flush(); });

  // Back after a post without this script's help (or a reload): read out the newest reply, focus the text box.
  var newest = document.getElementById('chat-newest');
  if (newest && /[?&]nieuw=1\b/.test(window.location.search)) {
    var box = textBox();
    if (box) box.focus();
    announce(newest.textContent);
  }
  outbox = load();
  if (outbox.length > 0) { renderPending(); flush(); }
})();
