// A scripted browser for the authorization code grant's tests, run as $BROWSER by
// tokenbench-cli (`node scripted-browser.mjs URL`): it follows the authorization URL like a
// person with a browser would — redirects, cookies, oidc-provider's development login and
// consent forms (devInteractions), submitted as they are filled in — until the provider
// redirects to the loopback callback, which it visits, and prints the callback page on stderr.
// Loopback only: any other host ends it with exit code 2. No packages beyond Node's own.
//
//   TB_BROWSER_LOGIN  the account to sign in as (default acct-ana-0001, the fixture's user)
//   TB_BROWSER_DENY   "1": at the consent page, abort instead (the provider then redirects
//                     with error=access_denied)
//   TB_BROWSER_LOG    a file to append each step's method and URL path (not the query) to

import { appendFileSync } from 'node:fs';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const login = process.env.TB_BROWSER_LOGIN || 'acct-ana-0001';
const deny = process.env.TB_BROWSER_DENY === '1';
const cookies = new Map();

function log(line) {
  if (process.env.TB_BROWSER_LOG) appendFileSync(process.env.TB_BROWSER_LOG, `${line}\n`);
}

function fail(code, message) {
  console.error(`scripted-browser: ${message}`);
  log(`FAIL ${message}`);
  process.exit(code);
}

function attribute(tag, name) {
  const match = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return match ? match[1].replace(/&amp;/g, '&').replace(/&#x2F;/g, '/').replace(/&#47;/g, '/') : undefined;
}

// The first form of the page: where it posts and its named inputs.
function firstForm(html) {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const input of form[1].matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name) fields.append(name, attribute(input[0], 'value') ?? '');
  }
  return { action: attribute(form[0], 'action'), method: (attribute(form[0], 'method') || 'get').toUpperCase(), fields };
}

async function main() {
  let url = new URL(process.argv[2] ?? fail(64, 'usage: scripted-browser.mjs URL'));
  let method = 'GET';
  let body;
  for (let step = 0; step < 25; step += 1) {
    if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) fail(2, `refusing to leave loopback: ${url.origin}`);
    log(`${method} ${url.pathname}`);
    const headers = {};
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await response.text();
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location'), url);
      method = 'GET';
      body = undefined;
      continue;
    }
    if (url.pathname === '/callback') {
      console.error(`scripted-browser: callback page ${response.status}: ${text.replace(/<[^>]+>/g, ' ').trim()}`);
      process.exit(response.status === 200 ? 0 : 1);
    }
    if (response.status !== 200) fail(1, `${response.status} at ${url.pathname}: ${text.slice(0, 300)}`);
    const form = firstForm(text);
    if (!form) fail(1, `no form at ${url.pathname}: ${text.slice(0, 300)}`);
    const prompt = form.fields.get('prompt');
    if (prompt === 'consent' && deny) {
      const abort = /href="([^"]*\/abort)"/i.exec(text);
      if (!abort) fail(1, 'no abort link on the consent page');
      url = new URL(abort[1].replace(/&amp;/g, '&'), url);
      method = 'GET';
      body = undefined;
      continue;
    }
    if (form.fields.has('login')) form.fields.set('login', login);
    if (form.fields.has('password')) form.fields.set('password', 'any password');
    url = new URL(form.action ?? url.pathname, url);
    method = form.method;
    body = form.fields.toString();
  }
  fail(1, 'too many steps');
}

main().catch((err) => fail(1, err.stack || String(err)));
