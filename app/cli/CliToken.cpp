#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "GrantPrompt.h"
#include "InterruptWatch.h"
#include "demo/DemoServer.h"
#include "http/ProxyPolicy.h"
#include "jwt/IdTokenClaimsCheck.h"
#include "jwt/SignatureCheckRunner.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "util/Clock.h"

#include <QCommandLineParser>
#include <QEventLoop>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using CliSupport::exitCodeFor;

namespace {
// A token's signature against the environment's JWKS (fetched once for both tokens: cached).
SignatureCheck checkSignature(const QString &token, const Environment &env, const QByteArray &trustedCertificates, int timeoutMs)
{
    SignatureCheckRunner runner;
    SignatureCheck check;
    QEventLoop loop;
    QObject::connect(&runner, &SignatureCheckRunner::finished, &loop, [&](const SignatureCheck &c) {
        check = c;
        loop.quit();
    });
    runner.setProxy(ProxyPolicy::forEnvironment(env));
    runner.start(token, env.provider.jwksUrl, trustedCertificates, timeoutMs);
    loop.exec();
    return check;
}
} // namespace

namespace {
// What `token` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct TokenOptions
{
    const QCommandLineOption scope{u"scope"_s, u"Ask for this scope instead of the environment's (repeatable, or space-separated; --scope '' for none)"_s, u"S"_s};
    const CliSupport::SecretOptions secrets; // --client-secret-env, --password-env, --client-secret-stdin, --password-stdin
    const QCommandLineOption timeout{u"timeout"_s, u"Give up on the token endpoint after SECONDS (at most 3600)"_s, u"SECONDS"_s, u"30"_s};
    const QCommandLineOption showToken{u"show-token"_s, u"Also print the access token itself"_s};
    const QCommandLineOption verbose{u"verbose"_s, u"Print the token request on standard error, secrets as ••••"_s};
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};
    const QCommandLineOption cacert{u"cacert"_s, u"Also trust the PEM certificates in FILE for this run (repeatable)"_s, u"FILE"_s};
    const QCommandLineOption noBrowser{u"no-browser"_s, u"Authorization code grant: only print the authorization URL, do not run $BROWSER"_s};

    QList<QCommandLineOption> all() const
    {
        return QList<QCommandLineOption>{scope} + secrets.all() + QList<QCommandLineOption>{timeout, showToken, verbose, json, cacert, noBrowser};
    }
};

const CommandHelp::Registration tokenHelp([] {
    CommandHelp help(u"token"_s, u"Get a token and show its type, scopes, expiry and claims"_s);
    help.synopsis = {u"token NAME [OPTIONS]"_s};
    help.options = TokenOptions().all();
    help.details = {
        u"Asks the environment's token endpoint for an access token with its grant, client authentication and scopes, and prints "
        "the token type, the granted scopes, the expiry and the decoded JWT claims. The token itself is printed only with --show-token."_s,
        u"A JWT access token (and an ID token) is checked against the issuer's JWKS (the environment's JWKS URL, from env add|set "
        "--issuer): RS256, PS256, ES256 and EdDSA; alg none and HMAC algorithms are refused. The result is one line (--json: "
        "\"signature\") and never changes the exit code."_s,
        u"Secrets come from the system keychain (tokenbench-cli secret set), from the environment variable named by "
        "--client-secret-env / --password-env, or from standard input; never from arguments. The environment \"Demo\" uses the "
        "built-in Demo API, started in-process."_s,
        u"With the authorization code grant (env set NAME --grant authorization_code) it prints the authorization URL on standard "
        "error and opens it with $BROWSER (else xdg-open), unless --no-browser; the redirect comes back to "
        "http://127.0.0.1:PORT/callback (--redirect-port on env add/set fixes PORT), the code is exchanged with its PKCE verifier "
        "(S256), and the token is printed as usual. The browser has 5 minutes."_s,
        u"With the device grant (env set NAME --grant device_code) it prints on standard error the user code and the URL to "
        "enter it at, polls the token endpoint at the server's interval until the code is approved, denied or expired, and "
        "prints the token as usual; Ctrl-C stops it (exit 130)."_s,
        u"An environment that keeps its refresh token (env set NAME --keep-refresh-token) renews with the one in the keychain "
        "first, keeps the new one the server rotates in, and runs the grant again only when the server turns it down. The "
        "refresh token itself is never printed; --json says whether one is held (refresh_token_held) and kept."_s,
    };
    help.exitCodes = {{Cli::Ok, u"a token was issued"_s},
                      {Cli::Usage, u"usage error"_s},
                      {Cli::WorkspaceProblem, u"unknown environment, corrupt workspace, incomplete profile, plain-http token URL refused"_s},
                      {Cli::SecretUnavailable, u"a secret is not stored or the keychain refused"_s},
                      {Cli::ServerRefused, u"the authorization server refused (RFC 6749 error or HTTP error status)"_s},
                      {Cli::TransportFailed, u"network, TLS or timeout"_s},
                      {Cli::BadResponse, u"an answer without a usable token, over 1 MB, or a redirect"_s},
                      {Cli::Interrupted, u"interrupted (Ctrl-C) while the device grant waited for approval"_s}};
    help.examples = {u"tokenbench-cli token Demo"_s, u"tokenbench-cli token staging --scope 'accounts:read' --client-secret-env CLIENT_SECRET --json"_s};
    return help;
});
} // namespace

int Cli::runToken(const QStringList &args)
{
    const TokenOptions accepted; // the parser's options and the help's
    const QCommandLineOption &scope = accepted.scope;
    const QCommandLineOption &timeout = accepted.timeout;
    const QCommandLineOption &showToken = accepted.showToken;
    const QCommandLineOption &verbose = accepted.verbose;
    const QCommandLineOption &cacert = accepted.cacert;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args, u"token"_s))
        return Usage;
    QByteArray extraCaPem;
    if (parser.isSet(cacert) && !readCertificates(parser.values(cacert), &extraCaPem))
        return Usage;
    if (parser.isSet(accepted.secrets.secretStdin) && parser.isSet(accepted.secrets.passwordStdin))
        return usageError(u"only one secret can come from standard input; pass the other with --client-secret-env or --password-env"_s);
    bool ok = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&ok);
    if (!ok || timeoutSeconds <= 0 || timeoutSeconds > 3600)
        return usageError(u"--timeout needs a number of seconds between 0 and 3600"_s);

    const Environment *found = loadEnvironment(parser.positionalArguments().first(), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;

    TokenRequest request = TokenRequest::fromEnvironment(env);
    request.trustedCertificates += extraCaPem;
    request.timeoutMs = std::max(1, static_cast<int>(std::ceil(timeoutSeconds * 1000)));
    if (parser.isSet(scope))
        request.scopes = CliSupport::scopeValues(parser.values(scope));

    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    const SecretSources sources = secretSources(parser, accepted.secrets);
    if (const int code = gatherSecrets(env, sources, &request); code != Ok)
        return code;

    // A refresh token kept in the keychain renews before the grant runs again (RFC 6749 §6).
    request.refreshToken = keptRefreshToken(env);
    const QString usedRefreshToken = request.refreshToken;

    if (parser.isSet(verbose))
        m_print.err() << (request.canRefresh() ? request.refreshGrant() : request).redactedTranscript() << Qt::endl << Qt::endl;

    TokenClient client;
    TokenResult result;
    QEventLoop loop;
    TokenFetch *fetch = client.fetch(request);
    // Where to sign in, or the device code, goes to stderr (stdout keeps only the answer, --json's
    // too); the browser opens unless --no-browser.
    GrantPrompt prompt(m_print.err(), !parser.isSet(accepted.noBrowser));
    QObject::connect(fetch, &TokenFetch::interactionRequired, &loop, [&prompt](const GrantInteraction &interaction) { prompt.show(interaction); });
    QObject::connect(fetch, &TokenFetch::finished, &loop, [&](const TokenResult &r) {
        result = r;
        loop.quit();
    });
    // A grant waiting for a person: Ctrl-C stops it instead of killing us.
    bool interrupted = false;
    std::unique_ptr<InterruptWatch> interrupt;
    if (Environment::isInteractive(request.grant)) {
        interrupt = std::make_unique<InterruptWatch>();
        QObject::connect(interrupt.get(), &InterruptWatch::interrupted, fetch, [fetch, &interrupted] {
            interrupted = true;
            fetch->cancel();
        });
    }
    loop.exec();
    if (result.refreshRefused && parser.isSet(verbose))
        m_print.err() << "The refresh token was turned down; the grant ran instead." << Qt::endl;
    updateKeptRefreshToken(env, usedRefreshToken, &result);

    if (interrupted) {
        m_print.failure(u"interrupted"_s, u"interrupted; stopped waiting for the authorization"_s);
        return Interrupted;
    }
    if (!result.ok()) {
        m_print.error(result.error);
        return exitCodeFor(result.error);
    }
    // Reported, never a failure of the command: the token was issued either way.
    const SignatureCheck signature = checkSignature(result.token->value, env, request.trustedCertificates, request.timeoutMs);
    std::optional<SignatureCheck> idTokenSignature;
    std::optional<IdTokenClaimsCheck> idTokenClaims;
    if (const QJsonValue idToken = result.token->extraFields.value(u"id_token"_s); idToken.isString()) {
        idTokenSignature = checkSignature(idToken.toString(), env, request.trustedCertificates, request.timeoutMs);
        idTokenClaims = IdTokenClaimsCheck::check(idToken.toString(), {request.issuer, request.clientId, result.token->idTokenNonce},
                                                  Clock::system()->now());
    }
    m_print.token(env, *result.token, Clock::system()->now(), parser.isSet(showToken), signature, idTokenSignature, idTokenClaims);
    return Ok;
}
