#include "contract/PostmanExport.h"

#include "request/RequestDraft.h"
#include "secrets/CredentialScan.h"
#include "util/TemplateExpander.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

QJsonObject variable(const QString &key, const QString &value, const QString &description = {})
{
    QJsonObject out{{u"key"_s, key}, {u"value"_s, value}, {u"type"_s, u"string"_s}};
    if (!description.isEmpty())
        out.insert(u"description"_s, description);
    return out;
}

QJsonObject keyValue(const QString &key, const QString &value, bool enabled = true)
{
    QJsonObject out{{u"key"_s, key}, {u"value"_s, value}};
    if (!enabled)
        out.insert(u"disabled"_s, true);
    return out;
}

QJsonObject noAuth()
{
    return QJsonObject{{u"type"_s, u"noauth"_s}};
}

QString trimmedBase(const QUrl &apiBase)
{
    QString base = apiBase.toString(QUrl::RemoveFragment | QUrl::RemoveQuery);
    while (base.endsWith(u'/'))
        base.chop(1);
    return base;
}

// The request URL in the collection: a path relative to the API base becomes {{base_url}}/…, as
// RequestBuilder::resolveUrl joins them (a path already rooted at the base's path is not doubled).
QString exportedUrl(const QString &draftUrl, const QUrl &apiBase)
{
    const QString text = draftUrl.trimmed();
    const qsizetype colon = text.indexOf(u"://"_s);
    if (colon > 0 && !text.left(colon).contains(u'/'))
        return text;
    if (text.startsWith(u"{{"_s))
        return text; // {{host}}/path: the variable holds the origin
    QString relative = text.startsWith(u'/') ? text : u'/' + text;
    QString basePath = apiBase.path(QUrl::FullyEncoded);
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    if (!basePath.isEmpty() && (relative == basePath || relative.startsWith(basePath + u'/') || relative.startsWith(basePath + u'?')))
        relative = relative.mid(basePath.size());
    return u"{{base_url}}"_s + (relative == u"/"_s ? QString() : relative);
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
        && a.port(a.scheme() == u"https"_s ? 443 : 80) == b.port(b.scheme() == u"https"_s ? 443 : 80);
}

QString headerValue(const QList<RequestDraft::Row> &rows, const QString &name)
{
    for (const auto &row : rows) {
        if (row.enabled && row.name.compare(name, Qt::CaseInsensitive) == 0)
            return row.value;
    }
    return {};
}

// newman (postman-collection) builds the URL from its parts and ignores "raw" when given an
// object, so every part is given: protocol, host, port, path and the query rows (disabled ones kept).
QJsonObject urlObject(const QString &raw, const QList<RequestDraft::Row> &query)
{
    QString rest = raw;
    QString inlineQuery;
    if (const qsizetype at = rest.indexOf(u'?'); at >= 0) {
        inlineQuery = rest.mid(at + 1);
        rest.truncate(at);
    }
    QJsonObject url;
    if (const qsizetype at = rest.indexOf(u"://"_s); at > 0) {
        url.insert(u"protocol"_s, rest.left(at));
        rest = rest.mid(at + 3);
    }
    const qsizetype slash = rest.indexOf(u'/');
    QString host = slash < 0 ? rest : rest.left(slash);
    const QString path = slash < 0 ? QString() : rest.mid(slash + 1);
    // A port follows the last ':' that is not inside a {{variable}}.
    const qsizetype colon = host.lastIndexOf(u':');
    if (colon > 0 && colon > host.lastIndexOf(u"}}"_s) && !host.endsWith(u']')) {
        url.insert(u"port"_s, host.mid(colon + 1));
        host.truncate(colon);
    }
    url.insert(u"host"_s, QJsonArray{host});
    if (slash >= 0)
        url.insert(u"path"_s, QJsonArray::fromStringList(path.split(u'/')));

    QJsonArray queryArray;
    QStringList enabledPairs;
    for (const QString &pair : inlineQuery.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(u'=');
        queryArray.append(keyValue(equals < 0 ? pair : pair.left(equals), equals < 0 ? QString() : pair.mid(equals + 1)));
        enabledPairs.append(pair);
    }
    for (const auto &row : query) {
        queryArray.append(keyValue(row.name, row.value, row.enabled));
        if (row.enabled)
            enabledPairs.append(row.name + u'=' + row.value);
    }
    if (!queryArray.isEmpty())
        url.insert(u"query"_s, queryArray);
    url.insert(u"raw"_s, enabledPairs.isEmpty() ? raw.section(u'?', 0, 0) : raw.section(u'?', 0, 0) + u'?' + enabledPairs.join(u'&'));
    return url;
}

// The token request's test script: newman and Postman run it after the answer arrives.
// HTTP Basic client authentication as RFC 6749 §2.3.1 has it: the client id and secret are
// form-encoded before base64. Postman's own basic auth leaves them as they are, which a secret
// with '+', '%' or ':' does not survive; so the token request sets the header itself.
QJsonObject basicAuthEvent()
{
    const QStringList lines{
        u"// Written by Tokenbench: HTTP Basic client authentication as RFC 6749 section 2.3.1 has it (id and secret form-encoded, then base64)."_s,
        u"const encoders = require('crypto-js').enc;"_s,
        u"const formEncode = (value) => encodeURIComponent(value || '').replace(/%20/g, '+')"_s,
        u"    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());"_s,
        u"const credentials = formEncode(pm.variables.get('client_id')) + ':' + formEncode(pm.variables.get('client_secret'));"_s,
        u"pm.request.headers.upsert({ key: 'Authorization', value: 'Basic ' + encoders.Base64.stringify(encoders.Utf8.parse(credentials)) });"_s,
    };
    return QJsonObject{{u"listen"_s, u"prerequest"_s},
                       {u"script"_s, QJsonObject{{u"type"_s, u"text/javascript"_s}, {u"exec"_s, QJsonArray::fromStringList(lines)}}}};
}

// A JSON string literal, which is also a JavaScript one.
QString jsonString(const QString &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// The token request's JSON body, built before it is sent. Postman and newman put {{variables}}
// into a raw body as they are, so a client secret (or id, password, parameter) with a quote or a
// backslash would break the JSON around it: the script resolves each member's value with
// pm.variables.replaceIn and lets JSON.stringify write the body, escaping whatever it holds.
QJsonObject jsonBodyEvent(const QList<QPair<QString, QString>> &fields)
{
    QStringList lines{
        u"// Written by Tokenbench: the JSON body built from the variables with JSON.stringify, so a value holding \", \\ or any other character stays JSON (a raw body takes {{variables}} as they are)."_s,
        u"const body = {};"_s,
    };
    for (const auto &[name, value] : fields)
        lines.append(u"body[%1] = pm.variables.replaceIn(%2);"_s.arg(jsonString(name), jsonString(value)));
    lines.append(u"pm.request.body.update({ mode: 'raw', raw: JSON.stringify(body), options: { raw: { language: 'json' } } });"_s);
    return QJsonObject{{u"listen"_s, u"prerequest"_s},
                       {u"script"_s, QJsonObject{{u"type"_s, u"text/javascript"_s}, {u"exec"_s, QJsonArray::fromStringList(lines)}}}};
}

QJsonArray tokenEvent()
{
    const QStringList lines{
        u"// Written by Tokenbench: keeps the token endpoint's access_token for the requests that follow."_s,
        u"pm.test(\"the token endpoint answers 200\", function () {"_s,
        u"    pm.response.to.have.status(200);"_s,
        u"});"_s,
        u"const answer = pm.response.json();"_s,
        u"pm.test(\"the answer holds an access token\", function () {"_s,
        u"    pm.expect(answer.access_token).to.be.a(\"string\").and.not.be.empty;"_s,
        u"});"_s,
        u"pm.collectionVariables.set(\"access_token\", answer.access_token);"_s,
    };
    return QJsonArray{QJsonObject{{u"listen"_s, u"test"_s},
                                  {u"script"_s, QJsonObject{{u"type"_s, u"text/javascript"_s}, {u"exec"_s, QJsonArray::fromStringList(lines)}}}}};
}

QJsonObject tokenItem(const Environment &env)
{
    QList<QPair<QString, QString>> fields;
    fields.append({u"grant_type"_s, env.grant == GrantType::Password ? u"password"_s : u"client_credentials"_s});
    if (env.grant == GrantType::Password) {
        fields.append({u"username"_s, u"{{username}}"_s});
        fields.append({u"password"_s, u"{{password}}"_s});
    }
    fields.append({u"scope"_s, u"{{scope}}"_s});
    for (const TokenParam &param : env.params)
        fields.append({param.name, param.secret ? u"{{%1}}"_s.arg(PostmanExport::paramVariable(param.name)) : param.value});
    if (env.clientAuth != ClientAuthStyle::Basic) {
        fields.append({u"client_id"_s, u"{{client_id}}"_s});
        fields.append({u"client_secret"_s, u"{{client_secret}}"_s});
    }

    QJsonObject request{{u"method"_s, u"POST"_s}, {u"url"_s, urlObject(u"{{token_url}}"_s, {})}};
    // Basic: the header comes from basicAuthEvent(); no collection bearer token on this request.
    request.insert(u"auth"_s, noAuth());
    if (env.clientAuth == ClientAuthStyle::Json) {
        // What the body looks like, for a reader of the collection; jsonBodyEvent() writes the one sent.
        QStringList members;
        for (const auto &[name, value] : fields)
            members.append(u"    %1: %2"_s.arg(jsonString(name), jsonString(value)));
        request.insert(u"header"_s, QJsonArray{keyValue(u"Content-Type"_s, u"application/json"_s)});
        request.insert(u"body"_s, QJsonObject{{u"mode"_s, u"raw"_s},
                                              {u"raw"_s, u"{\n"_s + members.join(u",\n"_s) + u"\n}"_s},
                                              {u"options"_s, QJsonObject{{u"raw"_s, QJsonObject{{u"language"_s, u"json"_s}}}}}});
    } else {
        QJsonArray encoded;
        for (const auto &[name, value] : fields)
            encoded.append(keyValue(name, value));
        request.insert(u"header"_s, QJsonArray{keyValue(u"Content-Type"_s, u"application/x-www-form-urlencoded"_s)});
        request.insert(u"body"_s, QJsonObject{{u"mode"_s, u"urlencoded"_s}, {u"urlencoded"_s, encoded}});
    }
    QJsonArray events = tokenEvent();
    if (env.clientAuth == ClientAuthStyle::Basic)
        events.prepend(basicAuthEvent());
    else if (env.clientAuth == ClientAuthStyle::Json)
        events.prepend(jsonBodyEvent(fields));
    return QJsonObject{{u"name"_s, QString(PostmanExport::TokenRequestName)},
                       {u"event"_s, events},
                       {u"request"_s, request},
                       {u"response"_s, QJsonArray{}}};
}

QJsonObject bodyObject(const RequestDraft &draft, const TemplateExpander::Variables &own, QStringList *notes, const QString &name)
{
    if (!draft.formParts.isEmpty()) {
        QJsonArray parts;
        for (const auto &part : draft.formParts) {
            QJsonObject field{{u"key"_s, TemplateExpander::expand(part.name, own)}, {u"type"_s, part.isFile ? u"file"_s : u"text"_s}};
            field.insert(part.isFile ? u"src"_s : u"value"_s, TemplateExpander::expand(part.value, own));
            if (!part.enabled)
                field.insert(u"disabled"_s, true);
            parts.append(field);
        }
        return QJsonObject{{u"mode"_s, u"formdata"_s}, {u"formdata"_s, parts}};
    }
    if (draft.body.isEmpty())
        return {};
    const QString text = QString::fromUtf8(draft.body);
    if (text.toUtf8() != draft.body) {
        notes->append(u"%1: its body is not UTF-8 text and was left out"_s.arg(name));
        return {};
    }
    if (!draft.expandBodyVariables && text.contains(u"{{"_s))
        notes->append(u"%1: Postman fills in {{…}} in the body, which this request sends as written"_s.arg(name));
    const QString body = draft.expandBodyVariables ? TemplateExpander::expand(text, own) : text;
    const QString type = (draft.contentType.isEmpty() ? headerValue(draft.headers, u"Content-Type"_s) : draft.contentType).toLower();
    if (type.startsWith(u"application/x-www-form-urlencoded"_s)) {
        QJsonArray encoded;
        const QUrlQuery query(body);
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
            encoded.append(keyValue(key, value));
        return QJsonObject{{u"mode"_s, u"urlencoded"_s}, {u"urlencoded"_s, encoded}};
    }
    QJsonObject out{{u"mode"_s, u"raw"_s}, {u"raw"_s, body}};
    if (type.contains(u"json"_s) || (type.isEmpty() && QJsonDocument::fromJson(body.toUtf8()).isObject()))
        out.insert(u"options"_s, QJsonObject{{u"raw"_s, QJsonObject{{u"language"_s, u"json"_s}}}});
    return out;
}

QJsonObject requestItem(const SavedRequest &saved, const Environment &env, QStringList *notes)
{
    const RequestDraft &draft = saved.draft;
    // The request's own variables win over the environment's: put in now, as Postman has no
    // per-request variables; the environment's stay {{placeholders}} for the collection's variables.
    const TemplateExpander::Variables &own = draft.extraVariables;
    const QString url = exportedUrl(TemplateExpander::expand(draft.url, own), env.apiBaseUrl);

    // The token and context headers go to the API's origin only (OriginGuard); a request
    // elsewhere gets neither.
    QString resolved = url;
    resolved.replace(u"{{base_url}}"_s, trimmedBase(env.apiBaseUrl));
    resolved = TemplateExpander::expand(resolved, env.variables);
    const QUrl target(resolved);
    const bool toApi = !target.isValid() || target.host().isEmpty() || sameOrigin(target, env.apiBaseUrl);
    if (!toApi)
        notes->append(u"%1: goes to %2, not to the API's origin: sent without the token and context headers"_s.arg(saved.name, target.host()));

    QJsonArray headers;
    for (const auto &row : draft.headers)
        headers.append(keyValue(row.name, TemplateExpander::expand(row.value, own), row.enabled));
    if (toApi) {
        for (const HeaderTemplate &header : env.headers) {
            const RequestDraft::InjectionSwitch *change = draft.switchFor(header.name);
            if (change && change->disabled)
                continue;
            headers.append(keyValue(header.name, TemplateExpander::expand(change && change->value ? *change->value : header.valueTemplate, own)));
        }
    }
    QList<RequestDraft::Row> query;
    for (auto row : draft.queryParams) {
        row.value = TemplateExpander::expand(row.value, own);
        query.append(row);
    }
    QJsonObject request{{u"method"_s, draft.method.toUpper()}, {u"header"_s, headers}, {u"url"_s, urlObject(url, query)}};
    const RequestDraft::InjectionSwitch *authSwitch = draft.switchFor(u"Authorization"_s);
    if (!toApi || (authSwitch && authSwitch->disabled))
        request.insert(u"auth"_s, noAuth());
    const QJsonObject body = bodyObject(draft, own, notes, saved.name);
    if (!body.isEmpty())
        request.insert(u"body"_s, body);
    if (!saved.summary.isEmpty())
        request.insert(u"description"_s, saved.summary);
    // A run in newman says which call did not answer as documented: the success status of its
    // document, else any 2xx.
    const QString check = saved.successStatus > 0
        ? u"pm.test(\"answers %1\", function () {\n    pm.response.to.have.status(%1);\n});"_s.arg(saved.successStatus)
        : u"pm.test(\"answers 2xx\", function () {\n    pm.expect(pm.response.code).to.be.within(200, 299);\n});"_s;
    const QJsonArray event{QJsonObject{{u"listen"_s, u"test"_s},
                                       {u"script"_s, QJsonObject{{u"type"_s, u"text/javascript"_s},
                                                                 {u"exec"_s, QJsonArray::fromStringList(check.split(u'\n'))}}}}};
    return QJsonObject{{u"name"_s, saved.name}, {u"event"_s, event}, {u"request"_s, request}, {u"response"_s, QJsonArray{}}};
}

// Appends item under the folder path ("Accounts/Invoices"), making the folders as needed.
void place(QJsonArray *items, const QStringList &path, const QJsonObject &item)
{
    if (path.isEmpty()) {
        items->append(item);
        return;
    }
    for (qsizetype i = 0; i < items->size(); ++i) {
        QJsonObject folder = items->at(i).toObject();
        if (folder.contains(u"item"_s) && folder.value(u"name"_s).toString() == path.first()) {
            QJsonArray children = folder.value(u"item"_s).toArray();
            place(&children, path.mid(1), item);
            folder.insert(u"item"_s, children);
            items->replace(i, folder);
            return;
        }
    }
    QJsonArray children;
    place(&children, path.mid(1), item);
    items->append(QJsonObject{{u"name"_s, path.first()}, {u"item"_s, children}});
}

} // namespace

QString PostmanExport::paramVariable(const QString &paramName)
{
    return u"param_"_s + paramName;
}

PostmanExport::Result PostmanExport::build(const Workspace &workspace, const Environment &environment, const KnownSecrets *known,
                                           const Secrets *secrets)
{
    Result result;
    QJsonArray items{tokenItem(environment)};
    QStringList scopes = environment.scopes;
    const CredentialScan scan(known);
    for (const SavedRequest &saved : workspace.savedRequests()) {
        const QString problem = scan.problem(saved.draft);
        if (!problem.isEmpty()) {
            result.skipped.append(u"%1: %2 (a credential is never exported)"_s.arg(saved.name, problem));
            continue;
        }
        if (!saved.draft.noScopes)
            scopes += saved.draft.scopes;
        QStringList folders = saved.folder.split(u'/', Qt::SkipEmptyParts);
        for (QString &folder : folders)
            folder = folder.trimmed();
        folders.removeAll(QString());
        place(&items, folders, requestItem(saved, environment, &result.notes));
        ++result.requestCount;
    }
    scopes = RequestDraft::normalizedScopes(scopes);
    if (scopes.size() > environment.scopes.size())
        result.notes.append(u"the token is asked for every scope a request names (%1): Postman fetches one token for the collection"_s.arg(scopes.join(u' ')));

    QJsonArray variables{
        variable(u"base_url"_s, trimmedBase(environment.apiBaseUrl), u"The API's base URL"_s),
        variable(u"token_url"_s, environment.tokenUrl.toString(), u"The OAuth 2 token endpoint"_s),
        variable(u"client_id"_s, environment.clientId),
        variable(u"client_secret"_s, secrets ? secrets->clientSecret : QString(),
                 u"Left empty: give it with newman --env-var client_secret=… or a Postman environment"_s),
    };
    if (environment.grant == GrantType::Password) {
        variables.append(variable(u"username"_s, environment.username));
        variables.append(variable(u"password"_s, secrets ? secrets->password : QString(),
                                  u"Left empty: give it with newman --env-var password=… or a Postman environment"_s));
    }
    variables.append(variable(u"scope"_s, scopes.join(u' ')));
    for (const TokenParam &param : environment.params) {
        if (!param.secret)
            continue;
        QString value;
        if (secrets) {
            for (const auto &[name, given] : secrets->params) {
                if (name == param.name)
                    value = given;
            }
        }
        variables.append(variable(paramVariable(param.name), value, u"Secret token parameter %1"_s.arg(param.name)));
    }
    variables.append(variable(u"access_token"_s, QString(), u"Set by the \"Get token\" request"_s));
    static const QStringList reserved{u"base_url"_s, u"token_url"_s, u"client_id"_s, u"client_secret"_s, u"username"_s,
                                      u"password"_s, u"scope"_s, u"access_token"_s};
    for (const auto &[name, value] : environment.variables) {
        if (reserved.contains(name)) {
            result.notes.append(u"the environment's variable %1 is not exported: the collection uses that name for its token request"_s.arg(name));
            continue;
        }
        variables.append(variable(name, value));
    }

    const QUuid id = QUuid::createUuidV5(QUuid(u"6f1c3a52-8a0e-4c1b-9a53-2f7c1d0e4b21"_s), workspace.id() + u'/' + environment.id);
    QJsonObject info{{u"_postman_id"_s, id.toString(QUuid::WithoutBraces)},
                     {u"name"_s, u"Tokenbench — %1"_s.arg(environment.name)},
                     {u"description"_s, u"Exported by Tokenbench from the environment \"%1\". Run \"Get token\" first: it keeps the "
                                        "access token in the collection variable access_token, which every request sends."_s.arg(environment.name)},
                     {u"schema"_s, QString(SchemaUrl)}};
    result.collection = QJsonObject{
        {u"info"_s, info},
        {u"auth"_s, QJsonObject{{u"type"_s, u"bearer"_s}, {u"bearer"_s, QJsonArray{variable(u"token"_s, u"{{access_token}}"_s)}}}},
        {u"variable"_s, variables},
        {u"item"_s, items},
    };
    return result;
}
