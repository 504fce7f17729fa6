'use strict';

// The emulator's agent side (/emulator/agent/api), as the agent of the check: form-encoded
// calls, JSON answers, chats known by their console number.

function agentApi(emulatorUrl) {
  const base = emulatorUrl.replace(/\/$/, '') + '/agent/api/';

  const call = async (method, path, fields) => {
    const options = { method };
    if (fields) {
      options.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
      options.body = new URLSearchParams(fields).toString();
    }
    const answer = await fetch(base + path, options);
    const text = await answer.text();
    if (!answer.ok) {
      throw new Error('agent API ' + method + ' /' + path.replace(/\d+/g, 'N') + ' answered '
        + answer.status + ': ' + text.slice(0, 200));
    }
    return text ? JSON.parse(text) : {};
  };

  return {
    chats: () => call('GET', 'chats'),
    chat: (number) => call('GET', 'chats/' + number),
    say: (number, text) => call('POST', 'chats/' + number + '/messages', { text }),
    typing: (number, isTyping) => call('POST', 'chats/' + number + '/typing', { is_typing: String(isTyping) }),
    close: (number) => call('POST', 'chats/' + number + '/close', {}),
    faults: (fields) => call('POST', 'faults', fields),
    clearFaults: () => call('DELETE', 'faults'),
  };
}

module.exports = { agentApi };
