// The chat page's client: one WebSocket to /ws, resumed from the last event seen, with an
// outbox so that nothing typed is lost while disconnected. Text is only ever set as text.
(function () {
  'use strict';

  var root = document.getElementById('parley-chat');
  if (!root) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var data = root.dataset;
  var maxLength = Number(data.max) || 4000;
  var parentOrigin = data.origin;
  var embedded = window.parent !== window && !!parentOrigin;
  var strings = {};
  Array.prototype.forEach.call($('strings').children, function (el) { strings[el.getAttribute('data-k')] = el.textContent; });
  var timeFormat = new Intl.DateTimeFormat(data.lang || undefined, { hour: '2-digit', minute: '2-digit' });
  var dayFormat = new Intl.DateTimeFormat(data.lang || undefined, { dateStyle: 'medium' });
  var stampFormat = new Intl.DateTimeFormat(data.lang || undefined, { dateStyle: 'short', timeStyle: 'short' });
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(data.lang || undefined, { numeric: 'auto' }) : null;
  var defaultTitle = $('chat-title').textContent;

  var token = null;
  var lastSeq = 0;
  var socket = null;
  var welcomed = false;
  var attempts = 0;
  var pingTimer = null;
  var status = { state: 'idle', reachable: true };
  var outbox = [];            // {id, text, start?: {name, email}} not yet acknowledged, in order
  var bubbles = {};           // client id -> element of the visitor's own message
  var visible = !embedded;
  var unread = 0;
  var firstUnread = null;     // the first message the visitor has not seen, marked when they open the widget
  var seenSeq = 0;            // the last event the visitor has seen, in any tab or page of this site
  var muted = false;
  var transcriptLines = [];
  var lastDay = null;         // the day of the last event shown, for a separator when the next is another
  var visitor = {};           // the name and e-mail the visitor last gave, to fill the form in again
  var lastStartSeq = 0;       // the visitor's first message of the last chat started, until that chat ends
  var lastStart = null;       // the last start this tab sent: given back to the form if the chat cannot start
  var startError = null;      // why it was given back, shown until the visitor sends again
  var agentName = null;       // the agent of the messages being shown, from the transcript's own events
  var seenKnown = false;      // whether what this visitor has seen is known here (storage may be blocked)
  var closeWanted = false;    // End chat confirmed while disconnected: sent once connected again
  var problem = null;         // 'reconnecting' | 'busy' | null
  var retryAfter = 0;         // seconds the server asked to wait, from a rate_limited error
  var limitedUntil = 0;       // until when a rate-limit notice outranks the chat's state in the status line

  function t(key, values) {
    var text = strings[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split('{' + name + '}').join(values[name]); });
    return text;
  }

  function tell(message) {
    if (embedded) { window.parent.postMessage(Object.assign({ parley: message.type }, message), parentOrigin); }
  }

  function newId() {
    return 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  }

  // --- the accent colour, with readable text on it ---
  if (/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(data.color || '')) {
    var hex = data.color.length === 4 ? data.color.replace(/[0-9a-f]/gi, '$&$&').slice(1) : data.color.slice(1);
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    document.documentElement.style.setProperty('--accent', data.color);
    document.documentElement.style.setProperty('--on-accent', luminance > 0.179 ? '#111' : '#fff');
  }

  // --- the transcript ---
  // A message says who wrote it to assistive technology; its text takes its own direction.
  function add(className, text, meta, seq, author) {
    var item = document.createElement('div');
    item.className = className;
    if (author) {
      var who = document.createElement('span');
      who.className = 'visually-hidden';
      who.textContent = author + ': ';
      item.appendChild(who);
    }
    var body = document.createElement('span');
    body.className = 'text';
    body.dir = 'auto';
    linkify(body, text);
    item.appendChild(body);
    if (meta) {
      var small = document.createElement('span');
      small.className = 'meta';
      small.textContent = meta;
      item.appendChild(small);
    }
    if (seq) { item.setAttribute('data-seq', seq); }
    $('transcript').appendChild(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  // Web addresses in a message become links (http and https only, opened apart from this page);
  // everything else stays text.
  function linkify(into, text) {
    var pattern = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      into.appendChild(document.createTextNode(text.slice(last, match.index)));
      var link = document.createElement('a');
      link.href = match[0];
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = match[0];
      into.appendChild(link);
      last = match.index + match[0].length;
    }
    into.appendChild(document.createTextNode(text.slice(last)));
  }

  function daySeparator(time) {
    var day = dayFormat.format(time);
    if (day === lastDay) { return; }
    if (lastDay !== null) {
      var separator = document.createElement('div');
      separator.className = 'day';
      separator.textContent = day;
      $('transcript').appendChild(separator);
    }
    lastDay = day;
  }

  function noticeText(event) {
    switch (event.kind) {
      case 'agent': return t('notice.agent', { name: event.agent.name });
      case 'closed': return t('notice.closed.' + event.by);
      case 'file': return t('notice.file', { name: event.name || event.url || '' });
      default: return t('notice.other', { type: event.upstream_type || event.kind });
    }
  }

  function render(event, live) {
    if (event.seq <= lastSeq) { return; }
    lastSeq = event.seq;
    var when = new Date(event.time);
    var time = timeFormat.format(when);
    var stamp = stampFormat.format(when);
    daySeparator(when);
    if (event.kind === 'agent') { agentName = event.agent.name; }
    if (event.kind === 'closed') { lastStartSeq = 0; }
    if (event.kind !== 'message') {
      var notice = add('notice', noticeText(event), null, event.seq);
      if (event.kind === 'file' && event.url) {
        var link = document.createElement('a');
        link.href = event.url;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        link.textContent = notice.firstChild.textContent;
        notice.firstChild.textContent = '';
        notice.firstChild.appendChild(link);
      }
      transcriptLines.push('[' + stamp + '] ' + noticeText(event));
      return;
    }
    var mine = event.from === 'visitor';
    var author = mine ? t('who.visitor') : (event.from === 'agent' && agentName) || t('who.agent');
    transcriptLines.push('[' + stamp + '] ' + (mine ? visitor.name || author : author) + ': ' + event.text);
    var own = event.id && bubbles[event.id];
    if (own) {
      own.classList.remove('pending', 'failed');
      own.lastChild.textContent = time;
      own.setAttribute('data-seq', event.seq);
      $('transcript').appendChild(own);
      delete bubbles[event.id];
      if (outbox.some(function (item) { return item.id === event.id && item.start; })) { lastStartSeq = event.seq; }
      dropFromOutbox(event.id);
      return;
    }
    var bubble = add('msg ' + (mine ? 'visitor' : 'agent'), event.text, time, event.seq, author);
    if (mine) { return; }
    if (live) {
      tell({ type: 'message', message: { from: event.from, text: event.text } });
      if (embedded) { soundOnce(event.seq); } else if (!muted && document.visibilityState !== 'visible') { beep(); }
    }
    // New is what arrives now while the visitor is not looking, and, from the history, what they
    // are known not to have seen. Only what arrives now is announced.
    if (live ? !seeing() : seenKnown && event.seq > seenSeq) {
      firstUnread = firstUnread || bubble;
      if (!seeing()) {
        unread++;
        tell({ type: 'unread', count: unread, preview: event.text.slice(0, 140), dismiss: t('preview.dismiss'),
          announce: live ? t('announce.message', { name: author, text: event.text.slice(0, 140) }) : undefined });
      }
    } else {
      markSeen();
    }
  }

  function seeing() { return visible && document.visibilityState === 'visible'; }

  // What the visitor has seen is kept in this frame's storage (one per site that embeds it), so
  // that another tab or page knows it; only for this visitor, known by a hash of their token
  // (never the token, nor a part of it).
  function visitorKey() {
    var hash = 2166136261;
    for (var i = 0; i < (token || '').length; i++) { hash = Math.imul(hash ^ token.charCodeAt(i), 16777619) >>> 0; }
    return hash.toString(36);
  }
  function markSeen() {
    if (seeing() && lastSeq > seenSeq) {
      seenSeq = lastSeq;
      seenKnown = kept('seen', visitorKey() + ':' + seenSeq) !== false;
    }
  }
  function loadSeen() {
    var parts = String(kept('seen') || '').split(':');
    seenKnown = !!token && parts.length === 2 && parts[0] === visitorKey();
    seenSeq = seenKnown ? Number(parts[1]) || 0 : 0;
  }

  // On opening: to the first message not seen yet, marked, or else to the end.
  function showUnread() {
    var old = document.querySelector('.unread-marker');
    if (old) { old.remove(); }
    if (firstUnread && firstUnread.parentNode) {
      var marker = document.createElement('div');
      marker.className = 'unread-marker';
      marker.textContent = t('unread.marker');
      firstUnread.parentNode.insertBefore(marker, firstUnread);
      marker.scrollIntoView({ block: 'start' });
    } else {
      $('transcript').scrollTop = $('transcript').scrollHeight;
    }
    firstUnread = null;
  }

  function dropFromOutbox(id) {
    outbox = outbox.filter(function (item) { return item.id !== id; });
  }

  // --- status: which parts of the page show ---
  function applyStatus(next) {
    var keep = atEnd();
    if (next.state === 'banned' && status.state !== 'banned') { undeliverLastStart(); }
    status = next;
    var state = next.state;
    // A start refused for now (busy) is still on its way: the form does not come back meanwhile.
    if (state === 'idle' && outbox.some(function (item) { return item.start; })) { state = 'starting'; }
    $('prechat').hidden = state !== 'idle';
    var active = state === 'starting' || state === 'waiting' || state === 'chatting';
    $('end').hidden = !active;
    if (!active) { $('end-confirm').hidden = true; }
    $('composer').hidden = !(state === 'starting' || state === 'waiting' || state === 'chatting');
    $('closed').hidden = !(state === 'closed' || state === 'banned');
    $('new-chat').hidden = state === 'banned';
    var agent = next.agent;
    $('agent-role').hidden = !agent;
    $('agent-avatar').hidden = !(agent && agent.avatar);
    if (agent) {
      $('chat-title').textContent = agent.name;
      $('agent-role').textContent = agent.job_title || '';
      if (agent.avatar) { $('agent-avatar').src = agent.avatar; }
    } else {
      $('chat-title').textContent = defaultTitle;
    }

    showStatus();
    if (keep) { toEnd(); }
    tell({ type: 'state', state: state });
  }

  // A start refused because the visitor is banned did not reach anybody: say so on its message.
  function undeliverLastStart() {
    var own = lastStartSeq && document.querySelector('.msg.visitor[data-seq="' + lastStartSeq + '"]');
    if (own) {
      own.classList.add('failed');
      own.lastChild.textContent = t('msg.failed');
    }
  }

  // "in 12 minutes", "in 30 seconds": counted down while it lasts.
  function humanWait(seconds) {
    if (!relative) { return 'in ' + seconds + ' s'; }
    return seconds >= 90 ? relative.format(Math.round(seconds / 60), 'minute') : relative.format(seconds, 'second');
  }
  var countdown = null;

  // The panels around the transcript change height: what the visitor was reading at the end stays in view.
  function atEnd() {
    var transcript = $('transcript');
    return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  }
  function toEnd() { $('transcript').scrollTop = $('transcript').scrollHeight; }

  function showStatus() {
    var keep = atEnd();
    drawStatus();
    if (keep) { toEnd(); }
  }

  function drawStatus() {
    var line = $('status');
    var wait = Math.ceil((limitedUntil - Date.now()) / 1000);
    if (wait > 0 && problem !== 'busy') {
      line.hidden = false;
      line.className = 'status error';
      line.textContent = t('error.rate_limited', { when: humanWait(wait) });
      if (!countdown) { countdown = setInterval(showStatus, 1000); }
      return;
    }
    if (countdown) { clearInterval(countdown); countdown = null; }
    if (startError && status.state === 'idle' && !problem) {
      line.hidden = false;
      line.className = 'status error';
      line.textContent = startError;
      return;
    }
    var key = problem === 'busy' ? 'state.busy'
      : problem === 'reconnecting' ? 'state.reconnecting'
      : !welcomed && (outbox.length || status.state !== 'idle') ? 'state.connecting'
      : !welcomed ? null
      : !status.reachable ? 'state.unavailable'
      : status.state === 'banned' ? 'state.banned'
      : status.state === 'starting' ? 'state.starting'
      : status.state === 'waiting' ? 'state.waiting'
      : status.state === 'closed' ? 'state.closed' : null;
    line.hidden = !key;
    line.textContent = key ? t(key) : '';
    line.className = 'status' + (problem || !status.reachable || status.state === 'banned' ? ' error' : '');
  }

  // --- the connection ---
  function connect() {
    var url = new URL(data.ws, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    var current = new WebSocket(url.href);
    socket = current;
    // A connection can hang while opening (a lost packet, a stalled proxy) without ever closing:
    // give up on it after a while and try again, as after any lost connection.
    var opening = setTimeout(function () {
      if (socket === current && current.readyState === 0) {
        current.onopen = current.onmessage = current.onclose = null;
        try { current.close(); } catch (e) { /* already failing */ }
        lost({ code: 1006 });
      }
    }, 10000);
    current.onopen = function () {
      clearTimeout(opening);
      send({ type: 'hello', token: token || undefined, last_seq: lastSeq, origin: embedded ? parentOrigin : undefined });
      pingTimer = setInterval(function () { send({ type: 'ping' }); }, 30000);
    };
    current.onmessage = function (message) { receive(JSON.parse(message.data)); };
    current.onclose = function (closed) {
      clearTimeout(opening);
      lost(closed);
    };
  }

  function lost(closed) {
    clearInterval(pingTimer);
    welcomed = false;
    socket = null;
    if (problem !== 'busy') { problem = 'reconnecting'; }
    showStatus();
    var delay = Math.min(15000, 500 * Math.pow(2, attempts++)) * (0.5 + Math.random() / 2);
    setTimeout(connect, closed.code === 1013 ? Math.max(delay, retryAfter * 1000 || 5000) : delay);
    retryAfter = 0;
  }

  function send(frame) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify(frame)); }
  }

  // A message goes out again after every reconnect until acknowledged: its id makes that safe.
  function sendItem(item) {
    send(item.start ? { type: 'start', id: item.id, text: item.text, name: item.start.name, email: item.start.email,
      group: item.start.group } : { type: 'send', id: item.id, text: item.text });
  }

  function receive(frame) {
    switch (frame.type) {
      case 'welcome':
        welcomed = true;
        attempts = 0;
        problem = null;
        if (frame.token !== token) {
          token = frame.token;
          loadSeen();
          if (embedded) { tell({ type: 'token', token: token }); } else { try { localStorage.setItem('parley.token', token); } catch (e) { /* private mode */ } }
        }
        if (frame.snapshot) {
          $('transcript').textContent = '';
          lastDay = null;
          transcriptLines = [];
          lastSeq = 0;
          unread = 0;
          firstUnread = null;
          Object.keys(bubbles).forEach(function (id) { $('transcript').appendChild(bubbles[id]); });
        }
        frame.events.forEach(function (event) { render(event, false); });
        if (seeing()) { showUnread(); }
        markSeen();
        applyStatus(frame);
        if (closeWanted) { closeWanted = false; send({ type: 'close' }); }
        outbox.forEach(sendItem);
        break;
      case 'event': render(frame, true); break;
      case 'state': applyStatus(frame); break;
      case 'ack':
        if (outbox.some(function (item) { return item.id === frame.id && item.start; })) { lastStartSeq = frame.seq; }
        if (bubbles[frame.id]) { bubbles[frame.id].classList.remove('pending'); }
        dropFromOutbox(frame.id);
        break;
      case 'error': onError(frame); break;
      default: break;
    }
  }

  // A start the server refused gives the form back, as the visitor filled it in.
  function giveBackForm(item, code, error) {
    dropFromOutbox(item.id);
    if (bubbles[item.id]) { bubbles[item.id].remove(); delete bubbles[item.id]; }
    // Shown already as sent: it stays in the transcript, marked as not delivered.
    var shown = lastStartSeq && document.querySelector('.msg.visitor[data-seq="' + lastStartSeq + '"]');
    if (shown && code === 'start_failed') {
      shown.classList.add('failed');
      shown.lastChild.textContent = t('msg.failed');
    }
    startError = errorText(error);
    $('pc-text').value = item.text;
    $('pc-name').value = item.start.name || '';
    $('pc-email').value = item.start.email || '';
    applyStatus(status);
    if (code === 'bad_email') {
      $('pc-email').setCustomValidity(t('prechat.email.invalid'));
      $('pc-email').reportValidity();
    } else {
      $('pc-text').focus();
    }
  }

  function errorText(error) {
    var key = 'error.' + error.code;
    return strings[key] ? t(key, { s: Number(error.retry_after) || '' }) : error.message || t('error.generic');
  }

  function onError(error) {
    var refusedStart = error.id && (outbox.filter(function (queued) { return queued.id === error.id && queued.start; })[0]
      || (lastStart && lastStart.id === error.id ? lastStart : null));
    if (refusedStart && error.code === 'banned') {
      dropFromOutbox(refusedStart.id);
      if (bubbles[refusedStart.id]) { bubbles[refusedStart.id].remove(); delete bubbles[refusedStart.id]; }
      showStatus();
      return;
    }
    if (refusedStart && /^(bad_email|bad_frame|too_long|start_failed)$/.test(error.code)) {
      giveBackForm(refusedStart, error.code, error);
      showStatus();
      return;
    }
    if (error.code === 'busy') {
      // The server closes the connection next; the start stays in the outbox and goes again once back.
      problem = 'busy';
      retryAfter = Math.min(3600, Math.max(1, Number(error.retry_after) || 30));
      showStatus();
      return;
    }
    if (error.code === 'too_many_connections') {
      // The server closes the connection next: come back no sooner than it says.
      retryAfter = Math.min(3600, Math.max(1, Number(error.retry_after) || 30));
    }
    var message = errorText(error);
    if (error.code === 'rate_limited') {
      retryAfter = Math.min(3600, Math.max(1, Number(error.retry_after) || 5));
      limitedUntil = Math.max(limitedUntil, Date.now() + retryAfter * 1000);
      // The refused message stays pending in the outbox and goes again once the wait is over;
      // until then the notice stays, whatever state changes come in meanwhile.
      var item = outbox.filter(function (queued) { return queued.id === error.id; })[0];
      setTimeout(function () {
        if (item && welcomed && outbox.indexOf(item) >= 0) { sendItem(item); }
        showStatus();
      }, retryAfter * 1000);
      showStatus();
      return;
    }
    if (error.code === 'not_saved') {
      // Not acknowledged: it stays pending in the outbox and goes again, with the same id, later.
      var unsaved = outbox.filter(function (queued) { return queued.id === error.id; })[0];
      setTimeout(function () {
        if (unsaved && welcomed && outbox.indexOf(unsaved) >= 0) { sendItem(unsaved); }
      }, Math.min(60, Math.max(1, Number(error.retry_after) || 5)) * 1000);
    }
    if (error.id && bubbles[error.id] && /^(send_failed|start_failed|no_chat|too_long)$/.test(error.code)) {
      bubbles[error.id].classList.add('failed');
      bubbles[error.id].lastChild.textContent = t('msg.failed');
      dropFromOutbox(error.id);
    }
    var line = $('status');
    line.hidden = false;
    line.className = 'status error';
    line.textContent = message;
  }

  // --- typing and sending ---
  function queue(text, start) {
    var id = newId();
    var bubble = add('msg visitor pending', text, t('msg.pending'), null, t('who.visitor'));
    bubbles[id] = bubble;
    outbox.push({ id: id, text: text, start: start });
    if (start) { lastStart = outbox[outbox.length - 1]; }
    if (welcomed) { sendItem(outbox[outbox.length - 1]); }
  }

  // The browser's own check of the form, in the visitor's language, before anything is sent.
  ['pc-email', 'pc-text'].forEach(function (id) {
    $(id).addEventListener('input', function () { $(id).setCustomValidity(''); });
  });
  function refuse(id, key) {
    $(id).setCustomValidity(t(key));
    $(id).reportValidity();
  }
  $('prechat').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('pc-text').value.trim();
    $('pc-email').setCustomValidity('');
    if (!$('pc-email').checkValidity()) { refuse('pc-email', 'prechat.email.invalid'); return; }
    if (!text) { refuse('pc-text', 'prechat.message.missing'); return; }
    visitor = { name: $('pc-name').value.trim(), email: $('pc-email').value.trim() };
    startError = null;
    queue(text, {
      name: visitor.name || undefined,
      email: visitor.email || undefined,
      group: data.group ? Number(data.group) : undefined
    });
    $('pc-text').value = '';
    $('prechat').hidden = true;
    $('composer').hidden = false;
    $('composer-text').focus();
  });

  var composer = $('composer-text');
  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = composer.value.trim();
    if (!text || text.length > maxLength) { return; }
    queue(text);
    composer.value = '';
    composer.style.height = 'auto'; // back to one line after a message of several
    count();
  });
  composer.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('composer').requestSubmit ? $('composer').requestSubmit() : $('send').click();
    }
  });
  function count() {
    var left = maxLength - composer.value.length;
    var counter = $('counter');
    counter.hidden = left > Math.min(200, maxLength / 10);
    counter.textContent = t('composer.counter', { n: left });
    counter.classList.toggle('over', left < 0);
  }
  composer.addEventListener('input', function () {
    count();
    composer.style.height = 'auto';
    composer.style.height = Math.min(composer.scrollHeight + 2, 128) + 'px'; // + the border
  });

  $('end').addEventListener('click', function () {
    $('end-confirm').hidden = false;
    $('end-no').focus();
  });
  $('end-no').addEventListener('click', function () {
    $('end-confirm').hidden = true;
    $('end').focus();
  });
  $('end-yes').addEventListener('click', function () {
    $('end-confirm').hidden = true;
    if (welcomed) { send({ type: 'close' }); } else { closeWanted = true; }
  });

  $('new-chat').addEventListener('click', function () {
    applyStatus({ state: 'idle', reachable: true });
    if (visitor.name) { $('pc-name').value = visitor.name; }
    if (visitor.email) { $('pc-email').value = visitor.email; }
    focusFirst();
  });
  $('download').addEventListener('click', function () {
    var site = embedded ? new URL(parentOrigin).host : location.host;
    var now = new Date();
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    var head = t('transcript.title') + ' \u2014 ' + site + '\n' + stampFormat.format(now) + ' (' + zone + ')\n\n';
    var blob = new Blob([head + transcriptLines.join('\n') + '\n'], { type: 'text/plain;charset=utf-8' });
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'chat-' + site.replace(/[^a-z0-9.-]/gi, '_') + '-' + now.toISOString().slice(0, 10) + '.txt';
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  // --- sound and mute ---
  var audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === 'suspended') { audio.resume(); }
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no audio here */ }
  }
  // One sound per message per visitor, however many tabs show it: one tab takes the message's
  // Web Lock, held 5 s while storage syncs, and plays it unless the visitor muted sounds (in any tab).
  function soundOnce(seq) {
    var claim = function (lock) {
      if (lock && Number(kept('sound') || 0) < seq) {
        kept('sound', seq);
        if (kept('muted') !== '1' && !muted) { beep(); }
      }
      return new Promise(function (resolve) { setTimeout(resolve, 5000); });
    };
    if (navigator.locks) { navigator.locks.request('parley-sound' + seq, { ifAvailable: true }, claim); } else { claim(true); }
  }
  // This frame's own storage; false where it is blocked (this tab then decides alone).
  function kept(key, value) {
    try {
      if (value === undefined) { return localStorage.getItem('parley.' + key); }
      localStorage.setItem('parley.' + key, value);
      return true;
    } catch (e) {
      return false;
    }
  }

  function setMuted(value) {
    muted = !!value;
    kept('muted', muted ? '1' : '0');
    $('mute').setAttribute('aria-pressed', String(muted));
    $('mute').setAttribute('aria-label', t(muted ? 'header.unmute' : 'header.mute'));
  }
  $('mute').addEventListener('click', function () {
    setMuted(!muted);
    tell({ type: 'mute', muted: muted });
  });

  // --- the embedding page ---
  $('minimize').hidden = !embedded;
  $('minimize').addEventListener('click', function () { tell({ type: 'close' }); });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !$('end-confirm').hidden) {
      $('end-no').click();
    } else if (event.key === 'Escape' && embedded) {
      tell({ type: 'close' });
    }
  });
  function focusFirst() {
    var form = [$('pc-name'), $('pc-text')].filter(function (field) { return !field.value; })[0] || $('pc-text');
    var target = !$('prechat').hidden ? form : !$('composer').hidden ? composer : $('mute');
    target.focus();
  }

  window.addEventListener('message', function (event) {
    if (!embedded || event.origin !== parentOrigin || event.source !== window.parent || !event.data) { return; }
    var message = event.data;
    if (message.parley === 'init') {
      token = typeof message.token === 'string' ? message.token : null;
      loadSeen();
      setMuted(message.muted);
      if (message.visitor) {
        if (message.visitor.name) { $('pc-name').value = message.visitor.name; }
        if (message.visitor.email) { $('pc-email').value = message.visitor.email; }
      }
      if (!socket) { connect(); }
    } else if (message.parley === 'open') {
      visible = true;
      unread = 0;
      tell({ type: 'unread', count: 0 });
      showUnread();
      markSeen();
      focusFirst();
    } else if (message.parley === 'hide') {
      visible = false;
    } else if (message.parley === 'visitor') {
      if (message.name) { $('pc-name').value = message.name; }
      if (message.email) { $('pc-email').value = message.email; }
    }
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && visible && unread) {
      unread = 0;
      tell({ type: 'unread', count: 0 });
      showUnread();
    }
    markSeen();
  });

  showStatus();
  if (embedded) {
    tell({ type: 'ready' });
  } else {
    try { token = localStorage.getItem('parley.token'); } catch (e) { token = null; }
    connect();
  }
})();
