// Wijkstem chat button for a municipality's own website:
//   <script src="https://wijkstem.example/chat/embed.js" data-gemeente="GM0479" async></script>
// Adds a link styled as a button that opens the chat in a new window (a first-party page: its session cookie works in
// every browser, which a third-party iframe cannot promise). Put the script where the button should appear, or add
// an element with id="wijkstem-chat" to place it there. data-label overrides the button text.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var code = script.getAttribute('data-gemeente') || '';
  var href = base + '/chat' + (/^GM\d{4}$/.test(code) ? '?gemeente=' + code : '');
  var link = document.createElement('a');
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener';
  link.className = 'wijkstem-chat-button';
  link.textContent = script.getAttribute('data-label') || 'Chat met de gemeente (opent in een nieuw venster)';
  var s = link.style;
  s.display = 'inline-block';
  s.padding = '0.75em 1.25em';
  s.minHeight = '44px';
  s.boxSizing = 'border-box';
  s.background = '#0b57d0';
  s.color = '#ffffff';
  s.borderRadius = '4px';
  s.fontWeight = '600';
  s.textDecoration = 'underline';
  var place = document.getElementById('wijkstem-chat');
  if (place) place.appendChild(link);
  else script.parentNode.insertBefore(link, script.nextSibling);
})();
