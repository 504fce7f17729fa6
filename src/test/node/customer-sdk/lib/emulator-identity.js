'use strict';

// The SDK's identityProvider, minting customer tokens as Parley's server would: an agent access
// token from a refresh token (POST accounts/v2/token), then the "agent token grant"
// (POST accounts/v2/customer/token) for one customer, the same entity_id every time after the
// first. The SDK wants {accessToken, entityId, expiresIn (ms), tokenType, creationDate}; it calls
// getFreshToken after `customer_disconnected: access_token_expired`, and getToken for each login,
// so getToken hands out the token being fetched, if any, before the one it holds.

async function postForm(url, fields) {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return readJson(answer, url);
}

async function postJson(url, body, bearer) {
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + bearer },
    body: JSON.stringify(body),
  });
  return readJson(answer, url);
}

async function readJson(answer, url) {
  const text = await answer.text();
  const path = new URL(url).pathname;
  if (!answer.ok) {
    throw new Error(path + ' answered ' + answer.status + ': ' + text.slice(0, 300));
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(path + ' answered something that is not JSON: ' + text.slice(0, 100));
  }
}

/**
 * account: {clientId, clientSecret, refreshToken}. Returns {provider, mint, stats}: provider is
 * what `identityProvider` of CustomerSDK.init takes; mint() fetches a first token before init.
 */
function emulatorIdentity(emulatorUrl, account) {
  const accounts = emulatorUrl.replace(/\/$/, '') + '/accounts/v2/';
  const stats = { minted: 0, freshRequests: 0, entityIds: new Set(), lastLifetimeMs: null };
  let agentToken = null;
  let entityId = null;
  let cached = null;
  let pending = null;

  const agentAccessToken = async () => {
    if (!agentToken) {
      const answer = await postForm(accounts + 'token', {
        grant_type: 'refresh_token',
        refresh_token: account.refreshToken,
        client_id: account.clientId,
        client_secret: account.clientSecret,
      });
      if (typeof answer.access_token !== 'string') {
        throw new Error('accounts/v2/token gave no access_token');
      }
      agentToken = answer.access_token;
    }
    return agentToken;
  };

  const mintOnce = async () => {
    const body = { grant_type: 'agent_token', client_id: account.clientId, response_type: 'token' };
    if (entityId) {
      body.entity_id = entityId;
    }
    const answer = await postJson(accounts + 'customer/token', body, await agentAccessToken());
    for (const field of ['access_token', 'entity_id', 'expires_in', 'token_type']) {
      if (answer[field] === undefined) {
        throw new Error('accounts/v2/customer/token gave no ' + field);
      }
    }
    entityId = answer.entity_id;
    stats.minted += 1;
    stats.entityIds.add(answer.entity_id);
    stats.lastLifetimeMs = answer.expires_in * 1000;
    stats.organizationId = answer.organization_id;
    return {
      accessToken: answer.access_token,
      entityId: answer.entity_id,
      expiresIn: answer.expires_in * 1000,
      tokenType: answer.token_type,
      creationDate: Date.now(),
    };
  };

  const mint = () => {
    if (!pending) {
      pending = mintOnce().then((token) => {
        pending = null;
        cached = token;
        return token;
      }, (error) => {
        pending = null;
        throw error;
      });
    }
    return pending;
  };

  const provider = () => ({
    getToken: () => pending || (cached && Date.now() < cached.creationDate + cached.expiresIn
      ? Promise.resolve(cached) : mint()),
    getFreshToken: () => {
      stats.freshRequests += 1;
      return mint();
    },
    hasToken: () => Promise.resolve(cached !== null),
    invalidate: () => {
      cached = null;
      return Promise.resolve();
    },
  });

  return { provider, mint, stats };
}

module.exports = { emulatorIdentity };
