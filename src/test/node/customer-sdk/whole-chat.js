'use strict';

// One whole chat driven by LiveChat's own Customer SDK (npm @livechat/customer-sdk 4.0.2)
// against Parley's emulator of the Customer Chat API v3.5, the agent acting through the
// emulator's agent API: login, start, the agent's typing and message, the customer's sneak peek,
// message and seen mark, deactivation, resume, rating, the history, token expiry with a fresh
// token from the identityProvider, and the chat going on after it. One line per step; exit 0
// when every step passed, 1 on a failure, 2 when the whole run took too long.
//
// Settings (environment):
//   PARLEY_EMULATOR_URL        e.g. http://127.0.0.1:8080/emulator (required)
//   PARLEY_CLIENT_ID, PARLEY_CLIENT_SECRET, PARLEY_REFRESH_TOKEN
//                              the emulator's demo account, to mint customer tokens (required)
//   PARLEY_ORGANIZATION_ID     defaults to the organization_id of the first customer token
//   PARLEY_TOKEN_LIFETIME_S    the short token lifetime of the expiry step (default 6: long enough for a
//                              login on a busy machine, before the token expires)
//   PARLEY_CHECK_TIMEOUT_MS    the bound on the whole run (default 50000)
// Nothing printed names a token, a customer id or a chat id.

const CustomerSDK = require('@livechat/customer-sdk');
const { redirectedWebSocket, frameLog } = require('./lib/redirected-websocket');
const { emulatorIdentity } = require('./lib/emulator-identity');
const { agentApi } = require('./lib/agent-api');
const { sdkEvents, stepRunner, check, within } = require('./lib/steps');

const SDK_EVENTS = ['connected', 'disconnected', 'incoming_chat', 'incoming_event', 'incoming_typing_indicator',
  'chat_deactivated', 'events_marked_as_seen', 'thread_properties_updated', 'user_added_to_chat',
  'user_removed_from_chat', 'customer_id'];

function setting(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    if (fallback === undefined) {
      console.log('FAIL settings: ' + name + ' is not set');
      process.exit(1);
    }
    return fallback;
  }
  return value;
}

const emulatorUrl = setting('PARLEY_EMULATOR_URL');
const account = {
  clientId: setting('PARLEY_CLIENT_ID'),
  clientSecret: setting('PARLEY_CLIENT_SECRET'),
  refreshToken: setting('PARLEY_REFRESH_TOKEN'),
};
const tokenLifetimeSeconds = Number(setting('PARLEY_TOKEN_LIFETIME_S', '6'));
const timeoutMs = Number(setting('PARLEY_CHECK_TIMEOUT_MS', '50000'));

const frames = frameLog();
const steps = stepRunner();
const agent = agentApi(emulatorUrl);
const identity = emulatorIdentity(emulatorUrl, account);
const run = Date.now().toString(36);
let sdk = null;

function fail(exitCode, why) {
  console.log('FAIL ' + (steps.current() || 'run') + ': ' + why);
  console.log('frames:');
  frames.lines.forEach((line) => console.log('  ' + line));
  if (sdk) {
    sdk.destroy();
  }
  process.exit(exitCode);
}

process.on('uncaughtException', (error) => fail(1, 'uncaught exception: ' + (error && error.stack || error)));
process.on('unhandledRejection', (error) => fail(1, 'unhandled rejection: ' + (error && error.stack || error)));
setTimeout(() => fail(2, 'the whole chat took more than ' + timeoutMs + ' ms'), timeoutMs);

/** The agent API's number of the chat whose events hold this text; waits for it to appear. */
async function chatNumberWith(text) {
  const deadline = Date.now() + 10000;
  for (;;) {
    for (const summary of await agent.chats()) {
      const detail = await agent.chat(summary.id);
      if (JSON.stringify(detail.events || []).includes(text)) {
        return summary.id;
      }
    }
    if (Date.now() > deadline) {
      throw new Error('the agent API shows no chat with the customer\'s first message');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asks the agent API again until `test` holds for the chat; fails after 10 s saying `what`. */
async function agentSees(number, what, test) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const chat = await agent.chat(number);
    if (test(chat)) {
      return chat;
    }
    if (Date.now() > deadline) {
      throw new Error('the agent API does not show ' + what);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitUntil(condition, what) {
  const deadline = Date.now() + 10000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('not within 10 s: ' + what);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const texts = (chat) => (chat.events || []).filter((e) => e.type === 'message').map((e) => e.text);

async function main() {
  let organizationId = process.env.PARLEY_ORGANIZATION_ID;
  let customerId = null;

  await steps.step('accounts', async () => {
    await identity.mint();
    organizationId = organizationId || identity.stats.organizationId;
    check(typeof organizationId === 'string' && organizationId.length > 0,
      'no organization id: neither PARLEY_ORGANIZATION_ID nor organization_id in the customer token');
    return 'an agent token, then a customer token of ' + identity.stats.lastLifetimeMs / 1000 + ' s';
  });

  global.WebSocket = redirectedWebSocket(emulatorUrl, frames);
  // 'emulator' and not 'production': in production the SDK reports each started chat to
  // LiveChat's log queue through `new Image()`, which Node lacks (an unhandled rejection).
  sdk = CustomerSDK.init({
    organizationId,
    clientId: account.clientId,
    identityProvider: identity.provider,
    page: { url: 'https://shop.example/help', title: 'Help' },
  }, 'emulator');
  const events = sdkEvents(sdk, SDK_EVENTS);

  await steps.step('login', async () => {
    const connected = await events.next('connected');
    customerId = connected.customer.id;
    check([...identity.stats.entityIds][0] === customerId, 'the login answered another customer than the token\'s');
    check(frames.lines.some((l) => l.startsWith('socket opened to /emulator/v3.5/customer/rtm/ws')),
      'the SDK did not open its socket at the emulator');
    return 'availability ' + connected.availability;
  });

  const first = 'Hello from the SDK ' + run;
  let chatId = null;
  let firstThreadId = null;
  await steps.step('start chat', async () => {
    const { chat } = await within(sdk.startChat({
      chat: { thread: { events: [{ type: 'message', text: first, customId: 'sdk-1-' + run }] } },
    }), 'startChat');
    chatId = chat.id;
    firstThreadId = chat.thread.id;
    const message = chat.thread.events.find((e) => e.type === 'message' && e.text === first);
    check(message, 'the new thread does not hold the first message');
    check(message.customId === 'sdk-1-' + run, 'the first message lost its custom_id');
    check(message.authorId === customerId, 'the first message is not the customer\'s');
    check(chat.users.some((u) => u.id === customerId && u.type === 'customer'), 'the chat lists no customer user');
    check(frames.count((l) => l === '<- push incoming_chat (with request_id)') === 1,
      'startChat was not resolved by an incoming_chat push carrying its request_id');
    return 'resolved by incoming_chat with the request_id';
  });

  const number = await chatNumberWith(first);

  await steps.step('agent typing', async () => {
    const from = events.mark();
    await agent.typing(number, true);
    const typing = await events.next('incoming_typing_indicator', (p) => p.chatId === chatId && p.typingIndicator.isTyping, from);
    check(typing.typingIndicator.authorId !== customerId, 'the typing indicator is the customer\'s own');
    await agent.typing(number, false);
    await events.next('incoming_typing_indicator', (p) => p.chatId === chatId && !p.typingIndicator.isTyping, from);
    return 'is_typing true, then false';
  });

  const agentText = 'Hello, how can I help? ' + run;
  let agentEvent = null;
  await steps.step('agent message', async () => {
    const from = events.mark();
    await agent.say(number, agentText);
    const incoming = await events.next('incoming_event', (p) => p.chatId === chatId && p.event && p.event.text === agentText, from);
    agentEvent = incoming.event;
    check(agentEvent.type === 'message', 'the agent\'s event is not a message');
    check(agentEvent.authorId && agentEvent.authorId !== customerId, 'the agent\'s message has the customer as author');
    check(agentEvent.threadId === firstThreadId, 'the agent\'s message is in another thread');
    check(typeof agentEvent.createdAt === 'string', 'the agent\'s message has no created_at');
    return 'incoming_event';
  });

  const peek = 'I would like to ret';
  await steps.step('sneak peek', async () => {
    sdk.setSneakPeek({ chatId, sneakPeekText: peek });
    await agentSees(number, 'the sneak peek', (chat) => JSON.stringify(chat).includes(peek));
    return 'the agent sees it';
  });

  const second = 'I would like to return a parcel ' + run;
  await steps.step('customer message', async () => {
    const event = await within(sdk.sendEvent({ chatId, event: { type: 'message', text: second, customId: 'sdk-2-' + run } }), 'sendEvent');
    check(event.text === second && event.customId === 'sdk-2-' + run, 'sendEvent resolved with another event');
    check(event.authorId === customerId, 'the sent message is not the customer\'s');
    await agentSees(number, 'the customer\'s message', (chat) => texts(chat).includes(second));
    return 'resolved by incoming_event with the request_id; the agent sees it';
  });

  await steps.step('seen', async () => {
    const from = events.mark();
    await within(sdk.markEventsAsSeen({ chatId, seenUpTo: agentEvent.createdAt }), 'markEventsAsSeen');
    const seen = await events.next('events_marked_as_seen', (p) => p.chatId === chatId && p.userId === customerId, from);
    check(seen.seenUpTo >= agentEvent.createdAt, 'events_marked_as_seen says seen up to ' + seen.seenUpTo
      + ', before the agent\'s message');
    const chat = await within(sdk.getChat({ chatId }), 'getChat');
    const upTo = chat.eventsSeenUpToMap[customerId];
    check(upTo && upTo >= agentEvent.createdAt, 'getChat does not show the customer\'s seen mark');
    return 'events_marked_as_seen pushed; get_chat shows it';
  });

  await steps.step('deactivate', async () => {
    const from = events.mark();
    await within(sdk.deactivateChat({ id: chatId }), 'deactivateChat');
    await events.next('chat_deactivated', (p) => p.chatId === chatId, from);
    return 'chat_deactivated pushed';
  });

  const third = 'One more question ' + run;
  let secondThreadId = null;
  await steps.step('resume', async () => {
    const { chat } = await within(sdk.resumeChat({
      chat: { id: chatId, thread: { events: [{ type: 'message', text: third, customId: 'sdk-3-' + run }] } },
    }), 'resumeChat');
    check(chat.id === chatId, 'resumeChat answered another chat');
    secondThreadId = chat.thread.id;
    check(secondThreadId !== firstThreadId, 'resumeChat did not open a new thread');
    check(chat.thread.events.some((e) => e.text === third), 'the new thread does not hold the resuming message');
    return 'a new thread';
  });
  // Each thread is a chat of the emulator's console: the agent answers in the new one.
  const resumedNumber = await chatNumberWith(third);

  await steps.step('rating', async () => {
    await within(sdk.rateChat({ chatId, rating: { score: 1, comment: 'Quick and kind ' + run } }), 'rateChat');
    await agentSees(resumedNumber, 'the rating on the new thread', (chat) => chat.thread_properties
      && chat.thread_properties.rating && chat.thread_properties.rating.score === 1);
    return 'update_thread_properties on the newest thread; the agent sees it';
  });

  await steps.step('history', async () => {
    const { threads } = await within(sdk.listThreads({ chatId }), 'listThreads');
    check(threads.length >= 2, 'listThreads gave ' + threads.length + ' threads, not the two');
    check(threads[0].id === secondThreadId, 'listThreads does not list the newest thread first');
    const rated = threads[0].properties.rating;
    check(rated && rated.score === 1, 'the newest thread does not hold the rating');
    const older = threads.find((t) => t.id === firstThreadId);
    check(older && older.events.some((e) => e.text === second), 'the first thread lost the customer\'s message');
    const chat = await within(sdk.getChat({ chatId }), 'getChat');
    check(chat.thread && chat.thread.id === secondThreadId, 'getChat does not give the newest thread');
    return threads.length + ' threads, newest first, rating kept';
  });

  // The emulator's token_lifetime_s fault shortens the tokens issued from then on. The SDK holds
  // an 8-hour token, so the customer comes back as after a page load (disconnect, forget the
  // token, connect): the SDK fetches a token, a short one, and the fault is lifted as soon as it
  // is issued, so that the fresh token after the expiry is a normal one.
  await steps.step('token expiry', async () => {
    const mintedBefore = identity.stats.minted;
    await agent.faults({ token_lifetime_s: String(tokenLifetimeSeconds) });
    sdk.disconnect();
    await identity.provider().invalidate();
    const from = events.mark();
    sdk.connect();
    await waitUntil(() => identity.stats.minted > mintedBefore, 'a token minted while the fault holds');
    await agent.clearFaults();
    check(identity.stats.lastLifetimeMs === tokenLifetimeSeconds * 1000,
      'the token minted under the fault lives ' + identity.stats.lastLifetimeMs + ' ms');
    const loggedIn = await events.next('connected', () => true, from);
    const freshBefore = identity.stats.freshRequests;
    const expired = events.mark();
    const disconnected = await events.next('disconnected', () => true, expired, 15000 + tokenLifetimeSeconds * 1000);
    check(disconnected.reason === 'access_token_expired', 'disconnected for ' + disconnected.reason + ', not access_token_expired');
    check(frames.lines.includes('<- push customer_disconnected access_token_expired'),
      'no customer_disconnected push with access_token_expired');
    await events.next('connected', () => true, expired, 15000);
    check(identity.stats.freshRequests > freshBefore, 'the SDK did not ask the identityProvider for a fresh token');
    check(identity.stats.entityIds.size === 1, 'a fresh token named another customer');
    check(loggedIn.customer.id === customerId, 'the short token logged in another customer');
    return 'customer_disconnected access_token_expired, a fresh token, logged in again';
  });

  const fourth = 'Still there after the new token ' + run;
  const agentAfter = 'Yes, still here ' + run;
  await steps.step('goes on', async () => {
    const from = events.mark();
    const event = await within(sdk.sendEvent({ chatId, event: { type: 'message', text: fourth } }), 'sendEvent after reconnect');
    check(event.text === fourth, 'sendEvent after the new token resolved with another event');
    await agentSees(resumedNumber, 'the message sent after the new token', (chat) => texts(chat).includes(fourth));
    await agent.say(resumedNumber, agentAfter);
    await events.next('incoming_event', (p) => p.chatId === chatId && p.event && p.event.text === agentAfter, from);
    await agent.close(resumedNumber);
    await events.next('chat_deactivated', (p) => p.chatId === chatId, from);
    return 'both ways, then the agent closed the chat';
  });

  sdk.destroy();
  sdk = null;
  console.log('PASS whole chat: ' + steps.passed.length + ' steps');
  process.exit(0);
}

main().catch((error) => fail(1, error && error.message || String(error)));
