#include "request/RequestDraft.h"

#include "request/CredentialHeaders.h"
#include "util/JsonFieldReader.h"
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
    return CredentialHeaders::contains(name.trimmed().toLatin1());
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

const QStringList draftKeys = {u"method"_s, u"url"_s, u"query"_s, u"headers"_s, u"body"_s, u"bodyBase64"_s,
                               u"multipart"_s, u"contentType"_s, u"expandBodyVariables"_s, u"scopes"_s,
                               u"scopeMatch"_s, u"variables"_s, u"injection"_s};
const QStringList rowKeys = {u"name"_s, u"value"_s, u"enabled"_s};
const QStringList partKeys = {u"name"_s, u"value"_s, u"file"_s, u"enabled"_s};
const QStringList variableKeys = {u"name"_s, u"value"_s};
const QStringList switchKeys = {u"header"_s, u"disabled"_s, u"value"_s};

void keepUnknown(UnknownFields *unknown, UnknownFields::Rows *rows, const QString &name, const JsonFieldReader &reader, const QStringList &known)
{
    const QString scope = rows->next(name);
    if (unknown)
        unknown->set(scope, reader.unknownMembers(known));
}

void writeUnknown(const UnknownFields *unknown, UnknownFields::Rows *rows, const QString &name, QJsonObject *json)
{
    const QString scope = rows->next(name);
    if (unknown)
        unknown->writeInto(scope, json);
}

QJsonArray rowsToJson(const QList<RequestDraft::Row> &rows, bool dropCredentials, const QString &list = {},
                      const UnknownFields *unknown = nullptr)
{
    QJsonArray out;
    UnknownFields::Rows names(list);
    for (const auto &row : rows) {
        QJsonObject entry{{u"name"_s, row.name}};
        // Defence in depth: the value of a credential row is left out rather than written.
        if (!dropCredentials || !isAuthorizationHeader(row.name) || RequestDraft::isCredentialTemplate(row.value))
            entry.insert(u"value"_s, row.value);
        if (!row.enabled)
            entry.insert(u"enabled"_s, false);
        writeUnknown(unknown, &names, row.name, &entry);
        out.append(entry);
    }
    return out;
}

bool readRows(JsonFieldReader &reader, const QString &key, QList<RequestDraft::Row> *out, UnknownFields *unknown)
{
    UnknownFields::Rows names(key);
    return reader.objectList(key, [&](JsonFieldReader &entry) {
        RequestDraft::Row row;
        if (!entry.string(u"name"_s, &row.name) || !entry.string(u"value"_s, &row.value) || !entry.boolean(u"enabled"_s, &row.enabled))
            return false;
        keepUnknown(unknown, &names, row.name, entry, rowKeys);
        out->append(row);
        return true;
    });
}

bool readVariables(JsonFieldReader &reader, QList<QPair<QString, QString>> *out, UnknownFields *unknown)
{
    UnknownFields::Rows names(u"variables"_s);
    return reader.objectList(u"variables"_s, [&](JsonFieldReader &entry) {
        QPair<QString, QString> variable;
        if (!entry.string(u"name"_s, &variable.first) || !entry.string(u"value"_s, &variable.second))
            return false;
        keepUnknown(unknown, &names, variable.first, entry, variableKeys);
        out->append(variable);
        return true;
    });
}

// credentialValues: whether an override of Authorization is read (the history's form) or
// ignored (a workspace file's).
bool readSwitches(JsonFieldReader &reader, bool credentialValues, QList<RequestDraft::InjectionSwitch> *out, UnknownFields *unknown)
{
    UnknownFields::Rows names(u"injection"_s);
    return reader.objectList(u"injection"_s, [&](JsonFieldReader &entry) {
        RequestDraft::InjectionSwitch injection;
        QString value;
        if (!entry.string(u"header"_s, &injection.headerName) || !entry.boolean(u"disabled"_s, &injection.disabled)
            || !entry.string(u"value"_s, &value)) {
            return false;
        }
        if (injection.headerName.trimmed().isEmpty())
            return entry.fail(u"header"_s, tr("names no header"));
        if (!credentialValues && isAuthorizationHeader(injection.headerName)) {
            // toJson() never writes one: a value here was put there by hand, and is a credential.
            if (entry.has(u"value"_s))
                return entry.fail(u"value"_s, tr("an override of %1 is never read from a workspace file; "
                                                 "put the credential in the environment").arg(injection.headerName.trimmed()));
            if (!injection.disabled)
                return true; // an override without its value switches nothing
        }
        if (entry.has(u"value"_s))
            injection.value = value;
        keepUnknown(unknown, &names, injection.headerName, entry, switchKeys);
        out->append(injection);
        return true;
    });
}

// The workspace's form (history false: credential overrides ignored, a literal credential
// refused) or the history's (everything as it was recorded).
std::optional<RequestDraft> readDraft(JsonFieldReader &reader, bool history, QString *error, UnknownFields *unknown)
{
    RequestDraft draft;
    QString bodyText;
    bool base64 = false;
    QString match;
    const bool read = reader.string(u"method"_s, &draft.method) && reader.string(u"url"_s, &draft.url)
        && readRows(reader, u"query"_s, &draft.queryParams, unknown) && readRows(reader, u"headers"_s, &draft.headers, unknown)
        && reader.string(u"contentType"_s, &draft.contentType) && reader.boolean(u"expandBodyVariables"_s, &draft.expandBodyVariables)
        && reader.string(u"body"_s, &bodyText) && reader.boolean(u"bodyBase64"_s, &base64)
        && reader.stringList(u"scopes"_s, &draft.scopes) && reader.string(u"scopeMatch"_s, &match)
        && readVariables(reader, &draft.extraVariables, unknown) && readSwitches(reader, history, &draft.injectionSwitches, unknown);
    UnknownFields::Rows partNames(u"multipart"_s);
    if (!read || !reader.objectList(u"multipart"_s, [&](JsonFieldReader &entry) {
            RequestDraft::FormPart part;
            if (!entry.string(u"name"_s, &part.name) || !entry.string(u"value"_s, &part.value)
                || !entry.boolean(u"file"_s, &part.isFile) || !entry.boolean(u"enabled"_s, &part.enabled))
                return false;
            keepUnknown(unknown, &partNames, part.name, entry, partKeys);
            draft.formParts.append(part);
            return true;
        })) {
        *error = reader.error();
        return std::nullopt;
    }
    if (draft.method.trimmed().isEmpty())
        draft.method = u"GET"_s;
    if (base64) {
        const auto decoded = QByteArray::fromBase64Encoding(bodyText.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            reader.fail(u"body"_s, tr("is marked base64 but is not valid base64"));
            *error = reader.error();
            return std::nullopt;
        }
        draft.body = *decoded;
    } else {
        draft.body = bodyText.toUtf8();
    }
    if (reader.has(u"scopes"_s)) {
        draft.noScopes = RequestDraft::normalizedScopes(draft.scopes).isEmpty();
        if (draft.noScopes)
            draft.scopes.clear();
    }
    // Files written before the choice existed have none: scopes they name are asked for exactly.
    if (!match.isEmpty() && !ScopeMatchName::parse(match, &draft.scopeMatch)) {
        reader.fail(u"scopeMatch"_s, tr("neither \"exact\" nor \"at-least\""));
        *error = reader.error();
        return std::nullopt;
    }
    if (unknown)
        unknown->set(QString(), reader.unknownMembers(draftKeys));
    if (!history) {
        if (const QString problem = authorizationProblem(draft); !problem.isEmpty()) {
            *error = reader.path().isEmpty() ? problem : u"%1: %2"_s.arg(reader.path(), problem);
            return std::nullopt;
        }
    }
    return draft;
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

QStringList RequestDraft::normalizedScopes(const QStringList &scopes)
{
    QStringList out;
    for (const QString &entry : scopes)
        out.append(entry.split(u' ', Qt::SkipEmptyParts));
    out.removeDuplicates();
    return out;
}

QString RequestDraft::formatProblem() const
{
    return authorizationProblem(*this);
}

QJsonObject RequestDraft::toJson(const UnknownFields *unknown) const
{
    QJsonObject json{{u"method"_s, method}, {u"url"_s, url}};
    if (!queryParams.isEmpty())
        json.insert(u"query"_s, rowsToJson(queryParams, false, u"query"_s, unknown));
    if (!headers.isEmpty())
        json.insert(u"headers"_s, rowsToJson(headers, true, u"headers"_s, unknown));
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
        UnknownFields::Rows names(u"multipart"_s);
        for (const auto &part : formParts) {
            QJsonObject entry{{u"name"_s, part.name}, {u"value"_s, part.value}};
            if (part.isFile)
                entry.insert(u"file"_s, true);
            if (!part.enabled)
                entry.insert(u"enabled"_s, false);
            writeUnknown(unknown, &names, part.name, &entry);
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
    if (scopeMatch != ScopeMatch::Exact)
        json.insert(u"scopeMatch"_s, ScopeMatchName::of(scopeMatch));
    if (!extraVariables.isEmpty()) {
        const QStringList credentialNames = authorizationVariableNames(*this);
        QJsonArray variables;
        UnknownFields::Rows names(u"variables"_s);
        for (const auto &[name, value] : extraVariables) {
            // Like the header rows: a variable that a credential header uses is the credential itself.
            QJsonObject entry{{u"name"_s, name}};
            if (!credentialNames.contains(name))
                entry.insert(u"value"_s, value);
            writeUnknown(unknown, &names, name, &entry);
            variables.append(entry);
        }
        json.insert(u"variables"_s, variables);
    }
    QJsonArray switches;
    UnknownFields::Rows switchNames(u"injection"_s);
    for (const auto &entry : injectionSwitches) {
        const bool credential = isAuthorizationHeader(entry.headerName);
        const QString scope = switchNames.next(entry.headerName);
        // An override of Authorization is a credential: only "switched off" is kept.
        if (credential && !entry.disabled)
            continue;
        QJsonObject out{{u"header"_s, entry.headerName}};
        if (entry.disabled)
            out.insert(u"disabled"_s, true);
        if (entry.value && !credential)
            out.insert(u"value"_s, *entry.value);
        if (unknown)
            unknown->writeInto(scope, &out);
        switches.append(out);
    }
    if (!switches.isEmpty())
        json.insert(u"injection"_s, switches);
    if (unknown)
        unknown->writeInto(QString(), &json);
    return json;
}

std::optional<RequestDraft> RequestDraft::fromJson(const QJsonObject &json, QString *error, UnknownFields *unknown, const QString &path)
{
    JsonFieldReader reader(json, path);
    return readDraft(reader, false, error, unknown);
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
    JsonFieldReader reader(json);
    return readDraft(reader, true, error, nullptr);
}
