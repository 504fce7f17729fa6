'use strict';

// Steps with a line each, and waits on what the SDK emits: every emitted event is kept, so that a
// wait started after the event came still finds it (an agent's message may arrive before the
// script asks for it).

const DEFAULT_WAIT_MS = 10000;

/** Keeps what the SDK emits, by name, and waits for an event matching a condition. */
function sdkEvents(sdk, names) {
  const seen = [];
  const waiters = [];
  names.forEach((name) => sdk.on(name, (payload) => {
    const entry = { name, payload, index: seen.length };
    seen.push(entry);
    waiters.slice().forEach((waiter) => waiter(entry));
  }));
  return {
    /** The position after everything seen so far: waits from here on ignore older events. */
    mark: () => seen.length,
    all: (name) => seen.filter((entry) => entry.name === name).map((entry) => entry.payload),
    /** Resolves with the first payload of `name`, from position `from`, that satisfies `test`. */
    next(name, test = () => true, from = 0, timeoutMs = DEFAULT_WAIT_MS) {
      const found = seen.slice(from).find((entry) => entry.name === name && test(entry.payload));
      if (found) {
        return Promise.resolve(found.payload);
      }
      return new Promise((resolve, reject) => {
        const waiter = (entry) => {
          if (entry.index >= from && entry.name === name && test(entry.payload)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(entry.payload);
          }
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('the SDK did not emit "' + name + '" within ' + timeoutMs + ' ms'));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
}

/** Runs named steps in order, printing "STEP <name> ok" or "FAIL <name>: why". */
function stepRunner(out = console.log) {
  const passed = [];
  let current = null;
  return {
    passed,
    current: () => current,
    async step(name, body) {
      current = name;
      const started = Date.now();
      const detail = await body();
      passed.push(name);
      out('STEP ' + name + ' ok (' + (Date.now() - started) + ' ms)' + (detail ? ': ' + detail : ''));
      current = null;
      return detail;
    },
  };
}

/** Fails with `message` unless `condition` holds. */
function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Resolves with what `promise` gives, or fails saying `what` did not happen in time. */
function within(promise, what, timeoutMs = DEFAULT_WAIT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(what + ' did not settle within ' + timeoutMs + ' ms')), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

module.exports = { sdkEvents, stepRunner, check, within, DEFAULT_WAIT_MS };
