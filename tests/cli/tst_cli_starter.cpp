#include "support/CliRunner.h"
#include "templates/TemplateApplication.h"
#include "templates/TemplateCatalog.h"
#include "workspace/WorkspaceStore.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// A first start's workspace (StarterWorkspace): the built-in Demo with the Demo template's
// example requests, each with the scope the Demo API checks and the status it answers, on the
// real binary; a workspace written before is left as it was.
class TestCliStarter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;

    CliRun cli(const QStringList &args) { return runCli(QStringList{u"--workspace"_s, m_path} + args); }

    static QList<SavedRequest> templateRequests()
    {
        const ApiTemplate *demo = TemplateCatalog::builtIn().find(u"demo"_s);
        return demo ? TemplateApplication::requests(*demo) : QList<SavedRequest>();
    }

    static QByteArray bytesOf(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"ws-%1.json"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    // What the operations browser and `matrix --env Demo` read: every example request of the Demo
    // template, in the Demo folder, with its required scopes and success status.
    void freshWorkspaceListsTheDemoRequests()
    {
        const QList<SavedRequest> expected = templateRequests();
        QVERIFY(expected.size() >= 6);
        const CliRun run = cli({u"request"_s, u"list"_s, u"--json"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray listed = run.json().value(u"requests"_s).toArray();
        QCOMPARE(listed.size(), expected.size());
        QStringList methods;
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const QJsonObject request = listed.at(i).toObject();
            QCOMPARE(request.value(u"name"_s).toString(), expected.at(i).name);
            QCOMPARE(request.value(u"folder"_s).toString(), u"Demo"_s);
            QVERIFY(!request.value(u"summary"_s).toString().isEmpty());
            QVERIFY(request.value(u"url"_s).toString().startsWith(u'/'));
            const QJsonArray alternatives = request.value(u"requiredScopes"_s).toArray();
            QCOMPARE(alternatives.size(), 1);
            QCOMPARE(alternatives.first().toObject().value(u"scopes"_s).toArray().size(), 1);
            QCOMPARE(alternatives.first().toObject().value(u"scopes"_s).toArray().first().toString(),
                     expected.at(i).requiredScopes.first().scopes.first());
            QCOMPARE(request.value(u"successStatus"_s).toInt(), expected.at(i).successStatus);
            QVERIFY(request.value(u"successStatus"_s).toInt() >= 200);
            methods.append(request.value(u"method"_s).toString());
        }
        // Reads and changes alike, so the scope matrix checks write and execute scopes too.
        QVERIFY(methods.contains(u"GET"_s) && methods.contains(u"POST"_s) && methods.contains(u"PATCH"_s));
        QVERIFY(!QFile::exists(m_path)); // listing creates nothing
        const CliRun shown = cli({u"request"_s, u"show"_s, u"Place a trade"_s});
        QVERIFY2(shown.out.contains("Needs:          trades:execute\n"), shown.out.constData());
        QVERIFY2(shown.out.contains("Success status: 201\n"), shown.out.constData());
    }

    // Each example sent to the Demo with its required scope gets its success status; without that
    // scope, the Demo's 403. The Demo environment sends X-On-Behalf-Of, whose own scope
    // (core.users:act-on-behalf-of) every token here carries but where it is the one taken away.
    void eachAnswersItsSuccessStatusWithItsScope()
    {
        const QString onBehalf = u"core.users:act-on-behalf-of"_s;
        const QList<SavedRequest> requests = templateRequests();
        QVERIFY(!requests.isEmpty());
        for (const SavedRequest &request : requests) {
            const QString required = request.requiredScopes.first().scopes.first();
            QStringList granted{u"--scope"_s, required};
            if (required != onBehalf)
                granted += {u"--scope"_s, onBehalf};
            CliRun run = cli(QStringList{u"send"_s, u"Demo"_s, u"--saved"_s, request.name, u"--expect-status"_s,
                                         QString::number(request.successStatus)}
                             + granted);
            QVERIFY2(run.exitCode == 0, qPrintable(request.name + u": "_s + QString::fromUtf8(run.err)));

            // Every other Demo scope, but not the required one.
            QStringList without;
            for (const QString &scope : {u"accounts:read"_s, u"trades:read"_s, u"trades:execute"_s, u"customers:read"_s,
                                         u"customers:write"_s, onBehalf}) {
                if (scope != required)
                    without += {u"--scope"_s, scope};
            }
            run = cli(QStringList{u"send"_s, u"Demo"_s, u"--saved"_s, request.name, u"--expect-status"_s, u"403"_s} + without);
            QVERIFY2(run.exitCode == 0, qPrintable(request.name + u" without "_s + required + u": "_s + QString::fromUtf8(run.err)));
        }
    }

    // Created once: a request the user deleted is not added back by the next command.
    void deletedRequestsStayDeleted()
    {
        QCOMPARE(cli({u"send"_s, u"Demo"_s, u"--saved"_s, u"List accounts"_s, u"--scope"_s, u"accounts:read"_s, u"--scope"_s,
                      u"core.users:act-on-behalf-of"_s})
                         .exitCode,
                 0);
        // A command that writes creates the workspace with them.
        QCOMPARE(cli({u"env"_s, u"add"_s, u"Mine"_s, u"--token-url"_s, u"https://id.example.test/token"_s, u"--api-url"_s,
                      u"https://api.example.test"_s, u"--client-id"_s, u"me"_s})
                         .exitCode,
                 0);
        auto loaded = WorkspaceStore::load(m_path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.workspace->savedRequests().size(), templateRequests().size());
        QCOMPARE(cli({u"request"_s, u"remove"_s, u"List accounts"_s}).exitCode, 0);
        QCOMPARE(cli({u"env"_s, u"remove"_s, u"Mine"_s}).exitCode, 0);
        const CliRun list = cli({u"request"_s, u"list"_s, u"--json"_s});
        QCOMPARE(list.json().value(u"requests"_s).toArray().size(), templateRequests().size() - 1);
        QVERIFY(!list.out.contains("\"List accounts\""));
    }

    // A workspace written before (the Demo alone, no saved request) is read and written as it was:
    // no example request appears in it.
    void anExistingWorkspaceIsLeftAsItWas()
    {
        QVERIFY(WorkspaceStore::save(Workspace::createDefault(), m_path).ok());
        const QByteArray before = bytesOf(m_path);
        CliRun run = cli({u"request"_s, u"list"_s, u"--json"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.json().value(u"requests"_s).toArray().isEmpty());
        QCOMPARE(bytesOf(m_path), before);
        run = cli({u"env"_s, u"add"_s, u"Mine"_s, u"--token-url"_s, u"https://id.example.test/token"_s, u"--api-url"_s,
                   u"https://api.example.test"_s, u"--client-id"_s, u"me"_s});
        QCOMPARE(run.exitCode, 0);
        const auto loaded = WorkspaceStore::load(m_path);
        QVERIFY(loaded.ok());
        QVERIFY(loaded.workspace->savedRequests().isEmpty());
        QVERIFY(loaded.workspace->find(u"Mine"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliStarter)
#include "tst_cli_starter.moc"
