/*
 * NewsFeed headlines widget.
 *
 *   <div data-newsfeed-headlines data-section="world" data-limit="5"></div>
 *   <script async src="https://FEEDS.EXAMPLE/embed/headlines.js"></script>
 *
 * Renders the headlines of /api/headlines into every such element, inside a shadow root so that
 * neither page's CSS touches the other. Feed text only ever reaches the page through textContent
 * and attribute setters, never as markup. Defines no globals.
 */
(function () {
  'use strict';

  // The API lives beside this script, wherever the host page is: resolve it against our own URL
  // (document.currentScript is set while a classic script, async or not, first runs).
  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll('script[src*="embed/headlines.js"]');
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.src) return;
  var api = new URL('../api/headlines', script.src);

  var STYLE = [
    ':host{all:initial;display:block}',
    '.nf{--fg:#1b1b1b;--muted:#5f6368;--bg:#fff;--link:#0b4fa8;--rule:#e3e3e3;color-scheme:light;',
    'font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);',
    'border:1px solid var(--rule);border-radius:6px;padding:.5rem .75rem}',
    '.nf.dark{--fg:#e8e8e8;--muted:#a7a7a7;--bg:#161616;--link:#8cb4ff;--rule:#333;color-scheme:dark}',
    '@media (prefers-color-scheme:dark){.nf.auto{--fg:#e8e8e8;--muted:#a7a7a7;--bg:#161616;--link:#8cb4ff;--rule:#333;color-scheme:dark}}',
    '.title{display:block;font-size:.8rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;margin:0 0 .35rem;color:var(--muted);text-decoration:none}',
    'ol{list-style:none;margin:0;padding:0}',
    'li{padding:.4rem 0;border-top:1px solid var(--rule)}',
    'li a{display:block;font-weight:600;color:var(--fg);text-decoration:none;overflow-wrap:anywhere}',
    'a:hover,a:focus{text-decoration:underline}',
    '.meta{display:block;margin-top:.1rem;font-size:.75rem;color:var(--muted)}',
    '.note{margin:0;color:var(--muted)}'
  ].join('\n');

  // One stylesheet object shared by every shadow root; adopted sheets also survive a host page
  // whose CSP forbids inline <style>. Older browsers get a <style> element instead.
  var sheet = null;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  } catch (e) {
    sheet = null;
  }

  var rendered = new WeakSet();
  var requests = new Map();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Only http(s) links: a javascript: or data: URL in a feed never becomes a link.
  function httpUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, className, text) {
    var url = httpUrl(href);
    var a = el(url ? 'a' : 'span', className, text);
    if (url) {
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener';
    }
    return a;
  }

  function load(section, limit) {
    var url = new URL(api.href);
    if (section) url.searchParams.set('section', section);
    if (limit) url.searchParams.set('limit', limit);
    var key = url.href;
    if (!requests.has(key)) {
      var request = fetch(key, { mode: 'cors', credentials: 'omit' }).then(function (response) {
        if (!response.ok) throw new Error('NewsFeed headlines: HTTP ' + response.status);
        return response.json();
      });
      // A failed request may be retried by a later scan; a good one is shared by every widget.
      request.catch(function () { requests.delete(key); });
      requests.set(key, request);
    }
    return requests.get(key);
  }

  // Empties the shadow root and puts one themed box in it (theme: data-theme light, dark or auto).
  function frame(host, root) {
    var theme = host.getAttribute('data-theme');
    var box = el('div', 'nf ' + (theme === 'light' || theme === 'dark' ? theme : 'auto'));
    root.replaceChildren();
    if (!sheet) root.appendChild(el('style', null, STYLE));
    root.appendChild(box);
    return box;
  }

  function showList(host, root, data) {
    var box = frame(host, root);
    box.appendChild(link(data.link, 'title', data.title));
    var headlines = Array.isArray(data.headlines) ? data.headlines : [];
    if (headlines.length === 0) {
      box.appendChild(el('p', 'note', 'No headlines yet.'));
      return;
    }
    var list = el('ol');
    headlines.forEach(function (item) {
      var li = el('li');
      if (typeof item.language === 'string') li.lang = item.language;
      var title = link(item.url, null, item.title);
      title.dir = 'auto'; // A Hebrew or Arabic headline reads right to left.
      li.appendChild(title);
      var meta = el('span', 'meta');
      var published = new Date(item.published);
      if (!isNaN(published.getTime())) {
        var time = el('time', null, published.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }));
        time.dateTime = published.toISOString();
        meta.appendChild(time);
      }
      // Our own stories need no credit; partner stories name their source.
      if (item.source && item.source.type !== 'publisher' && item.source.name) {
        meta.appendChild(document.createTextNode(' \u00b7 '));
        meta.appendChild(link(item.source.url, null, item.source.name));
      }
      li.appendChild(meta);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function showFallback(host, root) {
    // The partner's own content inside the element (if any) fills the slot; else a short note.
    var slot = el('slot');
    slot.appendChild(el('p', 'note', 'Headlines are unavailable right now.'));
    frame(host, root).appendChild(slot);
  }

  function render(host) {
    if (rendered.has(host)) return;
    rendered.add(host);
    var root;
    try {
      root = host.attachShadow({ mode: 'open' });
    } catch (e) {
      return; // Not an element that can hold a shadow root (use a <div>), or it already has one.
    }
    if (sheet) root.adoptedStyleSheets = [sheet];
    // Until the headlines arrive, the element's own content (if any) stays visible.
    root.appendChild(el('slot'));
    // Clamped to the default Embed:MaxLimit, so an over-eager data-limit still shows headlines.
    var limit = Math.min(parseInt(host.getAttribute('data-limit') || '', 10), 20);
    load(host.getAttribute('data-section'), limit > 0 ? String(limit) : null)
      .then(function (data) { showList(host, root, data); })
      .catch(function () { showFallback(host, root); });
  }

  function scan() {
    var hosts = document.querySelectorAll('[data-newsfeed-headlines]');
    for (var i = 0; i < hosts.length; i++) render(hosts[i]);
  }

  // An async script may run before the rest of the page is parsed: look again once it is.
  scan();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
})();
