#include "workspace/Environment.h"

#include "util/JsonFieldReader.h"

#include <QJsonArray>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace {
template<typename Enum>
struct NamedValue
{
    Enum value;
    QLatin1StringView name;
};

constexpr NamedValue<Tier> tierNames[] = {
    {Tier::Sandbox, "sandbox"_L1}, {Tier::Staging, "staging"_L1},
    {Tier::Production, "production"_L1}, {Tier::Custom, "custom"_L1}};
constexpr NamedValue<GrantType> grantNames[] = {
    {GrantType::ClientCredentials, "client_credentials"_L1}, {GrantType::Password, "password"_L1},
    {GrantType::AuthorizationCode, "authorization_code"_L1}, {GrantType::DeviceCode, "device_code"_L1}};
constexpr NamedValue<ClientAuthStyle> clientAuthNames[] = {
    {ClientAuthStyle::Basic, "basic"_L1}, {ClientAuthStyle::Body, "body"_L1}, {ClientAuthStyle::Json, "json"_L1},
    {ClientAuthStyle::None, "none"_L1}, {ClientAuthStyle::PrivateKeyJwt, "private_key_jwt"_L1},
    {ClientAuthStyle::TlsClientAuth, "tls_client_auth"_L1}, {ClientAuthStyle::SelfSignedTlsClientAuth, "self_signed_tls_client_auth"_L1}};
constexpr NamedValue<ProxyMode> proxyModeNames[] = {
    {ProxyMode::App, "app"_L1}, {ProxyMode::Direct, "direct"_L1}, {ProxyMode::Manual, "manual"_L1}};

template<typename Enum, size_t N>
QString nameOf(const NamedValue<Enum> (&table)[N], Enum value)
{
    for (const auto &entry : table) {
        if (entry.value == value)
            return QString(entry.name);
    }
    return {};
}

template<typename Enum, size_t N>
std::optional<Enum> valueOf(const NamedValue<Enum> (&table)[N], const QString &name)
{
    for (const auto &entry : table) {
        if (name.compare(entry.name, Qt::CaseInsensitive) == 0)
            return entry.value;
    }
    return std::nullopt;
}

bool readUrl(JsonFieldReader &reader, const QString &key, QUrl *out)
{
    QString text;
    if (!reader.string(key, &text))
        return false;
    if (text.isEmpty()) {
        *out = QUrl();
        return true;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return reader.fail(key, u"not a valid URL: %1"_s.arg(url.errorString()));
    *out = url;
    return true;
}

template<typename Enum, size_t N>
bool readName(JsonFieldReader &reader, const QString &key, const NamedValue<Enum> (&table)[N], Enum *out, const QString &what)
{
    QString text;
    if (!reader.string(key, &text) || !reader.has(key))
        return reader.ok();
    const auto value = valueOf(table, text);
    if (!value) {
        QStringList names;
        for (const auto &entry : table)
            names.append(QString(entry.name));
        return reader.fail(key, u"unknown %1 \"%2\" (expected %3)"_s.arg(what, text, names.join(u", "_s)));
    }
    *out = *value;
    return true;
}

const QStringList environmentKeys = {u"id"_s, u"name"_s, u"tier"_s, u"builtin"_s, u"tokenUrl"_s, u"apiBaseUrl"_s,
                                     u"grantType"_s, u"clientAuth"_s, u"clientId"_s, u"username"_s, u"scopes"_s,
                                     u"tokenParams"_s, u"contextHeaders"_s, u"variables"_s, u"allowInsecureHttp"_s,
                                     u"trustedCertificates"_s, u"scopeCatalog"_s, u"origin"_s, u"provider"_s,
                                     u"redirectPort"_s, u"keepRefreshToken"_s, u"clientCertificate"_s,
                                     u"signingKeyId"_s, u"proxy"_s};
const QStringList providerKeys = {u"issuer"_s, u"authorizationUrl"_s, u"deviceAuthorizationUrl"_s, u"revocationUrl"_s,
                                  u"introspectionUrl"_s, u"jwksUrl"_s, u"grantsSupported"_s, u"clientAuthMethodsSupported"_s};
const QStringList proxyKeys = {u"mode"_s, u"url"_s, u"username"_s, u"noProxy"_s};

void insertUrl(QJsonObject *json, const QString &key, const QUrl &url)
{
    if (!url.isEmpty())
        json->insert(key, url.toString(QUrl::FullyEncoded));
}

// PEM certificates as the workspace keeps them: each re-encoded, so a hand-edited entry without
// its last line break still joins others cleanly.
bool readCertificates(JsonFieldReader &reader, const QString &key, QByteArray *out)
{
    QString pem;
    if (!reader.string(key, &pem))
        return false;
    out->clear();
    if (pem.isEmpty())
        return true;
    QString problem;
    const QByteArray text = pem.toLatin1();
    if (Environment::describeCertificates(text, &problem).isEmpty())
        return reader.fail(key, problem.isEmpty() ? u"not PEM text"_s : problem);
    for (const QSslCertificate &certificate : QSslCertificate::fromData(text, QSsl::Pem))
        *out += certificate.toPem();
    return true;
}
const QStringList paramKeys = {u"name"_s, u"value"_s, u"secret"_s};
const QStringList pairKeys = {u"name"_s, u"value"_s};
} // namespace

QString Environment::tierName(Tier tier) { return nameOf(tierNames, tier); }
std::optional<Tier> Environment::tierFromName(const QString &name) { return valueOf(tierNames, name); }
QString Environment::grantName(GrantType grant) { return nameOf(grantNames, grant); }
std::optional<GrantType> Environment::grantFromName(const QString &name) { return valueOf(grantNames, name); }
QString Environment::clientAuthName(ClientAuthStyle style) { return nameOf(clientAuthNames, style); }
std::optional<ClientAuthStyle> Environment::clientAuthFromName(const QString &name) { return valueOf(clientAuthNames, name); }
QString Environment::proxyModeName(ProxyMode mode) { return nameOf(proxyModeNames, mode); }
std::optional<ProxyMode> Environment::proxyModeFromName(const QString &name) { return valueOf(proxyModeNames, name); }

bool Environment::isInteractive(GrantType grant)
{
    return grant == GrantType::AuthorizationCode || grant == GrantType::DeviceCode;
}

bool Environment::usesClientSecret(ClientAuthStyle style)
{
    return style == ClientAuthStyle::Basic || style == ClientAuthStyle::Body || style == ClientAuthStyle::Json;
}

bool Environment::usesClientCertificate(ClientAuthStyle style)
{
    return style == ClientAuthStyle::TlsClientAuth || style == ClientAuthStyle::SelfSignedTlsClientAuth;
}

QStringList Environment::secretParamNames() const
{
    QStringList names;
    for (const auto &param : params) {
        if (param.secret)
            names.append(param.name);
    }
    return names;
}

QJsonObject Environment::toJson() const
{
    QJsonObject json;
    json.insert(u"id"_s, id);
    json.insert(u"name"_s, name);
    json.insert(u"tier"_s, tierName(tier));
    if (!builtin.isEmpty())
        json.insert(u"builtin"_s, builtin);
    json.insert(u"tokenUrl"_s, tokenUrl.toString(QUrl::FullyEncoded));
    json.insert(u"apiBaseUrl"_s, apiBaseUrl.toString(QUrl::FullyEncoded));
    json.insert(u"grantType"_s, grantName(grant));
    json.insert(u"clientAuth"_s, clientAuthName(clientAuth));
    json.insert(u"clientId"_s, clientId);
    if (!username.isEmpty())
        json.insert(u"username"_s, username);
    json.insert(u"scopes"_s, QJsonArray::fromStringList(scopes));
    if (!scopeCatalog.isEmpty()) {
        QJsonArray catalog;
        UnknownFields::Rows catalogRows(u"scopeCatalog"_s);
        for (const CatalogScope &scope : scopeCatalog) {
            QJsonObject entry{{u"name"_s, scope.name}};
            if (!scope.description.isEmpty())
                entry.insert(u"description"_s, scope.description);
            unknownFields.writeInto(catalogRows.next(scope.name), &entry);
            catalog.append(entry);
        }
        json.insert(u"scopeCatalog"_s, catalog);
    }
    if (!origin.isEmpty())
        json.insert(u"origin"_s, origin.toJson());

    // Arrays of objects rather than maps: order is the user's, and QJsonObject would sort it away.
    QJsonArray paramArray;
    UnknownFields::Rows paramRows(u"tokenParams"_s);
    for (const auto &param : params) {
        QJsonObject p{{u"name"_s, param.name}};
        if (param.secret)
            p.insert(u"secret"_s, true); // the value is in the keychain, never here
        else
            p.insert(u"value"_s, param.value);
        unknownFields.writeInto(paramRows.next(param.name), &p);
        paramArray.append(p);
    }
    json.insert(u"tokenParams"_s, paramArray);

    QJsonArray headerArray;
    UnknownFields::Rows headerRows(u"contextHeaders"_s);
    for (const auto &header : headers) {
        QJsonObject h{{u"name"_s, header.name}, {u"value"_s, header.valueTemplate}};
        unknownFields.writeInto(headerRows.next(header.name), &h);
        headerArray.append(h);
    }
    json.insert(u"contextHeaders"_s, headerArray);

    QJsonArray variableArray;
    UnknownFields::Rows variableRows(u"variables"_s);
    for (const auto &[key, value] : variables) {
        QJsonObject v{{u"name"_s, key}, {u"value"_s, value}};
        unknownFields.writeInto(variableRows.next(key), &v);
        variableArray.append(v);
    }
    json.insert(u"variables"_s, variableArray);

    if (allowInsecureHttp)
        json.insert(u"allowInsecureHttp"_s, true);
    if (!trustedCertificates.isEmpty())
        json.insert(u"trustedCertificates"_s, QString::fromLatin1(trustedCertificates));
    if (!provider.isEmpty() || !unknownFields.get(u"provider"_s).isEmpty()) {
        QJsonObject endpoints;
        insertUrl(&endpoints, u"issuer"_s, provider.issuer);
        insertUrl(&endpoints, u"authorizationUrl"_s, provider.authorizationUrl);
        insertUrl(&endpoints, u"deviceAuthorizationUrl"_s, provider.deviceAuthorizationUrl);
        insertUrl(&endpoints, u"revocationUrl"_s, provider.revocationUrl);
        insertUrl(&endpoints, u"introspectionUrl"_s, provider.introspectionUrl);
        insertUrl(&endpoints, u"jwksUrl"_s, provider.jwksUrl);
        if (!provider.grantsSupported.isEmpty())
            endpoints.insert(u"grantsSupported"_s, QJsonArray::fromStringList(provider.grantsSupported));
        if (!provider.clientAuthMethodsSupported.isEmpty())
            endpoints.insert(u"clientAuthMethodsSupported"_s, QJsonArray::fromStringList(provider.clientAuthMethodsSupported));
        unknownFields.writeInto(u"provider"_s, &endpoints);
        json.insert(u"provider"_s, endpoints);
    }
    if (redirectPort != 0)
        json.insert(u"redirectPort"_s, redirectPort);
    if (keepRefreshToken)
        json.insert(u"keepRefreshToken"_s, true);
    if (!clientCertificate.isEmpty())
        json.insert(u"clientCertificate"_s, QString::fromLatin1(clientCertificate));
    if (!signingKeyId.isEmpty())
        json.insert(u"signingKeyId"_s, signingKeyId);
    if (proxy != ProxySetting() || !unknownFields.get(u"proxy"_s).isEmpty()) {
        QJsonObject proxyJson{{u"mode"_s, proxyModeName(proxy.mode)}};
        insertUrl(&proxyJson, u"url"_s, proxy.url);
        if (!proxy.username.isEmpty())
            proxyJson.insert(u"username"_s, proxy.username);
        if (!proxy.noProxy.isEmpty())
            proxyJson.insert(u"noProxy"_s, QJsonArray::fromStringList(proxy.noProxy));
        unknownFields.writeInto(u"proxy"_s, &proxyJson);
        json.insert(u"proxy"_s, proxyJson);
    }
    unknownFields.writeInto(QString(), &json);
    return json;
}

std::optional<Environment> Environment::fromJson(const QJsonObject &json, QString *error, const QString &path)
{
    Environment env;
    JsonFieldReader reader(json, path);
    const auto fail = [&] {
        // The name, when it could be read, says which environment a path's index is.
        *error = env.name.isEmpty() ? reader.error() : u"environment \"%1\": %2"_s.arg(env.name, reader.error());
        return std::nullopt;
    };
    if (!reader.string(u"id"_s, &env.id) || !reader.string(u"name"_s, &env.name))
        return fail();
    env.name = env.name.trimmed();
    if (env.name.isEmpty()) {
        reader.fail(u"name"_s, u"an environment needs a name"_s);
        return fail();
    }
    env.tier = Tier::Custom;
    if (!readName(reader, u"tier"_s, tierNames, &env.tier, u"tier"_s)
        || !readName(reader, u"grantType"_s, grantNames, &env.grant, u"grant type"_s)
        || !readName(reader, u"clientAuth"_s, clientAuthNames, &env.clientAuth, u"client authentication"_s)
        || !readUrl(reader, u"tokenUrl"_s, &env.tokenUrl) || !readUrl(reader, u"apiBaseUrl"_s, &env.apiBaseUrl)
        || !reader.string(u"builtin"_s, &env.builtin) || !reader.string(u"clientId"_s, &env.clientId)
        || !reader.string(u"username"_s, &env.username) || !reader.stringList(u"scopes"_s, &env.scopes)
        || !reader.boolean(u"allowInsecureHttp"_s, &env.allowInsecureHttp)) {
        return fail();
    }
    env.unknownFields.set(QString(), reader.unknownMembers(environmentKeys));

    UnknownFields::Rows paramRows(u"tokenParams"_s);
    const bool paramsRead = reader.objectList(u"tokenParams"_s, [&](JsonFieldReader &row) {
        TokenParam param;
        if (!row.string(u"name"_s, &param.name) || !row.string(u"value"_s, &param.value) || !row.boolean(u"secret"_s, &param.secret))
            return false;
        if (param.name.isEmpty())
            return row.fail(u"name"_s, u"a token parameter needs a name"_s);
        if (param.secret)
            param.value.clear(); // a secret's value lives in the keychain; one found here is never kept
        env.unknownFields.set(paramRows.next(param.name), row.unknownMembers(paramKeys));
        env.params.append(param);
        return true;
    });
    UnknownFields::Rows headerRows(u"contextHeaders"_s);
    const bool headersRead = paramsRead && reader.objectList(u"contextHeaders"_s, [&](JsonFieldReader &row) {
        HeaderTemplate header;
        if (!row.string(u"name"_s, &header.name) || !row.string(u"value"_s, &header.valueTemplate))
            return false;
        if (header.name.isEmpty())
            return row.fail(u"name"_s, u"a context header needs a name"_s);
        env.unknownFields.set(headerRows.next(header.name), row.unknownMembers(pairKeys));
        env.headers.append(header);
        return true;
    });
    UnknownFields::Rows variableRows(u"variables"_s);
    const bool variablesRead = headersRead && reader.objectList(u"variables"_s, [&](JsonFieldReader &row) {
        QPair<QString, QString> variable;
        if (!row.string(u"name"_s, &variable.first) || !row.string(u"value"_s, &variable.second))
            return false;
        env.unknownFields.set(variableRows.next(variable.first), row.unknownMembers(pairKeys));
        env.variables.append(variable);
        return true;
    });
    UnknownFields::Rows catalogRows(u"scopeCatalog"_s);
    const bool catalogRead = variablesRead && reader.objectList(u"scopeCatalog"_s, [&](JsonFieldReader &row) {
        CatalogScope scope;
        if (!row.required(u"name"_s) || !row.string(u"name"_s, &scope.name) || !row.string(u"description"_s, &scope.description))
            return false;
        env.unknownFields.set(catalogRows.next(scope.name), row.unknownMembers({u"name"_s, u"description"_s}));
        env.scopeCatalog.append(scope);
        return true;
    });
    if (!catalogRead
        || (reader.has(u"origin"_s) && !reader.object(u"origin"_s, [&](JsonFieldReader &nested) { return ImportOrigin::read(nested, &env.origin); })))
        return fail();

    if (!readCertificates(reader, u"trustedCertificates"_s, &env.trustedCertificates)
        || !readCertificates(reader, u"clientCertificate"_s, &env.clientCertificate)
        || !reader.string(u"signingKeyId"_s, &env.signingKeyId)
        || !reader.boolean(u"keepRefreshToken"_s, &env.keepRefreshToken))
        return fail();
    qint64 port = 0;
    if (!reader.integer(u"redirectPort"_s, &port, 0, 65535))
        return fail();
    env.redirectPort = int(port);
    if (reader.has(u"provider"_s)
        && !reader.object(u"provider"_s, [&](JsonFieldReader &nested) {
               ProviderEndpoints &p = env.provider;
               if (!readUrl(nested, u"issuer"_s, &p.issuer) || !readUrl(nested, u"authorizationUrl"_s, &p.authorizationUrl)
                   || !readUrl(nested, u"deviceAuthorizationUrl"_s, &p.deviceAuthorizationUrl)
                   || !readUrl(nested, u"revocationUrl"_s, &p.revocationUrl)
                   || !readUrl(nested, u"introspectionUrl"_s, &p.introspectionUrl) || !readUrl(nested, u"jwksUrl"_s, &p.jwksUrl)
                   || !nested.stringList(u"grantsSupported"_s, &p.grantsSupported)
                   || !nested.stringList(u"clientAuthMethodsSupported"_s, &p.clientAuthMethodsSupported))
                   return false;
               env.unknownFields.set(u"provider"_s, nested.unknownMembers(providerKeys));
               return true;
           }))
        return fail();
    if (reader.has(u"proxy"_s)
        && !reader.object(u"proxy"_s, [&](JsonFieldReader &nested) {
               ProxySetting &p = env.proxy;
               if (!readName(nested, u"mode"_s, proxyModeNames, &p.mode, u"proxy mode"_s) || !readUrl(nested, u"url"_s, &p.url)
                   || !nested.string(u"username"_s, &p.username) || !nested.stringList(u"noProxy"_s, &p.noProxy))
                   return false;
               if (!p.url.userInfo().isEmpty())
                   return nested.fail(u"url"_s, u"a proxy URL holds no user name or password (the password is kept in the keychain)"_s);
               const QString scheme = p.url.scheme().toLower();
               if (!p.url.isEmpty() && scheme != u"http"_s && scheme != u"https"_s && scheme != u"socks5"_s && scheme != u"socks5h"_s)
                   return nested.fail(u"url"_s, u"a proxy is http://, https://, socks5:// or socks5h:// (found %1://)"_s.arg(scheme));
               if (p.mode == ProxyMode::Manual && p.url.isEmpty())
                   return nested.fail(u"url"_s, u"a manual proxy needs a URL"_s);
               env.unknownFields.set(u"proxy"_s, nested.unknownMembers(proxyKeys));
               return true;
           }))
        return fail();
    return env;
}

QStringList Environment::describeCertificates(const QByteArray &pem, QString *problem)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty() || certificates.size() != pem.count("-----BEGIN CERTIFICATE-----")) {
        if (problem)
            *problem = u"not PEM certificates (-----BEGIN CERTIFICATE----- …)"_s;
        return {};
    }
    QStringList lines;
    for (const QSslCertificate &certificate : certificates) {
        QString subject = certificate.subjectInfo(QSslCertificate::CommonName).join(u", "_s);
        if (subject.isEmpty())
            subject = certificate.subjectDisplayName();
        lines.append(u"%1 (valid until %2)"_s.arg(subject, certificate.expiryDate().toUTC().toString(u"yyyy-MM-dd"_s)));
    }
    return lines;
}
