// An HTTP/2 server over TLS (ALPN h2, HTTP/1.1 allowed too) from Node's own http2 module, for
// tests that Tokenbench's API requests speak HTTP/2 to real servers. No npm packages needed.
//
//   node server.mjs --key KEY.pem --cert CERT.pem
//
// Prints one JSON line when listening: {"port":N}. Routes:
//   GET  /api/echo      200, JSON: the method, path, protocol and request headers it received
//   POST /api/echo      the same, with the body as text
//   GET  /api/denied    403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="trades:execute"
//   GET  /api/big?mb=N  200, N MiB of JSON (flow control over many DATA frames)
import { createSecureServer } from 'node:http2';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name) => {
    const at = args.indexOf(name);
    if (at < 0 || at + 1 >= args.length) {
        console.error(`missing ${name}`);
        process.exit(2);
    }
    return args[at + 1];
};

const server = createSecureServer({ key: readFileSync(option('--key')), cert: readFileSync(option('--cert')), allowHTTP1: true });
server.on('request', (request, response) => {
    const url = new URL(request.url, 'https://127.0.0.1');
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
        if (url.pathname === '/api/echo') {
            response.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'node-http2' });
            response.end(JSON.stringify({
                method: request.method,
                path: request.url,
                protocol: request.httpVersion,
                headers: request.headers,
                body: Buffer.concat(chunks).toString('utf8'),
            }));
        } else if (url.pathname === '/api/denied') {
            response.writeHead(403, {
                'content-type': 'application/json',
                'www-authenticate': 'Bearer error="insufficient_scope", scope="trades:execute"',
            });
            response.end(JSON.stringify({ error: 'insufficient_scope' }));
        } else if (url.pathname === '/api/big') {
            const mb = Math.min(64, Number(url.searchParams.get('mb') || '1'));
            const item = JSON.stringify({ id: 'acc-0000', balance: '125000.00', asset: 'USD' });
            const count = Math.floor((mb * 1024 * 1024) / (item.length + 1));
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end('[' + Array(count).fill(item).join(',') + ']');
        } else {
            response.writeHead(404, { 'content-type': 'application/json' });
            response.end('{"error":"not_found"}');
        }
    });
});
server.listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
// Never outlives the test that started it: it ends when its stdin closes.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
