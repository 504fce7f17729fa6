'use strict';

// The Customer SDK builds its socket address from fixed names
// (wss://api[-region][.env].livechatinc.com/v3.5/customer/rtm/ws?organization_id=...) and offers
// no option to change it; it opens the socket with `new WebSocket(url)` on the global WebSocket,
// which Node 20 does not have. So the check gives it one: ws's WebSocket, with LiveChat's origin
// replaced by the emulator's. Nothing else of the SDK is changed; the frames are only watched
// (their action, type and success, never a payload), so that a failure can show the exchange.

const WebSocket = require('ws');

const LIVECHAT_API = /^wss:\/\/api[^/]*\.livechatinc\.com\//;

/** A WebSocket class for the SDK that connects to the emulator instead of LiveChat. */
function redirectedWebSocket(emulatorUrl, frames) {
  const target = emulatorUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/';
  return class RedirectedWebSocket extends WebSocket {
    constructor(url, protocols) {
      if (!LIVECHAT_API.test(url)) {
        throw new Error('The SDK opened a socket to an unexpected address: ' + url.split('?')[0]);
      }
      const rewritten = url.replace(LIVECHAT_API, target);
      super(rewritten, protocols);
      frames.opened(rewritten.split('?')[0]);
      this.on('message', (data) => frames.received(String(data)));
      this.on('close', (code) => frames.closed(code));
    }

    send(data, ...rest) {
      frames.sent(String(data));
      return super.send(data, ...rest);
    }
  };
}

/** What went over the SDK's sockets, as short lines without payloads. */
function frameLog() {
  const lines = [];
  const summary = (direction, text) => {
    try {
      const frame = JSON.parse(text);
      const parts = [direction, frame.type || 'request', frame.action];
      if (frame.type === 'response') {
        parts.push(frame.success ? 'ok' : 'error ' + ((frame.payload && frame.payload.error) || {}).type);
      }
      if (frame.action === 'customer_disconnected' && frame.payload) {
        parts.push(frame.payload.reason);
      }
      if (frame.type === 'push' && 'request_id' in frame) {
        parts.push('(with request_id)');
      }
      return parts.join(' ');
    } catch (e) {
      return direction + ' unparsable frame of ' + text.length + ' characters';
    }
  };
  return {
    lines,
    opened: (address) => lines.push('socket opened to ' + address.replace(/^ws:\/\/[^/]+/, '')),
    closed: (code) => lines.push('socket closed ' + code),
    sent: (text) => lines.push(summary('->', text)),
    received: (text) => lines.push(summary('<-', text)),
    count: (predicate) => lines.filter(predicate).length,
  };
}

module.exports = { redirectedWebSocket, frameLog };
