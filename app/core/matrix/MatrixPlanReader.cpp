#include "matrix/MatrixPlanReader.h"

#include "contract/OpenApiImport.h"
#include "contract/YamlToJson.h"
#include "util/JsonFieldReader.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceFile.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {

PlanRequest fromSaved(const SavedRequest &saved)
{
    PlanRequest request;
    request.id = !saved.id.isEmpty() ? saved.id : saved.origin.key;
    request.name = saved.name;
    request.folder = saved.folder;
    request.draft = saved.draft;
    request.requiredScopes = saved.requiredScopes;
    request.successStatus = saved.successStatus;
    return request;
}

// The scheme of a plan file's requirements: a token is needed, even when no scope is named (an
// empty scheme would mean anyone may call the request, as OpenAPI's {} does).
QString planScheme()
{
    return u"oauth2"_s;
}

bool hasScopes(const QList<ScopeRequirement> &requirements)
{
    return std::any_of(requirements.begin(), requirements.end(),
                       [](const ScopeRequirement &r) { return !r.scopes.isEmpty(); });
}

// The line and column of a byte offset, for a JSON syntax error.
QString position(const QByteArray &text, int offset)
{
    const QByteArray before = text.left(offset);
    const int line = before.count('\n') + 1;
    const int column = offset - (before.lastIndexOf('\n') + 1) + 1;
    return u"line %1, column %2"_s.arg(line).arg(column);
}

bool looksLikeJson(const QByteArray &text, const QString &fileName)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == u"json")
        return true;
    if (suffix == u"yaml" || suffix == u"yml")
        return false;
    const QByteArray trimmed = text.trimmed();
    return trimmed.startsWith('{');
}

// A scope list as a plan writes it: ["a", "b"] or "a b"; [] for a token with no particular scope.
bool scopeList(JsonFieldReader &reader, const QJsonValue &value, const QString &key, QStringList *out)
{
    if (value.isString()) {
        *out = RequestDraft::normalizedScopes({value.toString()});
    } else if (value.isArray()) {
        QStringList scopes;
        const QJsonArray array = value.toArray();
        for (int i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString()) {
                return reader.fail(u"%1[%2]"_s.arg(key).arg(i),
                                   u"expected a scope (a string), found %1"_s.arg(JsonFieldReader::typeName(array.at(i))));
            }
            scopes.append(array.at(i).toString());
        }
        *out = RequestDraft::normalizedScopes(scopes);
    } else {
        return reader.fail(key, u"expected a list of scopes or a string, found %1"_s.arg(JsonFieldReader::typeName(value)));
    }
    return true;
}

// {"name": "value", …}: every value a string.
bool stringMap(JsonFieldReader &reader, const QString &key, QList<QPair<QString, QString>> *out)
{
    if (!reader.has(key))
        return reader.ok();
    const QJsonValue value = reader.object().value(key);
    if (!value.isObject())
        return reader.fail(key, u"expected an object of names and values, found %1"_s.arg(JsonFieldReader::typeName(value)));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        QString text;
        if (it.value().isString()) {
            text = it.value().toString();
        } else if (it.value().isDouble() || it.value().isBool()) {
            // YAML reads an unquoted 42 or true as a number or a boolean; a variable is text.
            text = it.value().toVariant().toString();
        } else {
            return reader.fail(u"%1.%2"_s.arg(key, it.key()),
                               u"expected a string, found %1"_s.arg(JsonFieldReader::typeName(it.value())));
        }
        if (it.key().trimmed().isEmpty())
            return reader.fail(key, u"a name is empty"_s);
        out->append({it.key(), text});
    }
    return true;
}

bool status(JsonFieldReader &reader, const QString &key, int *out)
{
    if (!reader.has(key))
        return reader.ok();
    qint64 value = 0;
    if (!reader.integer(key, &value, 100, 599))
        return false;
    *out = static_cast<int>(value);
    return true;
}

class PlanFileReader
{
public:
    PlanFileReader(const Workspace *workspace)
        : m_workspace(workspace)
    {
    }

    std::optional<MatrixPlan> read(const QJsonObject &root, QString *error)
    {
        JsonFieldReader reader(root);
        MatrixPlan plan;
        static const QStringList known = {u"$schema"_s, u"title"_s, u"description"_s, u"variables"_s, u"requests"_s};
        if (!unknownMembers(reader, known)) {
            *error = reader.error();
            return std::nullopt;
        }
        reader.string(u"title"_s, &plan.title);
        stringMap(reader, u"variables"_s, &plan.variables);
        reader.required(u"requests"_s);
        reader.objectList(u"requests"_s, [&](JsonFieldReader &entry) {
            auto request = readRequest(entry);
            if (!request)
                return false;
            plan.requests.append(*request);
            return true;
        });
        if (reader.ok() && m_ids.isEmpty())
            reader.fail(u"requests"_s, u"lists no request"_s);
        if (!reader.ok()) {
            *error = reader.error();
            return std::nullopt;
        }
        return plan;
    }

private:
    static bool unknownMembers(JsonFieldReader &reader, const QStringList &known)
    {
        const QJsonObject unknown = reader.unknownMembers(known);
        if (unknown.isEmpty())
            return true;
        return reader.fail(unknown.begin().key(), u"unknown member (known: %1)"_s.arg(known.join(u", "_s)));
    }

    std::optional<PlanRequest> readRequest(JsonFieldReader &entry)
    {
        static const QStringList known = {u"id"_s,       u"name"_s,   u"folder"_s,  u"description"_s, u"savedRequest"_s,
                                          u"method"_s,   u"url"_s,    u"headers"_s, u"body"_s,        u"scopes"_s,
                                          u"anyOf"_s,    u"success"_s, u"denial"_s, u"unauthenticated"_s};
        if (!unknownMembers(entry, known))
            return std::nullopt;
        PlanRequest request;
        QString savedName;
        entry.string(u"savedRequest"_s, &savedName);
        entry.string(u"id"_s, &request.id);
        entry.string(u"name"_s, &request.name);
        entry.string(u"folder"_s, &request.folder);
        if (!entry.ok())
            return std::nullopt;

        if (!savedName.isEmpty()) {
            if (!m_workspace) {
                entry.fail(u"savedRequest"_s, u"names saved request \"%1\", but no workspace was given"_s.arg(savedName));
                return std::nullopt;
            }
            const SavedRequest *saved = m_workspace->findRequest(savedName);
            if (!saved) {
                entry.fail(u"savedRequest"_s, u"the workspace has no saved request \"%1\""_s.arg(savedName));
                return std::nullopt;
            }
            for (const QString &member : {u"method"_s, u"url"_s, u"headers"_s, u"body"_s}) {
                if (entry.object().contains(member)) {
                    entry.fail(member, u"not allowed with savedRequest: the saved request's is sent"_s);
                    return std::nullopt;
                }
            }
            const PlanRequest base = fromSaved(*saved);
            if (request.id.isEmpty())
                request.id = base.id;
            if (request.name.isEmpty())
                request.name = base.name;
            if (request.folder.isEmpty())
                request.folder = base.folder;
            request.draft = base.draft;
            request.requiredScopes = base.requiredScopes;
            request.successStatus = base.successStatus;
        } else {
            if (!entry.required(u"name"_s) || !readDraft(entry, &request.draft))
                return std::nullopt;
        }
        if (request.name.trimmed().isEmpty()) {
            entry.fail(u"name"_s, u"must not be empty"_s);
            return std::nullopt;
        }
        if (request.id.isEmpty())
            request.id = request.name;
        // A cell's id is the request's id, a line break and its column: an id is one line.
        if (request.id.contains(u'\n') || request.id.contains(u'\r')) {
            entry.fail(entry.has(u"id"_s) ? u"id"_s : u"name"_s, u"must be one line"_s);
            return std::nullopt;
        }
        if (!readScopes(entry, &request, savedName) || !status(entry, u"success"_s, &request.successStatus)
            || !status(entry, u"denial"_s, &request.denialStatus)
            || !status(entry, u"unauthenticated"_s, &request.unauthenticatedStatus)) {
            return std::nullopt;
        }
        if (m_names.contains(request.name.toLower())) {
            entry.fail(u"name"_s, u"\"%1\" names another request too; names are unique in a plan"_s.arg(request.name));
            return std::nullopt;
        }
        if (m_ids.contains(request.id)) {
            entry.fail(u"id"_s, u"\"%1\" is the id of another request too; ids are unique in a plan"_s.arg(request.id));
            return std::nullopt;
        }
        m_names.insert(request.name.toLower());
        m_ids.insert(request.id);
        return request;
    }

    static bool readDraft(JsonFieldReader &entry, RequestDraft *draft)
    {
        static const QRegularExpression token(u"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"_s);
        QString method = u"GET"_s;
        if (!entry.string(u"method"_s, &method))
            return false;
        method = method.trimmed().toUpper();
        if (!token.match(method).hasMatch())
            return entry.fail(u"method"_s, u"\"%1\" is not an HTTP method"_s.arg(method));
        draft->method = method;
        if (!entry.required(u"url"_s) || !entry.string(u"url"_s, &draft->url))
            return false;
        if (draft->url.trimmed().isEmpty())
            return entry.fail(u"url"_s, u"must not be empty"_s);
        QList<QPair<QString, QString>> headers;
        if (!stringMap(entry, u"headers"_s, &headers))
            return false;
        for (const auto &header : std::as_const(headers))
            draft->headers.append({header.first, header.second, true});
        const QJsonValue body = entry.object().value(u"body"_s);
        if (body.isString()) {
            draft->body = body.toString().toUtf8();
        } else if (body.isObject() || body.isArray()) {
            // A JSON body written as YAML or JSON in the plan: sent as compact JSON.
            draft->body = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                          : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
            const bool typed = std::any_of(draft->headers.begin(), draft->headers.end(), [](const RequestDraft::Row &row) {
                return row.name.compare(u"Content-Type"_s, Qt::CaseInsensitive) == 0;
            });
            if (!typed)
                draft->contentType = u"application/json"_s;
        } else if (!body.isUndefined() && !body.isNull()) {
            return entry.fail(u"body"_s, u"expected a string, an object or a list, found %1"_s.arg(JsonFieldReader::typeName(body)));
        }
        const QString problem = draft->formatProblem();
        if (!problem.isEmpty())
            return entry.failHere(problem);
        return true;
    }

    static bool readScopes(JsonFieldReader &entry, PlanRequest *request, const QString &savedName)
    {
        const bool givesScopes = entry.has(u"scopes"_s);
        const bool givesAnyOf = entry.has(u"anyOf"_s);
        if (givesScopes && givesAnyOf)
            return entry.fail(u"anyOf"_s, u"give either scopes (one requirement) or anyOf (alternatives), not both"_s);
        if (givesScopes) {
            QStringList scopes;
            if (!scopeList(entry, entry.object().value(u"scopes"_s), u"scopes"_s, &scopes))
                return false;
            if (scopes.size() > MatrixPlanReader::MaxScopesPerRequest) {
                return entry.fail(u"scopes"_s, u"names %L1 scopes; a request may name at most %L2"_s.arg(scopes.size()).arg(
                                                       MatrixPlanReader::MaxScopesPerRequest));
            }
            request->requiredScopes = {{planScheme(), scopes}};
        } else if (givesAnyOf) {
            const QJsonValue value = entry.object().value(u"anyOf"_s);
            if (!value.isArray())
                return entry.fail(u"anyOf"_s, u"expected a list of scope lists, found %1"_s.arg(JsonFieldReader::typeName(value)));
            const QJsonArray alternatives = value.toArray();
            if (alternatives.isEmpty())
                return entry.fail(u"anyOf"_s, u"names no alternative"_s);
            QList<ScopeRequirement> requirements;
            for (int i = 0; i < alternatives.size(); ++i) {
                QStringList scopes;
                if (!scopeList(entry, alternatives.at(i), u"anyOf[%1]"_s.arg(i), &scopes))
                    return false;
                const ScopeRequirement requirement{planScheme(), scopes};
                if (!requirements.contains(requirement))
                    requirements.append(requirement);
            }
            request->requiredScopes = requirements;
            qsizetype count = 0;
            for (const ScopeRequirement &requirement : std::as_const(requirements))
                count += requirement.scopes.size();
            if (count > MatrixPlanReader::MaxScopesPerRequest) {
                return entry.fail(u"anyOf"_s, u"names %L1 scopes; a request may name at most %L2"_s.arg(count).arg(
                                                      MatrixPlanReader::MaxScopesPerRequest));
            }
        } else if (request->requiredScopes.isEmpty()) {
            const QString what = savedName.isEmpty() ? u"names no scopes"_s
                                                     : u"saved request \"%1\" documents no scopes"_s.arg(savedName);
            return entry.failHere(what + u": give \"scopes\" (all needed) or \"anyOf\" (alternatives)"_s);
        }
        return true;
    }

    const Workspace *m_workspace;
    QSet<QString> m_names;
    QSet<QString> m_ids;
};

} // namespace

MatrixPlan MatrixPlanReader::fromWorkspace(const Workspace &workspace)
{
    MatrixPlan plan;
    plan.title = u"Saved requests"_s;
    plan.source = u"workspace"_s;
    for (const SavedRequest &saved : workspace.savedRequests()) {
        if (!hasScopes(saved.requiredScopes)) {
            plan.notes.append(u"%1: no scopes documented; not verified"_s.arg(saved.name));
            continue;
        }
        plan.requests.append(fromSaved(saved));
    }
    return plan;
}

std::optional<MatrixPlan> MatrixPlanReader::fromOpenApi(const QByteArray &text, const QString &fileName, QString *error)
{
    QString problem;
    const auto imported = OpenApiImport::fromText(text, &problem);
    if (!imported) {
        if (error)
            *error = fileName.isEmpty() ? problem : u"%1: %2"_s.arg(fileName, problem);
        return std::nullopt;
    }
    MatrixPlan plan;
    plan.title = imported->title;
    plan.source = u"openapi %1"_s.arg(fileName);
    for (const SavedRequest &saved : imported->requests) {
        if (!hasScopes(saved.requiredScopes)) {
            plan.notes.append(u"%1: no scopes documented; not verified"_s.arg(saved.name));
            continue;
        }
        PlanRequest request = fromSaved(saved);
        // An import makes new ids each time; the operation's key is what stays.
        if (!saved.origin.key.isEmpty())
            request.id = saved.origin.key;
        plan.requests.append(request);
    }
    plan.notes.append(imported->skipped);
    plan.notes.append(imported->notes);
    return plan;
}

std::optional<MatrixPlan> MatrixPlanReader::fromFile(const QByteArray &text, const QString &fileName, QString *error,
                                                     const Workspace *workspace)
{
    const auto fail = [&](const QString &what) {
        if (error)
            *error = fileName.isEmpty() ? what : u"%1: %2"_s.arg(fileName, what);
        return std::nullopt;
    };
    if (text.size() > MaxBytes) {
        return fail(u"the plan is %1, past the limit of %2"_s.arg(WorkspaceFile::describeSize(text.size()),
                                                                WorkspaceFile::describeSize(MaxBytes)));
    }
    QJsonValue root;
    if (looksLikeJson(text, fileName)) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return fail(u"not valid JSON at %1: %2"_s.arg(position(text, parseError.offset), parseError.errorString()));
        root = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    } else {
        QString problem;
        YamlToJson::Limits limits;
        limits.maxBytes = MaxBytes;
        const auto converted = YamlToJson::convert(text, &problem, limits);
        if (!converted)
            return fail(u"not valid YAML: %1"_s.arg(problem));
        root = *converted;
    }
    if (!root.isObject())
        return fail(u"a plan is an object with \"requests\", found %1"_s.arg(JsonFieldReader::typeName(root)));
    const QString invalid = JsonFieldReader::invalidTextPath(root);
    if (!invalid.isEmpty())
        return fail(u"%1: not valid Unicode text"_s.arg(invalid));
    QString problem;
    auto plan = PlanFileReader(workspace).read(root.toObject(), &problem);
    if (!plan)
        return fail(problem);
    plan->source = u"plan %1"_s.arg(fileName);
    if (plan->title.isEmpty())
        plan->title = QFileInfo(fileName).completeBaseName();
    return plan;
}

std::optional<MatrixPlan> MatrixPlanReader::readFile(const QString &path, QString *error, const Workspace *workspace)
{
    const WorkspaceFile::Result file = WorkspaceFile::read(path, MaxBytes);
    if (!file.ok()) {
        if (error) {
            *error = file.status == WorkspaceFile::Status::TooLarge
                    ? u"%1: the plan is %2, past the limit of %3"_s.arg(path, WorkspaceFile::describeSize(file.size),
                                                                       WorkspaceFile::describeSize(MaxBytes))
                    : u"%1: %2"_s.arg(path, file.problem);
        }
        return std::nullopt;
    }
    return fromFile(file.bytes, path, error, workspace);
}
