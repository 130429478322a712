// A TLS server that demands a client certificate signed by a CA (mutual TLS), from Node's own
// https module: what a bank's API gateway does. No npm packages needed.
//
//   node server.mjs --key KEY.pem --cert CERT.pem --ca CA.pem
//
// Prints one JSON line when listening: {"port":N}. A client without a certificate the CA signed
// is refused in the handshake (TLS 1.3: the "certificate required" alert). Routes:
//   POST /token          200, a bearer token (client credentials; the certificate is the credential)
//   GET  /api/whoami     200, JSON: the subject of the client certificate presented
import { createServer } from 'node:https';
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

const server = createServer({
    key: readFileSync(option('--key')),
    cert: readFileSync(option('--cert')),
    ca: readFileSync(option('--ca')),
    requestCert: true,
    rejectUnauthorized: true,
}, (request, response) => {
    const subject = request.socket.getPeerCertificate().subject ?? {};
    const send = (status, body) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
    };
    const url = new URL(request.url, 'https://127.0.0.1');
    request.resume();
    request.on('end', () => {
        if (request.method === 'POST' && url.pathname === '/token')
            send(200, { access_token: `mtls-${subject.CN}`, token_type: 'Bearer', expires_in: 300 });
        else if (request.method === 'GET' && url.pathname === '/api/whoami')
            send(200, { subject: subject.CN, authorization: request.headers.authorization ? 'present' : 'absent' });
        else
            send(404, { error: 'not_found' });
    });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
