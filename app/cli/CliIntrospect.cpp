#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "demo/DemoServer.h"
#include "oauth/TokenClient.h"
#include "oauth/TokenFetch.h"
#include "oauth/TokenIntrospection.h"
#include "util/Clock.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using CliSupport::exitCodeFor;

namespace {
// What `introspect` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct IntrospectOptions
{
    const QCommandLineOption tokenStdin{u"token-stdin"_s, u"Introspect the token read from standard input instead of one obtained now"_s};
    const QCommandLineOption hint = CliSupport::tokenTypeHintOption();
    const QCommandLineOption scope{u"scope"_s, u"Obtain the token with this scope instead of the environment's (repeatable, or space-separated)"_s, u"S"_s};
    const CliSupport::SecretOptions secrets; // --client-secret-env, --password-env, --client-secret-stdin, --password-stdin
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};

    QList<QCommandLineOption> all() const { return QList<QCommandLineOption>{tokenStdin, hint, scope} + secrets.all() + QList<QCommandLineOption>{json}; }
};

const CommandHelp::Registration introspectHelp([] {
    CommandHelp help(u"introspect"_s, u"Ask the authorization server what a token is (RFC 7662)"_s);
    help.options = IntrospectOptions().all();
    help.details = {
        u"Obtains a token as 'token' does (a kept refresh token first) and asks the environment's introspection endpoint about it: "
        "whether it is active, its scope, expiry (exp), client_id, subject (sub) and whatever else the server says. Above all for "
        "opaque tokens, which only the server can read. With --token-stdin it asks about the token given instead."_s,
    };
    help.exitCodes = {{Cli::Ok, u"the server answered (active or not)"_s},
                      {Cli::SecretUnavailable, u"a secret is not stored or the keychain refused"_s},
                      {Cli::ServerRefused, u"the token or introspection endpoint refused"_s},
                      {Cli::BadResponse, u"no usable token, no introspection response, an answer over 1 MB, or a redirect"_s}};
    CliSupport::describeTokenEndpointCommand(&help, u"introspection"_s, u" An inactive token is an answer, not a failure: exit 0."_s);
    help.examples = {u"tokenbench-cli introspect staging"_s, u"tokenbench-cli introspect Demo --json"_s};
    return help;
});
} // namespace

int Cli::runIntrospect(const QStringList &args)
{
    const IntrospectOptions accepted;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args, u"introspect"_s))
        return Usage;
    const int fromStdin = int(parser.isSet(accepted.tokenStdin)) + int(parser.isSet(accepted.secrets.secretStdin)) + int(parser.isSet(accepted.secrets.passwordStdin));
    if (fromStdin > 1)
        return usageError(u"only one value can come from standard input; pass the others with --client-secret-env or --password-env"_s);
    const QString hint = parser.value(accepted.hint);
    if (QString error; !CliSupport::checkTokenTypeHint(hint, &error))
        return usageError(error);

    const Environment *found = loadEnvironment(parser.positionalArguments().first(), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;
    TokenRequest request = TokenRequest::fromEnvironment(env);
    if (parser.isSet(accepted.scope))
        request.scopes = CliSupport::scopeValues(parser.values(accepted.scope));
    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &request, &demo); code != Ok)
        return code;
    // The URL is checked before any secret is read or token fetched for nothing.
    if (const OAuthError refused = TokenRequest::checkEndpointUrl(env.provider.introspectionUrl, env.allowInsecureHttp, u"introspection URL"_s);
        refused.isError()) {
        m_print.error(refused);
        return exitCodeFor(refused);
    }

    QString token;
    QString tokenHint = hint;
    if (parser.isSet(accepted.tokenStdin)) {
        token = readStdinSecret().trimmed();
        if (token.isEmpty()) {
            m_print.failure(u"usage"_s, u"no token on standard input"_s);
            return Usage;
        }
        m_known.add(token, u"the token"_s);
        // Only the client authenticates (standard input held the token: no --client-secret-stdin here).
        if (const int code = gatherClientSecret(env, secretSources(parser, accepted.secrets, false), &request); code != Ok)
            return code;
    } else {
        const SecretSources sources = secretSources(parser, accepted.secrets);
        if (const int code = gatherSecrets(env, sources, &request); code != Ok)
            return code;
        request.refreshToken = keptRefreshToken(env);
        const QString used = request.refreshToken;
        TokenClient client;
        TokenResult result;
        QEventLoop loop;
        QObject::connect(client.fetch(request), &TokenFetch::finished, &loop, [&](const TokenResult &r) {
            result = r;
            loop.quit();
        });
        loop.exec();
        updateKeptRefreshToken(env, used, &result);
        if (!result.ok()) {
            m_print.error(result.error);
            return exitCodeFor(result.error);
        }
        m_known.addToken(*result.token);
        token = result.token->value;
        tokenHint = u"access_token"_s;
    }

    TokenIntrospection introspection;
    IntrospectionResult answer;
    QEventLoop loop;
    QObject::connect(&introspection, &TokenIntrospection::finished, &loop, [&](const IntrospectionResult &r) {
        answer = r;
        loop.quit();
    });
    introspection.start(request, env.provider.introspectionUrl, token, tokenHint);
    loop.exec();
    if (!answer.ok()) {
        m_print.error(answer.error);
        return exitCodeFor(answer.error);
    }

    // The server's answer, with any secret of this run masked (a server may echo the token).
    const QJsonObject fields = QJsonDocument::fromJson(m_known.mask(QJsonDocument(answer.fields).toJson(QJsonDocument::Compact))).object();
    if (m_print.json()) {
        m_print.out() << CliPrinter::jsonText({{u"environment"_s, env.name}, {u"active"_s, answer.active}, {u"introspection"_s, fields}});
        return Ok;
    }
    const auto row = [this](const QString &label, const QString &value) {
        m_print.out() << qSetFieldWidth(15) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    row(u"Environment"_s, env.name);
    row(u"Active"_s, answer.active ? u"yes"_s : u"no (expired, revoked, unknown, or not this client's to ask about)"_s);
    if (fields.contains(u"scope"_s))
        row(u"Scope"_s, fields.value(u"scope"_s).toString());
    if (const auto exp = answer.expiresAt())
        row(u"Expires"_s, u"%1, %2"_s.arg(CliPrinter::formatTime(*exp), CliPrinter::formatDuration(Clock::system()->now().secsTo(*exp))));
    for (const QString &name : {u"client_id"_s, u"sub"_s, u"username"_s, u"token_type"_s, u"aud"_s, u"iss"_s}) {
        if (fields.contains(name))
            row(name, fields.value(name).isString() ? fields.value(name).toString()
                                                     : QString::fromUtf8(QJsonDocument::fromVariant(fields.value(name).toVariant()).toJson(QJsonDocument::Compact)));
    }
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        static const QStringList shown{u"active"_s, u"scope"_s, u"exp"_s, u"client_id"_s, u"sub"_s, u"username"_s, u"token_type"_s, u"aud"_s, u"iss"_s};
        if (shown.contains(it.key()))
            continue;
        const QJsonValue value = it.value();
        row(u"Field"_s, it.key() + u": "_s
                + (value.isString() ? value.toString() : QString::fromUtf8(QJsonDocument(QJsonObject{{u"v"_s, value}}).toJson(QJsonDocument::Compact)).mid(5).chopped(1)));
    }
    return Ok;
}
