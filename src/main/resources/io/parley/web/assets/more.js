// Files and rich messages in the chat page, loaded by chat.js only once one is to be shown or
// sent. Text from anybody is only ever set as text; links open only http(s), apart from this page.
(function () {
  'use strict';

  var MAX_BYTES = 10 * 1024 * 1024;
  var IMAGE = /^image\/(png|jpeg|gif|webp)$/;
  var TEMPLATES = { cards: true, sticker: true, quick_replies: true };
  // What a browser may call a file whose type it does not know, by name: the server reads the bytes anyway.
  var BY_NAME = { txt: 'text/plain', csv: 'text/plain', log: 'text/plain', md: 'text/plain',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
    odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
    odp: 'application/vnd.oasis.opendocument.presentation', pdf: 'application/pdf', png: 'image/png',
    jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

  window.parleyMore = function (api) {
    var t = api.t;

    function el(tag, className, text) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (text !== undefined && text !== null) { node.textContent = text; }
      return node;
    }

    function size(bytes) {
      if (!(bytes >= 0)) { return ''; }
      return bytes < 1024 ? bytes + ' B' : bytes < 1048576 ? Math.round(bytes / 1024) + ' KB'
        : (bytes / 1048576).toFixed(1) + ' MB';
    }

    function httpUrl(value) { return typeof value === 'string' && /^https?:\/\//i.test(value); }

    // The body of a message bubble made by chat.js: who, text, time.
    function body(item) { return item.querySelector('.text') || item.appendChild(el('span', 'text')); }

    // A file: an image as a thumbnail that opens it whole, anything else as a link that downloads it.
    function showFile(item, event) {
      var into = body(item);
      into.textContent = '';
      item.classList.remove('pending', 'failed');
      item.classList.add('file');
      var name = event.name || 'file';
      var link = el('a');
      link.href = event.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      if (IMAGE.test(event.content_type || '')) {
        var image = el('img', 'thumb');
        image.src = event.url;
        image.alt = t('file.image', { name: name });
        link.appendChild(image);
      } else {
        link.textContent = name;
        link.setAttribute('download', name);
        link.dir = 'auto';
      }
      into.appendChild(link);
      if (event.size >= 0) { into.appendChild(el('span', 'size', ' ' + size(event.size))); }
    }

    // A rich message: each element a card with its image, texts and buttons; a template this page
    // does not know is shown as its texts alone, its buttons' among them.
    function showRich(item, event) {
      var into = body(item);
      into.textContent = '';
      item.classList.add('rich');
      var known = TEMPLATES[event.template] === true;
      (event.elements || []).forEach(function (element, i) {
        var card = el('div', 'card');
        if (known && element.image) {
          var image = el('img', 'thumb');
          image.src = element.image;
          image.alt = element.image_alt || '';
          card.appendChild(image);
        }
        if (element.title) { card.appendChild(el('p', 'title', element.title)).dir = 'auto'; }
        if (element.subtitle) { card.appendChild(el('p', 'subtitle', element.subtitle)).dir = 'auto'; }
        var buttons = element.buttons || [];
        if (!known) {
          if (buttons.length) { card.appendChild(el('p', 'subtitle', buttons.map(function (b) { return b.text; }).join(' \u00b7 '))); }
          into.appendChild(card);
          return;
        }
        if (buttons.length) {
          var group = el('div', 'choices');
          group.setAttribute('role', 'group');
          group.setAttribute('aria-label', element.title || t('rich.choices'));
          buttons.forEach(function (button, j) { group.appendChild(control(event, i, j, button)); });
          card.appendChild(group);
        }
        into.appendChild(card);
      });
    }

    // A button is a real button; a link button is a link (http(s) only), a phone button a tel: link.
    // Each sends its postback, by its place in the message: the page never holds the upstream's ids.
    function control(event, element, index, button) {
      var node;
      if (button.type === 'url' && httpUrl(button.value)) {
        node = el('a', 'choice', button.text);
        node.href = button.value;
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
      } else if (button.type === 'phone' && /^\+?[0-9 ()./-]{3,30}$/.test(button.value || '')) {
        node = el('a', 'choice', button.text);
        node.href = 'tel:' + button.value.replace(/[^0-9+]/g, '');
      } else {
        node = el('button', 'choice', button.text);
        node.type = 'button';
        node.setAttribute('aria-pressed', 'false');
      }
      node.dir = 'auto';
      node.addEventListener('click', function () {
        if (node.tagName === 'BUTTON') { node.setAttribute('aria-pressed', 'true'); }
        if (button.postback) { api.postback({ seq: event.seq, element: element, button: index }); }
      });
      return node;
    }

    function fail(bubble, text) {
      bubble.classList.remove('pending');
      bubble.classList.add('failed');
      var meta = bubble.querySelector('.meta');
      if (meta) { meta.textContent = text; }
      api.status(text);
    }

    // A file of the visitor's: checked here first (the server checks again), shown at once with a
    // progress bar, sent over HTTP with the conversation's token; its event then takes its place.
    function upload(file) {
      var type = file.type || BY_NAME[(file.name.split('.').pop() || '').toLowerCase()] || '';
      var bubble = api.add('msg visitor pending file', '', t('msg.pending'), null, t('who.visitor'));
      var into = body(bubble);
      into.appendChild(el('span', 'name', file.name)).dir = 'auto';
      if (file.size > MAX_BYTES) { fail(bubble, t('error.file_too_large')); return; }
      if (api.types.indexOf(type) < 0) { fail(bubble, t('error.file_type_refused')); return; }
      if (IMAGE.test(type)) {
        var preview = el('img', 'thumb');
        preview.src = URL.createObjectURL(file);
        preview.alt = t('file.image', { name: file.name });
        into.insertBefore(preview, into.firstChild);
      }
      var progress = el('progress');
      progress.max = 100;
      progress.value = 0;
      progress.setAttribute('aria-label', t('file.uploading', { n: 0 }));
      into.appendChild(progress);
      var id = api.newId();
      api.bubbles[id] = bubble;
      var request = new XMLHttpRequest();
      request.open('POST', api.upload);
      request.setRequestHeader('X-Parley-Token', api.token() || '');
      request.setRequestHeader('X-Parley-Id', id);
      request.setRequestHeader('X-Parley-Name', encodeURIComponent(file.name));
      if (api.origin) { request.setRequestHeader('X-Parley-Origin', api.origin); }
      request.upload.onprogress = function (progressed) {
        if (progressed.lengthComputable) {
          progress.value = Math.round(100 * progressed.loaded / progressed.total);
          progress.setAttribute('aria-label', t('file.uploading', { n: progress.value }));
        }
      };
      request.onload = function () {
        if (request.status === 200) { progress.remove(); return; } // its event replaces the bubble
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (e) { /* not JSON: the generic text */ }
        delete api.bubbles[id];
        progress.remove();
        fail(bubble, answer.code && t('error.' + answer.code) !== 'error.' + answer.code ? t('error.' + answer.code) : t('error.generic'));
      };
      request.onerror = function () {
        delete api.bubbles[id];
        progress.remove();
        fail(bubble, t('error.generic'));
      };
      request.send(file);
    }

    return {
      show: function (item, event) { if (event.kind === 'file') { showFile(item, event); } else { showRich(item, event); } },
      upload: upload
    };
  };
})();
