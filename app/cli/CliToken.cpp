#include "Cli.h"

#include "CliSupport.h"
#include "demo/DemoServer.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "util/Clock.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QNetworkAccessManager>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using CliSupport::configure;
using CliSupport::parse;
using CliSupport::exitCodeFor;

int Cli::runToken(const QStringList &args)
{
    const QCommandLineOption scope(u"scope"_s, u"Scope"_s, u"S"_s);
    const QCommandLineOption secretEnv(u"client-secret-env"_s, u"Variable holding the client secret"_s, u"VAR"_s);
    const QCommandLineOption passwordEnv(u"password-env"_s, u"Variable holding the password"_s, u"VAR"_s);
    const QCommandLineOption secretStdin(u"client-secret-stdin"_s, u"Read the client secret from stdin"_s);
    const QCommandLineOption passwordStdin(u"password-stdin"_s, u"Read the password from stdin"_s);
    const QCommandLineOption timeout(u"timeout"_s, u"Seconds"_s, u"SECONDS"_s, u"30"_s);
    const QCommandLineOption showToken(u"show-token"_s, u"Print the token"_s);
    const QCommandLineOption verbose(u"verbose"_s, u"Print the request (secrets masked)"_s);
    const QCommandLineOption json(u"json"_s, u"JSON output"_s);
    const QCommandLineOption cacert(u"cacert"_s, u"Also trust the PEM certificates in FILE"_s, u"FILE"_s);
    QCommandLineParser parser;
    configure(parser, {scope, secretEnv, passwordEnv, secretStdin, passwordStdin, timeout, showToken, verbose, json, cacert});
    QString error;
    if (!parse(parser, args, &error))
        return usageError(error);
    if (parser.isSet(json))
        m_print.setJson(true);
    if (parser.positionalArguments().size() != 1)
        return usageError(u"token needs exactly one environment name"_s);
    QByteArray extraCaPem;
    if (parser.isSet(cacert) && !readCertificates(parser.values(cacert), &extraCaPem))
        return Usage;
    if (parser.isSet(secretStdin) && parser.isSet(passwordStdin))
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
    if (parser.isSet(scope)) {
        request.scopes.clear();
        for (const auto &value : parser.values(scope))
            request.scopes.append(value.split(u' ', Qt::SkipEmptyParts));
        request.scopes.removeDuplicates();
    }

    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    const SecretSources sources = secretSources(parser, secretEnv, passwordEnv, secretStdin, passwordStdin);
    if (const int code = gatherSecrets(env, sources, &request); code != Ok)
        return code;

    if (parser.isSet(verbose))
        m_print.err() << request.redactedTranscript() << Qt::endl << Qt::endl;

    QNetworkAccessManager network;
    TokenClient client(&network);
    TokenResult result;
    QEventLoop loop;
    TokenFetch *fetch = client.fetch(request);
    QObject::connect(fetch, &TokenFetch::finished, &loop, [&](const TokenResult &r) {
        result = r;
        loop.quit();
    });
    loop.exec();

    if (!result.ok()) {
        m_print.error(result.error);
        return exitCodeFor(result.error);
    }
    m_print.token(env, *result.token, Clock::system()->now(), parser.isSet(showToken));
    return Ok;
}
