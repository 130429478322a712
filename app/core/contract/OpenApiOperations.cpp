#include "contract/OpenApiOperations.h"

#include "contract/BodySkeleton.h"
#include "contract/OpenApiDocument.h"
#include "contract/OpenApiSecurity.h"
#include "secrets/CredentialScan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
const QStringList &methods()
{
    static const QStringList list{u"get"_s, u"put"_s, u"post"_s, u"delete"_s, u"options"_s, u"head"_s, u"patch"_s, u"trace"_s};
    return list;
}

// A {{variable}} name TemplateExpander accepts, made from a parameter's name ("page[size]" → page_size_).
QString variableName(const QString &parameter)
{
    static const QRegularExpression invalid(u"[^A-Za-z0-9_.\\-]"_s);
    QString name = parameter;
    name.replace(invalid, u"_"_s);
    if (name.isEmpty() || !(name.front().isLetter() || name.front() == u'_'))
        name.prepend(u'_');
    return name;
}

QString scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble() || value.isBool())
        return value.toVariant().toString();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    return {};
}

bool isJsonMedia(const QString &mediaType)
{
    const QString type = mediaType.section(u';', 0, 0).trimmed().toLower();
    return type == u"application/json"_s || type.endsWith(u"+json"_s) || type == u"*/*"_s;
}

QString firstSuccess(const QJsonObject &responses, int *status)
{
    for (auto it = responses.begin(); it != responses.end(); ++it) {
        bool ok = false;
        const int code = it.key().toInt(&ok);
        if (ok && code >= 200 && code < 300) {
            *status = code;
            return it.key();
        }
    }
    return {};
}
} // namespace

void OpenApiOperations::note(const QString &text)
{
    if (m_pendingNotes.size() >= MaxNotes) {
        ++m_notesDropped;
        return;
    }
    m_pendingNotes.append(text);
}

void OpenApiOperations::addTo(ImportPlan *plan)
{
    const QJsonObject paths = m_document.object(m_document.root().value(u"paths"_s));
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QJsonObject item = m_document.object(it.value());
        const QJsonArray pathParameters = item.value(u"parameters"_s).toArray();
        for (const QString &method : methods()) {
            const QJsonValue operation = item.value(method);
            if (operation.isObject())
                addOperation(it.key(), method, m_document.object(operation), pathParameters, plan);
        }
    }
    plan->notes.append(m_pendingNotes);
    if (m_notesDropped > 0)
        plan->notes.append(u"… and %L1 more notes of the same kinds"_s.arg(m_notesDropped));
}

QList<ScopeRequirement> OpenApiOperations::requirements(const QJsonValue &security, const QString &operationName)
{
    QList<ScopeRequirement> alternatives;
    for (const QJsonValue &entry : security.toArray()) {
        const QJsonObject requirement = entry.toObject();
        ScopeRequirement alternative;
        bool haveOAuth = false;
        for (auto it = requirement.begin(); it != requirement.end(); ++it) {
            const QString scheme = it.key();
            if (!m_security.isDefined(scheme) && !m_unknownSchemes.contains(scheme)) {
                m_unknownSchemes.insert(scheme);
                m_pendingNotes.append(u"operations require security scheme %1, which the document does not define; their "
                                      u"scopes are kept as written"_s.arg(scheme.left(100)));
            }
            QStringList scopes;
            for (const QJsonValue &scope : it.value().toArray())
                scopes.append(scope.toString());
            const bool oauth = m_security.isOAuth2(scheme) || (!m_security.isDefined(scheme) && !scopes.isEmpty());
            if (oauth && m_security.isOAuth2(scheme)) {
                const QSet<QString> declared = m_security.declaredScopes(scheme);
                for (const QString &scope : std::as_const(scopes)) {
                    if (!declared.contains(scope))
                        note(u"operation %1 requires scope %2, which security scheme %3 does not declare"_s.arg(
                                          operationName, scope.left(100), scheme));
                }
            }
            if (oauth && !haveOAuth) {
                alternative = {scheme, RequestDraft::normalizedScopes(scopes)};
                haveOAuth = true;
            } else if (oauth) {
                // Two OAuth 2 schemes in one requirement: all of their scopes are needed.
                alternative.scopes = RequestDraft::normalizedScopes(alternative.scopes + scopes);
            } else if (!haveOAuth && alternative.scheme.isEmpty()) {
                alternative.scheme = scheme; // an API key or HTTP scheme: no scope needed
            }
        }
        if (!alternatives.contains(alternative))
            alternatives.append(alternative);
    }
    return alternatives;
}

QByteArray OpenApiOperations::bodyText(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented);
    if (value.isString())
        return value.toString().toUtf8();
    if (!value.isUndefined() && !value.isNull())
        return value.toVariant().toString().toUtf8();
    return {};
}

QByteArray OpenApiOperations::skeletonText(const QJsonValue &schema)
{
    // The skeleton of a referenced schema depends on nothing else, and the operations of an API
    // share a few body schemas: each is built and written once, and its requests share the text.
    const QString ref = OpenApiDocument::refOf(schema);
    if (!ref.isEmpty()) {
        if (const auto known = m_skeletons.constFind(ref); known != m_skeletons.constEnd())
            return known.value();
    }
    const QByteArray text = bodyText(BodySkeleton(m_document).fromSchema(schema));
    if (!ref.isEmpty())
        m_skeletons.insert(ref, text);
    return text;
}

bool OpenApiOperations::setBody(const QJsonObject &operation, const QJsonArray &parameters, RequestDraft *draft,
                                const QString &operationName)
{
    const auto setJson = [draft](const QJsonValue &value) {
        draft->contentType = u"application/json"_s;
        draft->body = bodyText(value);
    };
    const auto setSkeleton = [this, draft](const QJsonValue &schema) {
        draft->contentType = u"application/json"_s;
        draft->body = skeletonText(schema);
    };

    if (m_document.kind() == OpenApiDocument::Kind::Swagger2) {
        QStringList formFields;
        for (const QJsonValue &value : parameters) {
            const QJsonObject parameter = m_document.object(value);
            const QString in = parameter.value(u"in"_s).toString();
            if (in == u"body"_s) {
                const QJsonValue example = parameter.value(u"x-example"_s);
                if (example.isUndefined())
                    setSkeleton(parameter.value(u"schema"_s));
                else
                    setJson(example);
                return true;
            }
            if (in == u"formData"_s) {
                if (parameter.value(u"type"_s).toString() == u"file"_s)
                    draft->formParts.append({parameter.value(u"name"_s).toString(), {}, true, false});
                else
                    formFields.append(parameter.value(u"name"_s).toString());
            }
        }
        if (!draft->formParts.isEmpty()) {
            for (const QString &field : std::as_const(formFields))
                draft->formParts.append({field, u"{{%1}}"_s.arg(variableName(field)), false, true});
            return true;
        }
        if (!formFields.isEmpty()) {
            QStringList pairs;
            for (const QString &field : std::as_const(formFields))
                pairs.append(u"%1={{%2}}"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(field)), variableName(field)));
            draft->contentType = u"application/x-www-form-urlencoded"_s;
            draft->body = pairs.join(u'&').toUtf8();
        }
        return true;
    }

    const QJsonObject requestBody = m_document.object(operation.value(u"requestBody"_s));
    const QJsonObject content = m_document.object(requestBody.value(u"content"_s));
    if (content.isEmpty())
        return true;
    QString chosen;
    for (auto it = content.begin(); it != content.end(); ++it) {
        if (isJsonMedia(it.key())) {
            chosen = it.key();
            break;
        }
    }
    if (chosen.isEmpty())
        chosen = content.begin().key();
    const QJsonObject media = m_document.object(content.value(chosen));
    const QString type = chosen.section(u';', 0, 0).trimmed().toLower();
    if (isJsonMedia(chosen)) {
        QJsonValue body = media.value(u"example"_s);
        if (body.isUndefined()) {
            const QJsonObject examples = m_document.object(media.value(u"examples"_s));
            if (!examples.isEmpty())
                body = m_document.object(examples.begin().value()).value(u"value"_s);
        }
        if (body.isUndefined())
            setSkeleton(media.value(u"schema"_s));
        else
            setJson(body);
        if (type != u"application/json"_s && type != u"*/*"_s)
            draft->contentType = type;
        return true;
    }
    const QJsonObject properties = m_document.object(m_document.object(media.value(u"schema"_s)).value(u"properties"_s));
    if (type == u"application/x-www-form-urlencoded"_s) {
        QStringList pairs;
        for (auto it = properties.begin(); it != properties.end(); ++it)
            pairs.append(u"%1={{%2}}"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(it.key())), variableName(it.key())));
        draft->contentType = type;
        draft->body = pairs.join(u'&').toUtf8();
    } else if (type == u"multipart/form-data"_s) {
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            const QJsonObject property = m_document.object(it.value());
            const bool isFile = property.value(u"format"_s).toString() == u"binary"_s;
            draft->formParts.append({it.key(), isFile ? QString() : u"{{%1}}"_s.arg(variableName(it.key())), isFile, !isFile});
        }
    } else {
        draft->contentType = type;
        note(u"operation %1: its %2 body is left for you to write"_s.arg(operationName, type.left(80)));
    }
    return true;
}

void OpenApiOperations::addOperation(const QString &path, const QString &method, const QJsonObject &operation,
                                     const QJsonArray &pathParameters, ImportPlan *plan)
{
    const QString upperMethod = method.toUpper();
    QString urlPath = path;
    // "/oauth2/token#refresh": a second operation on one path, told apart by a fragment no request carries.
    if (const qsizetype hash = urlPath.indexOf(u'#'); hash >= 0)
        urlPath.truncate(hash);
    const QString methodAndPath = u"%1 %2"_s.arg(upperMethod, path);
    QString operationId = operation.value(u"operationId"_s).toString().trimmed();
    QString key = operationId.isEmpty() ? methodAndPath : operationId;
    if (m_keys.contains(key)) {
        note(u"operationId %1 is used twice; %2 is imported under its method and path"_s.arg(operationId, methodAndPath));
        key = methodAndPath;
    }
    if (m_keys.contains(key))
        return;
    m_keys.insert(key);
    const QString name = operationId.isEmpty() ? methodAndPath : operationId;
    if (upperMethod == u"TRACE"_s) {
        plan->skipped.append(u"operation %1: TRACE is never sent (it echoes the request's credentials back)"_s.arg(name));
        return;
    }

    SavedRequest request;
    request.name = name;
    request.origin = {plan->document, key, plan->version};
    const QJsonArray tags = operation.value(u"tags"_s).toArray();
    request.folder = tags.isEmpty() ? QString() : tags.first().toString();
    request.summary = operation.value(u"summary"_s).toString().trimmed();
    if (request.summary.isEmpty())
        request.summary = operation.value(u"description"_s).toString().trimmed().section(u'\n', 0, 0).left(300);
    request.draft.method = upperMethod;

    // The operation's parameters override the path item's of the same name and place.
    QList<QJsonObject> parameters;
    QJsonArray allParameters;
    const auto addParameters = [&](const QJsonArray &list) {
        for (const QJsonValue &value : list) {
            const QJsonObject parameter = m_document.object(value);
            const QString id = parameter.value(u"in"_s).toString() + u':' + parameter.value(u"name"_s).toString();
            for (qsizetype i = 0; i < parameters.size(); ++i) {
                if (parameters.at(i).value(u"in"_s).toString() + u':' + parameters.at(i).value(u"name"_s).toString() == id) {
                    parameters.removeAt(i);
                    allParameters.removeAt(i);
                    break;
                }
            }
            parameters.append(parameter);
            allParameters.append(parameter);
        }
    };
    addParameters(pathParameters);
    addParameters(operation.value(u"parameters"_s).toArray());

    QString url = urlPath;
    for (const QJsonObject &parameter : std::as_const(parameters)) {
        const QString parameterName = parameter.value(u"name"_s).toString();
        const QString in = parameter.value(u"in"_s).toString();
        if (parameterName.isEmpty())
            continue;
        const QString variable = variableName(parameterName);
        const QString placeholder = u"{{%1}}"_s.arg(variable);
        const bool required = parameter.value(u"required"_s).toBool() || in == u"path"_s;
        if (in == u"path"_s) {
            url.replace(u"{%1}"_s.arg(parameterName), placeholder);
        } else if (in == u"query"_s) {
            request.draft.queryParams.append({parameterName, placeholder, required});
        } else if (in == u"header"_s) {
            const QString lower = parameterName.toLower();
            // Set by Tokenbench itself: the token, and the body's type.
            if (lower == u"authorization"_s || lower == u"content-type"_s) {
                continue;
            }
            request.draft.headers.append({parameterName, placeholder, required});
        } else if (in == u"cookie"_s) {
            note(u"operation %1: cookie parameter %2 is not imported"_s.arg(name, parameterName));
            continue;
        } else {
            continue; // Swagger 2.0's body and formData: the body
        }
        // Its example (else default) as the request's value, unless that would put a credential in the workspace.
        const QJsonObject schema = m_document.object(parameter.value(u"schema"_s));
        QJsonValue example = parameter.value(u"example"_s);
        if (example.isUndefined())
            example = parameter.value(u"x-example"_s);
        if (example.isUndefined())
            example = schema.value(u"example"_s);
        if (example.isUndefined())
            example = parameter.value(u"default"_s);
        if (example.isUndefined())
            example = schema.value(u"default"_s);
        const QString value = scalarText(example);
        if (value.isEmpty())
            continue;
        bool known = false;
        for (const auto &[existing, unused] : std::as_const(request.draft.extraVariables))
            known = known || existing == variable;
        if (known)
            continue;
        RequestDraft probe;
        probe.url = url;
        if (in == u"header"_s)
            probe.headers = {{parameterName, placeholder, true}};
        else
            probe.queryParams = {{parameterName, placeholder, true}};
        probe.extraVariables = {{variable, value}};
        if (CredentialScan().findings(probe).isEmpty())
            request.draft.extraVariables.append({variable, value});
        else
            note(u"operation %1: the example of %2 looks like a credential and is not kept"_s.arg(name, parameterName));
    }
    request.draft.url = url;
    setBody(operation, allParameters, &request.draft, name);

    const QJsonValue security = operation.contains(u"security"_s) ? operation.value(u"security"_s) : m_document.root().value(u"security"_s);
    request.requiredScopes = requirements(security, name);
    if (!request.requiredScopes.isEmpty())
        request.draft.scopes = request.requiredScopes.first().scopes;
    firstSuccess(m_document.object(operation.value(u"responses"_s)), &request.successStatus);
    plan->requests.append(request);
}
