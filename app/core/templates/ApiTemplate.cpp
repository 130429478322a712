#include "templates/ApiTemplate.h"

#include "util/JsonFieldReader.h"
#include "util/TemplateExpander.h"

#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
// A template is data written once and compiled in: a member this version does not know is a
// typo, refused rather than silently ignored.
bool onlyKnown(JsonFieldReader &reader, const QStringList &known)
{
    const QJsonObject unknown = reader.unknownMembers(known);
    if (unknown.isEmpty())
        return true;
    return reader.fail(unknown.keys().first(), u"unknown member"_s);
}

bool readAsk(JsonFieldReader &entry, ApiTemplate::Ask *ask)
{
    if (!onlyKnown(entry, {u"name"_s, u"label"_s, u"description"_s, u"kind"_s, u"target"_s, u"required"_s}))
        return false;
    QString kind = u"text"_s;
    QString target = u"variable"_s;
    if (!entry.required(u"name"_s) || !entry.string(u"name"_s, &ask->name) || !entry.required(u"label"_s)
        || !entry.string(u"label"_s, &ask->label) || !entry.string(u"description"_s, &ask->description)
        || !entry.string(u"kind"_s, &kind) || !entry.string(u"target"_s, &target) || !entry.boolean(u"required"_s, &ask->required))
        return false;
    static const QRegularExpression identifier(u"^[A-Za-z_][A-Za-z0-9_.-]*$"_s);
    if (!identifier.match(ask->name).hasMatch())
        return entry.fail(u"name"_s, u"\"%1\" is not a variable name"_s.arg(ask->name));
    const QList<QPair<QString, ApiTemplate::Ask::Kind>> kinds = {{u"text"_s, ApiTemplate::Ask::Kind::Text},
                                                                  {u"host"_s, ApiTemplate::Ask::Kind::Host},
                                                                  {u"url"_s, ApiTemplate::Ask::Kind::Url},
                                                                  {u"id"_s, ApiTemplate::Ask::Kind::Id},
                                                                  {u"path"_s, ApiTemplate::Ask::Kind::Path}};
    bool found = false;
    for (const auto &[name, value] : kinds) {
        if (name == kind) {
            ask->kind = value;
            found = true;
        }
    }
    if (!found)
        return entry.fail(u"kind"_s, u"unknown ask kind \"%1\" (expected text, host, url or id)"_s.arg(kind));
    if (target == u"variable"_s)
        ask->target = ApiTemplate::Ask::Target::Variable;
    else if (target == u"clientId"_s)
        ask->target = ApiTemplate::Ask::Target::ClientId;
    else if (target == u"username"_s)
        ask->target = ApiTemplate::Ask::Target::Username;
    else
        return entry.fail(u"target"_s, u"unknown target \"%1\" (expected variable, clientId or username)"_s.arg(target));
    return true;
}

bool readTier(JsonFieldReader &entry, ApiTemplate::TierVariant *variant)
{
    if (!onlyKnown(entry, {u"tier"_s, u"tokenUrl"_s, u"apiBaseUrl"_s, u"note"_s}))
        return false;
    QString tier;
    if (!entry.required(u"tier"_s) || !entry.string(u"tier"_s, &tier) || !entry.required(u"tokenUrl"_s)
        || !entry.string(u"tokenUrl"_s, &variant->tokenUrl) || !entry.required(u"apiBaseUrl"_s)
        || !entry.string(u"apiBaseUrl"_s, &variant->apiBaseUrl) || !entry.string(u"note"_s, &variant->note))
        return false;
    if (tier != u"any"_s) {
        const auto value = Environment::tierFromName(tier);
        if (!value || *value == Tier::Custom)
            return entry.fail(u"tier"_s, u"unknown tier \"%1\" (expected sandbox, staging, production or any)"_s.arg(tier));
        variant->tier = value;
    }
    for (const QString *url : {&variant->tokenUrl, &variant->apiBaseUrl}) {
        if (!url->startsWith(u"https://"_s) && !url->startsWith(u"{{"_s))
            return entry.fail(url == &variant->tokenUrl ? u"tokenUrl"_s : u"apiBaseUrl"_s,
                              u"\"%1\" must start with https:// or an asked {{url}}"_s.arg(*url));
    }
    return true;
}

bool readScopeRequirements(JsonFieldReader &entry, QList<ScopeRequirement> *out)
{
    const QJsonValue value = entry.object().value(u"requiredScopes"_s);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray())
        return entry.fail(u"requiredScopes"_s, u"expected a list of scope lists"_s);
    for (const QJsonValue &alternative : value.toArray()) {
        if (!alternative.isArray())
            return entry.fail(u"requiredScopes"_s, u"expected a list of scope lists"_s);
        ScopeRequirement requirement;
        for (const QJsonValue &scope : alternative.toArray()) {
            if (!scope.isString())
                return entry.fail(u"requiredScopes"_s, u"expected scope names, found %1"_s.arg(JsonFieldReader::typeName(scope)));
            requirement.scopes.append(scope.toString());
        }
        out->append(requirement);
    }
    return true;
}

bool readRequest(JsonFieldReader &entry, ApiTemplate::Request *request)
{
    if (!onlyKnown(entry, {u"name"_s, u"folder"_s, u"summary"_s, u"method"_s, u"path"_s, u"body"_s, u"requiredScopes"_s, u"successStatus"_s}))
        return false;
    qint64 status = 0;
    if (!entry.required(u"name"_s) || !entry.string(u"name"_s, &request->name) || !entry.string(u"folder"_s, &request->folder)
        || !entry.string(u"summary"_s, &request->summary) || !entry.required(u"method"_s) || !entry.string(u"method"_s, &request->method)
        || !entry.required(u"path"_s) || !entry.string(u"path"_s, &request->path) || !entry.integer(u"successStatus"_s, &status, 0, 599)
        || !readScopeRequirements(entry, &request->requiredScopes))
        return false;
    request->successStatus = int(status);
    // A path the seed does not give starts with an asked {{path}} (checked once the asks are read).
    if (!request->path.startsWith(u'/') && !request->path.startsWith(u"{{"_s))
        return entry.fail(u"path"_s, u"\"%1\" must be a path under the API base URL (starting with / or an asked {{path}})"_s.arg(request->path));
    const QJsonValue body = entry.object().value(u"body"_s);
    if (body.isObject())
        request->body = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        request->body = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    else if (!body.isUndefined() && !body.isNull())
        return entry.fail(u"body"_s, u"expected a JSON object or array, found %1"_s.arg(JsonFieldReader::typeName(body)));
    return true;
}
} // namespace

std::optional<ApiTemplate> ApiTemplate::fromJson(const QJsonObject &json, QString *error)
{
    ApiTemplate t;
    JsonFieldReader reader(json);
    const auto failed = [&reader, error] {
        *error = reader.error();
        return std::nullopt;
    };
    if (!onlyKnown(reader, {u"schema"_s, u"id"_s, u"title"_s, u"seed"_s, u"seedTitle"_s, u"summary"_s, u"grant"_s, u"clientAuth"_s,
                            u"token"_s, u"tiers"_s, u"asks"_s, u"clientId"_s, u"kinds"_s, u"scopeCatalog"_s, u"defaultScopes"_s,
                            u"contextHeaders"_s, u"variables"_s, u"tokenParams"_s, u"requestHeaders"_s, u"requests"_s, u"errors"_s,
                            u"notes"_s}))
        return failed();
    qint64 schema = 0;
    if (!reader.required(u"schema"_s) || !reader.integer(u"schema"_s, &schema, 1, 1))
        return failed();
    QString grant, clientAuth;
    if (!reader.required(u"id"_s) || !reader.string(u"id"_s, &t.id) || !reader.required(u"title"_s) || !reader.string(u"title"_s, &t.title)
        || !reader.string(u"seed"_s, &t.seed) || !reader.string(u"seedTitle"_s, &t.seedTitle) || !reader.string(u"summary"_s, &t.summary)
        || !reader.required(u"grant"_s) || !reader.string(u"grant"_s, &grant) || !reader.required(u"clientAuth"_s)
        || !reader.string(u"clientAuth"_s, &clientAuth) || !reader.string(u"clientId"_s, &t.clientId)
        || !reader.stringList(u"defaultScopes"_s, &t.defaultScopes) || !reader.stringList(u"notes"_s, &t.notes))
        return failed();
    static const QRegularExpression idPattern(u"^[a-z0-9][a-z0-9-]*$"_s);
    if (!idPattern.match(t.id).hasMatch())
        return reader.fail(u"id"_s, u"\"%1\" is not a template id (lowercase letters, digits and -)"_s.arg(t.id)), failed();
    const auto grantValue = Environment::grantFromName(grant);
    if (!grantValue)
        return reader.fail(u"grant"_s, u"unknown grant \"%1\""_s.arg(grant)), failed();
    t.grant = *grantValue;
    const auto authValue = Environment::clientAuthFromName(clientAuth);
    if (!authValue)
        return reader.fail(u"clientAuth"_s, u"unknown client authentication \"%1\" (expected basic, body or json)"_s.arg(clientAuth)), failed();
    t.clientAuth = *authValue;

    const bool read = reader.object(u"token"_s, [&t](JsonFieldReader &token) {
        qint64 lifetime = 0;
        if (!onlyKnown(token, {u"type"_s, u"format"_s, u"lifetimeSeconds"_s}) || !token.string(u"type"_s, &t.tokenType)
            || !token.string(u"format"_s, &t.tokenFormat) || !token.integer(u"lifetimeSeconds"_s, &lifetime, 0, 365LL * 86400))
            return false;
        t.tokenLifetimeSeconds = int(lifetime);
        return true;
    }) && reader.objectList(u"tiers"_s, [&t](JsonFieldReader &entry) {
        TierVariant variant;
        if (!readTier(entry, &variant))
            return false;
        t.tiers.append(variant);
        return true;
    }) && reader.objectList(u"asks"_s, [&t](JsonFieldReader &entry) {
        Ask ask;
        if (!readAsk(entry, &ask))
            return false;
        t.asks.append(ask);
        return true;
    }) && reader.objectList(u"kinds"_s, [&t](JsonFieldReader &entry) {
        Kind kind;
        if (!onlyKnown(entry, {u"id"_s, u"title"_s, u"description"_s, u"defaultScopes"_s}) || !entry.required(u"id"_s)
            || !entry.string(u"id"_s, &kind.id) || !entry.required(u"title"_s) || !entry.string(u"title"_s, &kind.title)
            || !entry.string(u"description"_s, &kind.description) || !entry.stringList(u"defaultScopes"_s, &kind.defaultScopes))
            return false;
        t.kinds.append(kind);
        return true;
    }) && reader.objectList(u"scopeCatalog"_s, [&t](JsonFieldReader &entry) {
        CatalogScope scope;
        if (!onlyKnown(entry, {u"name"_s, u"description"_s}) || !entry.required(u"name"_s) || !entry.string(u"name"_s, &scope.name)
            || !entry.string(u"description"_s, &scope.description))
            return false;
        t.scopeCatalog.append(scope);
        return true;
    }) && reader.objectList(u"contextHeaders"_s, [&t](JsonFieldReader &entry) {
        HeaderTemplate header;
        if (!onlyKnown(entry, {u"name"_s, u"value"_s}) || !entry.required(u"name"_s) || !entry.string(u"name"_s, &header.name)
            || !entry.required(u"value"_s) || !entry.string(u"value"_s, &header.valueTemplate))
            return false;
        if (header.name.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0)
            return entry.fail(u"name"_s, u"Authorization is set from the token; it cannot be a context header"_s);
        t.contextHeaders.append(header);
        return true;
    }) && reader.objectList(u"variables"_s, [&t](JsonFieldReader &entry) {
        QPair<QString, QString> variable;
        if (!onlyKnown(entry, {u"name"_s, u"value"_s}) || !entry.required(u"name"_s) || !entry.string(u"name"_s, &variable.first)
            || !entry.string(u"value"_s, &variable.second))
            return false;
        t.variables.append(variable);
        return true;
    }) && reader.objectList(u"tokenParams"_s, [&t](JsonFieldReader &entry) {
        TokenParam param;
        if (!onlyKnown(entry, {u"name"_s, u"value"_s, u"secret"_s}) || !entry.required(u"name"_s) || !entry.string(u"name"_s, &param.name)
            || !entry.string(u"value"_s, &param.value) || !entry.boolean(u"secret"_s, &param.secret))
            return false;
        if (param.secret && !param.value.isEmpty())
            return entry.fail(u"value"_s, u"a secret parameter's value lives in the keychain, never in a template"_s);
        t.tokenParams.append(param);
        return true;
    }) && reader.objectList(u"requestHeaders"_s, [&t](JsonFieldReader &entry) {
        RequestDraft::Row row;
        if (!onlyKnown(entry, {u"name"_s, u"value"_s}) || !entry.required(u"name"_s) || !entry.string(u"name"_s, &row.name)
            || !entry.string(u"value"_s, &row.value))
            return false;
        t.requestHeaders.append(row);
        return true;
    }) && reader.objectList(u"requests"_s, [&t](JsonFieldReader &entry) {
        Request request;
        if (!readRequest(entry, &request))
            return false;
        t.requests.append(request);
        return true;
    }) && reader.objectList(u"errors"_s, [&t](JsonFieldReader &entry) {
        DocumentedError documented;
        qint64 status = 0;
        if (!onlyKnown(entry, {u"status"_s, u"when"_s, u"body"_s}) || !entry.required(u"status"_s)
            || !entry.integer(u"status"_s, &status, 100, 599) || !entry.string(u"when"_s, &documented.when))
            return false;
        documented.status = int(status);
        const QJsonValue body = entry.object().value(u"body"_s);
        if (body.isObject())
            documented.body = body.toObject();
        else if (!body.isUndefined())
            return entry.fail(u"body"_s, u"expected an object, found %1"_s.arg(JsonFieldReader::typeName(body)));
        t.errors.append(documented);
        return true;
    });
    if (!read || !reader.ok())
        return failed();

    if (t.tiers.isEmpty())
        return reader.fail(u"tiers"_s, u"a template needs at least one tier"_s), failed();
    const bool anyTier = std::any_of(t.tiers.cbegin(), t.tiers.cend(), [](const TierVariant &v) { return !v.tier; });
    if (anyTier && t.tiers.size() > 1)
        return reader.fail(u"tiers"_s, u"\"any\" is the only tier of a template whose seed names none"_s), failed();

    // Every {{name}} applied at creation must be asked for: nothing is invented.
    QStringList asked;
    for (const Ask &ask : std::as_const(t.asks)) {
        if (asked.contains(ask.name))
            return reader.fail(u"asks"_s, u"\"%1\" is asked for twice"_s.arg(ask.name)), failed();
        asked.append(ask.name);
    }
    QStringList known = asked;
    for (const auto &variable : std::as_const(t.variables))
        known.append(variable.first);
    const auto check = [&](const QString &text, const QString &where, const QStringList &allowed) {
        for (const QString &name : TemplateExpander::placeholders(text)) {
            if (!allowed.contains(name)) {
                reader.fail(where, u"{{%1}} is neither asked for nor a variable of the template"_s.arg(name));
                return false;
            }
        }
        return true;
    };
    for (const TierVariant &variant : std::as_const(t.tiers)) {
        if (!check(variant.tokenUrl, u"tiers"_s, asked) || !check(variant.apiBaseUrl, u"tiers"_s, asked))
            return failed();
    }
    for (const TokenParam &param : std::as_const(t.tokenParams)) {
        if (!check(param.value, u"tokenParams"_s, asked))
            return failed();
    }
    for (const CatalogScope &scope : std::as_const(t.scopeCatalog)) {
        if (!check(scope.name, u"scopeCatalog"_s, asked) || !check(scope.description, u"scopeCatalog"_s, asked))
            return failed();
    }
    for (const HeaderTemplate &header : std::as_const(t.contextHeaders)) {
        if (!check(header.valueTemplate, u"contextHeaders"_s, known))
            return failed();
    }
    for (const Request &request : std::as_const(t.requests)) {
        if (!check(request.path, u"requests"_s, known))
            return failed();
        if (request.path.startsWith(u"{{"_s)) {
            const QString leading = request.path.mid(2, request.path.indexOf(u"}}"_s) - 2).trimmed();
            const auto ask = std::find_if(t.asks.cbegin(), t.asks.cend(), [&leading](const Ask &a) { return a.name == leading; });
            if (ask == t.asks.cend() || ask->kind != Ask::Kind::Path)
                return reader.fail(u"requests"_s, u"request %1: a path that does not start with / must start with an asked {{path}}"_s.arg(request.name)),
                       failed();
        }
    }
    for (const Kind &kind : std::as_const(t.kinds)) {
        for (const QString &scope : kind.defaultScopes) {
            if (!std::any_of(t.scopeCatalog.cbegin(), t.scopeCatalog.cend(), [&scope](const CatalogScope &c) { return c.name == scope; }))
                return reader.fail(u"kinds"_s, u"kind %1: default scope \"%2\" is not in the scope catalog"_s.arg(kind.id, scope)), failed();
        }
    }
    if (!t.kinds.isEmpty() && !t.defaultScopes.isEmpty())
        return reader.fail(u"defaultScopes"_s, u"a template with kinds gives default scopes per kind"_s), failed();
    return t;
}

const ApiTemplate::TierVariant *ApiTemplate::variantFor(Tier tier) const
{
    for (const TierVariant &variant : tiers) {
        if (!variant.tier || *variant.tier == tier)
            return &variant;
    }
    return nullptr;
}

const ApiTemplate::Kind *ApiTemplate::kind(const QString &kindId) const
{
    for (const Kind &each : kinds) {
        if (each.id == kindId)
            return &each;
    }
    return nullptr;
}

QStringList ApiTemplate::tierNames() const
{
    QStringList names;
    for (const TierVariant &variant : tiers)
        names.append(variant.tier ? Environment::tierName(*variant.tier) : u"any"_s);
    return names;
}

QString ApiTemplate::askKindName(Ask::Kind kind)
{
    switch (kind) {
    case Ask::Kind::Text: return u"text"_s;
    case Ask::Kind::Host: return u"host"_s;
    case Ask::Kind::Url: return u"url"_s;
    case Ask::Kind::Id: return u"id"_s;
    case Ask::Kind::Path: return u"path"_s;
    }
    return {};
}
