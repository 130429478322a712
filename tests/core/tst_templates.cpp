#include "demo/DemoScopes.h"
#include "http/RequestBuilder.h"
#include "secrets/CredentialScan.h"
#include "util/TemplateExpander.h"
#include "templates/TemplateApplication.h"
#include "templates/TemplateCatalog.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using Values = QList<QPair<QString, QString>>;

namespace {
const ApiTemplate &builtIn(const QString &id)
{
    const ApiTemplate *found = TemplateCatalog::builtIn().find(id);
    if (!found)
        qFatal("no built-in template %s", qPrintable(id));
    return *found;
}

TemplateChoice choice(const QString &name, const QList<QPair<QString, QString>> &values, std::optional<Tier> tier = std::nullopt)
{
    TemplateChoice out;
    out.environmentName = name;
    out.tier = tier;
    out.values = values;
    return out;
}

const SavedRequest *requestNamed(const QList<SavedRequest> &requests, const QString &name)
{
    const auto found = std::find_if(requests.cbegin(), requests.cend(), [&name](const SavedRequest &r) { return r.name == name; });
    return found == requests.cend() ? nullptr : &*found;
}

QStringList scopeNames(const QList<CatalogScope> &catalog)
{
    QStringList names;
    for (const CatalogScope &scope : catalog)
        names.append(scope.name);
    return names;
}
} // namespace

class TestTemplates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Every shipped template reads and passes validation; none is silently left out.
    void everyBuiltInTemplateReads()
    {
        const TemplateCatalog &catalog = TemplateCatalog::builtIn();
        QVERIFY2(catalog.problems().isEmpty(), qPrintable(catalog.problems().join(u'\n')));
        QCOMPARE(catalog.ids(), (QStringList{u"banking"_s, u"cybrid"_s, u"cyclr"_s, u"cymbio"_s, u"demo"_s, u"enterprise-obo"_s}));
        for (const ApiTemplate &t : catalog.templates()) {
            QVERIFY2(!t.title.isEmpty() && !t.summary.isEmpty(), qPrintable(t.id));
            QVERIFY2(!t.tiers.isEmpty(), qPrintable(t.id));
            // The seed's values the user must supply are asked for, the client id among them.
            const bool clientIdAsked = std::any_of(t.asks.cbegin(), t.asks.cend(),
                                                   [](const ApiTemplate::Ask &a) { return a.target == ApiTemplate::Ask::Target::ClientId; });
            QVERIFY2(clientIdAsked || !t.clientId.isEmpty(), qPrintable(t.id));
            for (const ApiTemplate::Request &request : t.requests) {
                for (const ScopeRequirement &requirement : request.requiredScopes) {
                    for (const QString &scope : requirement.scopes)
                        QVERIFY2(scopeNames(t.scopeCatalog).contains(scope), qPrintable(t.id + u": "_s + scope));
                }
            }
        }
        // The source folder holds exactly what is compiled in.
        const QDir source(QStringLiteral(TOKENBENCH_TEMPLATES_DIR));
        QCOMPARE(source.entryList({u"*.json"_s}, QDir::Files, QDir::Name).size(), catalog.templates().size());
        QVERIFY(TemplateCatalog::load(source.path()).problems().isEmpty());
    }

    void seedFacts()
    {
        const ApiTemplate &cybrid = builtIn(u"cybrid"_s);
        QCOMPARE(cybrid.clientAuth, ClientAuthStyle::Json);
        QCOMPARE(cybrid.scopeCatalog.size(), 12 * 3);
        for (const QString &resource : {u"accounts"_s, u"deposit_addresses"_s, u"external_bank_accounts"_s, u"workflows"_s}) {
            for (const QString &level : {u"read"_s, u"write"_s, u"execute"_s})
                QVERIFY(scopeNames(cybrid.scopeCatalog).contains(resource + u':' + level));
        }
        QCOMPARE(cybrid.kinds.size(), 2);

        const ApiTemplate &banking = builtIn(u"banking"_s);
        QCOMPARE(banking.clientAuth, ClientAuthStyle::Body);
        QCOMPARE(banking.tokenLifetimeSeconds, 3600);
        QCOMPARE(banking.tokenFormat, u"opaque"_s);

        const ApiTemplate &cymbio = builtIn(u"cymbio"_s);
        QCOMPARE(cymbio.tierNames(), (QStringList{u"staging"_s, u"production"_s}));
        QCOMPARE(cymbio.variantFor(Tier::Production)->tokenUrl, u"https://api.cym.bio/oauth/token"_s);
        QCOMPARE(cymbio.variantFor(Tier::Staging)->tokenUrl, u"https://cymbio3-api-staging.cym.bio/oauth/token"_s);
        QCOMPARE(cymbio.tokenLifetimeSeconds, 300);
        QCOMPARE(cymbio.scopeCatalog.size(), 14);

        const ApiTemplate &cyclr = builtIn(u"cyclr"_s);
        QCOMPARE(cyclr.tokenLifetimeSeconds, 14 * 86400);
        QCOMPARE(cyclr.contextHeaders, (QList<HeaderTemplate>{{u"X-Cyclr-Account"_s, u"{{accountId}}"_s}}));

        const ApiTemplate &obo = builtIn(u"enterprise-obo"_s);
        QCOMPARE(obo.contextHeaders, (QList<HeaderTemplate>{{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}}));
        QCOMPARE(obo.defaultScopes, QStringList{u"core.users:act-on-behalf-of"_s});
        const auto blocked = std::find_if(obo.errors.cbegin(), obo.errors.cend(), [](const auto &e) { return e.status == 409; });
        QVERIFY(blocked != obo.errors.cend());
        QCOMPARE(blocked->body.value(u"code"_s).toString(), u"operation-not-allowed"_s);
    }

    // The Demo template offers the scopes the Demo API enforces, with the same descriptions.
    void demoCatalogIsTheDemoApis()
    {
        const ApiTemplate &demo = builtIn(u"demo"_s);
        QCOMPARE(demo.scopeCatalog.size(), DemoScopes::all().size());
        for (int i = 0; i < demo.scopeCatalog.size(); ++i) {
            QCOMPARE(demo.scopeCatalog.at(i).name, DemoScopes::all().at(i).name);
            QCOMPARE(demo.scopeCatalog.at(i).description, DemoScopes::all().at(i).description);
        }
    }

    // The typo the Cymbio seed has in its production URL is fixed and said so when applied.
    void cymbioProductionNoteExplainsTheTypo()
    {
        const QStringList notes = TemplateApplication::notes(builtIn(u"cymbio"_s), Tier::Production);
        QVERIFY(notes.first().contains(u"htttps://api.cym.bio/oauth/token"_s));
        QVERIFY(notes.first().contains(u"typo"_s));
        QVERIFY(!TemplateApplication::notes(builtIn(u"cymbio"_s), Tier::Staging).first().contains(u"typo"_s));
    }

    void applyFillsAskedValuesAndNothingElse()
    {
        QString error;
        const auto env = TemplateApplication::environment(
                builtIn(u"cyclr"_s), choice(u"Cyclr EU"_s, {{u"apiDomain"_s, u"api.eu.cyclr.test"_s}, {u"clientId"_s, u"abcdefg"_s},
                                                             {u"accountId"_s, u"acc-42"_s}}), &error);
        QVERIFY2(env, qPrintable(error));
        QCOMPARE(env->name, u"Cyclr EU"_s);
        QCOMPARE(env->tier, Tier::Custom); // the seed names no tier: the user's to choose
        QCOMPARE(env->tokenUrl, QUrl(u"https://api.eu.cyclr.test/oauth/token"_s));
        QCOMPARE(env->apiBaseUrl, QUrl(u"https://api.eu.cyclr.test"_s));
        QCOMPARE(env->clientId, u"abcdefg"_s);
        QCOMPARE(env->clientAuth, ClientAuthStyle::Body);
        QCOMPARE(env->variables, (QList<QPair<QString, QString>>{{u"apiDomain"_s, u"api.eu.cyclr.test"_s}, {u"accountId"_s, u"acc-42"_s}}));
        QCOMPARE(env->headers.first().valueTemplate, u"{{accountId}}"_s);
        QCOMPARE(scopeNames(env->scopeCatalog), QStringList{u"account:acc-42"_s});
        QVERIFY(env->scopes.isEmpty());
        QCOMPARE(env->origin.document, u"template:cyclr"_s);

        const auto cymbio = TemplateApplication::environment(
                builtIn(u"cymbio"_s), choice(u"Cymbio"_s, {{u"clientId"_s, u"cid"_s}, {u"username"_s, u"me@example.com"_s}}, Tier::Production), &error);
        QVERIFY2(cymbio, qPrintable(error));
        QCOMPARE(cymbio->tokenUrl, QUrl(u"https://api.cym.bio/oauth/token"_s));
        QCOMPARE(cymbio->params, (QList<TokenParam>{{u"username"_s, u"me@example.com"_s, false}, {u"password"_s, {}, true}}));
        QCOMPARE(cymbio->scopeCatalog.size(), 14);

        const auto org = TemplateApplication::environment(builtIn(u"cybrid"_s),
                                                          [] {
                                                              TemplateChoice c = choice(u"Org"_s, {{u"apiHost"_s, u"bank.sandbox.example"_s}, {u"clientId"_s, u"o"_s}});
                                                              c.kind = u"organization"_s;
                                                              return c;
                                                          }(),
                                                          &error);
        QVERIFY2(org, qPrintable(error));
        QCOMPARE(org->scopes, (QStringList{u"organizations:read"_s, u"banks:read"_s}));
        QCOMPARE(org->tier, Tier::Sandbox);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<Values>("values");
        QTest::addColumn<int>("tier"); // -1: none
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << u"cyclr"_s << Values{{u"clientId"_s, u"x"_s}} << -1 << QString() << u"needs apiDomain, accountId"_s;
        QTest::newRow("host with scheme") << u"cyclr"_s << Values{{u"apiDomain"_s, u"https://a.test"_s}, {u"clientId"_s, u"x"_s}, {u"accountId"_s, u"1"_s}}
                                          << -1 << QString() << u"must be a host name"_s;
        QTest::newRow("plain http") << u"banking"_s << Values{{u"apiBaseUrl"_s, u"http://bank.test"_s}, {u"clientId"_s, u"x"_s}} << -1 << QString()
                                    << u"must use https"_s;
        QTest::newRow("header injection") << u"enterprise-obo"_s
                                          << Values{{u"tokenUrl"_s, u"https://e.test/t"_s}, {u"apiBaseUrl"_s, u"https://e.test"_s},
                                                    {u"clientId"_s, u"x"_s}, {u"userId"_s, u"u1\r\nX-Evil: 1"_s}}
                                          << -1 << QString() << u"one line"_s;
        QTest::newRow("undocumented tier") << u"cymbio"_s << Values{{u"clientId"_s, u"x"_s}, {u"username"_s, u"u"_s}} << int(Tier::Sandbox) << QString()
                                           << u"documents the tiers staging, production, not sandbox"_s;
        QTest::newRow("path that is a URL") << u"banking"_s
                                            << Values{{u"apiBaseUrl"_s, u"https://bank.test"_s}, {u"clientId"_s, u"x"_s}, {u"protectedPath"_s, u"https://evil.test/x"_s}}
                                            << -1 << QString() << u"must be a path under the API base URL"_s;
        QTest::newRow("path without /") << u"enterprise-obo"_s
                                        << Values{{u"tokenUrl"_s, u"https://e.test/t"_s}, {u"apiBaseUrl"_s, u"https://e.test"_s},
                                                  {u"clientId"_s, u"x"_s}, {u"userId"_s, u"u1"_s}, {u"userEndpointPath"_s, u"accounts"_s}}
                                        << -1 << QString() << u"must be a path under the API base URL"_s;
        QTest::newRow("unknown kind") << u"cybrid"_s << Values{{u"apiHost"_s, u"a.test"_s}, {u"clientId"_s, u"x"_s}} << -1 << u"customer"_s
                                      << u"no token kind \"customer\""_s;
    }

    void refusals()
    {
        QFETCH(QString, id);
        QFETCH(Values, values);
        QFETCH(int, tier);
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        TemplateChoice c = choice(u"X"_s, values, tier < 0 ? std::nullopt : std::optional<Tier>(Tier(tier)));
        c.kind = kind;
        QString error;
        QVERIFY(!TemplateApplication::environment(builtIn(id), c, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    // The shared import pipeline's form: what WorkspaceImport previews and applies.
    void planForTheImportPipeline()
    {
        QString error;
        const auto plan = TemplateApplication::plan(builtIn(u"demo"_s), choice(u"D"_s, {{u"demoUrl"_s, u"http://127.0.0.1:1"_s}}), &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->sourceKind, u"Template"_s);
        QCOMPARE(plan->document, u"template:demo"_s);
        QCOMPARE(plan->environments.size(), 1);
        QCOMPARE(plan->environments.first().origin.document, plan->document);
        QCOMPARE(plan->requests.size(), 6);
        QCOMPARE(plan->inputsFor(plan->environments.first()).size(), 1);
        QCOMPARE(plan->inputs.first().name, u"demoUrl"_s);
        QVERIFY(!plan->notes.isEmpty());
        QVERIFY(!TemplateApplication::plan(builtIn(u"demo"_s), choice(u"D"_s, {}), &error));
        QVERIFY(error.contains(u"demoUrl"_s));
    }

    void demoRequestsCarryTheirScopes()
    {
        const QList<SavedRequest> requests = TemplateApplication::requests(builtIn(u"demo"_s));
        QVERIFY(requests.size() >= 4);
        const auto place = std::find_if(requests.cbegin(), requests.cend(), [](const SavedRequest &r) { return r.draft.method == u"POST"_s; });
        QVERIFY(place != requests.cend());
        QCOMPARE(place->requiredScopes, (QList<ScopeRequirement>{{{}, {u"trades:execute"_s}}}));
        QCOMPARE(place->draft.contentType, u"application/json"_s);
        QCOMPARE(place->origin.document, u"template:demo"_s);
        QCOMPARE(place->origin.key, place->name);
        QCOMPARE(place->successStatus, 201);
    }

    // Every seed template gives example requests: each with a folder, a summary, only scopes of
    // its catalog, no credential, and every {{value}} in its path or body asked for when applied
    // (or a variable of the template), so nothing is invented. A path the vendor's public
    // reference does not give starts with an asked {{path}}.
    void seedTemplatesGiveExampleRequests()
    {
        // Where the vendor's public API reference gives paths (docs/templates.md cites it), a few;
        // where the seed's vendor is unnamed, the paths are asked for.
        const QList<QPair<QString, int>> atLeast = {{u"cybrid"_s, 5}, {u"cymbio"_s, 3}, {u"cyclr"_s, 3}, {u"banking"_s, 1}, {u"enterprise-obo"_s, 2}};
        for (const auto &[id, minimum] : atLeast) {
            const ApiTemplate &t = builtIn(id);
            QVERIFY2(t.requests.size() >= minimum, qPrintable(id));
            QStringList known;
            for (const ApiTemplate::Ask &ask : t.asks)
                known.append(ask.name);
            for (const auto &variable : t.variables)
                known.append(variable.first);
            const QList<SavedRequest> saved = TemplateApplication::requests(t);
            QCOMPARE(saved.size(), t.requests.size());
            for (const SavedRequest &request : saved) {
                const QString where = id + u": "_s + request.name;
                QVERIFY2(!request.folder.isEmpty() && !request.summary.isEmpty(), qPrintable(where));
                QVERIFY2(request.successStatus == 0 || (request.successStatus >= 200 && request.successStatus < 300), qPrintable(where));
                for (const ScopeRequirement &requirement : request.requiredScopes) {
                    QVERIFY2(!requirement.scopes.isEmpty(), qPrintable(where));
                    for (const QString &scope : requirement.scopes)
                        QVERIFY2(scopeNames(t.scopeCatalog).contains(scope), qPrintable(where + u": "_s + scope));
                }
                const QStringList used = TemplateExpander::placeholders(request.draft.url)
                                         + TemplateExpander::placeholders(QString::fromUtf8(request.draft.body));
                for (const QString &name : used)
                    QVERIFY2(known.contains(name), qPrintable(where + u": {{"_s + name + u"}}"_s));
                QVERIFY2(CredentialScan::storageProblem(request.draft).isEmpty(), qPrintable(where));
                QVERIFY2(!request.draft.url.contains(u"://"_s), qPrintable(where)); // under the environment's API base URL
                if (!request.draft.url.startsWith(u'/')) {
                    const QString leading = TemplateExpander::placeholders(request.draft.url).value(0);
                    const auto ask = std::find_if(t.asks.cbegin(), t.asks.cend(), [&leading](const ApiTemplate::Ask &a) { return a.name == leading; });
                    QVERIFY2(ask != t.asks.cend() && ask->kind == ApiTemplate::Ask::Kind::Path && !ask->description.isEmpty(), qPrintable(where));
                }
                // Ids and paths the examples need never block applying the template.
                for (const QString &name : used) {
                    const auto ask = std::find_if(t.asks.cbegin(), t.asks.cend(), [&name](const ApiTemplate::Ask &a) { return a.name == name; });
                    if (ask != t.asks.cend() && (ask->kind == ApiTemplate::Ask::Kind::Path || name.endsWith(u"Guid"_s) || name == u"fulfillmentId"_s))
                        QVERIFY2(!ask->required, qPrintable(where + u": "_s + name));
                }
            }
        }
    }

    // What each seed documents shows in its examples.
    void exampleRequestsShowWhatTheSeedDocuments()
    {
        const auto scopesOf = [](const ApiTemplate &t) {
            QStringList all;
            for (const SavedRequest &request : TemplateApplication::requests(t)) {
                for (const ScopeRequirement &requirement : request.requiredScopes)
                    all += requirement.scopes;
            }
            return all;
        };
        // Cybrid: resource:read to read and list, resource:execute to create.
        const QList<SavedRequest> cybrid = TemplateApplication::requests(builtIn(u"cybrid"_s));
        const SavedRequest *create = requestNamed(cybrid, u"Cybrid: Create a customer"_s);
        QVERIFY(create);
        QCOMPARE(create->draft.method, u"POST"_s);
        QCOMPARE(create->draft.url, u"/api/customers"_s);
        QCOMPARE(create->requiredScopes, (QList<ScopeRequirement>{{{}, {u"customers:execute"_s}}}));
        QCOMPARE(create->draft.contentType, u"application/json"_s);
        QVERIFY(scopesOf(builtIn(u"cybrid"_s)).contains(u"trades:read"_s));
        QVERIFY(requestNamed(cybrid, u"Cybrid: Get a customer"_s));
        QCOMPARE(requestNamed(cybrid, u"Cybrid: Get a customer"_s)->draft.url, u"/api/customers/{{customerGuid}}"_s);
        // Cymbio: read: and write: scopes.
        const QStringList cymbio = scopesOf(builtIn(u"cymbio"_s));
        QVERIFY(cymbio.contains(u"read:variants"_s) && cymbio.contains(u"write:fulfillments"_s));
        // Enterprise: every example acts on behalf of the user; a non-GET one meets the 409.
        const QList<SavedRequest> obo = TemplateApplication::requests(builtIn(u"enterprise-obo"_s));
        for (const SavedRequest &request : obo)
            QCOMPARE(request.requiredScopes, (QList<ScopeRequirement>{{{}, {u"core.users:act-on-behalf-of"_s}}}));
        QVERIFY(std::any_of(obo.cbegin(), obo.cend(), [](const SavedRequest &r) { return r.draft.method != u"GET"_s && r.summary.contains(u"409"_s); }));
        // Cyclr: account methods; no scope documented per method.
        for (const SavedRequest &request : TemplateApplication::requests(builtIn(u"cyclr"_s))) {
            QVERIFY2(request.draft.url.startsWith(u"/v1.0/"_s), qPrintable(request.draft.url));
            QVERIFY(request.requiredScopes.isEmpty());
        }
        // Banking: no scope at all; the opaque one-hour token is what the example exercises.
        const QList<SavedRequest> banking = TemplateApplication::requests(builtIn(u"banking"_s));
        QCOMPARE(banking.first().draft.url, u"{{protectedPath}}"_s);
        QVERIFY(banking.first().requiredScopes.isEmpty());
        QVERIFY(banking.first().summary.contains(u"401"_s));
    }

    // Applied with values, the examples build real URLs under the API base; an id left out is
    // reported as unresolved, never sent with braces.
    void exampleRequestsResolveWithTheAskedValues()
    {
        QString error;
        const auto cybrid = TemplateApplication::environment(
                builtIn(u"cybrid"_s),
                choice(u"C"_s, {{u"apiHost"_s, u"bank.sandbox.example"_s}, {u"clientId"_s, u"c"_s}, {u"customerGuid"_s, u"cg-1"_s}}), &error);
        QVERIFY2(cybrid, qPrintable(error));
        const QList<SavedRequest> requests = TemplateApplication::requests(builtIn(u"cybrid"_s));
        QVERIFY(requestNamed(requests, u"Cybrid: Get a customer"_s));
        const BuiltRequest get = RequestBuilder::build(requestNamed(requests, u"Cybrid: Get a customer"_s)->draft, *cybrid, RequestBuilder::Files::Describe);
        QVERIFY2(get.ok(), qPrintable(get.allProblems().join(u'\n')));
        QCOMPARE(get.url, QUrl(u"https://bank.sandbox.example/api/customers/cg-1"_s));

        const auto withoutGuid = TemplateApplication::environment(builtIn(u"cybrid"_s), choice(u"C"_s, {{u"apiHost"_s, u"b.test"_s}, {u"clientId"_s, u"c"_s}}), &error);
        QVERIFY2(withoutGuid, qPrintable(error)); // an example's id never blocks applying
        const BuiltRequest unresolved = RequestBuilder::build(requestNamed(requests, u"Cybrid: Get a customer"_s)->draft, *withoutGuid, RequestBuilder::Files::Describe);
        QCOMPARE(unresolved.unresolved, QStringList{u"customerGuid"_s});

        const auto cymbio = TemplateApplication::environment(
                builtIn(u"cymbio"_s), choice(u"Y"_s, {{u"clientId"_s, u"c"_s}, {u"username"_s, u"u"_s}, {u"retailerId"_s, u"77"_s}}, Tier::Staging), &error);
        QVERIFY2(cymbio, qPrintable(error));
        QVERIFY(requestNamed(TemplateApplication::requests(builtIn(u"cymbio"_s)), u"Cymbio: Retailer's variants"_s));
        const BuiltRequest variants = RequestBuilder::build(
                requestNamed(TemplateApplication::requests(builtIn(u"cymbio"_s)), u"Cymbio: Retailer's variants"_s)->draft, *cymbio, RequestBuilder::Files::Describe);
        QVERIFY2(variants.ok(), qPrintable(variants.allProblems().join(u'\n')));
        QCOMPARE(variants.url, QUrl(u"https://cymbio3-api-staging.cym.bio/v3/retailers/77/variants?service_type=ecommerce"_s));

        const auto banking = TemplateApplication::environment(
                builtIn(u"banking"_s), choice(u"B"_s, {{u"apiBaseUrl"_s, u"https://bank.test/v2"_s}, {u"clientId"_s, u"c"_s}, {u"protectedPath"_s, u"/accounts"_s}}), &error);
        QVERIFY2(banking, qPrintable(error));
        QVERIFY(!TemplateApplication::requests(builtIn(u"banking"_s)).isEmpty());
        const BuiltRequest protectedCall = RequestBuilder::build(TemplateApplication::requests(builtIn(u"banking"_s)).first().draft, *banking, RequestBuilder::Files::Describe);
        QVERIFY2(protectedCall.ok(), qPrintable(protectedCall.allProblems().join(u'\n')));
        QCOMPARE(protectedCall.url, QUrl(u"https://bank.test/v2/accounts"_s));
    }

    // A template that would need an invented value, or has a typo, is refused with its path.
    void brokenTemplatesAreRefused_data()
    {
        QTest::addColumn<QString>("replace");
        QTest::addColumn<QString>("with");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unasked placeholder") << u"https://{{apiDomain}}/oauth/token"_s << u"https://{{region}}.cyclr.test/oauth/token"_s
                                             << u"{{region}} is neither asked for"_s;
        QTest::newRow("typo member") << u"\"contextHeaders\""_s << u"\"contextHeader\""_s << u"contextHeader: unknown member"_s;
        QTest::newRow("bad tier") << u"\"tier\": \"any\""_s << u"\"tier\": \"prod\""_s << u"tiers[0].tier: unknown tier"_s;
        QTest::newRow("relative path") << u"\"path\": \"/v1.0/account/connectors\""_s << u"\"path\": \"v1.0/account/connectors\""_s
                                       << u"must be a path under the API base URL"_s;
        QTest::newRow("path led by a non-path ask") << u"\"path\": \"/v1.0/account/connectors\""_s
                                                    << u"\"path\": \"{{accountId}}/connectors\""_s << u"must start with an asked {{path}}"_s;
        QTest::newRow("unasked id in a path") << u"\"path\": \"/v1.0/account/connectors\""_s << u"\"path\": \"/v1.0/account/{{connectorGuid}}\""_s
                                              << u"{{connectorGuid}} is neither asked for"_s;
        QTest::newRow("wrong type") << u"\"lifetimeSeconds\": 1209600"_s << u"\"lifetimeSeconds\": \"14d\""_s << u"token.lifetimeSeconds"_s;
    }

    void brokenTemplatesAreRefused()
    {
        QFETCH(QString, replace);
        QFETCH(QString, with);
        QFETCH(QString, expected);
        QFile source(u":/templates/cyclr.json"_s);
        QVERIFY(source.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(source.readAll());
        QVERIFY(text.contains(replace));
        text.replace(replace, with);
        QTemporaryDir dir;
        QFile out(dir.filePath(u"cyclr.json"_s));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text.toUtf8());
        out.close();
        const TemplateCatalog catalog = TemplateCatalog::load(dir.path());
        QVERIFY(catalog.templates().isEmpty());
        QCOMPARE(catalog.problems().size(), 1);
        QVERIFY2(catalog.problems().first().contains(expected), qPrintable(catalog.problems().first()));
    }
};

QTEST_GUILESS_MAIN(TestTemplates)
#include "tst_templates.moc"
