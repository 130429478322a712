// Scripted approval of a device authorization grant (RFC 8628) at oidc-provider's verification
// page, as a person at a browser would do it: enter the user code, confirm, sign in at the
// development login, consent. Node's own fetch, cookies kept by hand, loopback only.
//
//   node device-approve.mjs VERIFICATION_URI USER_CODE [--login ACCOUNT] [--deny]
//
// --deny aborts at the confirmation page instead (the device then gets access_denied).
// Exits 0 when the provider's success (or, with --deny, abort) page is reached; 1 with the
// last page on stderr otherwise.

import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
  options: {
    login: { type: 'string', default: 'acct-ana-0001' },
    deny: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  strict: true,
});
if (positionals.length !== 2) {
  console.error('usage: node device-approve.mjs VERIFICATION_URI USER_CODE [--login ACCOUNT] [--deny]');
  process.exit(2);
}
const [start, userCode] = positionals;
const origin = new URL(start);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(origin.hostname)) {
  console.error(`device-approve.mjs: ${origin.hostname} is not loopback`);
  process.exit(2);
}

const cookies = new Map();
function keepCookies(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') cookies.delete(name);
    else cookies.set(name, value);
  }
}

async function request(url, body) {
  const target = new URL(url, origin);
  if (target.origin !== origin.origin) throw new Error(`refusing to leave ${origin.origin} for ${target.origin}`);
  const headers = { cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join('; ') };
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(target, {
    method: body ? 'POST' : 'GET', headers, body: body ? new URLSearchParams(body).toString() : undefined, redirect: 'manual',
  });
  keepCookies(response);
  return { url: target, response, text: await response.text() };
}

function attribute(tag, name) {
  const match = tag.match(new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i'));
  return match ? match[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'") : undefined;
}

// The page's first form: its action and the fields a person would submit.
function form(html) {
  const open = html.match(/<form\b[^>]*>/i);
  if (!open) return undefined;
  const rest = html.slice(open.index);
  const end = rest.search(/<\/form>/i);
  const inner = end < 0 ? rest : rest.slice(0, end);
  const fields = {};
  for (const tag of inner.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(tag, 'name');
    if (name) fields[name] = attribute(tag, 'value') ?? '';
  }
  return { action: attribute(open[0], 'action'), fields };
}

let page = await request(start);
for (let step = 0; step < 20; step += 1) {
  const { response } = page;
  if (response.status >= 300 && response.status < 400) {
    page = await request(new URL(response.headers.get('location'), page.url));
    continue;
  }
  // server.mjs' own pages mark the two ends (features.deviceFlow's successSource, userCodeInputSource).
  if (/id="device-(success|aborted)"/.test(page.text)) {
    const reached = page.text.includes(options.deny ? 'id="device-aborted"' : 'id="device-success"');
    if (!reached) console.error(`device-approve.mjs: ended at the wrong page:\n${page.text}`);
    process.exit(reached ? 0 : 1);
  }
  const found = form(page.text);
  if (!found) {
    console.error(`device-approve.mjs: stopped at ${page.url} (HTTP ${response.status}):\n${page.text}`);
    process.exit(1);
  }
  const fields = { ...found.fields };
  if ('user_code' in fields && !fields.user_code) fields.user_code = userCode;
  if (fields.confirm === 'yes' && options.deny) {
    delete fields.confirm;
    fields.abort = 'yes';
  }
  if (fields.prompt === 'login') {
    fields.login = options.login;
    fields.password = 'any';
  }
  page = await request(new URL(found.action ?? page.url.pathname, page.url), fields);
}
console.error('device-approve.mjs: more than 20 pages; giving up');
process.exit(1);
