#include "EnvironmentOptions.h"

#include "CliSupport.h"
#include "http/ProxyPolicy.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {
template<typename Row, typename Name>
void upsert(QList<Row> *rows, const Row &row, Name nameOf, Qt::CaseSensitivity cs = Qt::CaseSensitive)
{
    for (Row &existing : *rows) {
        if (nameOf(existing).compare(nameOf(row), cs) == 0) {
            existing = row;
            return;
        }
    }
    rows->append(row);
}
} // namespace

EnvironmentOptions::EnvironmentOptions()
    : m_tokenUrl(u"token-url"_s, u"The token endpoint (required without --template)"_s, u"URL"_s)
    , m_apiUrl(u"api-url"_s, u"The API's base URL, to which send appends paths (required without --template)"_s, u"URL"_s)
    , m_clientId(u"client-id"_s, u"The OAuth client id (required without --template)"_s, u"ID"_s)
    , m_tier(u"tier"_s, u"sandbox, staging, production (state-changing requests then need --yes) or custom"_s, u"TIER"_s)
    , m_grant(u"grant"_s, u"client_credentials, password, authorization_code or device_code"_s, u"GRANT"_s)
    , m_clientAuth(u"client-auth"_s,
                   u"How the client authenticates: basic (HTTP Basic), body (form fields), json (a JSON body), none (a public client) "
                   "private_key_jwt (an assertion signed with the key from --private-key), tls_client_auth (the --client-cert certificate, of "
                   "a CA the server trusts, RFC 8705) or self_signed_tls_client_auth (the --client-cert certificate the server registered)"_s,
                   u"STYLE"_s)
    , m_username(u"username"_s, u"The resource owner, for the password grant"_s, u"U"_s)
    , m_scope(u"scope"_s, u"A scope asked for by default (repeatable, or space-separated)"_s, u"S"_s)
    , m_param(u"param"_s, u"An extra token request parameter (repeatable)"_s, u"K=V"_s)
    , m_secretParam(u"secret-param"_s, u"An extra token request parameter whose value is kept in the keychain (secret set NAME param:K)"_s, u"K"_s)
    , m_header(u"header"_s, u"A context header sent with every API request; the template may use {{variables}} (repeatable)"_s,
               u"'Name: template'"_s)
    , m_var(u"var"_s, u"A variable of the environment (repeatable)"_s, u"K=V"_s)
    , m_insecure(u"allow-insecure-http"_s, u"Allow a plain-http token URL on a remote host"_s)
    , m_keepRefreshToken(u"keep-refresh-token"_s, u"Keep the refresh token in the keychain between runs (otherwise it lives in memory only)"_s)
    , m_forgetRefreshToken(u"no-keep-refresh-token"_s, u"Keep no refresh token beyond a run; one kept is removed from the keychain"_s)
    , m_revocationUrl(u"revocation-url"_s, u"The provider's revocation endpoint (RFC 7009), for revoke and Log out"_s, u"URL"_s)
    , m_introspectionUrl(u"introspection-url"_s, u"The provider's introspection endpoint (RFC 7662), for introspect"_s, u"URL"_s)
    , m_cacert(u"cacert"_s, u"Keep the PEM certificates of FILE with the environment, trusted besides the system's for its token endpoint and API (repeatable)"_s,
               u"FILE"_s)
    , m_issuer(u"issuer"_s, u"The authorization server's issuer URL: its metadata (RFC 8414, OpenID Connect discovery) fills the token URL and the "
                            "other endpoints, the supported grants, client authentication and scopes"_s,
               u"URL"_s)
    , m_authorizationUrl(u"authorization-url"_s, u"The provider's authorization endpoint, for --grant authorization_code (--issuer finds it)"_s, u"URL"_s)
    , m_redirectPort(u"redirect-port"_s,
                     u"The loopback port of the authorization code grant's redirect, http://127.0.0.1:PORT/callback, for a provider that "
                     "registers a fixed one (0: any free port, the default)"_s,
                     u"N"_s)
    , m_deviceAuthorizationUrl(u"device-authorization-url"_s,
                               u"The provider's device authorization endpoint, for --grant device_code (RFC 8628)"_s, u"URL"_s)
    , m_signingKeyId(u"signing-key-id"_s, u"The kid of the private_key_jwt key, as the authorization server knows it"_s, u"KID"_s)
    , m_privateKey(u"private-key"_s, u"The private_key_jwt key (PEM: RSA, P-256 or Ed25519), read from FILE into the keychain, never kept in the workspace"_s,
                   u"FILE"_s)
    , m_clientCert(u"client-cert"_s, u"A client certificate (PEM) presented to the token endpoint and the API (mutual TLS)"_s, u"FILE"_s)
    , m_clientKey(u"client-key"_s, u"The client certificate's private key (PEM), read from FILE into the keychain, never kept in the workspace"_s,
                  u"FILE"_s)
    , m_proxy(u"proxy"_s, u"The environment's proxy: http://, https://, socks5:// or socks5h://HOST:PORT (no credentials in it), direct (none, whatever the system says) or app (the app's choice, by default the system's)"_s,
              u"URL|direct|app"_s)
    , m_noProxy(u"no-proxy"_s, u"Hosts the environment's proxy is not used for, comma-separated: names (with their subdomains), IP addresses, CIDR ranges; replaces the list"_s,
                u"HOSTS"_s)
    , m_proxyUser(u"proxy-user"_s,
                  u"The user name the environment's proxy asks for; its password is asked for on a terminal (not echoed), or read with "
                  "--proxy-password-stdin, and kept in the keychain"_s,
                  u"NAME"_s)
    , m_proxyPasswordStdin(u"proxy-password-stdin"_s,
                           u"Read the password of the proxy user from standard input (one trailing line break dropped): used for --issuer's "
                           "discovery, then kept in the keychain once the environment is saved"_s)
{
}

QList<QCommandLineOption> EnvironmentOptions::options() const
{
    return {m_tokenUrl, m_apiUrl, m_clientId, m_tier, m_grant, m_clientAuth, m_username,
            m_scope, m_param, m_secretParam, m_header, m_var, m_insecure, m_keepRefreshToken, m_forgetRefreshToken,
            m_revocationUrl, m_introspectionUrl, m_cacert, m_issuer,
            m_authorizationUrl, m_redirectPort, m_deviceAuthorizationUrl, m_signingKeyId, m_privateKey, m_clientCert, m_clientKey,
            m_proxy, m_noProxy, m_proxyUser, m_proxyPasswordStdin};
}

bool EnvironmentOptions::anySet(const QCommandLineParser &parser) const
{
    const QList<QCommandLineOption> all = options();
    return std::any_of(all.cbegin(), all.cend(), [&parser](const QCommandLineOption &option) { return parser.isSet(option); });
}

bool EnvironmentOptions::tierSet(const QCommandLineParser &parser) const { return parser.isSet(m_tier); }
bool EnvironmentOptions::urlsSet(const QCommandLineParser &parser) const { return parser.isSet(m_tokenUrl) && parser.isSet(m_apiUrl); }
QStringList EnvironmentOptions::providedByDemo(const QCommandLineParser &parser) const
{
    QStringList given;
    for (const QCommandLineOption *option :
         {&m_tokenUrl, &m_apiUrl, &m_clientId, &m_tier, &m_username, &m_secretParam, &m_insecure, &m_revocationUrl, &m_introspectionUrl, &m_cacert,
          &m_issuer, &m_authorizationUrl, &m_deviceAuthorizationUrl, &m_signingKeyId, &m_privateKey, &m_clientCert, &m_clientKey, &m_proxy,
          &m_noProxy, &m_proxyUser, &m_proxyPasswordStdin}) {
        if (parser.isSet(*option))
            given.append(u"--"_s + option->names().constFirst());
    }
    return given;
}

bool EnvironmentOptions::clientIdSet(const QCommandLineParser &parser) const { return parser.isSet(m_clientId); }
bool EnvironmentOptions::proxyUserSet(const QCommandLineParser &parser) const { return parser.isSet(m_proxyUser); }
bool EnvironmentOptions::proxyPasswordFromStdin(const QCommandLineParser &parser) const { return parser.isSet(m_proxyPasswordStdin); }

bool EnvironmentOptions::issuer(const QCommandLineParser &parser, QUrl *out, QString *error) const
{
    if (!parser.isSet(m_issuer))
        return true;
    if (parser.isSet(m_tokenUrl)) {
        *error = u"--issuer finds the token URL in the issuer's metadata; give --issuer or --token-url, not both"_s;
        return false;
    }
    const QUrl url(parser.value(m_issuer), QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty() || (url.scheme() != u"https"_s && url.scheme() != u"http"_s)) {
        *error = u"--issuer \"%1\" is not an http(s) URL"_s.arg(parser.value(m_issuer));
        return false;
    }
    *out = url;
    return true;
}

QString EnvironmentOptions::missingRequirement(const Environment &env)
{
    if (Environment::usesClientCertificate(env.clientAuth) && env.clientCertificate.isEmpty()) {
        return u"--client-auth %1 authenticates the client with its certificate: give it with --client-cert FILE --client-key FILE"_s.arg(
            Environment::clientAuthName(env.clientAuth));
    }
    return {};
}

ProviderMetadata::Choices EnvironmentOptions::discoveryChoices(const QCommandLineParser &parser) const
{
    ProviderMetadata::Choices choices;
    choices.grantGiven = parser.isSet(m_grant);
    choices.clientAuthGiven = parser.isSet(m_clientAuth);
    choices.tokenUrlGiven = parser.isSet(m_tokenUrl);
    choices.authorizationUrlGiven = parser.isSet(m_authorizationUrl);
    choices.deviceAuthorizationUrlGiven = parser.isSet(m_deviceAuthorizationUrl);
    choices.revocationUrlGiven = parser.isSet(m_revocationUrl);
    choices.introspectionUrlGiven = parser.isSet(m_introspectionUrl);
    return choices;
}

QStringList EnvironmentOptions::certificateFiles(const QCommandLineParser &parser) const
{
    return parser.values(m_cacert);
}

QString EnvironmentOptions::privateKeyFile(const QCommandLineParser &parser) const { return parser.value(m_privateKey); }
QString EnvironmentOptions::clientCertificateFile(const QCommandLineParser &parser) const { return parser.value(m_clientCert); }
QString EnvironmentOptions::clientKeyFile(const QCommandLineParser &parser) const { return parser.value(m_clientKey); }

bool EnvironmentOptions::tier(const QCommandLineParser &parser, std::optional<Tier> *out, QString *error) const
{
    if (!parser.isSet(m_tier))
        return true;
    *out = Environment::tierFromName(parser.value(m_tier));
    if (!*out) {
        *error = u"--tier must be sandbox, staging, production or custom"_s;
        return false;
    }
    return true;
}

bool EnvironmentOptions::variables(const QCommandLineParser &parser, QList<QPair<QString, QString>> *out, QString *error) const
{
    QPair<QString, QString> pair;
    for (const auto &value : parser.values(m_var)) {
        if (!CliSupport::splitPair(value, u'=', &pair)) {
            *error = u"--var needs K=V, got \"%1\""_s.arg(value);
            return false;
        }
        out->append(pair);
    }
    return true;
}

bool EnvironmentOptions::apply(const QCommandLineParser &parser, Environment *env, QString *error) const
{
    const auto readUrl = [&](const QCommandLineOption &option, QUrl *out) {
        if (!parser.isSet(option))
            return true;
        const QUrl url(parser.value(option), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"https"_s && url.scheme() != u"http"_s)) {
            *error = u"--%1 \"%2\" is not an http(s) URL"_s.arg(option.names().first(), parser.value(option));
            return false;
        }
        if (!url.userInfo().isEmpty()) {
            *error = u"--%1 must not contain a user name or password"_s.arg(option.names().first());
            return false;
        }
        *out = url;
        return true;
    };
    if (!readUrl(m_tokenUrl, &env->tokenUrl) || !readUrl(m_apiUrl, &env->apiBaseUrl)
        || !readUrl(m_authorizationUrl, &env->provider.authorizationUrl)
        || !readUrl(m_deviceAuthorizationUrl, &env->provider.deviceAuthorizationUrl))
        return false;
    if (parser.isSet(m_redirectPort)) {
        bool ok = false;
        const int port = parser.value(m_redirectPort).toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            *error = u"--redirect-port needs a port number from 0 (any free port) to 65535"_s;
            return false;
        }
        env->redirectPort = port;
    }
    if (parser.isSet(m_clientId))
        env->clientId = parser.value(m_clientId);
    std::optional<Tier> tierValue;
    if (!tier(parser, &tierValue, error))
        return false;
    if (tierValue)
        env->tier = *tierValue;
    if (parser.isSet(m_grant)) {
        const auto grantValue = Environment::grantFromName(parser.value(m_grant));
        if (!grantValue) {
            *error = u"--grant must be client_credentials, password, authorization_code or device_code"_s;
            return false;
        }
        env->grant = *grantValue;
    }
    if (parser.isSet(m_clientAuth)) {
        const auto authValue = Environment::clientAuthFromName(parser.value(m_clientAuth));
        if (!authValue) {
            *error = u"--client-auth must be basic, body, json, none, private_key_jwt, tls_client_auth or self_signed_tls_client_auth"_s;
            return false;
        }
        env->clientAuth = *authValue;
    }
    if (parser.isSet(m_signingKeyId))
        env->signingKeyId = parser.value(m_signingKeyId).trimmed();
    if (parser.isSet(m_username))
        env->username = parser.value(m_username);
    if (env->grant == GrantType::Password && env->username.isEmpty() && !env->isBuiltinDemo()) { // the Demo's user is its own
        *error = u"the password grant needs --username"_s;
        return false;
    }
    if (parser.isSet(m_scope))
        env->scopes = CliSupport::scopeValues(parser.values(m_scope));
    QPair<QString, QString> pair;
    const auto paramName = [](const TokenParam &p) { return p.name; };
    for (const auto &value : parser.values(m_param)) {
        if (!CliSupport::splitPair(value, u'=', &pair)) {
            *error = u"--param needs K=V, got \"%1\""_s.arg(value);
            return false;
        }
        upsert(&env->params, TokenParam{pair.first, pair.second, false}, paramName);
    }
    for (const auto &value : parser.values(m_secretParam))
        upsert(&env->params, TokenParam{value.trimmed(), {}, true}, paramName);
    for (const auto &value : parser.values(m_header)) {
        if (!CliSupport::splitPair(value, u':', &pair)) {
            *error = u"--header needs 'Name: template', got \"%1\""_s.arg(value);
            return false;
        }
        if (pair.first.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0) {
            *error = u"Authorization is set from the token; it cannot be a context header"_s;
            return false;
        }
        upsert(&env->headers, HeaderTemplate{pair.first, pair.second}, [](const HeaderTemplate &h) { return h.name; }, Qt::CaseInsensitive);
    }
    QList<QPair<QString, QString>> vars;
    if (!variables(parser, &vars, error))
        return false;
    for (const auto &variable : std::as_const(vars))
        upsert(&env->variables, variable, [](const QPair<QString, QString> &v) { return v.first; });
    if (parser.isSet(m_insecure))
        env->allowInsecureHttp = true;
    if (parser.isSet(m_keepRefreshToken) && parser.isSet(m_forgetRefreshToken)) {
        *error = u"--keep-refresh-token and --no-keep-refresh-token contradict each other"_s;
        return false;
    }
    if (parser.isSet(m_keepRefreshToken) || parser.isSet(m_forgetRefreshToken))
        env->keepRefreshToken = parser.isSet(m_keepRefreshToken);
    if (!readUrl(m_revocationUrl, &env->provider.revocationUrl) || !readUrl(m_introspectionUrl, &env->provider.introspectionUrl))
        return false;
    return applyProxy(parser, &env->proxy, error);
}

bool EnvironmentOptions::applyProxy(const QCommandLineParser &parser, ProxySetting *proxy, QString *error) const
{
    if (parser.isSet(m_proxy)) {
        const QString value = parser.value(m_proxy);
        if (value == u"direct"_s || value == u"app"_s) {
            proxy->mode = value == u"direct"_s ? ProxyMode::Direct : ProxyMode::App;
            proxy->url.clear();
        } else {
            const QUrl url(value, QUrl::StrictMode);
            QString problem;
            ProxyRoute::fromUrl(url, &problem);
            if (!problem.isEmpty()) {
                *error = u"--proxy: %1"_s.arg(problem); // the value is not echoed: it may hold a password
                return false;
            }
            proxy->mode = ProxyMode::Manual;
            proxy->url = url.adjusted(QUrl::StripTrailingSlash);
        }
    }
    if (parser.isSet(m_noProxy)) {
        proxy->noProxy.clear();
        for (const QString &value : parser.values(m_noProxy))
            proxy->noProxy += ProxyPolicy::splitHosts(value);
        proxy->noProxy.removeDuplicates();
    }
    if (parser.isSet(m_proxyUser))
        proxy->username = parser.value(m_proxyUser).trimmed();
    if (proxy->mode != ProxyMode::Manual && (parser.isSet(m_noProxy) || parser.isSet(m_proxyUser))) {
        *error = u"--no-proxy and --proxy-user describe the environment's own proxy: give it with --proxy URL"_s;
        return false;
    }
    return true;
}
