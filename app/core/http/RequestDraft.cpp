#include "http/RequestDraft.h"

#include "http/OriginGuard.h"
#include "secrets/CredentialScan.h"
#include "util/TemplateExpander.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStringDecoder>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("RequestDraft", text);
}

bool isCredentialHeader(const QString &name)
{
    return OriginGuard::isCredentialHeader(name.trimmed().toLatin1());
}

// What the file format itself leaves out and refuses on reading: the Authorization headers only,
// as every version of it has. Saving refuses more (CredentialScan); a file an older version wrote
// with, say, an X-Api-Key row still opens, and is written back as it was read.
bool isAuthorizationHeader(const QString &name)
{
    const QString trimmed = name.trimmed();
    return trimmed.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0
        || trimmed.compare(u"Proxy-Authorization"_s, Qt::CaseInsensitive) == 0;
}

void addPlaceholders(const QString &text, QStringList *names)
{
    for (const QString &name : TemplateExpander::placeholders(text)) {
        if (!names->contains(name))
            names->append(name);
    }
}

// The variables the stored form leaves out: those the Authorization rows and overrides use.
QStringList authorizationVariableNames(const RequestDraft &draft)
{
    QStringList names;
    for (const auto &row : draft.headers) {
        if (isAuthorizationHeader(row.name))
            addPlaceholders(row.value, &names);
    }
    for (const auto &entry : draft.injectionSwitches) {
        if (entry.value && isAuthorizationHeader(entry.headerName))
            addPlaceholders(*entry.value, &names);
    }
    return names;
}

// A literal in an Authorization row, or a variable of the draft itself feeding one: never in a file.
QString authorizationProblem(const RequestDraft &draft)
{
    for (const auto &row : draft.headers) {
        if (!isAuthorizationHeader(row.name))
            continue;
        bool literal = !RequestDraft::isCredentialTemplate(row.value);
        const QStringList used = TemplateExpander::placeholders(row.value);
        for (const auto &variable : draft.extraVariables)
            literal = literal || used.contains(variable.first);
        if (literal)
            return tr("the %1 header holds a credential; put the credential in the environment, not in a saved request").arg(row.name.trimmed());
    }
    return {};
}

bool isUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    Q_UNUSED(text)
    return !decoder.hasError();
}

QJsonArray rowsToJson(const QList<RequestDraft::Row> &rows, bool dropCredentials)
{
    QJsonArray out;
    for (const auto &row : rows) {
        QJsonObject entry{{u"name"_s, row.name}};
        // Defence in depth: the value of a credential row is left out rather than written.
        if (!dropCredentials || !isAuthorizationHeader(row.name) || RequestDraft::isCredentialTemplate(row.value))
            entry.insert(u"value"_s, row.value);
        if (!row.enabled)
            entry.insert(u"enabled"_s, false);
        out.append(entry);
    }
    return out;
}

bool readString(const QJsonObject &json, const QString &key, QString *out, QString *error)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString()) {
        *error = tr("\"%1\" is not a string").arg(key);
        return false;
    }
    *out = value.toString();
    return true;
}

bool readBool(const QJsonObject &json, const QString &key, bool *out, QString *error)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isBool()) {
        *error = tr("\"%1\" is not true or false").arg(key);
        return false;
    }
    *out = value.toBool();
    return true;
}

// The entries of a list of objects; a missing key is an empty list.
bool readObjects(const QJsonObject &json, const QString &key, QList<QJsonObject> *out, QString *error)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray()) {
        *error = tr("\"%1\" is not a list").arg(key);
        return false;
    }
    for (const auto &entry : value.toArray()) {
        if (!entry.isObject()) {
            *error = tr("an entry of \"%1\" is not an object").arg(key);
            return false;
        }
        out->append(entry.toObject());
    }
    return true;
}

bool readRows(const QJsonObject &json, const QString &key, QList<RequestDraft::Row> *out, QString *error)
{
    QList<QJsonObject> entries;
    if (!readObjects(json, key, &entries, error))
        return false;
    for (const auto &entry : std::as_const(entries)) {
        RequestDraft::Row row;
        if (!readString(entry, u"name"_s, &row.name, error) || !readString(entry, u"value"_s, &row.value, error)
            || !readBool(entry, u"enabled"_s, &row.enabled, error)) {
            *error = tr("in \"%1\": %2").arg(key, *error);
            return false;
        }
        out->append(row);
    }
    return true;
}

bool readVariables(const QJsonObject &json, QList<QPair<QString, QString>> *out, QString *error)
{
    QList<QJsonObject> entries;
    if (!readObjects(json, u"variables"_s, &entries, error))
        return false;
    for (const auto &entry : std::as_const(entries)) {
        QPair<QString, QString> variable;
        if (!readString(entry, u"name"_s, &variable.first, error) || !readString(entry, u"value"_s, &variable.second, error))
            return false;
        out->append(variable);
    }
    return true;
}

// credentialValues: whether an override of Authorization is read (the history's form) or
// ignored (a workspace file's).
bool readSwitches(const QJsonObject &json, bool credentialValues, QList<RequestDraft::InjectionSwitch> *out, QString *error)
{
    QList<QJsonObject> entries;
    if (!readObjects(json, u"injection"_s, &entries, error))
        return false;
    for (const auto &entry : std::as_const(entries)) {
        RequestDraft::InjectionSwitch injection;
        QString value;
        const bool hasValue = entry.value(u"value"_s).isString();
        if (!readString(entry, u"header"_s, &injection.headerName, error) || !readBool(entry, u"disabled"_s, &injection.disabled, error)
            || !readString(entry, u"value"_s, &value, error)) {
            return false;
        }
        if (injection.headerName.trimmed().isEmpty()) {
            *error = tr("an entry of \"injection\" names no header");
            return false;
        }
        if (hasValue && (credentialValues || !isAuthorizationHeader(injection.headerName)))
            injection.value = value;
        out->append(injection);
    }
    return true;
}
} // namespace

const RequestDraft::InjectionSwitch *RequestDraft::switchFor(const QString &headerName) const
{
    for (const auto &entry : injectionSwitches) {
        if (entry.headerName.compare(headerName, Qt::CaseInsensitive) == 0)
            return &entry;
    }
    return nullptr;
}

bool RequestDraft::readsFiles() const
{
    return std::any_of(formParts.cbegin(), formParts.cend(), [](const FormPart &part) { return part.enabled && part.isFile; });
}

bool RequestDraft::isCredentialTemplate(const QString &value)
{
    // An optional auth-scheme token (RFC 9110 §11.4), then nothing but {{name}} placeholders.
    static const QRegularExpression re(uR"(^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+\s+)?(?:\{\{\s*[A-Za-z_][A-Za-z0-9_.\-]*\s*\}\}\s*)+$)"_s);
    const QString trimmed = value.trimmed();
    return trimmed.isEmpty() || re.match(trimmed).hasMatch();
}

QStringList RequestDraft::credentialVariableNames() const
{
    QStringList names;
    for (const auto &row : headers) {
        if (isCredentialHeader(row.name))
            addPlaceholders(row.value, &names);
    }
    // An override of the injected Authorization ("Bearer {{t}}") is made of its variables too.
    for (const auto &entry : injectionSwitches) {
        if (entry.value && isCredentialHeader(entry.headerName))
            addPlaceholders(*entry.value, &names);
    }
    return names;
}

QString RequestDraft::storageProblem() const
{
    const QString finding = CredentialScan().problem(*this);
    return finding.isEmpty() ? QString() : CredentialScan::refusal(finding);
}

QJsonObject RequestDraft::toJson() const
{
    QJsonObject json{{u"method"_s, method}, {u"url"_s, url}};
    if (!queryParams.isEmpty())
        json.insert(u"query"_s, rowsToJson(queryParams, false));
    if (!headers.isEmpty())
        json.insert(u"headers"_s, rowsToJson(headers, true));
    if (!body.isEmpty()) {
        if (isUtf8(body)) {
            json.insert(u"body"_s, QString::fromUtf8(body));
        } else {
            json.insert(u"body"_s, QString::fromLatin1(body.toBase64()));
            json.insert(u"bodyBase64"_s, true);
        }
    }
    if (!formParts.isEmpty()) {
        QJsonArray parts;
        for (const auto &part : formParts) {
            QJsonObject entry{{u"name"_s, part.name}, {u"value"_s, part.value}};
            if (part.isFile)
                entry.insert(u"file"_s, true);
            if (!part.enabled)
                entry.insert(u"enabled"_s, false);
            parts.append(entry);
        }
        json.insert(u"multipart"_s, parts);
    }
    if (!contentType.isEmpty())
        json.insert(u"contentType"_s, contentType);
    if (!expandBodyVariables)
        json.insert(u"expandBodyVariables"_s, false);
    // Absent: the environment's scopes; an empty list: explicitly none.
    if (noScopes)
        json.insert(u"scopes"_s, QJsonArray());
    else if (!scopes.isEmpty())
        json.insert(u"scopes"_s, QJsonArray::fromStringList(scopes));
    if (scopeMatch != TokenScopes::Match::Exact)
        json.insert(u"scopeMatch"_s, TokenScopes::matchName(scopeMatch));
    if (!extraVariables.isEmpty()) {
        const QStringList credentialNames = authorizationVariableNames(*this);
        QJsonArray variables;
        for (const auto &[name, value] : extraVariables) {
            // Like the header rows: a variable that a credential header uses is the credential itself.
            QJsonObject entry{{u"name"_s, name}};
            if (!credentialNames.contains(name))
                entry.insert(u"value"_s, value);
            variables.append(entry);
        }
        json.insert(u"variables"_s, variables);
    }
    QJsonArray switches;
    for (const auto &entry : injectionSwitches) {
        const bool credential = isAuthorizationHeader(entry.headerName);
        // An override of Authorization is a credential: only "switched off" is kept.
        if (credential && !entry.disabled)
            continue;
        QJsonObject out{{u"header"_s, entry.headerName}};
        if (entry.disabled)
            out.insert(u"disabled"_s, true);
        if (entry.value && !credential)
            out.insert(u"value"_s, *entry.value);
        switches.append(out);
    }
    if (!switches.isEmpty())
        json.insert(u"injection"_s, switches);
    return json;
}

std::optional<RequestDraft> RequestDraft::fromJson(const QJsonObject &json, QString *error)
{
    RequestDraft draft;
    if (!readString(json, u"method"_s, &draft.method, error) || !readString(json, u"url"_s, &draft.url, error)
        || !readRows(json, u"query"_s, &draft.queryParams, error) || !readRows(json, u"headers"_s, &draft.headers, error)
        || !readString(json, u"contentType"_s, &draft.contentType, error)
        || !readBool(json, u"expandBodyVariables"_s, &draft.expandBodyVariables, error)) {
        return std::nullopt;
    }
    if (draft.method.trimmed().isEmpty())
        draft.method = u"GET"_s;

    QString bodyText;
    bool base64 = false;
    if (!readString(json, u"body"_s, &bodyText, error) || !readBool(json, u"bodyBase64"_s, &base64, error))
        return std::nullopt;
    if (base64) {
        const auto decoded = QByteArray::fromBase64Encoding(bodyText.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            *error = tr("\"body\" is marked base64 but is not valid base64");
            return std::nullopt;
        }
        draft.body = *decoded;
    } else {
        draft.body = bodyText.toUtf8();
    }

    QList<QJsonObject> parts;
    if (!readObjects(json, u"multipart"_s, &parts, error))
        return std::nullopt;
    for (const auto &entry : std::as_const(parts)) {
        FormPart part;
        if (!readString(entry, u"name"_s, &part.name, error) || !readString(entry, u"value"_s, &part.value, error)
            || !readBool(entry, u"file"_s, &part.isFile, error) || !readBool(entry, u"enabled"_s, &part.enabled, error)) {
            *error = tr("in \"multipart\": %1").arg(*error);
            return std::nullopt;
        }
        draft.formParts.append(part);
    }

    const QJsonValue scopesValue = json.value(u"scopes"_s);
    if (!scopesValue.isUndefined() && !scopesValue.isNull()) {
        if (!scopesValue.isArray()) {
            *error = tr("\"scopes\" is not a list");
            return std::nullopt;
        }
        for (const auto &scope : scopesValue.toArray()) {
            if (!scope.isString()) {
                *error = tr("an entry of \"scopes\" is not a string");
                return std::nullopt;
            }
            draft.scopes.append(scope.toString());
        }
        draft.noScopes = TokenScopes::normalized(draft.scopes).isEmpty();
        if (draft.noScopes)
            draft.scopes.clear();
    }
    // Files written before the choice existed have none: scopes they name are asked for exactly.
    QString match;
    if (!readString(json, u"scopeMatch"_s, &match, error))
        return std::nullopt;
    if (!match.isEmpty() && !TokenScopes::parseMatch(match, &draft.scopeMatch)) {
        *error = tr("\"scopeMatch\" is neither \"exact\" nor \"at-least\"");
        return std::nullopt;
    }

    // Never taken from a file either: the token is the environment's to inject.
    if (!readVariables(json, &draft.extraVariables, error) || !readSwitches(json, false, &draft.injectionSwitches, error))
        return std::nullopt;

    if (const QString problem = authorizationProblem(draft); !problem.isEmpty()) {
        *error = problem;
        return std::nullopt;
    }
    return draft;
}

QJsonObject RequestDraft::toHistoryJson() const
{
    // toJson() for everything it writes as it is, so a field added to the draft is kept here too;
    // then the three places where it leaves a credential out, written whole.
    QJsonObject json = toJson();
    json.remove(u"headers"_s);
    json.remove(u"variables"_s);
    json.remove(u"injection"_s);
    if (!headers.isEmpty())
        json.insert(u"headers"_s, rowsToJson(headers, false));
    if (!extraVariables.isEmpty()) {
        QJsonArray variables;
        for (const auto &[name, value] : extraVariables)
            variables.append(QJsonObject{{u"name"_s, name}, {u"value"_s, value}});
        json.insert(u"variables"_s, variables);
    }
    QJsonArray switches;
    for (const auto &entry : injectionSwitches) {
        QJsonObject out{{u"header"_s, entry.headerName}};
        if (entry.disabled)
            out.insert(u"disabled"_s, true);
        if (entry.value)
            out.insert(u"value"_s, *entry.value);
        switches.append(out);
    }
    if (!switches.isEmpty())
        json.insert(u"injection"_s, switches);
    return json;
}

std::optional<RequestDraft> RequestDraft::fromHistoryJson(const QJsonObject &json, QString *error)
{
    QJsonObject rest = json;
    rest.remove(u"headers"_s);
    rest.remove(u"variables"_s);
    rest.remove(u"injection"_s);
    std::optional<RequestDraft> draft = fromJson(rest, error);
    if (!draft)
        return std::nullopt;
    if (!readRows(json, u"headers"_s, &draft->headers, error) || !readVariables(json, &draft->extraVariables, error)
        || !readSwitches(json, true, &draft->injectionSwitches, error))
        return std::nullopt;
    return draft;
}
