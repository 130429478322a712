#include "CliSupport.h"

#include "Cli.h"
#include "CommandHelp.h"
#include "DidYouMean.h"
#include "ExpectedStatus.h"
#include "http/ApiCallResult.h"
#include "http/ProxyPolicy.h"
#include "oauth/OAuthError.h"

#include <QCommandLineParser>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// The options of the command being parsed, for "did you mean" (the CLI parses one command per run).
QStringList &knownOptions()
{
    static QStringList names;
    return names;
}
} // namespace

namespace CliSupport {
void configure(QCommandLineParser &parser, const QList<QCommandLineOption> &options)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(options);
    knownOptions().clear();
    for (const auto &option : options) {
        for (const QString &name : option.names()) {
            if (name.size() > 1)
                knownOptions().append(name);
        }
    }
}

// QCommandLineParser expects the program name first.
bool parse(QCommandLineParser &parser, const QStringList &args, QString *error)
{
    if (parser.parse(QStringList{u"tokenbench-cli"_s} + args))
        return true;
    *error = parser.errorText();
    const QStringList unknown = parser.unknownOptionNames();
    if (!unknown.isEmpty())
        *error += DidYouMean::hint(unknown.first(), knownOptions(), u"--"_s);
    return false;
}

} // namespace CliSupport

bool Cli::parseCommand(QCommandLineParser &parser, const QList<QCommandLineOption> &options, const QStringList &args, const QString &oneNameFor)
{
    CliSupport::configure(parser, options);
    QString error;
    if (!CliSupport::parse(parser, args, &error)) {
        usageError(error);
        return false;
    }
    // isSet warns about an option the parser was not given: only a command that has --json asks.
    const bool hasJson = std::any_of(options.cbegin(), options.cend(), [](const QCommandLineOption &option) {
        return option.names().contains(u"json"_s);
    });
    if (hasJson && parser.isSet(u"json"_s))
        m_print.setJson(true);
    if (!oneNameFor.isEmpty() && parser.positionalArguments().size() != 1) {
        usageError(u"%1 needs exactly one environment name"_s.arg(oneNameFor));
        return false;
    }
    return true;
}

namespace CliSupport {
int exitCodeFor(const OAuthError &error)
{
    switch (error.kind) {
    case OAuthError::Kind::None: return Cli::Ok;
    case OAuthError::Kind::Configuration:
    case OAuthError::Kind::InsecureUrl: return Cli::WorkspaceProblem;
    case OAuthError::Kind::Network:
    case OAuthError::Kind::Tls:
    case OAuthError::Kind::Timeout:
    case OAuthError::Kind::Cancelled: return Cli::TransportFailed;
    case OAuthError::Kind::Protocol:
    case OAuthError::Kind::Http: return Cli::ServerRefused;
    case OAuthError::Kind::Redirect:
    case OAuthError::Kind::InvalidResponse:
    case OAuthError::Kind::TooLarge: return Cli::BadResponse;
    }
    return Cli::Unexpected;
}

int exitCodeFor(const ApiCallResult &result, const std::optional<ExpectedStatus> &expected)
{
    switch (result.outcome) {
    case ApiCallResult::Outcome::Answered: {
        const int status = result.exchange.status;
        if (expected)
            return expected->matches(status) ? Cli::Ok : Cli::UnexpectedStatus;
        if ((status >= 200 && status < 300) || status == 304)
            return Cli::Ok;
        if (status >= 300 && status < 400)
            return Cli::BadResponse; // a redirect that was not followed: the call did not reach its resource
        if (status >= 400 && status < 500)
            return Cli::HttpClientError;
        return Cli::HttpServerError;
    }
    case ApiCallResult::Outcome::NotSent: return Cli::Usage;
    case ApiCallResult::Outcome::Refused: return Cli::WorkspaceProblem;
    case ApiCallResult::Outcome::NeedsConfirmation: return Cli::NeedsConfirmation;
    case ApiCallResult::Outcome::NeedsUploadConsent: return Cli::NeedsUploadConsent;
    case ApiCallResult::Outcome::TokenFailed: return exitCodeFor(result.tokenError);
    case ApiCallResult::Outcome::TransportFailed:
        return result.exchange.error == ExchangeResult::Error::TooLarge ? Cli::ResponseTooLarge : Cli::TransportFailed;
    case ApiCallResult::Outcome::Cancelled: return Cli::TransportFailed;
    }
    return Cli::Unexpected;
}

QCommandLineOption tokenTypeHintOption()
{
    return {u"token-type-hint"_s, u"What the token from standard input is: access_token or refresh_token"_s, u"HINT"_s, u"access_token"_s};
}

bool checkTokenTypeHint(const QString &hint, QString *error)
{
    if (hint == u"access_token"_s || hint == u"refresh_token"_s)
        return true;
    *error = u"--token-type-hint must be access_token or refresh_token"_s;
    return false;
}

void describeTokenEndpointCommand(CommandHelp *help, const QString &endpoint, const QString &afterUrl)
{
    help->synopsis = {help->name + u" NAME [OPTIONS]"_s};
    help->details.append(u"The client authenticates as at the token endpoint. The %1 URL comes from the provider's metadata "
                         "(env add --issuer) or --%1-url; the Demo has one."_s.arg(endpoint)
                         + afterUrl);
    const QList<QPair<int, QString>> shared{{Cli::Usage, u"usage error, or nothing on standard input"_s},
                                            {Cli::WorkspaceProblem, u"unknown environment, no %1 URL, or one refused (plain http)"_s.arg(endpoint)},
                                            {Cli::TransportFailed, u"network, TLS or timeout"_s}};
    for (const auto &code : shared) {
        const auto after = std::find_if(help->exitCodes.begin(), help->exitCodes.end(), [&](const auto &own) { return own.first > code.first; });
        help->exitCodes.insert(after, code);
    }
}

QStringList scopeValues(const QStringList &values)
{
    QStringList scopes;
    for (const QString &value : values)
        scopes.append(value.split(u' ', Qt::SkipEmptyParts));
    scopes.removeDuplicates();
    return scopes;
}

bool splitPair(const QString &text, QChar separator, QPair<QString, QString> *out)
{
    const qsizetype at = text.indexOf(separator);
    if (at <= 0)
        return false;
    out->first = text.left(at).trimmed();
    out->second = text.mid(at + 1);
    if (separator == u':')
        out->second = out->second.trimmed();
    return !out->first.isEmpty();
}
} // namespace CliSupport

namespace CliSupport {
bool applyProxyOptions(const std::optional<QString> &proxy, const std::optional<QString> &noProxy, QString *error)
{
    const QStringList hosts = noProxy ? ProxyPolicy::splitHosts(*noProxy) : QStringList();
    if (noProxy && hosts.isEmpty()) {
        *error = u"--no-proxy needs host names, addresses or CIDR ranges (comma-separated)"_s;
        return false;
    }
    std::optional<ProxyPolicy> policy;
    if (proxy && proxy->compare(u"direct"_s, Qt::CaseInsensitive) == 0) {
        policy = ProxyPolicy::direct();
    } else if (proxy) {
        QString problem;
        const ProxyRoute route = ProxyRoute::fromUrl(QUrl(*proxy, QUrl::StrictMode), &problem);
        if (!problem.isEmpty()) {
            // Never echo the value: it may hold a password the user should not have typed here.
            *error = u"--proxy: %1"_s.arg(problem);
            return false;
        }
        policy = ProxyPolicy::manual(route, {});
    }
    ProxyPolicy::setRunOverride(policy, hosts);
    return true;
}
} // namespace CliSupport
