// Keeps the agent console live by polling the agent API. The pages work without it.
(function () {
  'use strict';

  var REFRESH_MS = 2000;

  function get(url, onJson) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.onload = function () {
      if (xhr.status === 200) {
        onJson(JSON.parse(xhr.responseText));
      }
    };
    xhr.send();
  }

  function cell(row, text) {
    var td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    row.appendChild(td);
    return td;
  }

  function link(td, href) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = td.textContent;
    td.textContent = '';
    td.appendChild(a);
  }

  function span(parent, className, text) {
    var element = document.createElement('span');
    element.className = className;
    element.textContent = text;
    parent.appendChild(element);
  }

  function stateBadge(td) {
    var span = document.createElement('span');
    span.className = 'state ' + td.textContent;
    span.textContent = td.textContent;
    td.textContent = '';
    td.appendChild(span);
  }

  function refreshList(root) {
    var api = root.getAttribute('data-api');
    var consoleUrl = root.getAttribute('data-console');
    get(api + '/chats', function (chats) {
      var body = document.getElementById('chat-rows');
      while (body.firstChild) {
        body.removeChild(body.firstChild);
      }
      chats.forEach(function (chat) {
        var row = document.createElement('tr');
        row.setAttribute('data-chat', chat.id);
        link(cell(row, chat.id), consoleUrl + '/chats/' + chat.id);
        link(cell(row, chat.name), consoleUrl + '/chats/' + chat.id);
        cell(row, chat.email);
        cell(row, chat.group);
        stateBadge(cell(row, chat.state));
        cell(row, chat.agent);
        body.appendChild(row);
      });
      if (chats.length === 0) {
        var empty = document.createElement('tr');
        empty.className = 'empty';
        cell(empty, 'No chats yet.').colSpan = 6;
        body.appendChild(empty);
      }
    });
  }

  function refreshChat(root) {
    var api = root.getAttribute('data-api');
    var number = root.getAttribute('data-chat');
    get(api + '/chats/' + number, function (chat) {
      var list = document.getElementById('transcript');
      var shown = list.querySelectorAll('li');
      var last = shown.length ? Number(shown[shown.length - 1].getAttribute('data-id')) : 0;
      chat.events.forEach(function (event) {
        if (event.message_id <= last) {
          return;
        }
        var item = document.createElement('li');
        item.setAttribute('data-id', event.message_id);
        if (event.type === 'message') {
          item.className = 'message ' + event.user_type;
          span(item, 'who', event.user_type === 'visitor' ? list.getAttribute('data-visitor') : event.user_type);
          span(item, 'text', event.text);
        } else {
          item.className = 'notice';
          span(item, 'text', event.agent ? event.agent.name + ' joined the chat'
            : event.type === 'chat_closed' ? 'Chat closed by the ' + event.user_type : event.type);
        }
        list.appendChild(item);
      });
      var state = document.getElementById('chat-state');
      state.textContent = chat.state;
      state.className = 'state ' + chat.state;
      // What the visitor is typing (v3 sneak peeks), until it is sent or the chat ends.
      var peek = document.getElementById('sneak-peek');
      var last = chat.events.length ? chat.events[chat.events.length - 1] : null;
      var draft = chat.state !== 'closed' && chat.sneak_peek && !(last && last.user_type === 'visitor' && last.text === chat.sneak_peek)
        ? chat.sneak_peek : '';
      if (peek) {
        peek.hidden = !draft;
        peek.textContent = draft ? list.getAttribute('data-visitor') + ' is typing: ' + draft : '';
      }
      // The visitor's rating of the thread (v3 thread properties, namespace rating: score 1 good, 0 bad).
      var rated = document.getElementById('thread-rating');
      var rating = chat.thread_properties && chat.thread_properties.rating;
      var text = rating && (rating.score === 1 || rating.score === 0)
        ? 'Rated ' + (rating.score === 1 ? 'good' : 'bad') + ' by ' + list.getAttribute('data-visitor')
          + (rating.comment ? ': ' + rating.comment : '') : '';
      if (rated && rated.textContent !== text) {
        rated.hidden = !text;
        rated.textContent = text;
      }
      // Where the visitor is: the page their browser is on (v3 customer_page), as text.
      var where = document.getElementById('customer-page');
      var page = chat.customer_page;
      var on = page ? 'On page: ' + (page.title ? page.title + ' \u2014 ' : '') + page.url : '';
      if (where && where.textContent !== on) {
        where.hidden = !on;
        where.textContent = on;
      }
      // The last greeting sent to the customer, and whether they opened or dismissed it.
      var greeted = document.getElementById('greeting-state');
      var greeting = chat.greeting;
      var said = greeting ? 'Greeting ' + (greeting.state === 'accepted' ? 'opened' : greeting.state === 'canceled'
        ? 'dismissed' : 'sent') + ': ' + greeting.text : '';
      if (greeted && greeted.textContent !== said) {
        greeted.hidden = !said;
        greeted.textContent = said;
      }
    });
  }

  function post(url, body) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    xhr.send(body);
  }

  // The agent typing a reply shows on the visitor's side (v3): said at most every 3 s while it
  // goes on, and stopped once the reply is empty or sent.
  function typingFrom(root, reply) {
    var url = root.getAttribute('data-api') + '/chats/' + root.getAttribute('data-chat') + '/typing';
    var saidAt = 0;
    reply.addEventListener('input', function () {
      if (reply.value && Date.now() - saidAt > 3000) {
        saidAt = Date.now();
        post(url, 'is_typing=true');
      } else if (!reply.value && saidAt) {
        saidAt = 0;
        post(url, 'is_typing=false');
      }
    });
  }

  function start() {
    var list = document.getElementById('console');
    var chat = document.getElementById('chat');
    var reply = document.getElementById('reply-text');
    if (reply && chat && document.getElementById('chat-api').textContent.indexOf('v3') >= 0) {
      typingFrom(chat, reply);
    }
    if (reply) {
      reply.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          reply.form.submit();
        }
      });
    }
    if (list) {
      setInterval(function () { refreshList(list); }, REFRESH_MS);
    }
    if (chat) {
      setInterval(function () { refreshChat(chat); }, REFRESH_MS);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
