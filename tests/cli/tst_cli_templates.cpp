#include "support/CliRunner.h"
#include "support/SeedTokenServer.h"
#include "templates/StarterWorkspace.h"
#include "workspace/WorkspaceStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// template list/show, env add --template and env set, on the real binary.
class TestCliTemplates : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;

    CliRun cli(const QStringList &args, const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        return runCli(QStringList{u"--workspace"_s, m_path} + args, environment);
    }

    Environment stored(const QString &name)
    {
        const auto loaded = WorkspaceStore::load(m_path);
        if (!loaded.ok() || !loaded.workspace->find(name))
            return {};
        return *loaded.workspace->find(name);
    }

private Q_SLOTS:
    void init()
    {
        m_path = m_dir.filePath(u"ws-%1.json"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    void listAndShow()
    {
        const CliRun list = cli({u"template"_s, u"list"_s});
        QCOMPARE(list.exitCode, 0);
        for (const char *id : {"banking", "cybrid", "cyclr", "cymbio", "demo", "enterprise-obo"})
            QVERIFY2(list.out.contains(id), id);

        const CliRun json = cli({u"template"_s, u"list"_s, u"--json"_s});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray templates = json.json().value(u"templates"_s).toArray();
        QCOMPARE(templates.size(), 6);
        QCOMPARE(templates.at(3).toObject().value(u"id"_s).toString(), u"cymbio"_s);
        QCOMPARE(templates.at(3).toObject().value(u"tiers"_s).toArray(), (QJsonArray{u"staging"_s, u"production"_s}));

        const CliRun show = cli({u"template"_s, u"show"_s, u"cymbio"_s});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains("production: token https://api.cym.bio/oauth/token"));
        QVERIFY(show.out.contains("htttps://api.cym.bio/oauth/token, a typo"));
        QVERIFY(show.out.contains("read:inventory"));
        QVERIFY(show.out.contains("lifetime 5 minutes"));

        const CliRun obo = cli({u"template"_s, u"show"_s, u"enterprise-obo"_s, u"--json"_s});
        QCOMPARE(obo.exitCode, 0);
        QCOMPARE(obo.json().value(u"contextHeaders"_s).toArray().first().toObject().value(u"value"_s).toString(), u"user {{userId}}"_s);

        const CliRun unknown = cli({u"template"_s, u"show"_s, u"cyclar"_s});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("cyclr"));
    }

    // Values the seed does not give are never invented: missing ones are named, nothing written.
    void missingValuesAreRefused()
    {
        const CliRun run = cli({u"env"_s, u"add"_s, u"Cyclr"_s, u"--template"_s, u"cyclr"_s, u"--var"_s, u"apiDomain=api.cyclr.test"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("--var clientId=… (or --client-id)"));
        QVERIFY(run.err.contains("--var accountId=…"));
        QVERIFY(!run.err.contains("--var apiDomain"));
        QVERIFY(run.err.contains("nothing was written"));
        QVERIFY(!QFile::exists(m_path));

        const CliRun badTier = cli({u"env"_s, u"add"_s, u"Cy"_s, u"--template"_s, u"cymbio"_s, u"--tier"_s, u"sandbox"_s,
                                    u"--client-id"_s, u"c"_s, u"--var"_s, u"username=u"_s});
        QCOMPARE(badTier.exitCode, 2);
        QVERIFY(badTier.err.contains("documents the tiers staging, production"));
        QVERIFY(!QFile::exists(m_path));
    }

    void templateAppliedAndOverridesWin()
    {
        const CliRun run = cli({u"env"_s, u"add"_s, u"Cyclr EU"_s, u"--template"_s, u"cyclr"_s, u"--var"_s, u"apiDomain=api.eu.cyclr.test"_s,
                                u"--client-id"_s, u"abcdefg"_s, u"--var"_s, u"accountId=acc-1"_s, u"--tier"_s, u"production"_s,
                                u"--client-auth"_s, u"json"_s, u"--scope"_s, u"account:acc-1"_s, u"--header"_s, u"X-Cyclr-Account: {{other}}"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("Tokens expire after 14 days"));
        const Environment env = stored(u"Cyclr EU"_s);
        QCOMPARE(env.tokenUrl, QUrl(u"https://api.eu.cyclr.test/oauth/token"_s));
        QCOMPARE(env.clientId, u"abcdefg"_s);
        QCOMPARE(env.tier, Tier::Production);
        QCOMPARE(env.clientAuth, ClientAuthStyle::Json); // the template says body; the option wins
        QCOMPARE(env.scopes, QStringList{u"account:acc-1"_s});
        QCOMPARE(env.headers, (QList<HeaderTemplate>{{u"X-Cyclr-Account"_s, u"{{other}}"_s}}));
        QCOMPARE(env.scopeCatalog.size(), 1);
        QCOMPARE(env.origin.document, u"template:cyclr"_s);

        // A tier the seed does not document, with the user's own URLs.
        const CliRun own = cli({u"env"_s, u"add"_s, u"Cymbio dev"_s, u"--template"_s, u"cymbio"_s, u"--tier"_s, u"sandbox"_s,
                                u"--token-url"_s, u"https://dev.cym.test/oauth/token"_s, u"--api-url"_s, u"https://dev.cym.test/"_s,
                                u"--client-id"_s, u"c"_s, u"--var"_s, u"username=me"_s});
        QCOMPARE(own.exitCode, 0);
        QCOMPARE(stored(u"Cymbio dev"_s).tier, Tier::Sandbox);
        QCOMPARE(stored(u"Cymbio dev"_s).tokenUrl, QUrl(u"https://dev.cym.test/oauth/token"_s));
        QCOMPARE(stored(u"Cymbio dev"_s).scopeCatalog.size(), 14);

        QCOMPARE(cli({u"env"_s, u"add"_s, u"Cyclr EU"_s, u"--template"_s, u"cyclr"_s}).exitCode, 2); // exists, or missing values

        // Cybrid's kinds of token: the Organization's default scopes.
        const CliRun org = cli({u"env"_s, u"add"_s, u"Cybrid org"_s, u"--template"_s, u"cybrid"_s, u"--kind"_s, u"organization"_s,
                                u"--var"_s, u"apiHost=bank.sandbox.example"_s, u"--var"_s, u"clientId=org-client"_s});
        QCOMPARE(org.exitCode, 0);
        QCOMPARE(stored(u"Cybrid org"_s).clientId, u"org-client"_s);
        QCOMPARE(stored(u"Cybrid org"_s).variables, (QList<QPair<QString, QString>>{{u"apiHost"_s, u"bank.sandbox.example"_s}}));
        QCOMPARE(stored(u"Cybrid org"_s).scopes, (QStringList{u"organizations:read"_s, u"banks:read"_s}));
        QCOMPARE(stored(u"Cybrid org"_s).clientAuth, ClientAuthStyle::Json);
        QCOMPARE(cli({u"env"_s, u"add"_s, u"X"_s, u"--kind"_s, u"bank"_s, u"--token-url"_s, u"https://a.test/t"_s, u"--api-url"_s,
                      u"https://a.test"_s, u"--client-id"_s, u"c"_s})
                         .exitCode,
                 2); // --kind belongs to a template
    }

    // The example requests come once: a second environment from the same template updates them.
    void exampleRequestsAreNotDuplicated()
    {
        for (const QString &name : {u"Demo A"_s, u"Demo B"_s}) {
            const CliRun run = cli({u"env"_s, u"add"_s, name, u"--template"_s, u"demo"_s, u"--var"_s, u"demoUrl=http://127.0.0.1:9"_s});
            QCOMPARE(run.exitCode, 0);
        }
        const auto loaded = WorkspaceStore::load(m_path);
        QVERIFY(loaded.ok());
        // The same as a new workspace's own Demo examples: one origin, so no copies at all.
        QCOMPARE(loaded.workspace->savedRequests().size(), StarterWorkspace::create().savedRequests().size());
        const SavedRequest *place = loaded.workspace->findRequest(u"Place a trade"_s);
        QVERIFY(place);
        QCOMPARE(place->requiredScopes.first().scopes, QStringList{u"trades:execute"_s});
    }

    // A seed template's example requests land in the workspace with their scopes: request list
    // --json shows them, under the environment's API base URL once applied.
    void seedExampleRequestsAreListed()
    {
        const CliRun add = cli({u"env"_s, u"add"_s, u"Cybrid"_s, u"--template"_s, u"cybrid"_s, u"--var"_s, u"apiHost=bank.sandbox.example"_s,
                                u"--client-id"_s, u"bank-client"_s, u"--var"_s, u"customerGuid=cg-1"_s});
        QCOMPARE(add.exitCode, 0);
        const CliRun list = cli({u"request"_s, u"list"_s, u"--json"_s});
        QCOMPARE(list.exitCode, 0);
        const QJsonDocument doc = QJsonDocument::fromJson(list.out);
        QVERIFY2(!doc.isNull(), list.out.constData());
        QJsonArray rows = doc.isArray() ? doc.array() : doc.object().value(u"requests"_s).toArray();
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &row : std::as_const(rows))
            byName.insert(row.toObject().value(u"name"_s).toString(), row.toObject());
        QVERIFY2(byName.contains(u"Cybrid: List trades"_s), list.out.constData());
        QVERIFY2(byName.contains(u"Cybrid: Create a customer"_s), list.out.constData());
        const QString trades = QString::fromUtf8(QJsonDocument(byName.value(u"Cybrid: List trades"_s)).toJson(QJsonDocument::Compact));
        QVERIFY2(trades.contains(u"trades:read"_s) && trades.contains(u"/api/trades"_s), qPrintable(trades));
        const QString create = QString::fromUtf8(QJsonDocument(byName.value(u"Cybrid: Create a customer"_s)).toJson(QJsonDocument::Compact));
        QVERIFY2(create.contains(u"customers:execute"_s) && create.contains(u"POST"_s), qPrintable(create));
        // The Demo's own examples are still there, unrenamed: the seed's names do not collide.
        QVERIFY(byName.contains(u"List trades"_s));
        QVERIFY(!byName.contains(u"List trades (2)"_s));

        // A path the seed does not give is asked for: given, it is an environment variable the example uses.
        const CliRun obo = cli({u"env"_s, u"add"_s, u"OBO"_s, u"--template"_s, u"enterprise-obo"_s, u"--var"_s, u"tokenUrl=https://e.test/t"_s,
                                u"--var"_s, u"apiBaseUrl=https://e.test"_s, u"--client-id"_s, u"c"_s, u"--var"_s, u"userId=u1"_s,
                                u"--var"_s, u"userEndpointPath=/users/accounts"_s});
        QCOMPARE(obo.exitCode, 0);
        QVERIFY(stored(u"OBO"_s).variables.contains(QPair<QString, QString>{u"userEndpointPath"_s, u"/users/accounts"_s}));
        const CliRun again = cli({u"request"_s, u"list"_s, u"--json"_s});
        QVERIFY2(again.out.contains("core.users:act-on-behalf-of"), again.out.constData());
        QVERIFY2(again.out.contains("{{userEndpointPath}}"), again.out.constData());
        QCOMPARE(cli({u"env"_s, u"add"_s, u"OBO2"_s, u"--template"_s, u"enterprise-obo"_s, u"--var"_s, u"tokenUrl=https://e.test/t"_s,
                      u"--var"_s, u"apiBaseUrl=https://e.test"_s, u"--client-id"_s, u"c"_s, u"--var"_s, u"userId=u1"_s,
                      u"--var"_s, u"userEndpointPath=https://elsewhere.test/x"_s})
                         .exitCode,
                 2);
    }

    void envSetChangesInPlace()
    {
        QCOMPARE(cli({u"env"_s, u"add"_s, u"Bank"_s, u"--template"_s, u"banking"_s, u"--var"_s, u"apiBaseUrl=https://bank.test"_s,
                      u"--client-id"_s, u"old"_s})
                         .exitCode,
                 0);
        const QString id = stored(u"Bank"_s).id;
        const CliRun set = cli({u"env"_s, u"set"_s, u"Bank"_s, u"--client-id"_s, u"new"_s, u"--var"_s, u"apiBaseUrl=https://bank2.test"_s,
                                u"--var"_s, u"extra=1"_s, u"--scope"_s, u"a b"_s, u"--tier"_s, u"staging"_s});
        QCOMPARE(set.exitCode, 0);
        const Environment env = stored(u"Bank"_s);
        QCOMPARE(env.id, id); // the keychain's key for its secrets
        QCOMPARE(env.clientId, u"new"_s);
        QCOMPARE(env.tier, Tier::Staging);
        QCOMPARE(env.scopes, (QStringList{u"a"_s, u"b"_s}));
        QCOMPARE(env.variables, (QList<QPair<QString, QString>>{{u"apiBaseUrl"_s, u"https://bank2.test"_s}, {u"extra"_s, u"1"_s}}));
        QCOMPARE(env.clientAuth, ClientAuthStyle::Body);              // untouched
        QCOMPARE(env.tokenUrl, QUrl(u"https://bank.test/token"_s)); // untouched: --token-url changes it

        const CliRun unknown = cli({u"env"_s, u"set"_s, u"Nope"_s, u"--client-id"_s, u"x"_s});
        QCOMPARE(unknown.exitCode, 3);
        QCOMPARE(cli({u"env"_s, u"set"_s, u"Bank"_s}).exitCode, 2);
        QCOMPARE(cli({u"env"_s, u"set"_s, u"Bank"_s, u"--client-auth"_s, u"magic"_s}).exitCode, 2);
        QCOMPARE(stored(u"Bank"_s).clientAuth, ClientAuthStyle::Body);
    }

    // From template to token on the real binary, against a server that behaves as seed 001.
    void bankingTemplateGetsAToken()
    {
        SeedTokenServer server(SeedTokenServer::Seed::Banking, u"abc"_s, u"xyz"_s);
        QVERIFY(server.listen());
        QCOMPARE(cli({u"env"_s, u"add"_s, u"Bank"_s, u"--template"_s, u"banking"_s, u"--var"_s, u"apiBaseUrl="_s + server.url(u""_s).toString(),
                      u"--client-id"_s, u"abc"_s})
                         .exitCode,
                 0);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"TB_SECRET"_s, u"xyz"_s);
        const CliRun token = cli({u"token"_s, u"Bank"_s, u"--client-secret-env"_s, u"TB_SECRET"_s, u"--json"_s}, environment);
        QVERIFY2(token.exitCode == 0, token.err.constData());
        QCOMPARE(server.tokenRequests(), 1);
        QVERIFY(!server.lastHadAuthorization());
        QVERIFY(server.lastBody().contains("client_secret=xyz"));
    }
};

QTEST_GUILESS_MAIN(TestCliTemplates)
#include "tst_cli_templates.moc"
