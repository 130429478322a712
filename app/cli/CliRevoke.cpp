#include "Cli.h"

#include "CliSupport.h"
#include "CommandHelp.h"
#include "demo/DemoServer.h"
#include "oauth/TokenLogout.h"
#include "oauth/TokenRequest.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
// What `revoke` accepts: its parser is configured from this and its --help lists it (CommandHelp).
struct RevokeOptions
{
    const QCommandLineOption tokenStdin{u"token-stdin"_s, u"Revoke the token read from standard input (e.g. one printed by token --show-token) instead"_s};
    const QCommandLineOption hint = CliSupport::tokenTypeHintOption();
    const CliSupport::SecretOptions secrets; // only its clientOnly(): --client-secret-env, --client-secret-stdin
    const QCommandLineOption json{u"json"_s, u"Print one JSON object"_s};

    QList<QCommandLineOption> all() const { return QList<QCommandLineOption>{tokenStdin, hint} + secrets.clientOnly() + QList<QCommandLineOption>{json}; }
};

const CommandHelp::Registration revokeHelp([] {
    CommandHelp help(u"revoke"_s, u"Log out: revoke the tokens held for an environment (RFC 7009)"_s);
    help.options = RevokeOptions().all();
    help.details = {
        u"A tokenbench-cli run keeps no token after it ends, except a refresh token kept in the keychain for an environment that "
        "asks for it (env set NAME --keep-refresh-token). revoke sends that one to the environment's revocation endpoint "
        "(token_type_hint refresh_token; at most servers that ends the access tokens of its grant too) and removes it from the "
        "keychain — also when the server could not be told, so it is forgotten either way. With --token-stdin it revokes a token "
        "you hold instead (an access token printed by token --show-token, at the end of a CI job)."_s,
    };
    help.exitCodes = {{Cli::Ok, u"revoked, or nothing was held"_s},
                      {Cli::SecretUnavailable, u"the client secret is not stored or the keychain refused"_s},
                      {Cli::ServerRefused, u"the revocation endpoint refused (RFC 6749 error or HTTP error status)"_s},
                      {Cli::BadResponse, u"a redirect, or an answer over 1 MB"_s}};
    CliSupport::describeTokenEndpointCommand(&help, u"revocation"_s);
    help.examples = {u"tokenbench-cli revoke staging"_s, u"tokenbench-cli token ci --show-token --json | jq -r .access_token | tokenbench-cli revoke ci --token-stdin"_s};
    return help;
});
} // namespace

int Cli::runRevoke(const QStringList &args)
{
    const RevokeOptions accepted;
    QCommandLineParser parser;
    if (!parseCommand(parser, accepted.all(), args, u"revoke"_s))
        return Usage;
    if (parser.isSet(accepted.tokenStdin) && parser.isSet(accepted.secrets.secretStdin))
        return usageError(u"only one value can come from standard input; pass the client secret with --client-secret-env"_s);
    const QString hintName = parser.value(accepted.hint);
    if (QString error; !CliSupport::checkTokenTypeHint(hintName, &error))
        return usageError(error);

    const Environment *found = loadEnvironment(parser.positionalArguments().first(), false);
    if (!found)
        return WorkspaceProblem;
    Environment env = *found;
    TokenRequest client = TokenRequest::fromEnvironment(env);
    std::unique_ptr<DemoServer> demo;
    if (const int code = startDemo(&env, &client, &demo); code != Ok)
        return code;

    QString refreshToken;
    QString accessToken;
    if (parser.isSet(accepted.tokenStdin)) {
        const QString token = readStdinSecret().trimmed();
        if (token.isEmpty()) {
            m_print.failure(u"usage"_s, u"no token on standard input"_s);
            return Usage;
        }
        m_known.add(token, u"the token"_s);
        (hintName == u"refresh_token"_s ? refreshToken : accessToken) = token;
    } else {
        refreshToken = keptRefreshToken(env);
        if (refreshToken.isEmpty()) {
            m_print.message(env.keepRefreshToken ? u"No refresh token is kept for \"%1\"; nothing to revoke."_s.arg(env.name)
                                                 : u"\"%1\" keeps no refresh token (env set \"%1\" --keep-refresh-token), and a tokenbench-cli run "
                                                   "holds no other token after it ends; nothing to revoke. Pass one with --token-stdin."_s.arg(env.name));
            return Ok;
        }
    }

    // The client's own credentials only: revocation needs no password.
    if (const int code = gatherClientSecret(env, secretSources(parser, accepted.secrets, false), &client); code != Ok)
        return code;

    TokenLogout logout;
    QList<TokenLogout::Outcome> outcomes;
    QEventLoop loop;
    QObject::connect(&logout, &TokenLogout::finished, &loop, [&](const QList<TokenLogout::Outcome> &result) {
        outcomes = result;
        loop.quit();
    });
    logout.start(client, env.provider.revocationUrl, refreshToken, accessToken);
    loop.exec();
    // Forgotten whatever the server said: a kept token the user logged out of is not kept.
    if (!parser.isSet(accepted.tokenStdin))
        changeKeptRefreshToken(env, {});

    const QString summary = TokenLogout::describe(outcomes);
    if (m_print.json()) {
        QJsonArray tokens;
        for (const auto &outcome : std::as_const(outcomes)) {
            QJsonObject one{{u"token_type_hint"_s, TokenRevocation::hintName(outcome.hint)}, {u"revoked"_s, !outcome.error.isError()}};
            if (outcome.error.isError())
                one.insert(u"error"_s, CliPrinter::errorJson(m_known.mask(outcome.error)));
            tokens.append(one);
        }
        m_print.out() << CliPrinter::jsonText({{u"environment"_s, env.name}, {u"revoked"_s, TokenLogout::succeeded(outcomes)},
                                               {u"forgotten"_s, !parser.isSet(accepted.tokenStdin)}, {u"tokens"_s, tokens}});
    } else if (TokenLogout::succeeded(outcomes)) {
        m_print.out() << "\"" << env.name << "\": " << summary << '.' << Qt::endl;
    } else {
        m_print.err() << "tokenbench-cli: \"" << env.name << "\": " << m_known.mask(summary)
                      << (parser.isSet(accepted.tokenStdin) ? QString() : u" (forgotten here anyway)"_s) << Qt::endl;
    }
    for (const auto &outcome : std::as_const(outcomes)) {
        if (outcome.error.isError())
            return CliSupport::exitCodeFor(outcome.error); // no revocation URL: a profile problem (3)
    }
    return Ok;
}
