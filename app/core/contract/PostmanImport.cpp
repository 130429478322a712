#include "contract/PostmanImport.h"

#include "history/Redactor.h"
#include "request/RequestDraft.h"
#include "util/TemplateExpander.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QMap>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString SourceKind = u"Postman Collection v2.1"_s;

// Postman writes an auth's parameters as [{key, value}] (v2.1) or as an object (v2.0).
QMap<QString, QJsonValue> authParams(const QJsonObject &auth, const QString &type)
{
    QMap<QString, QJsonValue> out;
    const QJsonValue params = auth.value(type);
    if (params.isArray()) {
        for (const QJsonValue &entry : params.toArray()) {
            const QJsonObject row = entry.toObject();
            if (row.value(u"key"_s).isString())
                out.insert(row.value(u"key"_s).toString(), row.value(u"value"_s));
        }
    } else if (params.isObject()) {
        const QJsonObject object = params.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            out.insert(it.key(), it.value());
    }
    return out;
}

QString text(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    return {};
}

// "{{name}}" alone, possibly with a scheme before it ("Bearer {{token}}"): no literal value.
bool onlyVariables(const QString &value)
{
    static const QRegularExpression variables(u"^\\s*(\\w+\\s+)?(\\{\\{[^{}]+\\}\\}\\s*)*$"_s);
    return variables.match(value).hasMatch();
}

QString description(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    return value.toObject().value(u"content"_s).toString();
}

// Where an auth block was written: its environment's ImportOrigin::key and the place for people.
struct AuthSite
{
    QJsonObject auth;  // empty: none (noauth, or nothing on the way up)
    QString key;       // "collection", "folder:Accounts/Invoices", "request:<key>"
    QString where;     // "the collection", "folder Accounts/Invoices", "request Accounts/Get"
};

struct Walker
{
    ImportPlan plan;
    QString error;
    TemplateExpander::Variables variables; // the collection's, for resolving token URLs and hosts
    int items = 0;
    // An environment per oauth2 configuration, found by its auth site or by identical settings.
    QHash<QString, qsizetype> environmentBySite;
    QHash<QString, qsizetype> environmentBySettings;
    QHash<qsizetype, QString> firstRequestUrl;
    struct PendingSecret
    {
        qsizetype environment;
        QString where;
        QString what;
        QString storeAs; // secret set NAME <storeAs>
    };
    QList<PendingSecret> pendingSecrets;
    QHash<qsizetype, QString> label; // the folder or request an environment's auth sits on; empty for the collection's
    QStringList reportedSites;
    QStringList bearerVariables;
    Redactor names;
    bool droppedBearerHeader = false; // set by draftOf(): an Authorization: Bearer {{…}} row was left to the environment

    bool walk(const QJsonArray &children, const QStringList &folders, const AuthSite &inherited, int depth);
    bool request(const QJsonObject &item, const QStringList &folders, const AuthSite &inherited);
    void scripts(const QJsonValue &events, const QString &where);
    qsizetype environmentFor(const AuthSite &site);
    RequestDraft draftOf(const QJsonObject &request, const QString &where);
};

void Walker::scripts(const QJsonValue &events, const QString &where)
{
    for (const QJsonValue &event : events.toArray()) {
        const QJsonObject object = event.toObject();
        const QJsonValue exec = object.value(u"script"_s).toObject().value(u"exec"_s);
        // Postman keeps a script as a list of lines (or one string); blank lines are no script.
        const QStringList execLines = exec.isArray() ? exec.toVariant().toStringList() : exec.toString().split(u'\n');
        qsizetype lines = 0;
        for (const QString &line : execLines)
            lines += line.trimmed().isEmpty() ? 0 : 1;
        if (lines == 0)
            continue;
        const QString listen = object.value(u"listen"_s).toString();
        plan.skipped.append(u"%1: its %2 script (%3 lines) is not run: Tokenbench never runs a collection's scripts"_s.arg(
            where, listen == u"prerequest"_s ? u"pre-request"_s : listen).arg(lines));
    }
}

qsizetype Walker::environmentFor(const AuthSite &site)
{
    if (const auto found = environmentBySite.constFind(site.key); found != environmentBySite.constEnd())
        return *found;
    const bool firstVisit = !reportedSites.contains(site.key);
    reportedSites.append(site.key);
    const QMap<QString, QJsonValue> params = authParams(site.auth, u"oauth2"_s);
    const auto param = [&params](const QString &name) { return text(params.value(name)); };
    const QString grantText = param(u"grant_type"_s);
    const QString tokenUrlText = param(u"accessTokenUrl"_s);
    if (tokenUrlText.isEmpty()) {
        if (firstVisit)
            plan.skipped.append(u"oauth2 auth of %1: it names no token URL (accessTokenUrl; an older Postman export keeps only the token), "
                                "so no environment is made for it; its requests are imported"_s.arg(site.where));
        return -1;
    }
    GrantType grant = GrantType::ClientCredentials;
    if (grantText == u"password_credentials"_s || grantText == u"password"_s) {
        grant = GrantType::Password;
    } else if (grantText != u"client_credentials"_s) {
        if (firstVisit)
            plan.skipped.append(u"oauth2 auth of %1: the %2 grant is not supported (Tokenbench speaks client credentials and password); "
                                "its requests are imported without an environment"_s.arg(site.where, grantText.isEmpty() ? u"authorization_code"_s : grantText));
        return -1;
    }
    QStringList unresolved;
    const QString tokenUrlResolved = TemplateExpander::expand(tokenUrlText, variables, &unresolved);
    const QUrl tokenUrl(tokenUrlResolved);
    if (!unresolved.isEmpty() || !tokenUrl.isValid() || tokenUrl.host().isEmpty()
        || (tokenUrl.scheme() != u"https"_s && tokenUrl.scheme() != u"http"_s)) {
        if (firstVisit)
            plan.skipped.append(u"oauth2 auth of %1: its token URL \"%2\" is not an http(s) URL%3; no environment is made for it"_s.arg(
                site.where, tokenUrlText, unresolved.isEmpty() ? QString() : u" (the collection has no value for %1)"_s.arg(unresolved.join(u", "_s))));
        return -1;
    }

    Environment env;
    env.tier = Environment::NewTier;
    env.tokenUrl = tokenUrl;
    env.grant = grant;
    env.clientAuth = param(u"client_authentication"_s) == u"body"_s ? ClientAuthStyle::Body : ClientAuthStyle::Basic;
    env.clientId = TemplateExpander::expand(param(u"clientId"_s), variables);
    if (grant == GrantType::Password)
        env.username = TemplateExpander::expand(param(u"username"_s), variables);
    env.scopes = RequestDraft::normalizedScopes({TemplateExpander::expand(param(u"scope"_s), variables)});
    env.allowInsecureHttp = tokenUrl.scheme() == u"http"_s && (tokenUrl.host() == u"localhost"_s || tokenUrl.host() == u"127.0.0.1"_s);
    for (const QString &name : {u"audience"_s, u"resource"_s}) {
        const QJsonValue value = params.value(name);
        if (value.isString() && !value.toString().isEmpty())
            env.params.append(TokenParam{name, TemplateExpander::expand(value.toString(), variables), false});
        else if (value.isObject() && !value.toObject().isEmpty() && firstVisit)
            plan.notes.append(u"oauth2 auth of %1: its %2 is a set of per-URL values, which a token parameter cannot hold; add it with env set --param"_s.arg(site.where, name));
    }

    const QString settings = QStringList{env.tokenUrl.toString(), Environment::grantName(env.grant), Environment::clientAuthName(env.clientAuth),
                                         env.clientId, env.username, env.scopes.join(u' ')}
                                 .join(u'\n');
    if (const auto same = environmentBySettings.constFind(settings); same != environmentBySettings.constEnd()) {
        environmentBySite.insert(site.key, *same);
        return *same;
    }

    env.origin = ImportOrigin{plan.document, u"oauth2:"_s + site.key, plan.version};
    // A client id or user the collection leaves to a variable without a value is asked for, never invented.
    if (env.clientId.isEmpty() || !TemplateExpander::placeholders(env.clientId).isEmpty()) {
        env.clientId.clear();
        plan.inputs.append(ImportPlan::Input{env.origin.key, u"clientId"_s, u"The client id for %1"_s.arg(tokenUrl.host()), {}});
    }
    if (grant == GrantType::Password && (env.username.isEmpty() || !TemplateExpander::placeholders(env.username).isEmpty())) {
        env.username.clear();
        plan.inputs.append(ImportPlan::Input{env.origin.key, u"username"_s, u"The resource owner's user name"_s, {}});
    }
    const qsizetype index = plan.environments.size();
    plan.environments.append(env);
    environmentBySite.insert(site.key, index);
    environmentBySettings.insert(settings, index);
    if (site.key != u"collection"_s)
        label.insert(index, site.where.section(u' ', 1)); // "folder Payments" → "Payments"

    // Secrets: reported, never kept; the hint names the environment once names are settled.
    const QString clientSecret = param(u"clientSecret"_s);
    const QString clientSecretValue = TemplateExpander::expand(clientSecret, variables);
    if (!clientSecret.isEmpty() && !onlyVariables(clientSecret))
        pendingSecrets.append({index, u"oauth2 auth of %1"_s.arg(site.where), u"a client secret"_s, u"client-secret"_s});
    else if (!clientSecretValue.isEmpty() && clientSecretValue != clientSecret && !onlyVariables(clientSecretValue))
        pendingSecrets.append({index, u"oauth2 auth of %1 (through %2)"_s.arg(site.where, clientSecret), u"a client secret"_s, u"client-secret"_s});
    const QString password = param(u"password"_s);
    if (grant == GrantType::Password && !password.isEmpty() && !onlyVariables(password))
        pendingSecrets.append({index, u"oauth2 auth of %1"_s.arg(site.where), u"a password"_s, u"password"_s});
    for (const QString &token : {u"accessToken"_s, u"refreshToken"_s}) {
        if (!param(token).isEmpty() && !onlyVariables(param(token)))
            plan.notes.append(u"oauth2 auth of %1 holds a saved %2: not imported; Tokenbench gets its own tokens"_s.arg(site.where, token));
    }
    return index;
}

RequestDraft Walker::draftOf(const QJsonObject &request, const QString &where)
{
    RequestDraft draft;
    droppedBearerHeader = false;
    draft.method = request.value(u"method"_s).toString(u"GET"_s).toUpper();
    const QJsonValue urlValue = request.value(u"url"_s);
    QString url;
    QJsonArray query;
    bool queryGiven = false;
    if (urlValue.isString()) {
        url = urlValue.toString();
    } else {
        const QJsonObject object = urlValue.toObject();
        url = object.value(u"raw"_s).toString();
        if (url.isEmpty()) {
            // Built from its parts, as Postman does when no raw is given.
            const QJsonValue host = object.value(u"host"_s);
            const QJsonValue path = object.value(u"path"_s);
            QStringList hostParts;
            for (const QJsonValue &part : host.isArray() ? host.toArray() : QJsonArray{host})
                hostParts.append(text(part));
            QStringList pathParts;
            for (const QJsonValue &part : path.isArray() ? path.toArray() : QJsonArray{path})
                pathParts.append(part.isObject() ? part.toObject().value(u"value"_s).toString() : text(part));
            const QString protocol = object.value(u"protocol"_s).toString();
            const QString port = text(object.value(u"port"_s));
            url = (protocol.isEmpty() ? QString() : protocol + u"://"_s) + hostParts.join(u'.') + (port.isEmpty() ? QString() : u':' + port);
            if (!pathParts.isEmpty() && !(pathParts.size() == 1 && pathParts.first().isEmpty()))
                url += u'/' + pathParts.join(u'/');
        }
        query = object.value(u"query"_s).toArray();
        queryGiven = object.contains(u"query"_s);
        // Path variables (":id") become {{id}} with their value as the request's own variable.
        for (const QJsonValue &entry : object.value(u"variable"_s).toArray()) {
            const QString name = entry.toObject().value(u"key"_s).toString();
            if (name.isEmpty())
                continue;
            const QRegularExpression segment(u"/:%1(?=[/?#]|$)"_s.arg(QRegularExpression::escape(name)));
            url.replace(segment, u"/{{%1}}"_s.arg(name));
            draft.extraVariables.append({name, text(entry.toObject().value(u"value"_s))});
        }
    }
    if (queryGiven) {
        // The rows are the truth (disabled ones are not in raw): the URL without its query.
        if (const qsizetype at = url.indexOf(u'?'); at >= 0)
            url.truncate(at);
        for (const QJsonValue &entry : query) {
            const QJsonObject row = entry.toObject();
            if (row.value(u"key"_s).isNull() && row.value(u"value"_s).isNull())
                continue;
            draft.queryParams.append({row.value(u"key"_s).toString(), text(row.value(u"value"_s)), !row.value(u"disabled"_s).toBool()});
        }
    }
    draft.url = url.trimmed();

    QString contentType;
    for (const QJsonValue &entry : request.value(u"header"_s).toArray()) {
        const QJsonObject row = entry.toObject();
        const QString name = row.value(u"key"_s).toString();
        const QString value = text(row.value(u"value"_s));
        if (name.isEmpty())
            continue;
        if (name.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0 && onlyVariables(value)
            && (value.trimmed().startsWith(u"{{"_s) || value.trimmed().startsWith(u"Bearer "_s, Qt::CaseInsensitive))) {
            plan.notes.append(u"%1: its Authorization header (%2) is left to the environment, which sends its own token"_s.arg(where, value));
            droppedBearerHeader = true;
            continue;
        }
        if (name.compare(u"Content-Type"_s, Qt::CaseInsensitive) == 0 && !row.value(u"disabled"_s).toBool())
            contentType = value;
        draft.headers.append({name, value, !row.value(u"disabled"_s).toBool()});
    }

    const QJsonObject body = request.value(u"body"_s).toObject();
    const QString mode = body.value(u"mode"_s).toString();
    if (body.value(u"disabled"_s).toBool()) {
        // Postman keeps a switched-off body; nothing is sent.
    } else if (mode == u"raw"_s) {
        draft.body = body.value(u"raw"_s).toString().toUtf8();
        const QString language = body.value(u"options"_s).toObject().value(u"raw"_s).toObject().value(u"language"_s).toString();
        if (contentType.isEmpty() && !draft.body.isEmpty()) {
            if (language == u"json"_s)
                draft.contentType = u"application/json"_s;
            else if (language == u"xml"_s)
                draft.contentType = u"application/xml"_s;
        }
    } else if (mode == u"urlencoded"_s) {
        QUrlQuery form;
        for (const QJsonValue &entry : body.value(u"urlencoded"_s).toArray()) {
            const QJsonObject row = entry.toObject();
            if (!row.value(u"disabled"_s).toBool())
                form.addQueryItem(QString::fromUtf8(QUrl::toPercentEncoding(row.value(u"key"_s).toString(), "{}")),
                                  QString::fromUtf8(QUrl::toPercentEncoding(text(row.value(u"value"_s)), "{}")));
        }
        draft.body = form.toString(QUrl::FullyEncoded).toUtf8();
        if (contentType.isEmpty())
            draft.contentType = u"application/x-www-form-urlencoded"_s;
    } else if (mode == u"formdata"_s) {
        for (const QJsonValue &entry : body.value(u"formdata"_s).toArray()) {
            const QJsonObject row = entry.toObject();
            RequestDraft::FormPart part;
            part.name = row.value(u"key"_s).toString();
            part.isFile = row.value(u"type"_s).toString() == u"file"_s;
            const QJsonValue src = row.value(u"src"_s);
            part.value = part.isFile ? (src.isArray() ? src.toArray().at(0).toString() : src.toString()) : text(row.value(u"value"_s));
            part.enabled = !row.value(u"disabled"_s).toBool();
            if (part.isFile && src.isArray() && src.toArray().size() > 1)
                plan.notes.append(u"%1: form field %2 names several files; only the first is kept"_s.arg(where, part.name));
            draft.formParts.append(part);
        }
    } else if (mode == u"graphql"_s) {
        const QJsonObject graphql = body.value(u"graphql"_s).toObject();
        QJsonObject payload{{u"query"_s, graphql.value(u"query"_s).toString()}};
        const QJsonDocument variablesDocument = QJsonDocument::fromJson(graphql.value(u"variables"_s).toString().toUtf8());
        if (variablesDocument.isObject())
            payload.insert(u"variables"_s, variablesDocument.object());
        draft.body = QJsonDocument(payload).toJson(QJsonDocument::Compact);
        if (contentType.isEmpty())
            draft.contentType = u"application/json"_s;
    } else if (mode == u"file"_s) {
        plan.skipped.append(u"%1: its body is a file (%2), which a saved request does not send; the request is imported without it"_s.arg(
            where, body.value(u"file"_s).toObject().value(u"src"_s).toString()));
    } else if (!mode.isEmpty()) {
        plan.skipped.append(u"%1: its body mode \"%2\" is not supported; the request is imported without it"_s.arg(where, mode));
    }

    // Postman's dynamic variables ({{$guid}}) have no value in Tokenbench.
    QStringList dynamic;
    const QString all = draft.url + QString::fromUtf8(draft.body) + QString::fromUtf8(QJsonDocument(draft.toJson()).toJson());
    static const QRegularExpression dynamicVariable(u"\\{\\{(\\$\\w+)\\}\\}"_s);
    for (auto it = dynamicVariable.globalMatch(all); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!dynamic.contains(name))
            dynamic.append(name);
    }
    if (!dynamic.isEmpty())
        plan.notes.append(u"%1 uses Postman's dynamic variables (%2), which Tokenbench does not fill in: give them with --var"_s.arg(where, dynamic.join(u", "_s)));
    return draft;
}

bool Walker::request(const QJsonObject &item, const QStringList &folders, const AuthSite &inherited)
{
    const QString name = item.value(u"name"_s).toString().trimmed();
    const QString folder = folders.join(u'/');
    const QString path = folder.isEmpty() ? name : folder + u'/' + name;
    const QString where = u"request %1"_s.arg(path);
    const QJsonValue requestValue = item.value(u"request"_s);
    const QJsonObject request = requestValue.isString() ? QJsonObject{{u"url"_s, requestValue}} : requestValue.toObject();

    SavedRequest saved;
    saved.name = name.isEmpty() ? u"Request"_s : name;
    saved.folder = folder;
    saved.summary = description(request.value(u"description"_s)).trimmed();
    if (saved.summary.isEmpty())
        saved.summary = description(item.value(u"description"_s)).trimmed();
    const QString id = item.value(u"id"_s).toString();
    saved.origin = ImportOrigin{plan.document, id.isEmpty() ? path : id, plan.version};
    saved.draft = draftOf(request, where);
    scripts(item.value(u"event"_s), where);

    AuthSite site = inherited;
    const QJsonObject auth = request.value(u"auth"_s).toObject();
    const QString type = auth.value(u"type"_s).toString();
    if (request.contains(u"auth"_s) && type != u"inherit"_s) {
        site = AuthSite{type == u"noauth"_s || request.value(u"auth"_s).isNull() ? QJsonObject() : auth, u"request:"_s + saved.origin.key, where};
    }
    const QString siteType = site.auth.value(u"type"_s).toString();
    if (site.auth.isEmpty()) {
        // No auth: the environment's token is not sent, unless the request wrote its own
        // Authorization: Bearer {{…}} header, which the environment's token stands for.
        if (!droppedBearerHeader)
            saved.draft.injectionSwitches.append(RequestDraft::InjectionSwitch{u"Authorization"_s, true, std::nullopt});
    } else if (siteType == u"oauth2"_s) {
        if (const qsizetype index = environmentFor(site); index >= 0) {
            if (!firstRequestUrl.contains(index))
                firstRequestUrl.insert(index, saved.draft.url);
        }
    } else if (siteType == u"bearer"_s) {
        const QString token = text(authParams(site.auth, u"bearer"_s).value(u"token"_s));
        if (!token.isEmpty() && !onlyVariables(token)) {
            if (!reportedSites.contains(site.key)) {
                reportedSites.append(site.key);
                plan.notes.append(u"bearer auth of %1 holds a literal token: not imported; Tokenbench gets its own tokens"_s.arg(site.where));
            }
        } else if (!token.isEmpty() && !bearerVariables.contains(token)) {
            bearerVariables.append(token);
            plan.notes.append(u"requests with bearer auth %1 get the environment's token instead"_s.arg(token));
        }
    } else if (!reportedSites.contains(site.key)) {
        reportedSites.append(site.key);
        plan.skipped.append(u"%1 auth of %2 is not imported (Tokenbench injects OAuth 2 bearer tokens); its requests are imported without it"_s.arg(siteType, site.where));
    }
    plan.requests.append(saved);
    return true;
}

bool Walker::walk(const QJsonArray &children, const QStringList &folders, const AuthSite &inherited, int depth)
{
    if (depth > PostmanImport::MaxDepth) {
        error = u"the collection nests folders deeper than %1 levels (at %2)"_s.arg(PostmanImport::MaxDepth).arg(folders.join(u'/'));
        return false;
    }
    for (const QJsonValue &child : children) {
        if (++items > PostmanImport::MaxItems) {
            error = u"the collection has more than %1 items"_s.arg(PostmanImport::MaxItems);
            return false;
        }
        if (!child.isObject()) {
            error = u"an item of %1 is not an object"_s.arg(folders.isEmpty() ? u"the collection"_s : folders.join(u'/'));
            return false;
        }
        const QJsonObject item = child.toObject();
        if (item.contains(u"item"_s)) {
            if (!item.value(u"item"_s).isArray()) {
                error = u"the folder %1's \"item\" is not a list"_s.arg(item.value(u"name"_s).toString());
                return false;
            }
            QString name = item.value(u"name"_s).toString().trimmed();
            name.replace(u'/', u'-'); // the separator of SavedRequest::folder
            const QStringList path = folders + QStringList{name.isEmpty() ? u"Folder"_s : name};
            const QString where = u"folder %1"_s.arg(path.join(u'/'));
            scripts(item.value(u"event"_s), where);
            AuthSite site = inherited;
            const QJsonObject auth = item.value(u"auth"_s).toObject();
            if (item.contains(u"auth"_s) && auth.value(u"type"_s).toString() != u"inherit"_s)
                site = AuthSite{auth.value(u"type"_s).toString() == u"noauth"_s ? QJsonObject() : auth, u"folder:"_s + path.join(u'/'), where};
            if (!walk(item.value(u"item"_s).toArray(), path, site, depth + 1))
                return false;
        } else if (item.contains(u"request"_s)) {
            if (!request(item, folders, inherited))
                return false;
        } else {
            plan.skipped.append(u"an item named \"%1\" in %2 is neither a request nor a folder"_s.arg(
                item.value(u"name"_s).toString(), folders.isEmpty() ? u"the collection"_s : folders.join(u'/')));
        }
    }
    return true;
}

QString guessTier(const QString &name, const QUrl &url, Tier *tier)
{
    const QString haystack = (name + u' ' + url.host()).toLower();
    if (haystack.contains(u"sandbox"_s)) {
        *tier = Tier::Sandbox;
        return u"sandbox"_s;
    }
    if (haystack.contains(u"staging"_s) || haystack.contains(u"stage."_s)) {
        *tier = Tier::Staging;
        return u"staging"_s;
    }
    if (haystack.contains(u"production"_s) || haystack.contains(u"prod."_s) || haystack.contains(u" prod"_s)) {
        *tier = Tier::Production;
        return u"production"_s;
    }
    return {};
}

// Collection or environment variables into *variables; secret ones with a value reported instead.
bool readVariables(const QJsonArray &rows, const QString &source, const Redactor &names, TemplateExpander::Variables *variables,
                   ImportPlan *plan, QString *error)
{
    if (rows.size() > PostmanImport::MaxVariables) {
        *error = u"%1 has more than %2 variables"_s.arg(source).arg(PostmanImport::MaxVariables);
        return false;
    }
    for (const QJsonValue &entry : rows) {
        const QJsonObject row = entry.toObject();
        const QString key = row.value(u"key"_s).toString(row.value(u"id"_s).toString());
        if (key.isEmpty() || row.value(u"disabled"_s).toBool() || row.value(u"enabled"_s) == QJsonValue(false))
            continue;
        const QString value = text(row.value(u"value"_s));
        if (!value.isEmpty() && !onlyVariables(value) && (row.value(u"type"_s).toString() == u"secret"_s || names.isSensitiveField(key))) {
            plan->notes.append(u"%1 variable %2 holds a secret: not imported; Tokenbench keeps secrets in the keychain (for a client secret: tokenbench-cli secret set NAME client-secret)"_s.arg(source, key));
            continue;
        }
        bool replaced = false;
        for (auto &[name, existing] : *variables) {
            if (name == key) {
                existing = value;
                replaced = true;
            }
        }
        if (!replaced)
            variables->append({key, value});
    }
    return true;
}

} // namespace

std::optional<ImportPlan> PostmanImport::read(const QByteArray &collection, QString *error)
{
    const auto fail = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    if (collection.size() > MaxBytes)
        return fail(u"the file is larger than %1 MB"_s.arg(MaxBytes / (1024 * 1024)));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(collection, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(u"not valid JSON: %1 at byte %2"_s.arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = document.object();
    if (!document.isObject())
        return fail(u"not a Postman collection: the document is not a JSON object"_s);
    if (root.contains(u"requests"_s) && !root.contains(u"item"_s))
        return fail(u"a Postman Collection v1 (top-level \"requests\"): export it from Postman as Collection v2.1"_s);
    const QJsonObject info = root.value(u"info"_s).toObject();
    const QString schema = info.value(u"schema"_s).toString();
    if (!root.value(u"item"_s).isArray() || !schema.contains(u"getpostman.com/json/collection/v2"_s)) {
        if (root.value(u"values"_s).isArray())
            return fail(u"a Postman environment, not a collection: import the collection, with this file as its --environment"_s);
        return fail(u"not a Postman Collection v2.1: it needs \"info.schema\" naming the collection schema and an \"item\" list"_s);
    }

    Walker walker;
    ImportPlan &plan = walker.plan;
    plan.sourceKind = SourceKind;
    plan.title = info.value(u"name"_s).toString().trimmed();
    if (plan.title.isEmpty())
        plan.title = u"Postman collection"_s;
    const QString id = info.value(u"_postman_id"_s).toString();
    plan.document = u"postman:"_s + (id.isEmpty() ? plan.title : id);
    plan.version = text(info.value(u"version"_s).isObject() ? info.value(u"version"_s).toObject().value(u"raw"_s) : info.value(u"version"_s));
    if (!schema.contains(u"v2.1"_s))
        plan.notes.append(u"the collection is v2.0; read as v2.1, whose requests and auth it shares"_s);

    if (!readVariables(root.value(u"variable"_s).toArray(), u"the collection's"_s, walker.names, &walker.variables, &plan, error))
        return std::nullopt;
    walker.scripts(root.value(u"event"_s), u"the collection"_s);
    const QJsonObject auth = root.value(u"auth"_s).toObject();
    const AuthSite top{auth.value(u"type"_s).toString() == u"noauth"_s ? QJsonObject() : auth, u"collection"_s, u"the collection"_s};
    if (!walker.walk(root.value(u"item"_s).toArray(), {}, top, 1))
        return fail(walker.error);

    if (plan.environments.isEmpty()) {
        // Nothing to get a token with: one environment still carries the collection's variables,
        // its token URL to be set by the user.
        Environment env;
        env.tier = Environment::NewTier;
        env.origin = ImportOrigin{plan.document, u"collection"_s, plan.version};
        plan.environments.append(env);
        plan.notes.append(u"no oauth2 auth with a client-credentials or password grant: the environment \"%1\" has no token URL yet "
                          "(tokenbench-cli env set \"%1\" --token-url URL --client-id ID)"_s.arg(plan.title));
        for (const SavedRequest &saved : plan.requests) {
            if (!walker.firstRequestUrl.contains(0))
                walker.firstRequestUrl.insert(0, saved.draft.url);
        }
    }
    for (qsizetype i = 0; i < plan.environments.size(); ++i) {
        Environment &env = plan.environments[i];
        env.variables = walker.variables;
        env.name = walker.label.value(i).isEmpty() ? plan.title : u"%1 (%2)"_s.arg(plan.title, walker.label.value(i));
        // The API's origin, to which alone the token goes: that of the first request using it.
        const QUrl api(TemplateExpander::expand(walker.firstRequestUrl.value(i), walker.variables));
        if (api.isValid() && !api.host().isEmpty() && (api.scheme() == u"https"_s || api.scheme() == u"http"_s)) {
            QUrl origin;
            origin.setScheme(api.scheme());
            origin.setHost(api.host());
            origin.setPort(api.port());
            env.apiBaseUrl = origin;
        } else {
            plan.notes.append(u"the environment \"%1\" has no API URL yet: no request names a host the collection's variables resolve "
                              "(tokenbench-cli env set \"%1\" --api-url URL)"_s.arg(env.name));
        }
        guessTier(env.name, env.apiBaseUrl.isEmpty() ? env.tokenUrl : env.apiBaseUrl, &env.tier);
    }
    for (const Walker::PendingSecret &pending : walker.pendingSecrets) {
        plan.notes.append(u"%1 holds %2: not imported (Tokenbench keeps secrets only in the keychain); store it with "
                          "'tokenbench-cli secret set \"%3\" %4'"_s.arg(pending.where, pending.what,
                                                                     plan.environments.at(pending.environment).name, pending.storeAs));
    }
    return plan;
}

bool PostmanImport::addEnvironmentFile(const QByteArray &environmentFile, ImportPlan *plan, QString *error)
{
    if (environmentFile.size() > MaxBytes) {
        *error = u"the environment file is larger than %1 MB"_s.arg(MaxBytes / (1024 * 1024));
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(environmentFile, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"the environment file is not valid JSON: %1 at byte %2"_s.arg(parseError.errorString()).arg(parseError.offset);
        return false;
    }
    const QJsonObject root = document.object();
    if (!root.value(u"values"_s).isArray()) {
        *error = u"not a Postman environment: it has no \"values\" list"_s;
        return false;
    }
    const QString source = u"the Postman environment \"%1\"'s"_s.arg(root.value(u"name"_s).toString());
    const Redactor names;
    for (Environment &env : plan->environments) {
        TemplateExpander::Variables variables = env.variables;
        ImportPlan scratch;
        if (!readVariables(root.value(u"values"_s).toArray(), source, names, &variables, &scratch, error))
            return false;
        env.variables = variables;
        for (const QString &note : scratch.notes) {
            if (!plan->notes.contains(note))
                plan->notes.append(note);
        }
    }
    return true;
}
