#include "workspace/Environment.h"

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
    {GrantType::ClientCredentials, "client_credentials"_L1}, {GrantType::Password, "password"_L1}};
constexpr NamedValue<ClientAuthStyle> clientAuthNames[] = {
    {ClientAuthStyle::Basic, "basic"_L1}, {ClientAuthStyle::Body, "body"_L1}, {ClientAuthStyle::Json, "json"_L1}};

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

bool readUrl(const QJsonObject &json, const QString &key, QUrl *out, QString *error)
{
    const QString text = json.value(key).toString();
    if (text.isEmpty()) {
        *out = QUrl();
        return true;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = u"\"%1\" is not a valid URL: %2"_s.arg(key, url.errorString());
        return false;
    }
    *out = url;
    return true;
}
} // namespace

QString Environment::tierName(Tier tier) { return nameOf(tierNames, tier); }
std::optional<Tier> Environment::tierFromName(const QString &name) { return valueOf(tierNames, name); }
QString Environment::grantName(GrantType grant) { return nameOf(grantNames, grant); }
std::optional<GrantType> Environment::grantFromName(const QString &name) { return valueOf(grantNames, name); }
QString Environment::clientAuthName(ClientAuthStyle style) { return nameOf(clientAuthNames, style); }
std::optional<ClientAuthStyle> Environment::clientAuthFromName(const QString &name) { return valueOf(clientAuthNames, name); }

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

    // Arrays of objects rather than maps: order is the user's, and QJsonObject would sort it away.
    QJsonArray paramArray;
    for (const auto &param : params) {
        QJsonObject p{{u"name"_s, param.name}};
        if (param.secret)
            p.insert(u"secret"_s, true); // the value is in the keychain, never here
        else
            p.insert(u"value"_s, param.value);
        paramArray.append(p);
    }
    json.insert(u"tokenParams"_s, paramArray);

    QJsonArray headerArray;
    for (const auto &header : headers)
        headerArray.append(QJsonObject{{u"name"_s, header.name}, {u"value"_s, header.valueTemplate}});
    json.insert(u"contextHeaders"_s, headerArray);

    QJsonArray variableArray;
    for (const auto &[key, value] : variables)
        variableArray.append(QJsonObject{{u"name"_s, key}, {u"value"_s, value}});
    json.insert(u"variables"_s, variableArray);

    if (allowInsecureHttp)
        json.insert(u"allowInsecureHttp"_s, true);
    if (!trustedCertificates.isEmpty())
        json.insert(u"trustedCertificates"_s, QString::fromLatin1(trustedCertificates));
    return json;
}

std::optional<Environment> Environment::fromJson(const QJsonObject &json, QString *error)
{
    QString problem;
    Environment env;
    env.id = json.value(u"id"_s).toString();
    env.name = json.value(u"name"_s).toString().trimmed();
    if (env.name.isEmpty()) {
        *error = u"an environment has no name"_s;
        return std::nullopt;
    }
    const auto fail = [&](const QString &what) {
        *error = u"environment \"%1\": %2"_s.arg(env.name, what);
        return std::nullopt;
    };

    const QString tierText = json.value(u"tier"_s).toString(u"custom"_s);
    const auto tierValue = tierFromName(tierText);
    if (!tierValue)
        return fail(u"unknown tier \"%1\" (expected sandbox, staging, production or custom)"_s.arg(tierText));
    env.tier = *tierValue;

    const QString grantText = json.value(u"grantType"_s).toString(u"client_credentials"_s);
    const auto grantValue = grantFromName(grantText);
    if (!grantValue)
        return fail(u"unknown grant type \"%1\""_s.arg(grantText));
    env.grant = *grantValue;

    const QString authText = json.value(u"clientAuth"_s).toString(u"basic"_s);
    const auto authValue = clientAuthFromName(authText);
    if (!authValue)
        return fail(u"unknown client authentication \"%1\" (expected basic, body or json)"_s.arg(authText));
    env.clientAuth = *authValue;

    if (!readUrl(json, u"tokenUrl"_s, &env.tokenUrl, &problem) || !readUrl(json, u"apiBaseUrl"_s, &env.apiBaseUrl, &problem))
        return fail(problem);

    env.builtin = json.value(u"builtin"_s).toString();
    env.clientId = json.value(u"clientId"_s).toString();
    env.username = json.value(u"username"_s).toString();
    for (const auto &scope : json.value(u"scopes"_s).toArray())
        env.scopes.append(scope.toString());
    for (const auto &value : json.value(u"tokenParams"_s).toArray()) {
        const QJsonObject p = value.toObject();
        TokenParam param{p.value(u"name"_s).toString(), p.value(u"value"_s).toString(), p.value(u"secret"_s).toBool()};
        if (param.name.isEmpty())
            return fail(u"a token parameter has no name"_s);
        if (param.secret)
            param.value.clear();
        env.params.append(param);
    }
    for (const auto &value : json.value(u"contextHeaders"_s).toArray()) {
        const QJsonObject h = value.toObject();
        HeaderTemplate header{h.value(u"name"_s).toString(), h.value(u"value"_s).toString()};
        if (header.name.isEmpty())
            return fail(u"a context header has no name"_s);
        env.headers.append(header);
    }
    for (const auto &value : json.value(u"variables"_s).toArray()) {
        const QJsonObject v = value.toObject();
        env.variables.append({v.value(u"name"_s).toString(), v.value(u"value"_s).toString()});
    }
    env.allowInsecureHttp = json.value(u"allowInsecureHttp"_s).toBool();
    const QJsonValue trusted = json.value(u"trustedCertificates"_s);
    if (!trusted.isUndefined() && !trusted.isNull()) {
        QString certificateProblem;
        env.trustedCertificates = trusted.toString().toLatin1();
        if (!trusted.isString() || describeCertificates(env.trustedCertificates, &certificateProblem).isEmpty())
            return fail(u"trustedCertificates: %1"_s.arg(certificateProblem.isEmpty() ? u"not PEM text"_s : certificateProblem));
        // Re-encoded: a hand-edited entry without its last line break still joins others cleanly.
        QByteArray normalised;
        for (const QSslCertificate &certificate : QSslCertificate::fromData(env.trustedCertificates, QSsl::Pem))
            normalised += certificate.toPem();
        env.trustedCertificates = normalised;
    }
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
