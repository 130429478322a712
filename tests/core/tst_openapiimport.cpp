#include "contract/ImportPlan.h"
#include "contract/OpenApiImport.h"
#include "contract/TierGuess.h"
#include "contract/WorkspaceImport.h"
#include "contract/YamlToJson.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QString dataPath(const QString &name)
{
    return qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/openapi/"_s + name;
}

QByteArray readData(const QString &name)
{
    QFile file(dataPath(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

const SavedRequest *requestNamed(const ImportPlan &plan, const QString &name)
{
    for (const SavedRequest &request : plan.requests) {
        if (request.name == name)
            return &request;
    }
    return nullptr;
}

int scopedRequests(const ImportPlan &plan)
{
    int n = 0;
    for (const SavedRequest &request : plan.requests) {
        for (const ScopeRequirement &alternative : request.requiredScopes) {
            if (!alternative.scopes.isEmpty()) {
                ++n;
                break;
            }
        }
    }
    return n;
}

// A document exercising the mapping rules, YAML, in two versions.
QByteArray petsDocument(const QString &version, const QString &listPath = u"/pets"_s)
{
    return uR"(openapi: 3.0.3
info:
  title: Pets
  version: "%1"
servers:
  - url: https://{region}.api.pets.test/v1
    description: Production environment
    variables:
      region:
        default: eu
        enum: [eu, us]
        description: data region
  - url: https://sandbox.pets.test/v1
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes:
            pets:read: Read pets
            pets:write: Change pets
        password:
          tokenUrl: https://id.pets.test/token
          scopes:
            pets:read: Read pets
        implicit:
          authorizationUrl: https://id.pets.test/authorize
          scopes: {}
        authorizationCode:
          authorizationUrl: https://id.pets.test/authorize
          tokenUrl: https://id.pets.test/token
          scopes: {}
    key:
      type: apiKey
      in: header
      name: X-Api-Key
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, example: Rex}
        tags: {type: array, items: {type: string}}
        owner: {$ref: '#/components/schemas/Owner'}
        kind:
          oneOf:
            - {type: "null"}
            - {type: string, enum: [dog, cat]}
    Owner:
      allOf:
        - {$ref: '#/components/schemas/Named'}
        - type: object
          properties:
            pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Named:
      type: object
      properties:
        name: {type: string}
security:
  - oauth: [pets:read]
paths:
  %2:
    get:
      tags: [pets, extra]
      summary: List pets
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: 20}}
        - {name: X-Api-Key, in: header, example: sk_live_abcdefghijklmnop}
        - {name: X-Trace, in: header, required: true, example: abc}
      responses:
        "200": {description: ok}
    post:
      operationId: createPet
      tags: [pets]
      security:
        - oauth: [pets:write]
        - oauth: [pets:admin]
        - key: []
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        "201": {description: created}
        "202": {description: accepted}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, example: 42}
    get:
      operationId: getPet
      security: []
      responses:
        "200": {description: ok}
    put:
      operationId: putPet
      requestBody:
        content:
          application/json:
            example: {name: Fido}
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        default: {description: whatever}
)"_s.arg(version, listPath)
        .toUtf8();
}
} // namespace

class TestOpenApiImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Expected numbers counted independently with ../shared/data/tools/count-openapi-oauth2.py.
    void realDocuments_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("environments");
        QTest::addColumn<int>("catalog");
        QTest::addColumn<int>("requests");
        QTest::addColumn<int>("scoped");
        QTest::addColumn<QString>("tokenUrl");
        QTest::addColumn<QString>("apiUrl");
        QTest::addColumn<int>("tier");
        QTest::newRow("xero app store, YAML, client credentials")
            << u"xero-app-store.openapi-3.0.yaml"_s << u"OpenAPI 3.0"_s << 1 << 1 << 4 << 4
            << u"https://identity.xero.com/connect/token"_s << u"https://api.xero.com/appstore/2.0"_s << int(Tier::Custom);
        QTest::newRow("paypal disputes, JSON, relative token URL, two servers")
            << u"paypal-customer-disputes-v1.openapi-3.0.json"_s << u"OpenAPI 3.0"_s << 2 << 11 << 15 << 15
            << u"https://api-m.sandbox.paypal.com/v1/oauth2/token"_s << u"https://api-m.sandbox.paypal.com"_s << int(Tier::Sandbox);
        QTest::newRow("fitbit plus, Swagger 2.0 application flow")
            << u"fitbit-plus-twine.swagger-2.0.yaml"_s << u"Swagger 2.0"_s << 1 << 2 << 62 << 2
            << u"https://api.twinehealth.com/oauth/token"_s << u"https://api.twinehealth.com/pub"_s << int(Tier::Custom);
    }

    void realDocuments()
    {
        QFETCH(QString, file);
        QFETCH(QString, kind);
        QFETCH(int, environments);
        QFETCH(int, catalog);
        QFETCH(int, requests);
        QFETCH(int, scoped);
        QFETCH(QString, tokenUrl);
        QFETCH(QString, apiUrl);
        QFETCH(int, tier);
        QString error;
        const std::optional<ImportPlan> plan = OpenApiImport::fromText(readData(file), &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->sourceKind, kind);
        QCOMPARE(plan->environments.size(), environments);
        QCOMPARE(plan->environments.first().scopeCatalog.size(), catalog);
        QCOMPARE(plan->environments.first().tokenUrl.toString(), tokenUrl);
        QCOMPARE(plan->environments.first().apiBaseUrl.toString(), apiUrl);
        QCOMPARE(int(plan->environments.first().tier), tier);
        QCOMPARE(plan->environments.first().grant, GrantType::ClientCredentials);
        QCOMPARE(plan->requests.size(), requests);
        QCOMPARE(scopedRequests(*plan), scoped);
        for (const Environment &env : plan->environments) {
            QCOMPARE(env.origin.document, plan->document);
            QVERIFY(!env.scopeCatalog.first().description.isEmpty() || kind == u"Swagger 2.0"_s);
        }
        // Every request goes into a workspace as it is: nothing in them is a credential.
        Workspace workspace;
        ImportOutcome outcome;
        QVERIFY2(WorkspaceImport::apply(&workspace, *plan, &error, &outcome), qPrintable(error));
        QCOMPARE(workspace.savedRequests().size(), requests);
        QCOMPARE(outcome.skipped, plan->skipped);
    }

    void paypalDetails()
    {
        QString error;
        const auto plan = OpenApiImport::fromText(readData(u"paypal-customer-disputes-v1.openapi-3.0.json"_s), &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->document, u"openapi:Disputes"_s);
        QCOMPARE(plan->version, u"1.10"_s);
        QCOMPARE(plan->environments.at(1).tier, Tier::Production); // "PayPal Live Environment"
        QCOMPARE(plan->environments.at(1).tokenUrl.toString(), u"https://api-m.paypal.com/v1/oauth2/token"_s);
        const SavedRequest *list = requestNamed(*plan, u"disputes.list"_s);
        QVERIFY(list);
        QCOMPARE(list->origin.key, u"disputes.list"_s);
        QCOMPARE(list->draft.method, u"GET"_s);
        QCOMPARE(list->draft.url, u"/v1/customer/disputes"_s);
        QCOMPARE(list->successStatus, 200);
        QVERIFY(!list->draft.scopes.isEmpty());
        QCOMPARE(list->draft.scopes, list->requiredScopes.first().scopes);
    }

    void mappingRules()
    {
        QString error;
        const auto plan = OpenApiImport::fromText(petsDocument(u"1.0"_s), &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->sourceKind, u"OpenAPI 3.0"_s);
        // 2 runnable flows × 2 servers; implicit and authorization code skipped with their reasons.
        QCOMPARE(plan->environments.size(), 4);
        const QString skipped = plan->skipped.join(u'\n');
        QVERIFY2(skipped.contains(u"flow implicit: not supported"_s), qPrintable(skipped));
        QVERIFY2(skipped.contains(u"authorizationCode"_s) && skipped.contains(u"issue 14"_s), qPrintable(skipped));

        const Environment &production = plan->environments.at(0);
        QCOMPARE(production.origin.key, u"oauth/clientCredentials@https://{region}.api.pets.test/v1"_s);
        QCOMPARE(production.tier, Tier::Production);
        QCOMPARE(production.apiBaseUrl.toString(), u"https://eu.api.pets.test/v1"_s);
        QCOMPARE(production.tokenUrl.toString(), u"https://eu.api.pets.test/oauth/token"_s);
        QCOMPARE(production.variables, (QList<QPair<QString, QString>>{{u"region"_s, u"eu"_s}}));
        QCOMPARE(production.scopeCatalog, (QList<CatalogScope>{{u"pets:read"_s, u"Read pets"_s}, {u"pets:write"_s, u"Change pets"_s}}));
        QCOMPARE(plan->environments.at(1).tier, Tier::Sandbox);
        const Environment &password = plan->environments.at(2);
        QCOMPARE(password.grant, GrantType::Password);
        QCOMPARE(password.tokenUrl.toString(), u"https://id.pets.test/token"_s);
        QVERIFY(password.name.contains(u"password"_s));

        QStringList inputs;
        for (const ImportPlan::Input &input : plan->inputsFor(production))
            inputs.append(input.name + u'=' + input.defaultValue);
        QCOMPARE(inputs, (QStringList{u"clientId="_s, u"region=eu"_s}));
        QVERIFY(plan->inputsFor(production).at(1).description.contains(u"one of eu, us"_s));
        QVERIFY(plan->inputsFor(password).at(1).name == u"username"_s);

        // No operationId: method and path; global security; query/header rows; examples kept unless credentials.
        const SavedRequest *list = requestNamed(*plan, u"GET /pets"_s);
        QVERIFY(list);
        QCOMPARE(list->origin.key, u"GET /pets"_s);
        QCOMPARE(list->folder, u"pets"_s);
        QCOMPARE(list->summary, u"List pets"_s);
        QCOMPARE(list->requiredScopes, (QList<ScopeRequirement>{{u"oauth"_s, {u"pets:read"_s}}}));
        QCOMPARE(list->draft.queryParams, (QList<RequestDraft::Row>{{u"limit"_s, u"{{limit}}"_s, false}}));
        QCOMPARE(list->draft.headers.size(), 2);
        QCOMPARE(list->draft.headers.at(1), (RequestDraft::Row{u"X-Trace"_s, u"{{X-Trace}}"_s, true}));
        QCOMPARE(list->draft.extraVariables, (QList<QPair<QString, QString>>{{u"limit"_s, u"20"_s}, {u"X-Trace"_s, u"abc"_s}}));
        QVERIFY(plan->notes.join(u'\n').contains(u"X-Api-Key looks like a credential"_s));

        // Alternatives kept as alternatives; the first one is what the token is asked for.
        const SavedRequest *create = requestNamed(*plan, u"createPet"_s);
        QVERIFY(create);
        const QList<ScopeRequirement> alternatives{{u"oauth"_s, {u"pets:write"_s}}, {u"oauth"_s, {u"pets:admin"_s}}, {u"key"_s, {}}};
        QCOMPARE(create->requiredScopes, alternatives);
        QCOMPARE(create->draft.scopes, QStringList{u"pets:write"_s});
        QCOMPARE(create->successStatus, 201);
        QVERIFY(plan->notes.join(u'\n').contains(u"requires scope pets:admin, which security scheme oauth does not declare"_s));
        // Body from the schema: read-only id left out, example used, allOf merged, oneOf's non-null choice,
        // the recursion Pet → Owner → Pet stopped.
        const QJsonObject body = QJsonDocument::fromJson(create->draft.body).object();
        QCOMPARE(create->draft.contentType, u"application/json"_s);
        QVERIFY(!body.contains(u"id"_s));
        QCOMPARE(body.value(u"name"_s).toString(), u"Rex"_s);
        QCOMPARE(body.value(u"kind"_s).toString(), u"dog"_s);
        QCOMPARE(body.value(u"tags"_s).toArray(), QJsonArray{u""_s});
        const QJsonObject owner = body.value(u"owner"_s).toObject();
        QVERIFY(owner.contains(u"name"_s));
        QCOMPARE(owner.value(u"pets"_s).toArray(), QJsonArray()); // Pet inside Pet: stopped

        // Path parameters from the path item; security: [] means none; the body's example wins.
        const SavedRequest *get = requestNamed(*plan, u"getPet"_s);
        QVERIFY(get);
        QCOMPARE(get->draft.url, u"/pets/{{petId}}"_s);
        QCOMPARE(get->draft.extraVariables, (QList<QPair<QString, QString>>{{u"petId"_s, u"42"_s}}));
        QVERIFY(get->requiredScopes.isEmpty());
        QVERIFY(get->draft.scopes.isEmpty());
        const SavedRequest *put = requestNamed(*plan, u"putPet"_s);
        QCOMPARE(QJsonDocument::fromJson(put->draft.body).object(), (QJsonObject{{u"name"_s, u"Fido"_s}}));
        QCOMPARE(put->successStatus, 0);
    }

    // Operations whose bodies come from one schema share the one body text the skeleton gave: a
    // 2,000-operation document otherwise held (and wrote into the plan) a copy per operation.
    void bodiesFromOneSchemaAreBuiltOnce()
    {
        QString error;
        const auto plan = OpenApiImport::fromText(R"({"openapi": "3.0.3", "info": {"title": "Shared", "version": "1"},
            "paths": {"/a": {"post": {"operationId": "a", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}},
                             "put": {"operationId": "b", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
                      "/c": {"post": {"operationId": "c", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}}},
                             "put": {"operationId": "d", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Other"}}}}}}},
            "components": {"schemas": {"Thing": {"type": "object", "properties": {"name": {"type": "string", "example": "x"}, "other": {"$ref": "#/components/schemas/Other"}}},
                                       "Other": {"type": "object", "properties": {"n": {"type": "integer"}}}}}})",
                                                  &error);
        QVERIFY2(plan, qPrintable(error));
        const SavedRequest *a = requestNamed(*plan, u"a"_s);
        const SavedRequest *b = requestNamed(*plan, u"b"_s);
        const SavedRequest *c = requestNamed(*plan, u"c"_s);
        const SavedRequest *d = requestNamed(*plan, u"d"_s);
        QVERIFY(a && b && c && d);
        QCOMPARE(QJsonDocument::fromJson(a->draft.body).object(),
                 (QJsonObject{{u"name"_s, u"x"_s}, {u"other"_s, QJsonObject{{u"n"_s, 0}}}}));
        QVERIFY(b->draft.body.isSharedWith(a->draft.body));
        // The same body from an inline schema and from another reference: equal text, built apart.
        QCOMPARE(c->draft.body, d->draft.body);
        QVERIFY(!c->draft.body.isSharedWith(d->draft.body));
    }

    void newerVersionUpdatesWithoutDuplicates()
    {
        QString error;
        const auto v1 = OpenApiImport::fromText(petsDocument(u"1.0"_s), &error);
        QVERIFY2(v1, qPrintable(error));
        Workspace workspace;
        QVERIFY(WorkspaceImport::apply(&workspace, *v1, &error));
        const int environments = workspace.environments().size();
        const int requests = workspace.savedRequests().size();
        // The user fills in the client id and picks another region.
        Environment *env = workspace.find(v1->environments.first().name);
        QVERIFY(env);
        env->clientId = u"my-client"_s;
        env->variables = {{u"region"_s, u"us"_s}};
        const QString envId = env->id;

        // Version 2 moves the list operation (its key, "GET /animals", is new: one request added).
        const auto v2 = OpenApiImport::fromText(petsDocument(u"2.0"_s, u"/animals"_s), &error);
        QVERIFY2(v2, qPrintable(error));
        const ImportOutcome preview = WorkspaceImport::preview(workspace, *v2);
        QCOMPARE(preview.count(ImportAction::Kind::Add, ImportAction::Item::Environment), 0);
        QCOMPARE(preview.count(ImportAction::Kind::Update, ImportAction::Item::Environment), environments);
        QCOMPARE(preview.count(ImportAction::Kind::Add, ImportAction::Item::Request), 1);
        QCOMPARE(preview.count(ImportAction::Kind::Update, ImportAction::Item::Request), requests - 1);
        QVERIFY(WorkspaceImport::apply(&workspace, *v2, &error));
        QCOMPARE(workspace.environments().size(), environments);
        QCOMPARE(workspace.savedRequests().size(), requests + 1);
        const Environment *updated = workspace.findById(envId);
        QCOMPARE(updated->clientId, u"my-client"_s);
        QCOMPARE(updated->variables, (QList<QPair<QString, QString>>{{u"region"_s, u"us"_s}}));
        QCOMPARE(updated->origin.version, u"2.0"_s);

        // The same version again changes nothing.
        const ImportOutcome again = WorkspaceImport::preview(workspace, *v2);
        QCOMPARE(again.count(ImportAction::Kind::Unchanged, ImportAction::Item::Environment), environments);
        QCOMPARE(again.count(ImportAction::Kind::Unchanged, ImportAction::Item::Request), requests);
    }

    // Every hostile document of the corpus: refused with a clear reason, or imported with notes
    // where it is merely odd; never more than a second.
    void hostileDocuments_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("refused");
        QTest::addColumn<QString>("says");
        QTest::newRow("5000 scopes") << u"bad/5000-scopes.json"_s << true << u"declares 5,000 scopes"_s;
        QTest::newRow("billion laughs") << u"bad/billion-laughs.yaml"_s << true << u"alias bomb"_s;
        QTest::newRow("deep nesting") << u"bad/deep-nesting.json"_s << true << u"nested too deeply"_s;
        QTest::newRow("ref cycle") << u"bad/ref-cycle.json"_s << true << u"reference cycle"_s;
        QTest::newRow("truncated JSON") << u"bad/truncated.json"_s << true << u"cut short"_s;
        QTest::newRow("truncated at scopes") << u"bad/truncated-at-scopes.yaml"_s << true
                                             << u"refers to #/components/schemas/ProblemDetails, which the document does not define"_s;
        QTest::newRow("missing securitySchemes") << u"bad/missing-securitySchemes.yaml"_s << false
                                                 << u"security scheme OAuth2, which the document does not define"_s;
        QTest::newRow("no tokenUrl, scopes list") << u"bad/oauth2-no-tokenUrl-scopes-list.yaml"_s << false
                                                  << u"scopes are a list"_s;
        QTest::newRow("undeclared scope") << u"bad/undeclared-scope.yaml"_s << false
                                          << u"requires scope marketplace.admin, which security scheme OAuth2 does not declare"_s;
    }

    void hostileDocuments()
    {
        QFETCH(QString, file);
        QFETCH(bool, refused);
        QFETCH(QString, says);
        const QByteArray text = readData(file);
        QElapsedTimer timer;
        timer.start();
        QString error;
        const std::optional<ImportPlan> plan = OpenApiImport::fromText(text, &error);
        QVERIFY2(timer.elapsed() < 1000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
        QCOMPARE(!plan, refused);
        const QString said = refused ? error : (plan->notes + plan->skipped).join(u'\n');
        QVERIFY2(said.contains(says), qPrintable(said));
        if (!plan)
            return;
        QCOMPARE(plan->requests.size(), 4);
        if (file.contains(u"tokenUrl"_s)) {
            QVERIFY(plan->environments.isEmpty());
            QVERIFY(plan->skipped.join(u'\n').contains(u"no tokenUrl"_s));
            QVERIFY(plan->notes.join(u'\n').contains(u"listed twice"_s));
        }
    }

    void generatedHostileYaml_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("100,000 flow sequences") << QByteArray("openapi: 3.0.0\nx: " + QByteArray(100000, '[') + QByteArray(100000, ']'))
                                                << u"nested deeper than 128 levels"_s;
        QTest::newRow("100,000 flow mappings") << QByteArray("openapi: 3.0.0\nx: " + QByteArray("{a: ").repeated(100000) + '1'
                                                             + QByteArray(100000, '}'))
                                               << u"nested deeper than 128 levels"_s;
        QByteArray block("openapi: 3.0.0\n");
        for (int i = 0; i < 3000; ++i)
            block += QByteArray(i, ' ') + "k:\n";
        QTest::newRow("3,000 block mappings") << block << u"nested"_s;
        QTest::newRow("recursive alias") << QByteArray("openapi: 3.0.0\nx: &a [1, *a]\n") << u"recursive alias"_s;
        QTest::newRow("duplicate key") << QByteArray("openapi: 3.0.0\ninfo: {}\ninfo: {}\n") << u"appears twice"_s;
        QTest::newRow("external ref only") << QByteArray("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'other.yaml#/a'}\n")
                                           << QString();
        QTest::newRow("not OpenAPI") << QByteArray("hello: world\n") << u"not an OpenAPI or Swagger document"_s;
        QTest::newRow("OpenAPI 2.5") << QByteArray("openapi: 2.5.0\ninfo: {title: t}\n") << u"not supported"_s;
        QTest::newRow("no title") << QByteArray("swagger: '2.0'\ninfo: {version: '1'}\n") << u"info.title"_s;
        QTest::newRow("empty") << QByteArray("  \n") << u"empty"_s;
    }

    void generatedHostileYaml()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        QElapsedTimer timer;
        timer.start();
        QString error;
        const std::optional<ImportPlan> plan = OpenApiImport::fromText(text, &error);
        QVERIFY2(timer.elapsed() < 1000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
        if (says.isEmpty()) {
            QVERIFY2(plan, qPrintable(error));
            QCOMPARE(plan->skipped, QStringList{u"reference other.yaml#/a: another file, not fetched"_s});
            return;
        }
        QVERIFY(!plan);
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    void yamlScalars()
    {
        QString error;
        const auto value = YamlToJson::convert("a: 2019-02-31T23:59:60Z\nb: '12'\nc: 12\nd: 1.5\ne: ~\nf: true\ng: yes\n"
                                               "h: 0x1f\nbase: &base {x: 1, y: 2}\nmerged:\n  <<: *base\n  y: 3\n",
                                               &error);
        QVERIFY2(value, qPrintable(error));
        const QJsonObject object = value->toObject();
        QCOMPARE(object.value(u"a"_s), QJsonValue(u"2019-02-31T23:59:60Z"_s));
        QCOMPARE(object.value(u"b"_s), QJsonValue(u"12"_s));
        QCOMPARE(object.value(u"c"_s), QJsonValue(12));
        QCOMPARE(object.value(u"d"_s), QJsonValue(1.5));
        QVERIFY(object.value(u"e"_s).isNull());
        QCOMPARE(object.value(u"f"_s), QJsonValue(true));
        QCOMPARE(object.value(u"g"_s), QJsonValue(u"yes"_s)); // YAML 1.2: no yes/no booleans
        QCOMPARE(object.value(u"h"_s), QJsonValue(31));
        QCOMPARE(object.value(u"merged"_s).toObject(), (QJsonObject{{u"x"_s, 1}, {u"y"_s, 3}}));
    }

    // YamlToJson writes JSON text for Qt to parse; what YAML's mappings mean must come out as it did
    // when it built the tree itself: keys that are not strings, merge keys, duplicates refused.
    void yamlMappingsAsTrees()
    {
        QString error;
        const auto value = YamlToJson::convert("200: a\n~: b\ntrue: c\n1.50: d\n'<<': e\nq: \"tab\\tquote\\\" \\u00e9 \\u0001\"\n"
                                               "base: &base {x: 1, y: 2, z: 3}\nother: &other {y: 20, w: 40}\n"
                                               "m:\n  x: 0\n  <<: [*base, *other]\n  z: 30\n"
                                               "s: [*base, &n 7, *n, [], {}]\n",
                                               &error);
        QVERIFY2(value, qPrintable(error));
        const QJsonObject object = value->toObject();
        QCOMPARE(object.value(u"200"_s), QJsonValue(u"a"_s));
        QCOMPARE(object.value(u"null"_s), QJsonValue(u"b"_s));
        QCOMPARE(object.value(u"true"_s), QJsonValue(u"c"_s));
        QCOMPARE(object.value(u"1.5"_s), QJsonValue(u"d"_s));
        QCOMPARE(object.value(u"<<"_s), QJsonValue(u"e"_s)); // "<<" with a scalar is an ordinary key
        QCOMPARE(object.value(u"q"_s), QJsonValue(u"tab\tquote\" é \u0001"_s));
        // The mapping's own keys win, before or after the merge; of the sources, the first.
        QCOMPARE(object.value(u"m"_s).toObject(), (QJsonObject{{u"x"_s, 0}, {u"y"_s, 2}, {u"z"_s, 30}, {u"w"_s, 40}}));
        QCOMPARE(object.value(u"s"_s).toArray(),
                 (QJsonArray{QJsonObject{{u"x"_s, 1}, {u"y"_s, 2}, {u"z"_s, 3}}, 7, 7, QJsonArray(), QJsonObject()}));
        QCOMPARE(YamlToJson::convert("just text", &error), std::optional<QJsonValue>(u"just text"_s));

        QVERIFY(!YamlToJson::convert("a: 1\nb: 2\na: 3\n", &error));
        QVERIFY2(error.contains(u"the key \"a\" appears twice"_s), qPrintable(error));
        QVERIFY(!YamlToJson::convert("200: 1\n\"200\": 2\n", &error));
        QVERIFY2(error.contains(u"the key \"200\" appears twice"_s), qPrintable(error));
        QVERIFY(!YamlToJson::convert("? [a]\n: 1\n", &error));
        QVERIFY2(error.contains(u"a mapping key is itself a mapping or a sequence"_s), qPrintable(error));
        QVERIFY(!YamlToJson::convert("a: &s [1]\nb:\n  ? *s\n  : 1\n", &error));
        QVERIFY2(error.contains(u"a mapping key is itself a mapping or a sequence"_s), qPrintable(error));
        QCOMPARE(YamlToJson::convert("a: &k key\nb: {*k : 1}\n", &error)->toObject().value(u"b"_s).toObject(),
                 (QJsonObject{{u"key"_s, 1}}));
    }

    // Few nodes, much text: a long string repeated by aliases is refused by the bytes it would
    // write out, however few nodes it makes.
    void aliasesCountTheirText()
    {
        QByteArray text = "a: &a \"" + QByteArray(1 << 20, 'x') + "\"\nb: [";
        for (int i = 0; i < 20; ++i)
            text += i ? ", *a" : "*a";
        text += "]\n";
        QString error;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!YamlToJson::convert(text, &error));
        QVERIFY2(error.contains(u"alias bomb"_s), qPrintable(error));
        QVERIFY2(timer.elapsed() < 1000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
        YamlToJson::Limits limits;
        limits.maxAliasBytes = 32 << 20;
        const auto value = YamlToJson::convert(text, &error, limits);
        QVERIFY2(value, qPrintable(error));
        QCOMPARE(value->toObject().value(u"b"_s).toArray().at(19).toString().size(), qsizetype(1 << 20));
    }

    void aliasesCountAsExpanded()
    {
        // 10 × 10 × 10 leaves through aliases: 1,111 nodes expanded; a budget of 1,000 refuses it.
        const QByteArray text = "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n";
        QString error;
        YamlToJson::Limits limits;
        limits.maxNodes = 1000;
        QVERIFY(!YamlToJson::convert(text, &error, limits));
        QVERIFY2(error.contains(u"alias bomb"_s), qPrintable(error));
        limits.maxNodes = 2000;
        const auto value = YamlToJson::convert(text, &error, limits);
        QVERIFY2(value, qPrintable(error));
        QCOMPARE(value->toObject().value(u"c"_s).toArray().at(9).toArray().at(9).toArray().size(), 10);
    }

    void tierGuess_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("tier");
        QTest::newRow("sandbox host") << u"https://api-m.sandbox.paypal.com"_s << u"PayPal Sandbox Environment"_s << int(Tier::Sandbox);
        QTest::newRow("live description") << u"https://api-m.paypal.com"_s << u"PayPal Live Environment"_s << int(Tier::Production);
        QTest::newRow("staging host") << u"https://api-staging.example.com"_s << QString() << int(Tier::Staging);
        QTest::newRow("host wins") << u"https://sandbox.example.com"_s << u"Production environment"_s << int(Tier::Sandbox);
        QTest::newRow("pre-prod is staging") << u"https://api.example.com"_s << u"Pre-production"_s << int(Tier::Staging);
        QTest::newRow("production description") << u"https://api.example.com"_s << u"Production environment for EU"_s << int(Tier::Production);
        QTest::newRow("nothing said") << u"https://api.box.com/2.0"_s << u"Box Platform API server."_s << int(Tier::Custom);
        QTest::newRow("a word inside another is no word") << u"https://products.example.com"_s << u"Testimonials"_s << int(Tier::Custom);
    }

    void tierGuess()
    {
        QFETCH(QString, url);
        QFETCH(QString, description);
        QFETCH(int, tier);
        QCOMPARE(int(TierGuess::fromServer(QUrl(url), description)), tier);
    }
};

QTEST_GUILESS_MAIN(TestOpenApiImport)
#include "tst_openapiimport.moc"
