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
                                     u"trustedCertificates"_s, u"scopeCatalog"_s, u"origin"_s};
const QStringList paramKeys = {u"name"_s, u"value"_s, u"secret"_s};
const QStringList pairKeys = {u"name"_s, u"value"_s};
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

    QString pem;
    if (!reader.string(u"trustedCertificates"_s, &pem))
        return fail();
    if (!pem.isEmpty()) {
        QString certificateProblem;
        env.trustedCertificates = pem.toLatin1();
        if (describeCertificates(env.trustedCertificates, &certificateProblem).isEmpty()) {
            reader.fail(u"trustedCertificates"_s, certificateProblem.isEmpty() ? u"not PEM text"_s : certificateProblem);
            return fail();
        }
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
