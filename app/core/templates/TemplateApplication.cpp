#include "templates/TemplateApplication.h"

#include "oauth/TokenRequest.h"
#include "util/TemplateExpander.h"

using namespace Qt::StringLiterals;

namespace {
QString valueOf(const TemplateChoice &choice, const QString &name)
{
    for (const auto &[key, value] : choice.values) {
        if (key == name)
            return value.trimmed();
    }
    return {};
}

bool isWebUrl(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() && (url.scheme() == u"https"_s || url.scheme() == u"http"_s) && url.userInfo().isEmpty();
}
} // namespace

QList<ApiTemplate::Ask> TemplateApplication::missingAsks(const ApiTemplate &apiTemplate, const TemplateChoice &choice)
{
    QList<ApiTemplate::Ask> missing;
    for (const ApiTemplate::Ask &ask : apiTemplate.asks) {
        if (ask.required && valueOf(choice, ask.name).isEmpty())
            missing.append(ask);
    }
    return missing;
}

bool TemplateApplication::acceptable(const ApiTemplate::Ask &ask, const QString &value, QString *why)
{
    for (const QChar c : value) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator) {
            *why = u"%1 must be one line of text"_s.arg(ask.label);
            return false;
        }
    }
    switch (ask.kind) {
    case ApiTemplate::Ask::Kind::Host: {
        const QUrl url(u"https://"_s + value, QUrl::StrictMode);
        if (value.contains(u"://"_s) || value.contains(u'/') || value.contains(u'@') || !url.isValid() || url.host().isEmpty()) {
            *why = u"%1 must be a host name such as api.example.com, not \"%2\""_s.arg(ask.label, value);
            return false;
        }
        return true;
    }
    case ApiTemplate::Ask::Kind::Url: {
        const QUrl url(value, QUrl::StrictMode);
        if (!isWebUrl(url)) {
            *why = u"%1 must be an http(s) URL without a user name or password, not \"%2\""_s.arg(ask.label, value);
            return false;
        }
        if (url.scheme() == u"http"_s && !TokenRequest::isLoopback(url)) {
            *why = u"%1 must use https (plain http only on this computer), not \"%2\""_s.arg(ask.label, value);
            return false;
        }
        return true;
    }
    case ApiTemplate::Ask::Kind::Id:
        if (value.contains(u' ')) {
            *why = u"%1 must be an id without spaces, not \"%2\""_s.arg(ask.label, value);
            return false;
        }
        return true;
    case ApiTemplate::Ask::Kind::Path:
        // Appended to the API base URL: a path, never a URL or a host of its own.
        if (!value.startsWith(u'/') || value.startsWith(u"//"_s) || value.contains(u"://"_s) || value.contains(u' ')
            || value.contains(u'#')) {
            *why = u"%1 must be a path under the API base URL such as /v1/accounts, not \"%2\""_s.arg(ask.label, value);
            return false;
        }
        return true;
    case ApiTemplate::Ask::Kind::Text:
        return true;
    }
    return true;
}

Tier TemplateApplication::defaultTier(const ApiTemplate &apiTemplate)
{
    if (!apiTemplate.tiers.isEmpty() && apiTemplate.tiers.first().tier)
        return *apiTemplate.tiers.first().tier;
    return Environment::NewTier;
}

std::optional<Environment> TemplateApplication::environment(const ApiTemplate &apiTemplate, const TemplateChoice &choice, QString *error)
{
    const Tier tier = choice.tier.value_or(defaultTier(apiTemplate));
    const ApiTemplate::TierVariant *variant = apiTemplate.variantFor(tier);
    if (!variant) {
        *error = u"the %1 template documents the tiers %2, not %3"_s.arg(apiTemplate.id, apiTemplate.tierNames().join(u", "_s),
                                                                          Environment::tierName(tier));
        return std::nullopt;
    }
    const ApiTemplate::Kind *kind = nullptr;
    if (!apiTemplate.kinds.isEmpty()) {
        kind = choice.kind.isEmpty() ? &apiTemplate.kinds.first() : apiTemplate.kind(choice.kind);
        if (!kind) {
            QStringList ids;
            for (const auto &each : apiTemplate.kinds)
                ids.append(each.id);
            *error = u"the %1 template has no token kind \"%2\" (it has %3)"_s.arg(apiTemplate.id, choice.kind, ids.join(u", "_s));
            return std::nullopt;
        }
    } else if (!choice.kind.isEmpty()) {
        *error = u"the %1 template has a single kind of token"_s.arg(apiTemplate.id);
        return std::nullopt;
    }
    const QList<ApiTemplate::Ask> missing = missingAsks(apiTemplate, choice);
    if (!missing.isEmpty()) {
        QStringList names;
        for (const auto &ask : missing)
            names.append(ask.name);
        *error = u"the %1 template needs %2"_s.arg(apiTemplate.id, names.join(u", "_s));
        return std::nullopt;
    }

    Environment env;
    env.name = choice.environmentName;
    env.tier = tier;
    env.grant = apiTemplate.grant;
    env.clientAuth = apiTemplate.clientAuth;
    env.clientId = apiTemplate.clientId;
    TemplateExpander::Variables asked;
    for (const ApiTemplate::Ask &ask : apiTemplate.asks) {
        const QString value = valueOf(choice, ask.name);
        if (value.isEmpty())
            continue;
        QString why;
        if (!acceptable(ask, value, &why)) {
            *error = why;
            return std::nullopt;
        }
        asked.append({ask.name, value});
        switch (ask.target) {
        case ApiTemplate::Ask::Target::ClientId: env.clientId = value; break;
        case ApiTemplate::Ask::Target::Username: env.username = value; break;
        case ApiTemplate::Ask::Target::Variable: env.variables.append({ask.name, value}); break;
        }
    }
    for (const auto &variable : apiTemplate.variables) {
        if (valueOf(choice, variable.first).isEmpty())
            env.variables.append(variable);
        else
            env.variables.append({variable.first, valueOf(choice, variable.first)});
    }

    // An optional ask left empty leaves its {{name}} unresolved: such a URL or scope is refused,
    // never sent with the braces in it.
    const auto expand = [&asked, error](const QString &text, const QString &what, QString *out) {
        QStringList unresolved;
        *out = TemplateExpander::expand(text, asked, &unresolved);
        if (!unresolved.isEmpty()) {
            *error = u"%1 needs {{%2}}"_s.arg(what, unresolved.first());
            return false;
        }
        return true;
    };
    QString tokenUrl, apiBaseUrl;
    if (!expand(variant->tokenUrl, u"the token URL"_s, &tokenUrl) || !expand(variant->apiBaseUrl, u"the API base URL"_s, &apiBaseUrl))
        return std::nullopt;
    env.tokenUrl = QUrl(tokenUrl, QUrl::StrictMode);
    env.apiBaseUrl = QUrl(apiBaseUrl, QUrl::StrictMode);
    if (!isWebUrl(env.tokenUrl) || !isWebUrl(env.apiBaseUrl)) {
        *error = u"the values given make no http(s) URL: %1, %2"_s.arg(tokenUrl, apiBaseUrl);
        return std::nullopt;
    }
    for (const CatalogScope &scope : apiTemplate.scopeCatalog) {
        CatalogScope entry;
        // A catalog entry made of an optional value left empty is left out, not offered half-made.
        if (!expand(scope.name, u"the scope"_s, &entry.name) || !expand(scope.description, u"the scope"_s, &entry.description)) {
            error->clear();
            continue;
        }
        env.scopeCatalog.append(entry);
    }
    for (const QString &scope : kind ? kind->defaultScopes : apiTemplate.defaultScopes) {
        QString expanded;
        if (!expand(scope, u"the default scope"_s, &expanded))
            return std::nullopt;
        env.scopes.append(expanded);
    }
    for (const TokenParam &param : apiTemplate.tokenParams) {
        TokenParam expanded = param;
        if (!expand(param.value, u"the token parameter %1"_s.arg(param.name), &expanded.value))
            return std::nullopt;
        env.params.append(expanded);
    }
    env.headers = apiTemplate.contextHeaders;
    env.origin = {originDocument(apiTemplate), env.name, {}};
    return env;
}

QList<SavedRequest> TemplateApplication::requests(const ApiTemplate &apiTemplate)
{
    QList<SavedRequest> out;
    for (const ApiTemplate::Request &request : apiTemplate.requests) {
        SavedRequest saved;
        saved.name = request.name;
        saved.folder = request.folder;
        saved.summary = request.summary;
        saved.draft.method = request.method;
        saved.draft.url = request.path;
        saved.draft.headers = apiTemplate.requestHeaders;
        if (!request.body.isEmpty()) {
            saved.draft.body = request.body;
            saved.draft.contentType = u"application/json"_s;
        }
        saved.requiredScopes = request.requiredScopes;
        saved.successStatus = request.successStatus;
        saved.origin = {originDocument(apiTemplate), request.name, {}};
        out.append(saved);
    }
    return out;
}

std::optional<ImportPlan> TemplateApplication::plan(const ApiTemplate &apiTemplate, const TemplateChoice &choice, QString *error)
{
    const auto env = environment(apiTemplate, choice, error);
    if (!env)
        return std::nullopt;
    ImportPlan out = requestPlan(apiTemplate);
    out.environments = {*env};
    out.notes = notes(apiTemplate, env->tier);
    for (const ApiTemplate::Ask &ask : apiTemplate.asks)
        out.inputs.append({env->origin.key, ask.name, ask.description, {}});
    return out;
}

ImportPlan TemplateApplication::requestPlan(const ApiTemplate &apiTemplate)
{
    ImportPlan out;
    out.sourceKind = u"Template"_s;
    out.title = apiTemplate.title;
    out.document = originDocument(apiTemplate);
    out.requests = requests(apiTemplate);
    return out;
}

QStringList TemplateApplication::notes(const ApiTemplate &apiTemplate, Tier tier)
{
    QStringList out;
    if (const ApiTemplate::TierVariant *variant = apiTemplate.variantFor(tier); variant && !variant->note.isEmpty())
        out.append(variant->note);
    out.append(apiTemplate.notes);
    return out;
}
