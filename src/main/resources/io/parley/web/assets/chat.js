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

  // Everything that changes while the page is open, in one place. The status line is drawn from it
  // alone (renderStatus), so that it does not depend on which handler happened to write to it last.
  var state = {
    // the connection
    socket: null,
    welcomed: false,          // this connection's hello was answered: frames can be sent
    attempts: 0,              // connections lost in a row, for the back-off
    pingTimer: null,
    pongTimer: null,
    problem: null,            // 'reconnecting' | 'busy' | null
    retryAfter: 0,            // seconds the server asked to wait before connecting again
    limitedUntil: 0,          // until when a rate-limit notice outranks everything else in the status line
    countdown: null,          // redraws the status line each second while that notice counts down
    closeWanted: false,       // End chat confirmed while disconnected: sent once connected again
    // the conversation, as the server last told it
    token: null,
    lastSeq: 0,
    chat: 'idle',             // the server's state of the chat: idle | starting | waiting | chatting | closed | banned
    reachable: true,          // false while the upstream is failing
    agent: null,              // the agent's details while one has joined
    serverError: null,        // the text of the last error with no place of its own, until the chat or the connection changes
    capabilities: [],         // what the upstream can do beyond messages, from the welcome
    online: null,             // whether anyone can chat now (availability): true, false, or null while not known
    leaving: null,            // the message being left for later {id, text, name, email}, until the server takes it
    left: false,              // a message left for later was taken: the confirmation shows instead of the forms
    // what the visitor sent
    outbox: [],               // {id, text, start?: {name, email}} not yet acknowledged, in order
    bubbles: {},              // client id -> element of the visitor's own message
    visitor: {},              // the name and e-mail the visitor last gave, to fill the form in again
    lastStartSeq: 0,          // the visitor's first message of the last chat started, until that chat ends
    lastStart: null,          // the last start this tab sent: given back to the form if the chat cannot start
    startError: null,         // why it was given back, shown until the visitor sends again
    // the transcript and what the visitor has seen of it
    transcriptLines: [],
    lastDay: null,            // the day of the last event shown, for a separator when the next is another
    agentName: null,          // the agent of the messages being shown, from the transcript's own events
    visible: !embedded,
    unread: 0,
    firstUnread: null,        // the first message the visitor has not seen, marked when they open the widget
    seenSeq: 0,               // the last event the visitor has seen, in any tab or page of this site
    seenKnown: false,         // whether what this visitor has seen is known here (storage may be blocked)
    muted: false,
    audio: null,              // made on the first sound, and kept for the next ones
    // live signals, offered only where the welcome's capabilities say the upstream has them
    typing: false,            // the agent is typing, as shown
    typingTimer: null,        // hides it when no word of it came for a while
    agentSeen: 0,             // the visitor's message the agent has seen up to (its seq)
    queue: null,              // {position, wait} while the chat waits in the upstream's queue
    draftAt: 0,               // when the visitor's draft last went, and the next one waiting its turn
    draftTimer: null,
    draftSent: false,
    seenSent: 0,              // the last event this tab told the server the visitor has seen
    seenAt: 0,
    seenTimer: null,
    more: null,               // the files and rich messages code, loaded on first need
    // the rating of the chat that ended, where the upstream takes ratings
    rating: null,             // 'good' | 'bad' | null, as the server last confirmed it (or as just given)
    closedAt: 0,              // when the last chat ended, from its closed event: ratings change for 24 h
    greeting: null,           // an agent's greeting {id, text, agent} shown over the launcher, until opened or dismissed
    page: null                // the page of the site the visitor is on {url, title}, as the site shares it
  };

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
    if (day === state.lastDay) { return; }
    if (state.lastDay !== null) {
      var separator = document.createElement('div');
      separator.className = 'day';
      separator.textContent = day;
      $('transcript').appendChild(separator);
    }
    state.lastDay = day;
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
    if (event.seq <= state.lastSeq) { return; }
    state.lastSeq = event.seq;
    var when = new Date(event.time);
    var time = timeFormat.format(when);
    var stamp = stampFormat.format(when);
    daySeparator(when);
    if (event.kind === 'agent') { state.agentName = event.agent.name; }
    if (event.kind === 'closed') { state.lastStartSeq = 0; state.closedAt = event.time; }
    if (event.kind === 'file' && event.url || event.kind === 'rich') {
      // drawn by the code loaded on demand, in this place of the transcript
      var mine = event.from === 'visitor';
      var own = event.id && state.bubbles[event.id];
      var shared = own || add('msg ' + (mine ? 'visitor' : 'agent'), '', time, event.seq,
        mine ? t('who.visitor') : state.agentName || t('who.agent'));
      if (own) {
        delete state.bubbles[event.id];
        $('transcript').appendChild(own);
      }
      shared.setAttribute('data-seq', event.seq);
      if (shared.lastChild.className === 'meta') { shared.lastChild.textContent = time; }
      state.transcriptLines.push('[' + stamp + '] ' + (event.kind === 'file' ? noticeText(event)
        : event.elements.map(function (e) { return [e.title, e.subtitle].filter(Boolean).join(' \u2014 '); }).join(' | ')));
      more(function (m) { m.show(shared, event, time); });
      return;
    }
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
      state.transcriptLines.push('[' + stamp + '] ' + noticeText(event));
      return;
    }
    var mine = event.from === 'visitor';
    var author = mine ? t('who.visitor') : (event.from === 'agent' && state.agentName) || t('who.agent');
    state.transcriptLines.push('[' + stamp + '] ' + (mine ? state.visitor.name || author : author) + ': ' + event.text);
    var own = event.id && state.bubbles[event.id];
    if (own) {
      own.classList.remove('pending', 'failed');
      own.lastChild.textContent = time;
      own.setAttribute('data-seq', event.seq);
      $('transcript').appendChild(own);
      delete state.bubbles[event.id];
      if (state.outbox.some(function (item) { return item.id === event.id && item.start; })) { state.lastStartSeq = event.seq; }
      dropFromOutbox(event.id);
      return;
    }
    var bubble = add('msg ' + (mine ? 'visitor' : 'agent'), event.text, time, event.seq, author);
    if (mine) { return; }
    showTyping(false); // what was typed is here
    if (live) {
      tell({ type: 'message', message: { from: event.from, text: event.text } });
      if (embedded) { soundOnce(event.seq); } else if (!state.muted && document.visibilityState !== 'visible') { beep(); }
    }
    // New is what arrives now while the visitor is not looking, and, from the history, what they
    // are known not to have seen. Only what arrives now is announced.
    if (live ? !seeing() : state.seenKnown && event.seq > state.seenSeq) {
      state.firstUnread = state.firstUnread || bubble;
      if (!seeing()) {
        state.unread++;
        tell({ type: 'unread', count: state.unread, preview: event.text.slice(0, 140), dismiss: t('preview.dismiss'),
          announce: live ? t('announce.message', { name: author, text: event.text.slice(0, 140) }) : undefined });
      }
    } else {
      markSeen();
    }
  }

  function seeing() { return state.visible && document.visibilityState === 'visible'; }

  // What the visitor has seen is kept in this frame's storage (one per site that embeds it), so
  // that another tab or page knows it; only for this visitor, known by a hash of their token
  // (never the token, nor a part of it).
  function visitorKey() {
    var hash = 2166136261;
    for (var i = 0; i < (state.token || '').length; i++) { hash = Math.imul(hash ^ state.token.charCodeAt(i), 16777619) >>> 0; }
    return hash.toString(36);
  }
  function markSeen() {
    if (seeing() && state.lastSeq > state.seenSeq) {
      state.seenSeq = state.lastSeq;
      state.seenKnown = kept('seen', visitorKey() + ':' + state.seenSeq) !== false;
    }
    tellSeen();
  }
  function loadSeen() {
    var parts = String(kept('seen') || '').split(':');
    state.seenKnown = !!state.token && parts.length === 2 && parts[0] === visitorKey();
    state.seenSeq = state.seenKnown ? Number(parts[1]) || 0 : 0;
  }

  // On opening: to the first message not seen yet, marked, or else to the end.
  function showUnread() {
    var old = document.querySelector('.unread-marker');
    if (old) { old.remove(); }
    if (state.firstUnread && state.firstUnread.parentNode) {
      var marker = document.createElement('div');
      marker.className = 'unread-marker';
      marker.textContent = t('unread.marker');
      state.firstUnread.parentNode.insertBefore(marker, state.firstUnread);
      marker.scrollIntoView({ block: 'start' });
    } else {
      $('transcript').scrollTop = $('transcript').scrollHeight;
    }
    state.firstUnread = null;
  }

  function dropFromOutbox(id) {
    state.outbox = state.outbox.filter(function (item) { return item.id !== id; });
  }

  // --- live signals: the agent typing, what the agent has seen, the place in the queue ---
  function can(capability) { return state.capabilities.indexOf(capability) >= 0; }
  function openChat() { return state.chat === 'waiting' || state.chat === 'chatting'; }
  // The site's page hears of them through the widget's JavaScript API.
  function emit(name, value) { tell({ type: 'emit', name: name, value: value }); }

  function showTyping(on) {
    clearTimeout(state.typingTimer);
    on = !!on && openChat();
    // Said again while it goes on; the word that it stopped can be lost, so it also times out.
    if (on) { state.typingTimer = setTimeout(function () { showTyping(false); }, 10000); }
    var name = state.agent && state.agent.name || state.agentName || t('who.agent');
    $('typing').textContent = on ? t('typing.agent', { name: name }) : '';
    if (on !== state.typing) { state.typing = on; emit('typing', on); }
  }

  // "Seen", under the visitor's last message the agent has seen.
  function showSeen() {
    var old = document.querySelector('.seen-mark');
    var bubble = state.agentSeen && document.querySelector('.msg.visitor[data-seq="' + state.agentSeen + '"]');
    if (old && bubble && old.previousSibling === bubble) { return; }
    if (old) { old.remove(); }
    if (!bubble) { return; }
    var mark = document.createElement('div');
    mark.className = 'seen-mark';
    mark.textContent = t('seen.mark');
    bubble.parentNode.insertBefore(mark, bubble.nextSibling);
  }

  // The line is a live region: its text is replaced only when it says something else.
  function showQueue() {
    var place = state.chat === 'waiting' || state.chat === 'starting' ? state.queue : null;
    var text = !place ? '' : place.wait ? t('queue.place', { n: place.position, wait: aboutWait(place.wait) })
      : t('queue.place.unknown', { n: place.position });
    if ($('queue').textContent !== text) {
      $('queue').textContent = text;
      emit('queue', place ? { position: place.position, wait: place.wait || null } : null);
    }
  }
  function aboutWait(seconds) {
    var minutes = seconds >= 60;
    var n = minutes ? Math.round(seconds / 60) : seconds;
    try {
      return new Intl.NumberFormat(data.lang || undefined, { style: 'unit', unit: minutes ? 'minute' : 'second', unitDisplay: 'long' }).format(n);
    } catch (e) { return n + (minutes ? ' min' : ' s'); }
  }

  // The visitor's draft goes to the agent as they type: at most every 2 s (the latest once the 2 s
  // are over), never while the composer is empty; emptied, the server drops one still waiting.
  function sendDraft() {
    if (!can('typing') || !openChat() || !state.welcomed) { return; }
    var text = composer.value.trim();
    if (!text) {
      clearTimeout(state.draftTimer);
      state.draftTimer = null;
      if (state.draftSent) { state.draftSent = false; send({ type: 'typing', text: '' }); }
      return;
    }
    var wait = state.draftAt + 2000 - Date.now();
    if (wait > 0) {
      if (!state.draftTimer) { state.draftTimer = setTimeout(function () { state.draftTimer = null; sendDraft(); }, wait); }
      return;
    }
    state.draftAt = Date.now();
    state.draftSent = true;
    send({ type: 'typing', text: text });
  }

  // How far the visitor has seen the chat, while they look at it: at most every 2 s, only forward.
  function tellSeen() {
    if (!can('seen') || !openChat() || !state.welcomed || !seeing() || state.lastSeq <= state.seenSent) { return; }
    var wait = state.seenAt + 2000 - Date.now();
    if (wait > 0) {
      if (!state.seenTimer) { state.seenTimer = setTimeout(function () { state.seenTimer = null; tellSeen(); }, wait); }
      return;
    }
    state.seenAt = Date.now();
    state.seenSent = state.lastSeq;
    send({ type: 'seen', seq: state.lastSeq });
  }

  // --- rating the chat that ended: good or bad (pressed again: taken back), then a comment ---
  function showRating(shown) {
    $('rating').hidden = !(shown === 'closed' && can('rating') && Date.now() - state.closedAt < 864e5);
    ['good', 'bad'].forEach(function (score) { $('rate-' + score).setAttribute('aria-pressed', String(state.rating === score)); });
    $('rating-more').hidden = !state.rating;
  }
  // What the server holds now: the thanks line is a live region, so its text changes only when it says something else.
  function rated(score, comment) {
    state.rating = score || null;
    if (comment !== undefined && document.activeElement !== $('rating-comment')) { $('rating-comment').value = comment; }
    var thanks = state.rating ? t('rating.thanks') : '';
    if ($('rating-thanks').textContent !== thanks) { $('rating-thanks').textContent = thanks; }
  }
  function rate(score) {
    state.rating = score;
    send({ type: 'rate', rating: score, comment: score && $('rating-comment').value.trim() || undefined });
    showRating(state.chat);
  }
  ['good', 'bad'].forEach(function (score) {
    $('rate-' + score).addEventListener('click', function () { rate(state.rating === score ? null : score); });
  });
  $('rating-send').addEventListener('click', function () { rate(state.rating); });

  // --- a greeting before a chat: a preview over the launcher, opened (accepted) or dismissed ---
  function greeted(frame) {
    if (state.greeting && state.greeting.id === frame.id) { return; } // told again after a reconnect
    state.greeting = { id: frame.id, text: String(frame.text || ''), agent: frame.agent || null };
    if (seeing()) { acceptGreeting(); return; }
    var name = state.greeting.agent && state.greeting.agent.name || t('who.agent');
    var text = state.greeting.text.slice(0, 140);
    tell({ type: 'unread', count: state.unread + 1, preview: text, dismiss: t('preview.dismiss'),
      announce: t('announce.message', { name: name, text: text }) });
  }
  // Opened: the greeting shows as the agent's message, above the form to answer it with a chat.
  function acceptGreeting() {
    var greeting = state.greeting;
    if (!greeting) { return; }
    state.greeting = null;
    send({ type: 'greeting', id: greeting.id, answer: 'accept' });
    add('msg agent greeting', greeting.text, timeFormat.format(new Date()), null,
      greeting.agent && greeting.agent.name || t('who.agent'));
    if (state.chat === 'closed') { $('new-chat').click(); }
  }
  function dismissGreeting() {
    if (!state.greeting) { return; }
    send({ type: 'greeting', id: state.greeting.id, answer: 'dismiss' });
    state.greeting = null;
  }

  // --- where the visitor is: the embedding page, as share-visitor-page allows (never its fragment;
  // its query only with 'full'; nothing with 'off'), told to the server after every welcome ---
  function pageOf(message) {
    if (data.share === 'off' || typeof message.url !== 'string') { return null; }
    try {
      var url = new URL(message.url);
      if (url.origin !== parentOrigin || !/^https?:$/.test(url.protocol)) { return null; }
      url.hash = '';
      if (data.share !== 'full') { url.search = ''; }
      var title = typeof message.title === 'string' ? message.title.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
      return url.href.length > 2048 ? null : { url: url.href, title: title || undefined };
    } catch (e) { return null; }
  }
  function sendPage() {
    if (state.page && state.welcomed) { send({ type: 'page', url: state.page.url, title: state.page.title }); }
  }

  // --- status: which parts of the page show ---
  // The chat's state as the server gives it in welcome and state frames (and as New chat sets it).
  function applyStatus(next) {
    if (next.state === 'banned' && state.chat !== 'banned') { undeliverLastStart(); }
    state.chat = next.state;
    state.reachable = !!next.reachable;
    state.agent = next.agent || null;
    state.serverError = null;
    if (next.state !== 'closed') { rated(null, ''); }
    showPanels();
    if (!openChat()) { showTyping(false); }
    showQueue();
  }

  function showPanels() {
    var keep = atEnd();
    var shown = state.chat;
    // A start refused for now (busy) is still on its way: the form does not come back meanwhile.
    if (shown === 'idle' && state.outbox.some(function (item) { return item.start; })) { shown = 'starting'; }
    // Nobody online: a message for later instead of a chat (only where the upstream says so).
    var offline = shown === 'idle' && state.online === false && state.capabilities.indexOf('availability') >= 0;
    $('prechat').hidden = shown !== 'idle' || offline || state.left;
    $('offline').hidden = !offline || state.left;
    $('left').hidden = !(shown === 'idle' && state.left);
    $('leave').disabled = !!state.leaving;
    var active = shown === 'starting' || shown === 'waiting' || shown === 'chatting';
    $('end').hidden = !active;
    if (!active) { $('end-confirm').hidden = true; }
    $('composer').hidden = !active;
    $('attach').hidden = !active || state.capabilities.indexOf('upload') < 0;
    $('closed').hidden = !(shown === 'closed' || shown === 'banned');
    $('new-chat').hidden = shown === 'banned';
    showRating(shown);
    var agent = state.agent;
    $('agent-role').hidden = !agent;
    $('agent-avatar').hidden = !(agent && agent.avatar);
    if (agent) {
      $('chat-title').textContent = agent.name;
      $('agent-role').textContent = agent.job_title || '';
      if (agent.avatar) { $('agent-avatar').src = agent.avatar; }
    } else {
      $('chat-title').textContent = defaultTitle;
    }

    renderStatus();
    if (keep) { toEnd(); }
    tell({ type: 'state', state: shown });
  }

  // A start refused because the visitor is banned did not reach anybody: say so on its message.
  function undeliverLastStart() {
    var own = state.lastStartSeq && document.querySelector('.msg.visitor[data-seq="' + state.lastStartSeq + '"]');
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

  // The panels around the transcript change height: what the visitor was reading at the end stays in view.
  function atEnd() {
    var transcript = $('transcript');
    return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  }
  function toEnd() { $('transcript').scrollTop = $('transcript').scrollHeight; }

  // What the status line says now, from the state alone (null: nothing). The first that applies wins:
  // a rate-limit wait (not while the server is busy), kept through any state change meanwhile as the
  // visitor's message is held until it is over; the server's last error; a start given back; trouble
  // with the connection or the upstream; the chat's own state.
  function statusLine(now) {
    var wait = Math.ceil((state.limitedUntil - now) / 1000);
    if (wait > 0 && state.problem !== 'busy') {
      return { text: t('error.rate_limited', { when: humanWait(wait) }), error: true, countsDown: true };
    }
    if (state.serverError) { return { text: state.serverError, error: true }; }
    if (state.startError && state.chat === 'idle' && !state.problem) { return { text: state.startError, error: true }; }
    if (state.leaving && !state.problem) { return { text: t('offline.sending') }; }
    var key = state.problem === 'busy' ? 'state.busy'
      : state.problem === 'reconnecting' ? 'state.reconnecting'
      : !state.welcomed && (state.outbox.length || state.chat !== 'idle') ? 'state.connecting'
      : !state.welcomed ? null
      : !state.reachable ? 'state.unavailable'
      : state.chat === 'banned' ? 'state.banned'
      : state.chat === 'starting' ? 'state.starting'
      : state.chat === 'waiting' ? 'state.waiting'
      : state.chat === 'closed' ? 'state.closed' : null;
    return key ? { text: t(key), error: !!(state.problem || !state.reachable || state.chat === 'banned') } : null;
  }

  // The only writer of the status line: whatever changes the state calls it. The line is a live
  // region, so its text is replaced only when it says something else, or it would be read out again.
  function renderStatus() {
    var keep = atEnd();
    var shown = statusLine(Date.now());
    var line = $('status');
    var text = shown ? shown.text : '';
    line.hidden = !shown;
    line.className = 'status' + (shown && shown.error ? ' error' : '');
    if (line.textContent !== text) { line.textContent = text; }
    if (shown && shown.countsDown) {
      if (!state.countdown) { state.countdown = setInterval(renderStatus, 1000); }
    } else if (state.countdown) {
      clearInterval(state.countdown);
      state.countdown = null;
    }
    if (keep) { toEnd(); }
  }

  // --- the connection ---
  function connect() {
    var url = new URL(data.ws, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    var current = new WebSocket(url.href);
    state.socket = current;
    // A connection can hang while opening (a lost packet, a stalled proxy) without ever closing:
    // give up on it after a while and try again, as after any lost connection.
    var opening = setTimeout(function () {
      if (state.socket === current && current.readyState === 0) { abandon(current); }
    }, 10000);
    current.onopen = function () {
      clearTimeout(opening);
      send({ type: 'hello', token: state.token || undefined, last_seq: state.lastSeq, origin: embedded ? parentOrigin : undefined });
      state.pingTimer = setInterval(function () {
        send({ type: 'ping' });
        // A server that froze keeps the connection open and says nothing: leave it for another.
        state.pongTimer = setTimeout(function () { if (state.socket === current) { abandon(current); } }, 10000);
      }, 30000);
    };
    current.onmessage = function (message) { clearTimeout(state.pongTimer); receive(JSON.parse(message.data)); };
    current.onclose = function (closed) {
      clearTimeout(opening);
      lost(closed);
    };
  }

  // Leaves a connection without waiting for its close to be answered: a browser waits up to a
  // minute for a server that says nothing.
  function abandon(socket) {
    socket.onopen = socket.onmessage = socket.onclose = null;
    try { socket.close(); } catch (e) { /* already failing */ }
    lost({ code: 1006 });
  }

  function lost(closed) {
    clearInterval(state.pingTimer);
    clearTimeout(state.pongTimer);
    state.welcomed = false;
    state.socket = null;
    if (state.problem !== 'busy') { state.problem = 'reconnecting'; }
    state.serverError = null;
    renderStatus();
    var delay = Math.min(15000, 500 * Math.pow(2, state.attempts++)) * (0.5 + Math.random() / 2);
    setTimeout(connect, closed.code === 1013 ? Math.max(delay, state.retryAfter * 1000 || 5000) : delay);
    state.retryAfter = 0;
  }

  function send(frame) {
    if (state.socket && state.socket.readyState === 1) { state.socket.send(JSON.stringify(frame)); }
  }

  // A message goes out again after every reconnect until acknowledged: its id makes that safe.
  function sendItem(item) {
    send(item.start ? { type: 'start', id: item.id, text: item.text, name: item.start.name, email: item.start.email,
      group: item.start.group } : { type: 'send', id: item.id, text: item.text });
  }

  function receive(frame) {
    switch (frame.type) {
      case 'welcome':
        state.welcomed = true;
        state.attempts = 0;
        state.problem = null;
        if (frame.token !== state.token) {
          state.token = frame.token;
          state.seenSent = 0;
          state.agentSeen = 0;
          loadSeen();
          if (embedded) { tell({ type: 'token', token: state.token }); } else { try { localStorage.setItem('parley.token', state.token); } catch (e) { /* private mode */ } }
        }
        if (frame.snapshot) {
          $('transcript').textContent = '';
          state.lastDay = null;
          state.transcriptLines = [];
          state.lastSeq = 0;
          state.unread = 0;
          state.firstUnread = null;
          Object.keys(state.bubbles).forEach(function (id) { $('transcript').appendChild(state.bubbles[id]); });
        }
        state.capabilities = frame.capabilities || [];
        if (typeof frame.online === 'boolean') { availability(frame.online); }
        frame.events.forEach(function (event) { render(event, false); });
        if (seeing()) { showUnread(); }
        markSeen();
        applyStatus(frame);
        showSeen();
        tellSeen();
        if (state.closeWanted) { state.closeWanted = false; send({ type: 'close' }); }
        state.outbox.forEach(sendItem);
        if (state.leaving) { sendLeaving(); }
        sendPage();
        break;
      case 'availability': availability(!!frame.online); showPanels(); break;
      case 'left':
        state.leaving = null;
        state.left = true;
        $('off-text').value = '';
        showPanels();
        $('left').focus();
        break;
      case 'event': render(frame, true); break;
      case 'rating': rated(frame.rating, frame.comment || ''); showRating(state.chat); break;
      case 'greeting': greeted(frame); break;
      case 'greeting_end':
        // Opened or dismissed in another tab, or a chat began: the preview goes.
        if (state.greeting && state.greeting.id === frame.id) { state.greeting = null; tell({ type: 'unread', count: state.unread }); }
        break;
      case 'state': applyStatus(frame); break;
      case 'typing': showTyping(frame.typing === true); break;
      case 'seen':
        // Told again after every welcome: the site hears of it only when it moves.
        if ((Number(frame.seq) || 0) !== state.agentSeen) { emit('seen', true); }
        state.agentSeen = Number(frame.seq) || 0;
        showSeen();
        break;
      case 'queue':
        state.queue = Number(frame.position) > 0 ? { position: Number(frame.position), wait: Number(frame.wait) || 0 } : null;
        showQueue();
        break;
      case 'ack':
        if (state.outbox.some(function (item) { return item.id === frame.id && item.start; })) { state.lastStartSeq = frame.seq; }
        if (state.bubbles[frame.id]) { state.bubbles[frame.id].classList.remove('pending'); }
        dropFromOutbox(frame.id);
        break;
      case 'error': onError(frame); break;
      default: break;
    }
  }

  // Whether anyone can chat now: kept, and told to the embedding page's handlers when it changes.
  function availability(online) {
    if (state.capabilities.indexOf('availability') < 0 || state.online === online) { return; }
    state.online = online;
    tell({ type: 'emit', name: 'availability', value: { online: online } });
  }

  function sendLeaving() {
    var item = state.leaving;
    send({ type: 'leave_message', id: item.id, text: item.text, name: item.name || undefined, email: item.email,
      group: data.group ? Number(data.group) : undefined });
  }

  // A start the server refused gives the form back, as the visitor filled it in.
  function giveBackForm(item, code, error) {
    dropFromOutbox(item.id);
    if (state.bubbles[item.id]) { state.bubbles[item.id].remove(); delete state.bubbles[item.id]; }
    // Shown already as sent: it stays in the transcript, marked as not delivered.
    var shown = state.lastStartSeq && document.querySelector('.msg.visitor[data-seq="' + state.lastStartSeq + '"]');
    if (shown && (code === 'start_failed' || code === 'offline')) {
      shown.classList.add('failed');
      shown.lastChild.textContent = t('msg.failed');
    }
    state.startError = errorText(error);
    $('pc-text').value = item.text;
    $('pc-name').value = item.start.name || '';
    $('pc-email').value = item.start.email || '';
    if (code === 'offline' && state.capabilities.indexOf('availability') >= 0) {
      // Nobody was there after all: the message can be left for later, as typed.
      state.startError = null;
      $('off-text').value = item.text;
      $('off-name').value = item.start.name || '';
      $('off-email').value = item.start.email || '';
      availability(false);
      showPanels();
      $(item.start.email ? 'off-text' : 'off-email').focus();
      return;
    }
    showPanels();
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

  // An error replaces the one before it: each case below says where this one shows, if not in the
  // status line as the server's last error.
  function onError(error) {
    state.serverError = null;
    var refusedStart = error.id && (state.outbox.filter(function (queued) { return queued.id === error.id && queued.start; })[0]
      || (state.lastStart && state.lastStart.id === error.id ? state.lastStart : null));
    if (state.leaving && error.id === state.leaving.id && error.code !== 'busy') {
      // Not taken: the form keeps what was typed, and says why.
      state.leaving = null;
      showPanels();
      if (error.code === 'bad_email') { refuse('off-email', 'prechat.email.invalid'); return; }
      state.serverError = errorText(error);
      renderStatus();
      return;
    }
    if (refusedStart && error.code === 'banned') {
      dropFromOutbox(refusedStart.id);
      if (state.bubbles[refusedStart.id]) { state.bubbles[refusedStart.id].remove(); delete state.bubbles[refusedStart.id]; }
      renderStatus();
      return;
    }
    if (refusedStart && /^(bad_email|bad_frame|too_long|start_failed|offline)$/.test(error.code)) {
      giveBackForm(refusedStart, error.code, error);
      return;
    }
    if (error.code === 'busy') {
      // The server closes the connection next; the start stays in the outbox and goes again once back.
      state.problem = 'busy';
      state.retryAfter = Math.min(3600, Math.max(1, Number(error.retry_after) || 30));
      renderStatus();
      return;
    }
    if (error.code === 'too_many_connections') {
      // The server closes the connection next: come back no sooner than it says.
      state.retryAfter = Math.min(3600, Math.max(1, Number(error.retry_after) || 30));
    }
    if (error.code === 'rate_limited') {
      state.retryAfter = Math.min(3600, Math.max(1, Number(error.retry_after) || 5));
      state.limitedUntil = Math.max(state.limitedUntil, Date.now() + state.retryAfter * 1000);
      // The refused message stays pending in the outbox and goes again once the wait is over;
      // until then the notice stays, whatever state changes come in meanwhile.
      var item = state.outbox.filter(function (queued) { return queued.id === error.id; })[0];
      setTimeout(function () {
        if (item && state.welcomed && state.outbox.indexOf(item) >= 0) { sendItem(item); }
        renderStatus();
      }, state.retryAfter * 1000);
      renderStatus();
      return;
    }
    if (error.code === 'not_saved') {
      // Not acknowledged: it stays pending in the outbox and goes again, with the same id, later.
      var unsaved = state.outbox.filter(function (queued) { return queued.id === error.id; })[0];
      setTimeout(function () {
        if (unsaved && state.welcomed && state.outbox.indexOf(unsaved) >= 0) { sendItem(unsaved); }
      }, Math.min(60, Math.max(1, Number(error.retry_after) || 5)) * 1000);
    }
    if (error.id && state.bubbles[error.id] && /^(send_failed|start_failed|no_chat|too_long)$/.test(error.code)) {
      state.bubbles[error.id].classList.add('failed');
      state.bubbles[error.id].lastChild.textContent = t('msg.failed');
      dropFromOutbox(error.id);
    }
    state.serverError = errorText(error);
    renderStatus();
  }

  // --- typing and sending ---
  function queue(text, start) {
    var id = newId();
    var bubble = add('msg visitor pending', text, t('msg.pending'), null, t('who.visitor'));
    state.bubbles[id] = bubble;
    state.outbox.push({ id: id, text: text, start: start });
    if (start) { state.lastStart = state.outbox[state.outbox.length - 1]; }
    if (state.welcomed) { sendItem(state.outbox[state.outbox.length - 1]); }
    // Sending changes what the status line says: a start given back is not shown any more, and what
    // is sent before the server has answered shows as connecting.
    renderStatus();
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
    state.visitor = { name: $('pc-name').value.trim(), email: $('pc-email').value.trim() };
    state.startError = null;
    queue(text, {
      name: state.visitor.name || undefined,
      email: state.visitor.email || undefined,
      group: data.group ? Number(data.group) : undefined
    });
    $('pc-text').value = '';
    $('prechat').hidden = true;
    $('composer').hidden = false;
    $('composer-text').focus();
  });

  $('offline').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('off-text').value.trim();
    var email = $('off-email').value.trim();
    $('off-email').setCustomValidity('');
    if (!email) { refuse('off-email', 'offline.email.missing'); return; }
    if (!$('off-email').checkValidity()) { refuse('off-email', 'prechat.email.invalid'); return; }
    if (!text) { refuse('off-text', 'prechat.message.missing'); return; }
    if (state.leaving) { return; }
    state.visitor = { name: $('off-name').value.trim(), email: email };
    state.serverError = null;
    state.leaving = { id: newId(), text: text, name: state.visitor.name, email: email };
    if (state.welcomed) { sendLeaving(); }
    showPanels();
  });
  ['off-email', 'off-text'].forEach(function (id) {
    $(id).addEventListener('input', function () { $(id).setCustomValidity(''); });
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
    sendDraft();
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
    sendDraft();
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
    if (state.welcomed) { send({ type: 'close' }); } else { state.closeWanted = true; }
  });

  $('new-chat').addEventListener('click', function () {
    state.left = false;
    applyStatus({ state: 'idle', reachable: true });
    if (state.visitor.name) { $('pc-name').value = state.visitor.name; }
    if (state.visitor.email) { $('pc-email').value = state.visitor.email; }
    focusFirst();
  });
  $('download').addEventListener('click', function () {
    var site = embedded ? new URL(parentOrigin).host : location.host;
    var now = new Date();
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    var head = t('transcript.title') + ' \u2014 ' + site + '\n' + stampFormat.format(now) + ' (' + zone + ')\n\n';
    var blob = new Blob([head + state.transcriptLines.join('\n') + '\n'], { type: 'text/plain;charset=utf-8' });
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'chat-' + site.replace(/[^a-z0-9.-]/gi, '_') + '-' + now.toISOString().slice(0, 10) + '.txt';
    document.body.appendChild(link);
    link.click();
    link.remove();
  });

  // --- files and rich messages: their code is loaded only once one is to be shown or sent ---
  var waiting = [];
  function more(then) {
    if (state.more) { then(state.more); return; }
    waiting.push(then);
    if (waiting.length > 1) { return; }
    var script = document.createElement('script');
    script.src = data.more;
    script.onload = function () {
      state.more = window.parleyMore({
        t: t, add: add, newId: newId, bubbles: state.bubbles, status: function (text) { state.serverError = text; renderStatus(); },
        token: function () { return state.token; }, origin: embedded ? parentOrigin : null, upload: data.upload,
        types: (data.types || '').split(','), postback: function (frame) { send(Object.assign({ type: 'postback' }, frame)); }
      });
      waiting.splice(0).forEach(function (f) { f(state.more); });
    };
    document.head.appendChild(script);
  }
  function canUpload() { return !$('attach').hidden; }
  function upload(files) {
    // copied now: the input's list is emptied before the code to send them may have loaded
    var list = Array.prototype.slice.call(files || []);
    if (canUpload() && list.length) { more(function (m) { list.forEach(function (file) { m.upload(file); }); }); }
  }
  $('attach').addEventListener('click', function () { $('file').click(); });
  $('file').addEventListener('change', function () { upload($('file').files); $('file').value = ''; });
  root.addEventListener('dragover', function (event) {
    if (canUpload() && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0) {
      event.preventDefault();
      root.classList.add('dropping');
    }
  });
  root.addEventListener('dragleave', function (event) { if (event.target === root) { root.classList.remove('dropping'); } });
  root.addEventListener('drop', function (event) {
    root.classList.remove('dropping');
    if (canUpload() && event.dataTransfer && event.dataTransfer.files.length) {
      event.preventDefault();
      upload(event.dataTransfer.files);
    }
  });
  composer.addEventListener('paste', function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (canUpload() && files && files.length) {
      event.preventDefault();
      upload(files);
    }
  });

  // --- sound and mute ---
  function beep() {
    try {
      state.audio = state.audio || new (window.AudioContext || window.webkitAudioContext)();
      if (state.audio.state === 'suspended') { state.audio.resume(); }
      var tone = state.audio.createOscillator();
      var gain = state.audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, state.audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, state.audio.currentTime + 0.25);
      tone.connect(gain).connect(state.audio.destination);
      tone.start();
      tone.stop(state.audio.currentTime + 0.25);
    } catch (e) { /* no audio here */ }
  }
  // One sound per message per visitor, however many tabs show it: one tab takes the message's
  // Web Lock, held 5 s while storage syncs, and plays it unless the visitor muted sounds (in any tab).
  function soundOnce(seq) {
    var claim = function (lock) {
      if (lock && Number(kept('sound') || 0) < seq) {
        kept('sound', seq);
        if (kept('muted') !== '1' && !state.muted) { beep(); }
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
    state.muted = !!value;
    kept('muted', state.muted ? '1' : '0');
    $('mute').setAttribute('aria-pressed', String(state.muted));
    $('mute').setAttribute('aria-label', t(state.muted ? 'header.unmute' : 'header.mute'));
  }
  $('mute').addEventListener('click', function () {
    setMuted(!state.muted);
    tell({ type: 'mute', muted: state.muted });
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
    var offlineForm = [$('off-name'), $('off-email'), $('off-text')].filter(function (field) { return !field.value; })[0]
      || $('off-text');
    var target = !$('prechat').hidden ? form : !$('offline').hidden ? offlineForm : !$('composer').hidden ? composer
      : !$('left').hidden ? $('left') : $('mute');
    target.focus();
  }

  window.addEventListener('message', function (event) {
    if (!embedded || event.origin !== parentOrigin || event.source !== window.parent || !event.data) { return; }
    var message = event.data;
    if (message.parley === 'init') {
      state.token = typeof message.token === 'string' ? message.token : null;
      loadSeen();
      setMuted(message.muted);
      state.page = pageOf(message);
      sendPage();
      if (message.visitor) {
        if (message.visitor.name) { $('pc-name').value = $('off-name').value = message.visitor.name; }
        if (message.visitor.email) { $('pc-email').value = $('off-email').value = message.visitor.email; }
      }
      if (!state.socket) { connect(); }
    } else if (message.parley === 'open') {
      state.visible = true;
      state.unread = 0;
      tell({ type: 'unread', count: 0 });
      showUnread();
      markSeen();
      acceptGreeting();
      focusFirst();
    } else if (message.parley === 'dismiss') {
      dismissGreeting();
    } else if (message.parley === 'hide') {
      state.visible = false;
    } else if (message.parley === 'visitor') {
      if (message.name) { $('pc-name').value = $('off-name').value = message.name; }
      if (message.email) { $('pc-email').value = $('off-email').value = message.email; }
    }
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && state.visible && state.unread) {
      state.unread = 0;
      tell({ type: 'unread', count: 0 });
      showUnread();
    }
    markSeen();
  });

  renderStatus();
  if (embedded) {
    tell({ type: 'ready' });
  } else {
    try { state.token = localStorage.getItem('parley.token'); } catch (e) { state.token = null; }
    connect();
  }
})();
