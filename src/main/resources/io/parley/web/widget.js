// Parley's embed script: a launcher, an unread badge, the window.Parley API and the chat iframe.
(function () {
  'use strict';
  var w = window, d = document, Q = w.Parley;
  if (Q && Q.loaded) { return; }
  function warn(e) { try { console.warn('Parley:', e && e.message || e); } catch (x) {} }
  try {
    var me = d.currentScript || d.querySelector('script[src*="widget.js"]');
    var src = new URL(me.src, location.href);
    var base = src.href.replace(/\/widget\.js([?#].*)?$/, '');
    var origin = src.origin;
    var cfg = me.dataset;
    var memory = {};
    // localStorage (where it is blocked, this page's memory), or with s this tab's sessionStorage.
    var store = function (k, v, s) {
      try {
        s = s ? sessionStorage : localStorage;
        if (v === undefined) { return s.getItem('parley.' + k); }
        s.setItem('parley.' + k, v);
      } catch (e) { if (v === undefined) { return memory[k]; } memory[k] = v; }
    };
    var handlers = {}, visitor = {}, frame, ready, isOpen;
    var emit = function (name, value) {
      (handlers[name] || []).forEach(function (h) { try { h(value); } catch (e) { warn(e); } });
    };
    var post = function (m) { ready && frame.contentWindow.postMessage(m, origin); };

    var el = function (tag, name, hidden) {
      var e = d.createElement(tag);
      e.className = name;
      e.hidden = hidden;
      // What makes the buttons plain buttons; an unused property on the rest.
      e.type = 'button';
      return e;
    };
    var host = el('aside');
    host.id = 'parley-widget';
    var root = host.attachShadow({ mode: 'open' });
    var color = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(cfg.color || '') ? cfg.color : '#1f5fd1';
    // A black icon on a light colour (perceived brightness).
    var n = parseInt(color.length === 4 ? color.replace(/\w/g, '$&$&').slice(1) : color.slice(1), 16);
    var light = (n >> 16) * .299 + (n >> 8 & 255) * .587 + (n & 255) * .114 > 150;
    var side = cfg.position === 'left' ? 'left' : 'right';
    var css = ':host{all:initial}*{box-sizing:border-box}' +
      '.l{position:fixed;bottom:20px;' + side + ':20px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;' +
      'background:' + color + ';color:' + (light ? '#111' : '#fff') + ';box-shadow:0 4px 14px rgba(0,0,0,.25);' +
      'display:grid;place-items:center;z-index:2147483646}' +
      // A dark ring with a white gap, 3:1 on any page; .s is read by screen readers only.
      '.l:focus-visible{outline:3px solid #1b2230;outline-offset:2px;box-shadow:0 0 0 2px #fff}' +
      '.s{position:fixed;clip:rect(0,0,0,0)}' +
      '.b{position:absolute;top:-4px;' + side + ':-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#c5221f;' +
      'color:#fff;font:700 13px/22px system-ui,sans-serif;text-align:center}' +
      '.x{position:absolute;top:0;right:0;width:32px;height:32px;border:0;background:none;color:#5a6477;font:20px/1 system-ui;cursor:pointer}' +
      '.v{position:fixed;bottom:92px;' + side + ':20px;max-width:280px;padding:12px 30px 12px 14px;border-radius:12px;background:#fff;color:#1b2230;' +
      'font:15px/1.4 system-ui,sans-serif;box-shadow:0 4px 18px rgba(0,0,0,.2);cursor:pointer;z-index:2147483646;overflow-wrap:anywhere}' +
      '.p{position:fixed;bottom:92px;' + side + ':20px;width:380px;height:min(600px,calc(100vh - 112px));border-radius:14px;overflow:hidden;' +
      'box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff;z-index:2147483647}' +
      '.p iframe{border:0;width:100%;height:100%;display:block}[hidden]{display:none!important}' +
      '@media(max-width:480px){.p{inset:0;width:100%;height:100%;border-radius:0}.v{display:none}}';
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    var title = cfg.title || 'Chat';
    var launcher = el('button', 'l');
    launcher.setAttribute('aria-label', title);
    launcher.setAttribute('aria-expanded', 'false');
    launcher.innerHTML = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" ' +
      'd="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>';
    var badge = el('span', 'b', 1);
    badge.setAttribute('aria-hidden', 'true');
    launcher.appendChild(badge);
    var preview = el('div', 'v', 1);
    // Isolated, in the direction of its own text.
    var said = el('bdi');
    var dismiss = el('button', 'x');
    dismiss.textContent = '×';
    preview.append(said, dismiss);
    // Announces new messages while the widget is closed.
    var live = el('div', 's');
    live.setAttribute('aria-live', 'polite');
    var panel = el('div', 'p', 1);
    root.append(preview, panel, launcher, live);

    // While the page is hidden its title counts the new messages.
    var pageTitle = null;
    d.addEventListener('visibilitychange', function () {
      if (!d.hidden && pageTitle !== null) { d.title = pageTitle; pageTitle = null; }
    });
    var unread = function (count, text, announce, dismissLabel) {
      if (dismissLabel) { dismiss.setAttribute('aria-label', dismissLabel); }
      if (announce && !isOpen) { live.textContent = announce; }
      if (count && d.hidden) {
        pageTitle = pageTitle === null ? d.title : pageTitle;
        d.title = '(' + count + ') ' + pageTitle;
      }
      badge.hidden = !count;
      badge.textContent = count > 9 ? '9+' : count || '';
      launcher.setAttribute('aria-label', count ? title + ' (' + count + ')' : title);
      preview.hidden = !count || isOpen || !text;
      if (text) { said.textContent = text; }
      // News unread: the chat page comes along on the next page, as it does while a chat is live.
      if (count) { store('live', 1); }
      emit('unread', count || 0);
    };

    var ensureFrame = function () {
      if (frame) { return; }
      var q = new URLSearchParams({ origin: location.origin, lang: cfg.lang || navigator.language || 'en' });
      ['title', 'color', 'group', 'theme'].forEach(function (k) { if (cfg[k]) { q.set(k, cfg[k]); } });
      frame = d.createElement('iframe');
      frame.title = title;
      frame.src = base + '/chat?' + q;
      frame.allow = 'autoplay';
      panel.appendChild(frame);
    };

    w.addEventListener('message', function (e) {
      if (e.origin !== origin || !frame || e.source !== frame.contentWindow || !e.data) { return; }
      var m = e.data;
      switch (m.parley) {
        case 'ready':
          ready = true;
          post({ parley: 'init', token: store('token'), visitor: visitor, muted: store('muted') === '1', url: location.href, title: d.title });
          if (isOpen) { post({ parley: 'open' }); }
          emit('ready');
          break;
        case 'token': store('token', m.token); break;
        case 'unread': unread(m.count, m.preview, m.announce, m.dismiss); break;
        case 'message': emit('message', m.message); break;
        case 'state':
          store('live', /^(start|wait|chatt)ing$/.test(m.state) || !badge.hidden ? 1 : '');
          emit('state', m.state);
          break;
        case 'mute': store('muted', m.muted ? '1' : '0'); break;
        case 'emit': /^(typing|seen|queue|availability)$/.test(m.name) && emit(m.name, m.value); break;
        case 'close': api.close(); break;
      }
    });

    var api = {
      open: function () {
        if (isOpen) { return; }
        ensureFrame();
        isOpen = true;
        panel.hidden = false;
        preview.hidden = true;
        launcher.setAttribute('aria-expanded', 'true');
        post({ parley: 'open' });
        store('open', '1', 1);
        emit('open');
      },
      close: function () {
        store('open', '', 1);
        if (!isOpen) { return; }
        isOpen = false;
        panel.hidden = true;
        launcher.setAttribute('aria-expanded', 'false');
        post({ parley: 'hide' });
        launcher.focus();
        emit('close');
      },
      toggle: function () { isOpen ? api.close() : api.open(); },
      setVisitor: function (v) {
        visitor = { name: v && v.name, email: v && v.email };
        post({ parley: 'visitor', name: visitor.name, email: visitor.email });
      },
      on: function (name, handler) {
        if (typeof handler === 'function') { (handlers[name] = handlers[name] || []).push(handler); }
      }
    };
    Object.keys(api).forEach(function (k) {
      var f = api[k];
      api[k] = function () { try { return f.apply(api, arguments); } catch (e) { warn(e); } };
    });
    api.loaded = true;
    launcher.addEventListener('click', api.toggle);
    root.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { preview.hidden = true; api.close(); }
    });
    preview.addEventListener('click', function (e) {
      if (e.target === dismiss) { preview.hidden = true; post({ parley: 'dismiss' }); } else { api.open(); }
    });
    w.Parley = api;
    (Q && Q.q || []).forEach(function (call) {
      if (call && typeof api[call[0]] === 'function') { api[call[0]].apply(api, call.slice(1)); }
    });

    var mount = function () {
      d.body.appendChild(host);
      // The chat page loads when the visitor opens it; open on the last page, or while a chat is
      // live, once this page has loaded: the host's load event never waits for the chat.
      // Asked again then: the site or the visitor may have closed it meanwhile.
      var f = function () { store('open', undefined, 1) ? api.open() : store('live') && ensureFrame(); };
      d.readyState === 'complete' ? f() : w.addEventListener('load', f);
    };
    d.body ? mount() : d.addEventListener('DOMContentLoaded', mount);
  } catch (e) {
    warn(e);
  }
})();
