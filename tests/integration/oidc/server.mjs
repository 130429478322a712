// Tokenbench integration-test authorization server.
//
// A real, independent OAuth 2 authorization server (panva's oidc-provider, pinned in
// package.json) configured for the client credentials grant and, registered below as a
// custom grant type, the resource owner password credentials grant (RFC 6749 §4.3), both
// with JWT access tokens. Next to it, on a second port, a protected resource API under
// /api/ that trusts those tokens the way a real resource server does (RFC 9068 JWT access
// tokens checked with the provider's JWKS, RFC 6750 errors).
//
//   node server.mjs --port 0 [--api-port 0] [--api-clock-offset SECONDS] [--lenient-scopes] [--verbose]
//
// Once listening it prints exactly one JSON line to stdout:
//   {"issuer":"http://127.0.0.1:N","token_endpoint":"http://127.0.0.1:N/token","port":N,
//    "api_base":"http://127.0.0.1:M/api","api_port":M}
// and keeps serving until SIGTERM/SIGINT or until its standard input reaches EOF, so it
// never outlives the test process that spawned it. Nothing else is written to stdout;
// errors go to stderr.
//
// Fixture (see README.md next to this file):
//   resource  urn:tokenbench:api (the default resource: clients do not send resource=)
//   scopes    accounts:read accounts:execute trades:read trades:execute
//   clients   tb-basic          client_secret_basic  basic-secret          client_credentials, password
//             tb-post           client_secret_post   post-secret           client_credentials, password
//             tb:special id+%&/= client_secret_basic  s3cr:et+%& u/=~*'()!  client_credentials, password
//             tb-password       client_secret_post   password-secret       password only
//             tb-native         none (public)        -                     authorization_code, PKCE S256
//             tb-native-secret  client_secret_basic  native-secret         authorization_code, PKCE S256
//                               both native apps: redirect http://127.0.0.1:<any port>/callback (RFC 8252 §7.3);
//                               devInteractions' login (an account findAccount knows: acct-ana-0001) and
//                               consent, which scripted-browser.mjs completes
//             tb-device         none (public)        -                     device_code (RFC 8628)
//             tb-lifecycle      client_secret_basic  lifecycle-secret      authorization_code (PKCE), refresh_token:
//                               scope openid offline_access, no resource (so opaque access tokens,
//                               which introspection can tell about), refresh tokens rotated on every use;
//                               offline_access needs prompt=consent in the authorization request
//             tb-pkjwt          private_key_jwt      (keys: --pkjwt-key)   client_credentials, password
//   device    /device/auth, verification page /device; devInteractions' login (any account
//             findAccount knows: acct-ana-0001) and consent; device-approve.mjs completes them
//   user      ana@example.com / p@ss w:rd+&%é  (account id, the tokens' sub: acct-ana-0001)
//   tokens    RS256-signed JWT access tokens, 300 s, key generated at start; ID tokens (scope
//             openid) RS256 with the same key; tb-lifecycle's access tokens opaque.
//   lifecycle /token/introspection (RFC 7662) and /token/revocation (RFC 7009) for opaque
//             access tokens and refresh tokens; revoking a refresh token ends its whole grant.
//   API       GET /api/accounts (accounts:read), POST /api/trades (trades:execute),
//             GET /api/echo-headers (accounts:read), realm "oidc-fixture". A token bound to a client
//             certificate (cnf x5t#S256, RFC 8705 §3) is refused unless that certificate is presented.
//   mTLS      with --mtls-cert/--mtls-key/--mtls-ca (RFC 8705): the same provider also served over
//             https on --mtls-port, asking every client for a certificate (none or any is let through
//             the handshake: the provider decides), advertised as mtls_endpoint_aliases; the API also
//             over https on --mtls-api-port. Clients appended:
//             tb-mtls           tls_client_auth: a certificate of --mtls-ca with the subject
//                               O=Tokenbench Tests,CN=tokenbench-test-client; client_credentials, password
//             tb-mtls-self-signed  self_signed_tls_client_auth: the certificate of --mtls-self-signed-cert
//                               (registered only with that option); client_credentials
//             tb-mtls-code      private_key_jwt (the --pkjwt-key keys) over mutual TLS, authorization_code
//                               (PKCE), a native app like tb-native (registered only with --pkjwt-key)
//             all three get certificate-bound access tokens (cnf x5t#S256).
//   The ready line then also has "mtls_base", "mtls_port", "mtls_api_base", "mtls_api_port".

import {
  generateKeyPairSync, randomBytes, createHash, timingSafeEqual, createPublicKey, X509Certificate,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';
// jose is oidc-provider's own JOSE library (a dependency of the pinned version, installed at
// node_modules/jose by the lock); the resource API verifies the access tokens with it.
import { createRemoteJWKSet, jwtVerify } from 'jose';
// Not part of oidc-provider's documented API, but the very function its built-in grants run
// for resource indicators (RFC 8707); the version is pinned, and a moved file fails the start.
import checkResource from 'oidc-provider/lib/shared/check_resource.js';

// stdout carries only the ready line. oidc-provider prints its development notices with
// console.info (stdout) and console.warn; every helper they are about is configured below,
// and anything that still gets printed goes to stderr.
console.log = console.error.bind(console);
console.info = console.error.bind(console);

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-port': { type: 'string', default: '0' },
    // The resource API's clock runs this many seconds ahead (may be negative): with more than
    // the token lifetime (300), every token is expired for the API while the authorization
    // server keeps issuing fresh ones. For tests of the expired-token path; 0 by default.
    'api-clock-offset': { type: 'string', default: '0' },
    'lenient-scopes': { type: 'boolean', default: false },
    // KID=FILE: a public key (PEM) of the private_key_jwt client tb-pkjwt, under that kid
    // (repeatable). Without any, tb-pkjwt is not registered.
    'pkjwt-key': { type: 'string', multiple: true, default: [] },
    // Mutual TLS (RFC 8705): the https listener's certificate and key, and the CA whose
    // certificates tls_client_auth accepts. All three, or none (no mTLS listener).
    'mtls-cert': { type: 'string' },
    'mtls-key': { type: 'string' },
    'mtls-ca': { type: 'string' },
    'mtls-port': { type: 'string', default: '0' },
    'mtls-api-port': { type: 'string', default: '0' },
    // The certificate (PEM) tb-mtls-self-signed registers for self_signed_tls_client_auth.
    'mtls-self-signed-cert': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  strict: true,
});

function portOption(name) {
  const value = options[name];
  const number = /^[0-9]+$/.test(value) ? Number.parseInt(value, 10) : NaN;
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    console.error(`server.mjs: invalid --${name} ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return number;
}

const port = portOption('port');
const apiPort = portOption('api-port');
const mtlsPort = portOption('mtls-port');
const mtlsApiPort = portOption('mtls-api-port');
const mtlsFiles = ['mtls-cert', 'mtls-key', 'mtls-ca'].filter((name) => options[name] !== undefined);
if (mtlsFiles.length !== 0 && mtlsFiles.length !== 3) {
  console.error('server.mjs: --mtls-cert, --mtls-key and --mtls-ca go together');
  process.exit(2);
}
const mtlsEnabled = mtlsFiles.length === 3;
const apiClockOffset = /^-?[0-9]+$/.test(options['api-clock-offset'])
  ? Number.parseInt(options['api-clock-offset'], 10) : NaN;
if (!Number.isSafeInteger(apiClockOffset)) {
  console.error(`server.mjs: invalid --api-clock-offset ${JSON.stringify(options['api-clock-offset'])}`);
  process.exit(2);
}

const API_RESOURCE = 'urn:tokenbench:api';
const API_SCOPES = ['accounts:read', 'accounts:execute', 'trades:read', 'trades:execute'];
const OIDC_SCOPES = ['openid', 'offline_access'];
const ACCESS_TOKEN_TTL = 300;

// oidc-provider only accepts client_id/client_secret made of RFC 6749 Appendix A VSCHAR
// (%x20-7E): non-ASCII is rejected at configuration time ("invalid client_id value") and
// in a Basic header (invalid_request). This client therefore uses every printable
// character that RFC 6749 §2.3.1 form-urlencoding must escape: ':' (the Basic
// separator), ' ' (-> '+'), '+' (-> %2B), '%' (-> %25), '&', '/', '=', and in the
// secret also '~' (unreserved) and "*'()!" (escaped by form-urlencoding, not by JS
// encodeURIComponent).
const SPECIAL_CLIENT_ID = 'tb:special id+%&/=';
const SPECIAL_CLIENT_SECRET = "s3cr:et+%& u/=~*'()!";

// The password grant (RFC 6749 §4.3). oidc-provider does not implement it (OAuth 2.1 drops
// it); it is registered below with provider.registerGrantType(). The one resource owner:
// the password has a space, the form-urlencoding specials ':' '+' '&' '%' and '@', and a
// non-ASCII letter. Unlike client credentials, grant parameters are not restricted to
// VSCHAR: oidc-provider parses the body with node:querystring, which decodes percent-encoded
// UTF-8 (and '+' as a space) before the handler sees it.
const PASSWORD_GRANT = 'password';
const TEST_ACCOUNT = {
  accountId: 'acct-ana-0001',
  username: 'ana@example.com',
  password: 'p@ss w:rd+&%é',
};

// The device authorization grant (RFC 8628), features.deviceFlow below: a public client, as
// the devices that use it are (no secret to keep), approved by a person at /device after the
// development login and consent (device-approve.mjs scripts that).
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

// Its tokens are for no resource server: opaque access tokens (userinfo's), as introspection needs.
const LIFECYCLE_CLIENT_ID = 'tb-lifecycle';

const commonClient = {
  grant_types: ['client_credentials', PASSWORD_GRANT],
  response_types: [],
  redirect_uris: [],
  scope: API_SCOPES.join(' '),
};

const clients = [
  { ...commonClient, client_id: 'tb-basic', client_secret: 'basic-secret', token_endpoint_auth_method: 'client_secret_basic' },
  { ...commonClient, client_id: 'tb-post', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post' },
  { ...commonClient, client_id: SPECIAL_CLIENT_ID, client_secret: SPECIAL_CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_basic' },
  // Password grant only: client_credentials with it is refused (invalid_request, "requested
  // grant type is not allowed for this client").
  {
    ...commonClient,
    grant_types: [PASSWORD_GRANT],
    client_id: 'tb-password',
    client_secret: 'password-secret',
    token_endpoint_auth_method: 'client_secret_post',
  },
  // The authorization code grant for a native app (RFC 8252): a loopback redirect whose port
  // oidc-provider ignores for application_type native (§7.3), PKCE required (below).
  ...['tb-native', 'tb-native-secret'].map((clientId) => ({
    client_id: clientId,
    application_type: 'native',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
    // openid too: with it the answer has an ID token (RS256, the nonce of the request).
    scope: ['openid', ...API_SCOPES].join(' '),
    ...(clientId === 'tb-native'
      ? { token_endpoint_auth_method: 'none' }
      : { token_endpoint_auth_method: 'client_secret_basic', client_secret: 'native-secret' }),
  })),
  // Refresh tokens, their rotation, introspection and revocation (tst_oidc_lifecycle): a
  // confidential client, as introspection and revocation want one, with the OpenID scopes only.
  {
    client_id: LIFECYCLE_CLIENT_ID,
    application_type: 'native',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/callback'],
    scope: 'openid offline_access',
    token_endpoint_auth_method: 'client_secret_basic',
    client_secret: 'lifecycle-secret',
  },
  {
    grant_types: [DEVICE_GRANT],
    response_types: [],
    redirect_uris: [],
    scope: API_SCOPES.join(' '),
    client_id: 'tb-device',
    token_endpoint_auth_method: 'none',
  },
];

// The device flow's pages, plain and marked for device-approve.mjs (the defaults print notices).
function devicePage(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}
const deviceFlowPages = {
  userCodeInputSource: async (ctx, form, out, err) => {
    const note = err?.name === 'AbortedError' ? '<p id="device-aborted">The request was aborted</p>'
      : err ? '<p id="device-error">The code is incorrect, used or expired</p>' : '<p>Enter the code your device shows</p>';
    ctx.body = devicePage('Connect a device', `${note}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
  },
  userCodeConfirmSource: async (ctx, form, client, deviceInfo, userCode) => {
    ctx.body = devicePage('Confirm the device', `<p>${client.clientId} shows <code>${userCode}</code></p>${form}`
      + '<button type="submit" form="op.deviceConfirmForm">Continue</button>'
      + '<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Abort</button>');
  },
  successSource: async (ctx) => {
    ctx.body = devicePage('Device connected', '<p id="device-success">You can close this page</p>');
  },
};

// private_key_jwt (RFC 7523 §2.2, OpenID Connect Core §9): tb-pkjwt has no secret; it signs a
// client assertion with a private key whose public half the test hands over (--pkjwt-key).
const PKJWT_CLIENT_ID = 'tb-pkjwt';
const pkjwtKeys = options['pkjwt-key'].map((spec) => {
  const at = spec.indexOf('=');
  if (at <= 0) {
    console.error(`server.mjs: --pkjwt-key needs KID=FILE, got ${JSON.stringify(spec)}`);
    process.exit(2);
  }
  return { ...createPublicKey(readFileSync(spec.slice(at + 1))).export({ format: 'jwk' }), kid: spec.slice(0, at) };
});
if (pkjwtKeys.length) {
  clients.push({
    ...commonClient,
    client_id: PKJWT_CLIENT_ID,
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: pkjwtKeys },
  });
}

// ---- Mutual TLS clients (RFC 8705), appended only when the https listener runs ----
//
// RFC 8705 §2.1.2: tls_client_auth_subject_dn is the RFC 4514 string of the subject, whose RDNs
// run from the last to the first; node lists them first to last, one per line.
const MTLS_SUBJECT_DN = 'O=Tokenbench Tests,CN=tokenbench-test-client';
function subjectMatches(certificate, expectedDn) {
  const rdns = expectedDn.split(',').map((rdn) => rdn.trim()).reverse();
  return certificate.subject === rdns.join('\n');
}
// RFC 8705 §3.1: the base64url SHA-256 of the certificate's DER.
function certificateThumbprint(certificate) {
  return createHash('sha256').update(certificate.raw).digest('base64url');
}
// The certificate the TLS handshake got from the client, when it came over https; else undefined.
function peerCertificate(socket) {
  return socket?.encrypted ? socket.getPeerX509Certificate() : undefined;
}
if (mtlsEnabled) {
  clients.push({
    ...commonClient,
    client_id: 'tb-mtls',
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: MTLS_SUBJECT_DN,
    tls_client_certificate_bound_access_tokens: true,
  });
  if (options['mtls-self-signed-cert']) {
    const pem = readFileSync(options['mtls-self-signed-cert']);
    const certificate = new X509Certificate(pem);
    clients.push({
      ...commonClient,
      grant_types: ['client_credentials'],
      client_id: 'tb-mtls-self-signed',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      tls_client_certificate_bound_access_tokens: true,
      jwks: { keys: [{ ...certificate.publicKey.export({ format: 'jwk' }), x5c: [certificate.raw.toString('base64')] }] },
    });
  }
  if (pkjwtKeys.length) {
    clients.push({
      client_id: 'tb-mtls-code',
      application_type: 'native',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: ['openid', ...API_SCOPES].join(' '),
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: pkjwtKeys },
      tls_client_certificate_bound_access_tokens: true,
    });
  }
}

// A plain in-memory storage adapter. oidc-provider's built-in one works the same but
// prints a "development-only adapter" warning on every start; a throwaway test server
// wants exactly this and no noise on stderr.
class MemoryAdapter {
  static #stores = new Map();

  constructor(name) {
    if (!MemoryAdapter.#stores.has(name)) MemoryAdapter.#stores.set(name, new Map());
    this.store = MemoryAdapter.#stores.get(name);
  }

  async upsert(id, payload, expiresIn) {
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
    this.store.set(id, { payload, expiresAt });
  }

  async find(id) {
    const entry = this.store.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.store.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    for (const [id, { payload }] of this.store) {
      if (payload.uid === uid) return this.find(id);
    }
    return undefined;
  }

  async findByUserCode(userCode) {
    for (const [id, { payload }] of this.store) {
      if (payload.userCode === userCode) return this.find(id);
    }
    return undefined;
  }

  async consume(id) {
    const entry = this.store.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    this.store.delete(id);
  }

  async revokeByGrantId(grantId) {
    for (const [id, { payload }] of this.store) {
      if (payload.grantId === grantId) this.store.delete(id);
    }
  }
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint as the key id.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return { ...jwk, kid: thumbprint, use: 'sig', alg: 'RS256' };
}

function sameString(a, b) {
  const left = Buffer.from(String(a), 'utf8');
  const right = Buffer.from(String(b), 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// grant_type=password: username, password, scope (+ resource, like the built-in grants).
// Modelled on oidc-provider's own client_credentials handler
// (lib/actions/grants/client_credentials.js): the same resource indicator handling, client
// scope allow-list and resource server scope filter, so the access token is the same kind of
// JWT (aud = the resource, RS256, 300 s) but issued to the resource owner: an AccessToken
// with accountId (-> sub) and gty "password" instead of a ClientCredentials token (sub =
// client_id). The client has already been authenticated by oidc-provider's token endpoint
// middleware, and its grant_types checked, before this runs.
async function passwordGrantHandler(ctx, next) {
  const { client, params, provider } = ctx.oidc;

  const { username, password } = params;
  if (!username) throw new errors.InvalidRequest("missing required parameter 'username'");
  if (!password) throw new errors.InvalidRequest("missing required parameter 'password'");
  // The same answer for an unknown user and a wrong password (RFC 6749 §5.2: invalid_grant).
  const account = sameString(username, TEST_ACCOUNT.username) && sameString(password, TEST_ACCOUNT.password)
    ? TEST_ACCOUNT : undefined;
  if (!account) throw new errors.InvalidGrant('invalid resource owner credentials');

  await checkResource(ctx, () => {});

  // As in client_credentials: scopes the provider knows must be in the client's allow-list;
  // others are left to the resource server (getResourceServerInfo above rejects them unless
  // --lenient-scopes, which drops them below).
  const scopes = params.scope ? [...new Set(params.scope.split(' ').filter(Boolean))] : [];
  if (client.scope) {
    const known = new Set(configuration.scopes);
    const allowList = new Set(client.scope.split(' '));
    for (const scope of scopes.filter((s) => known.has(s))) {
      if (!allowList.has(scope)) throw new errors.InvalidScope('requested scope is not allowed', scope);
    }
  }

  const { 0: resourceServer, length } = Object.values(ctx.oidc.resourceServers);
  if (!resourceServer) throw new errors.InvalidTarget('no resource server for this request');
  if (length !== 1) {
    throw new errors.InvalidTarget('only a single resource indicator value is supported for this grant type');
  }
  const resourceScopes = new Set(resourceServer.scope.split(' '));
  const granted = scopes.filter((scope) => resourceScopes.has(scope)).join(' ') || undefined;

  // A grant, as oidc-provider keeps for every token issued to an end-user.
  const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
  if (granted) grant.addResourceScope(resourceServer.identifier(), granted);
  const grantId = await grant.save();

  const token = new provider.AccessToken({
    accountId: account.accountId,
    client,
    grantId,
    gty: PASSWORD_GRANT,
    scope: granted,
  });
  token.resourceServer = resourceServer;

  ctx.oidc.entity('AccessToken', token);
  const value = await token.save();

  ctx.body = {
    access_token: value,
    expires_in: token.expiration,
    token_type: token.tokenType,
    scope: token.scope || undefined,
  };

  await next();
}

function requestedScopes(ctx) {
  const scope = ctx.oidc.params?.scope;
  return typeof scope === 'string' && scope.length ? scope.split(' ').filter(Boolean) : [];
}

const configuration = {
  adapter: MemoryAdapter,
  ...(mtlsEnabled ? {
    clientAuthMethods: ['client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
      'tls_client_auth', 'self_signed_tls_client_auth'],
  } : {}),
  clients,
  jwks: { keys: [signingKey()] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  // 'openid' and 'offline_access' are oidc-provider's defaults; the API scopes are listed
  // too so that clients may restrict themselves to them (client metadata "scope" must be
  // a subset of this list) and so that discovery advertises them in scopes_supported.
  scopes: [...OIDC_SCOPES, ...API_SCOPES],
  claims: { openid: ['sub'] },
  features: {
    // The development login and consent pages, for the grants with a person in them; scripts
    // complete them (scripted-browser.mjs, device-approve.mjs).
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true, ...deviceFlowPages },
    clientCredentials: { enabled: true },
    // oidc-provider keeps a record of opaque tokens and refresh tokens only: introspecting a
    // JWT access token answers {"active":false}, revoking one does nothing. A client may ask
    // about its own tokens (the default policy, given here only to keep its notice quiet).
    introspection: {
      enabled: true,
      allowedPolicy: async (ctx, client, token) => !(client.clientAuthMethod === 'none' && token.clientId !== ctx.oidc.client.clientId),
    },
    revocation: { enabled: true },
    // RFC 8705, on the https listener only: a plain-http request has no certificate to give.
    mTLS: {
      enabled: mtlsEnabled,
      tlsClientAuth: mtlsEnabled,
      selfSignedTlsClientAuth: mtlsEnabled,
      certificateBoundAccessTokens: mtlsEnabled,
      getCertificate: (ctx) => peerCertificate(ctx.req.socket),
      // The handshake checked the chain against --mtls-ca (requestCert, rejectUnauthorized off).
      certificateAuthorized: (ctx) => ctx.req.socket.authorized === true,
      certificateSubjectMatches: (ctx, property, expected) => {
        const certificate = peerCertificate(ctx.req.socket);
        return property === 'tls_client_auth_subject_dn' && certificate !== undefined && subjectMatches(certificate, expected);
      },
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client) => (client?.clientId === LIFECYCLE_CLIENT_ID ? undefined : API_RESOURCE),
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resourceIndicator) => {
        if (resourceIndicator !== API_RESOURCE) {
          throw new errors.InvalidTarget(`unknown resource indicator ${resourceIndicator}`);
        }
        // Stock oidc-provider silently drops requested scopes that the resource server
        // does not define (RFC 6749 §3.3 lets it grant fewer than requested). The tests
        // want the strict behaviour: any unknown scope is an invalid_scope error.
        if (!options['lenient-scopes']) {
          // openid and offline_access are the provider's own (an ID token, a refresh token).
          const unknown = requestedScopes(ctx).filter((scope) => !API_SCOPES.includes(scope) && !OIDC_SCOPES.includes(scope));
          if (unknown.length) {
            throw new errors.InvalidScope('requested scope is not allowed', unknown.join(' '));
          }
        }
        return {
          scope: API_SCOPES.join(' '),
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_TTL,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // PKCE (S256) for every authorization code, confidential clients' too.
  pkce: { required: () => true },
  // Every refresh rotates the refresh token (RFC 6749 §6, OAuth 2.1 §4.3.1): the old one is
  // consumed, and presenting it again is refused and ends the grant (reuse detection).
  rotateRefreshToken: () => true,
  ttl: {
    AccessToken: ACCESS_TOKEN_TTL,
    ClientCredentials: ACCESS_TOKEN_TTL,
    AuthorizationCode: 60,
    DeviceCode: 600,
    BackchannelAuthenticationRequest: 600,
    Grant: 3600,
    IdToken: 3600,
    Interaction: 3600,
    RefreshToken: 3600,
    Session: 3600,
  },
  // The password grant's one account (its tokens carry only sub; no ID tokens are issued).
  findAccount: async (ctx, id) => (id === TEST_ACCOUNT.accountId
    ? { accountId: id, claims: async () => ({ sub: id }) }
    : undefined),
  // The remaining helpers are given explicitly only because their defaults print
  // "you SHOULD change it" notices; none of them matters for client credentials.
  clientBasedCORS: () => true,
  pairwiseIdentifier: async (ctx, accountId, client) => createHash('sha256')
    .update(`${client.sectorIdentifier}:${accountId}`).digest('base64url'),
  renderError: async (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
};

// ---- The protected resource API (a second listener, its own origin, like a real API) ----
//
// It trusts the access tokens of the authorization server above and nothing else: an
// RFC 9068 JWT (typ at+jwt, RS256) whose signature verifies with a key of the provider's
// JWKS (fetched from jwks_uri, as a resource server does, and cached by jose), iss = the
// issuer, aud = the resource indicator, exp in the future, and the RFC 9068 claims present.
// Errors as RFC 6750 §3 says:
//   no bearer token (no Authorization, or another scheme)  401  Bearer realm="oidc-fixture"
//   malformed Authorization, token in the URL               400  error="invalid_request"
//   bad signature, wrong iss/aud/typ, expired, not a JWT    401  error="invalid_token"
//   token without the route's scope                         403  error="insufficient_scope", scope="…"
// each with a JSON body ({"error", "error_description"[, "scope"]}; the first one has no
// error code, as §3.1 asks, only a "message").

const API_REALM = 'oidc-fixture';
const API_PREFIX = '/api';
const API_BODY_LIMIT = 64 * 1024;
// RFC 9068 §2.2: the claims every JWT access token carries.
const ACCESS_TOKEN_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];
// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const API_ACCOUNTS = [
  { id: 'acc-0001', name: 'Everyday', currency: 'EUR', balance: '1250.00' },
  { id: 'acc-0002', name: 'Savings', currency: 'EUR', balance: '10400.50' },
  { id: 'acc-0003', name: 'Trading', currency: 'USD', balance: '310.75' },
];

class ApiError extends Error {
  constructor(status, body, challenge = undefined, headers = {}) {
    super(body.error_description || body.message || String(status));
    this.status = status;
    this.body = body;
    this.headers = challenge ? { ...headers, 'WWW-Authenticate': challenge } : headers;
  }
}

// RFC 6750 §3: auth-param values are quoted-strings without '"' and '\'.
function bearerChallenge(params = {}) {
  const quoted = (value) => `"${String(value).replace(/["\\]/g, '')}"`;
  return ['Bearer', [`realm=${quoted(API_REALM)}`,
    ...Object.entries(params).map(([name, value]) => `${name}=${quoted(value)}`)].join(', ')].join(' ');
}

function invalidRequest(description) {
  return new ApiError(400, { error: 'invalid_request', error_description: description },
    bearerChallenge({ error: 'invalid_request', error_description: description }));
}

function invalidToken(description) {
  return new ApiError(401, { error: 'invalid_token', error_description: description },
    bearerChallenge({ error: 'invalid_token', error_description: description }));
}

// What jose reports, in the API's words. Only an expired token says "expired" (clients, and
// Tokenbench's denial readout, read it as "authorize again").
function describeVerificationFailure(err) {
  switch (err.code) {
    case 'ERR_JWT_EXPIRED':
      return 'the access token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (err.reason === 'missing') return `the access token has no "${err.claim}" claim`;
      switch (err.claim) {
        case 'iss': return 'the access token was issued by another authorization server';
        case 'aud': return `the access token is not meant for this API (aud is not ${API_RESOURCE})`;
        case 'typ': return 'the token is not a JWT access token (typ is not at+jwt)';
        case 'nbf': return 'the access token is not valid yet';
        default: return `the access token's "${err.claim}" claim is invalid`;
      }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'the access token signature does not verify with the authorization server keys';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'the access token is not signed with RS256';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'the access token is not a well-formed JWT';
    default:
      return undefined; // not the token's fault (e.g. the JWKS could not be fetched)
  }
}

function sendJson(res, status, body, headers = {}) {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > API_BODY_LIMIT) {
        // Answer now and discard the rest; the connection is not reused.
        req.off('data', onData);
        req.resume();
        reject(new ApiError(413, { error: 'payload_too_large', message: `the body exceeds ${API_BODY_LIMIT} bytes` },
          undefined, { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function createResourceApi({ issuer, jwksUri }) {
  const jwks = createRemoteJWKSet(jwksUri);
  let nextTrade = 1;

  const routes = {
    [`${API_PREFIX}/accounts`]: {
      GET: { scope: 'accounts:read', handle: async () => [200, API_ACCOUNTS] },
    },
    [`${API_PREFIX}/trades`]: {
      POST: {
        scope: 'trades:execute',
        handle: async (req, claims) => {
          const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
          if (type !== 'application/json') {
            throw new ApiError(415, { error: 'unsupported_media_type', message: 'send the trade as application/json' });
          }
          let trade;
          try {
            trade = JSON.parse((await readBody(req)).toString('utf8'));
          } catch (err) {
            if (err instanceof ApiError) throw err;
            throw new ApiError(400, { error: 'invalid_body', message: 'the body is not valid JSON' });
          }
          const id = `trd-${String(nextTrade++).padStart(4, '0')}`;
          return [201, {
            id,
            trade,
            client_id: claims.client_id,
            sub: claims.sub,
            on_behalf_of: req.headers['x-on-behalf-of'] ?? null,
          }, { Location: `${API_PREFIX}/trades/${id}` }];
        },
      },
    },
    // What reached the API, so that tests can see injected context headers arrive. Never the
    // Authorization header: the token stays out of the response.
    [`${API_PREFIX}/echo-headers`]: {
      GET: {
        scope: 'accounts:read',
        handle: async (req) => {
          const { authorization, ...headers } = req.headers;
          return [200, headers];
        },
      },
    },
  };

  async function authenticate(req, url) {
    if (url.searchParams.has('access_token')) {
      throw invalidRequest('access tokens in the URL are not accepted; send an Authorization: Bearer header');
    }
    const authorization = req.headers.authorization;
    const [scheme, ...rest] = (authorization ?? '').trim().split(/ +/);
    if (!authorization || scheme.toLowerCase() !== 'bearer') {
      // RFC 6750 §3.1: no error code when the request has no bearer authentication at all.
      throw new ApiError(401, { message: 'this API needs a bearer access token' }, bearerChallenge());
    }
    if (rest.length !== 1 || !B64TOKEN.test(rest[0])) {
      throw invalidRequest('the Authorization header must be Bearer and one token');
    }
    let verified;
    try {
      const { payload } = await jwtVerify(rest[0], jwks, {
        issuer,
        audience: API_RESOURCE,
        algorithms: ['RS256'],
        typ: 'at+jwt',
        requiredClaims: ACCESS_TOKEN_CLAIMS,
        currentDate: new Date(Date.now() + apiClockOffset * 1000),
      });
      verified = payload;
    } catch (err) {
      const description = describeVerificationFailure(err);
      if (!description) throw err;
      throw invalidToken(description);
    }
    // RFC 8705 §3: a certificate-bound token is good only with the certificate it names.
    const bound = verified.cnf?.['x5t#S256'];
    if (bound !== undefined) {
      const certificate = peerCertificate(req.socket);
      if (!certificate) {
        throw invalidToken('the access token is bound to a client certificate (RFC 8705), and the request presents none');
      }
      if (certificateThumbprint(certificate) !== bound) {
        throw invalidToken('the access token is bound to another client certificate than the one presented');
      }
    }
    return verified;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://api.invalid');
    const route = routes[url.pathname];
    if (!route) {
      throw new ApiError(404, { error: 'not_found', message: `no API route ${url.pathname}` });
    }
    const endpoint = route[req.method];
    if (!endpoint) {
      const allowed = Object.keys(route).join(', ');
      throw new ApiError(405, { error: 'method_not_allowed', message: `${url.pathname} allows ${allowed}` },
        undefined, { Allow: allowed });
    }
    const claims = await authenticate(req, url);
    const granted = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (!granted.includes(endpoint.scope)) {
      const description = `${req.method} ${url.pathname} needs the scope ${endpoint.scope}`;
      throw new ApiError(403, { error: 'insufficient_scope', error_description: description, scope: endpoint.scope },
        bearerChallenge({ error: 'insufficient_scope', error_description: description, scope: endpoint.scope }));
    }
    const [status, body, headers] = await endpoint.handle(req, claims);
    sendJson(res, status, body, headers);
    return claims;
  }

  return async (req, res) => {
    let claims;
    let status;
    let failure = '';
    try {
      claims = await handle(req, res);
      status = res.statusCode;
    } catch (err) {
      if (err instanceof ApiError) {
        status = err.status;
        failure = ` ${err.body.error || 'no_token'}: ${err.message}`;
        sendJson(res, err.status, err.body, err.headers);
      } else {
        status = 500;
        console.error(`server.mjs: api ${req.method} ${req.url.split('?')[0]}: ${err.stack || err}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error', message: 'the API failed; see the fixture stderr' });
      }
    }
    if (options.verbose) {
      // The path only: a query may hold a token (refused above, but not to be logged either).
      const path = req.url.split('?')[0];
      const who = claims ? ` client=${JSON.stringify(claims.client_id)} sub=${JSON.stringify(claims.sub)}` : '';
      console.error(`server.mjs: api ${req.method} ${path} -> ${status}${who}${failure}`);
    }
  };
}

const server = createServer();
const apiServer = createServer();
// Mutual TLS: any client certificate, or none, passes the handshake; the provider (tls_client_auth,
// self_signed_tls_client_auth) and the API (cnf) decide what it is worth.
const mtlsTlsOptions = mtlsEnabled ? {
  cert: readFileSync(options['mtls-cert']),
  key: readFileSync(options['mtls-key']),
  ca: readFileSync(options['mtls-ca']),
  requestCert: true,
  rejectUnauthorized: false,
} : undefined;
const mtlsServer = mtlsEnabled ? createHttpsServer(mtlsTlsOptions) : undefined;
const mtlsApiServer = mtlsEnabled ? createHttpsServer(mtlsTlsOptions) : undefined;
const listeners = [server, apiServer, mtlsServer, mtlsApiServer].filter(Boolean);

for (const listener of listeners) {
  listener.on('error', (err) => {
    console.error(`server.mjs: ${err.message}`);
    process.exit(1);
  });
}

server.listen(port, options.host, async () => {
  const actualPort = server.address().port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const issuer = `http://${hostForUrl}:${actualPort}`;
  const listen = (listener, wanted) => new Promise((resolve) => { listener.listen(wanted, options.host, resolve); });
  let mtlsBase;
  if (mtlsServer) {
    // RFC 8705 §5: the endpoints a client with a certificate uses, on the https listener.
    await listen(mtlsServer, mtlsPort);
    mtlsBase = `https://${hostForUrl}:${mtlsServer.address().port}`;
    configuration.discovery = {
      mtls_endpoint_aliases: {
        token_endpoint: `${mtlsBase}/token`,
        revocation_endpoint: `${mtlsBase}/token/revocation`,
        introspection_endpoint: `${mtlsBase}/token/introspection`,
        device_authorization_endpoint: `${mtlsBase}/device/auth`,
      },
    };
  }

  let provider;
  try {
    provider = new Provider(issuer, configuration);
    // Parameters beyond grant_type and client authentication; like oidc-provider's own grants
    // with resource indicators enabled, 'resource' is accepted and may be repeated.
    provider.registerGrantType(PASSWORD_GRANT, passwordGrantHandler,
      ['username', 'password', 'scope', 'resource'], ['resource']);
    // Static clients are only validated when first used: do it now, so that a bad
    // registration fails the start instead of turning into server_error responses.
    for (const { client_id: clientId } of clients) {
      await provider.Client.find(clientId);
    }
  } catch (err) {
    console.error(`server.mjs: oidc-provider rejected the configuration: ${err.error_description || ''} ${err.stack || err}`);
    process.exit(1);
  }

  provider.on('server_error', (ctx, err) => {
    console.error(`server.mjs: server_error on ${ctx.method} ${ctx.path}: ${err.stack || err}`);
  });
  if (options.verbose) {
    provider.on('grant.success', (ctx) => {
      const account = ctx.oidc.entities.AccessToken?.accountId;
      console.error(`server.mjs: grant.success grant_type=${ctx.oidc.params.grant_type} client=${JSON.stringify(ctx.oidc.client?.clientId)}${account ? ` account=${JSON.stringify(account)}` : ''}`);
    });
    for (const event of ['grant.error', 'discovery.error', 'jwks.error']) {
      provider.on(event, (ctx, err) => {
        // error_detail: why, which the answer keeps to itself (e.g. "client certificate was not verified").
        const detail = err.error_detail ? ` (${err.error_detail})` : '';
        console.error(`server.mjs: ${event}: ${err.error || err.name}: ${err.error_description || err.message}${detail}`);
      });
    }
  }

  server.on('request', provider.callback());
  mtlsServer?.on('request', provider.callback());

  // The resource API knows the authorization server only by its issuer and jwks_uri.
  apiServer.on('request', createResourceApi({ issuer, jwksUri: new URL(provider.urlFor('jwks')) }));
  await new Promise((resolve) => { apiServer.listen(apiPort, options.host, resolve); });
  const actualApiPort = apiServer.address().port;
  const mtlsReady = {};
  if (mtlsApiServer) {
    mtlsApiServer.on('request', createResourceApi({ issuer, jwksUri: new URL(provider.urlFor('jwks')) }));
    await listen(mtlsApiServer, mtlsApiPort);
    Object.assign(mtlsReady, {
      mtls_base: mtlsBase,
      mtls_port: mtlsServer.address().port,
      mtls_api_base: `https://${hostForUrl}:${mtlsApiServer.address().port}${API_PREFIX}`,
      mtls_api_port: mtlsApiServer.address().port,
    });
  }

  process.stdout.write(`${JSON.stringify({
    issuer,
    token_endpoint: provider.urlFor('token'),
    port: actualPort,
    api_base: `http://${hostForUrl}:${actualApiPort}${API_PREFIX}`,
    api_port: actualApiPort,
    ...mtlsReady,
  })}\n`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  let open = listeners.length;
  for (const listener of listeners) {
    listener.close(() => { open -= 1; if (open === 0) process.exit(0); });
    listener.closeAllConnections?.();
  }
  // Never hang on a lingering connection.
  setTimeout(() => process.exit(0), 1000).unref();
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
