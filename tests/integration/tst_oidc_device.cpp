#include "OidcProviderProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The device authorization grant (RFC 8628) of the real tokenbench-cli against panva's
// oidc-provider (features.deviceFlow, the public client tb-device): `token` prints the user code
// and the verification URI on stderr and polls; a scripted person (oidc/device-approve.mjs)
// enters the code at the provider's page, signs in at its development login and consents — or
// aborts — and the CLI gets the token, or the provider's access_denied.
class TestOidcDevice : public QObject
{
    Q_OBJECT

private:
    OidcProviderProcess m_server;
    QTemporaryDir m_dir;

    QStringList ws(const QStringList &rest) const { return QStringList{u"--workspace"_s, m_dir.filePath(u"ws.json"_s)} + rest; }

    static int run(const QString &program, const QStringList &arguments, QByteArray *err = nullptr)
    {
        QProcess process;
        process.start(program, arguments);
        if (!process.waitForStarted(10000) || !process.waitForFinished(60000))
            return -1;
        if (err)
            *err = process.readAllStandardError();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QByteArray approverErr;
    };

    // `token NAME --json` with device-approve.mjs playing the person once the code is shown.
    Outcome tokenWithPerson(const QStringList &approverOptions)
    {
        Outcome outcome;
        QProcess cli;
        cli.start(QStringLiteral(TOKENBENCH_CLI), ws({u"token"_s, u"oidc-device"_s, u"--json"_s}));
        if (!cli.waitForStarted(10000))
            return outcome;
        static const QRegularExpression shown(u"To authorize, open (\\S+)\\nand enter the code: (\\S+)\\n"_s);
        QRegularExpressionMatch match;
        for (int i = 0; i < 200 && !match.hasMatch() && cli.state() == QProcess::Running; ++i) {
            cli.waitForReadyRead(100);
            outcome.err += cli.readAllStandardError();
            match = shown.match(QString::fromUtf8(outcome.err));
        }
        if (!match.hasMatch()) {
            cli.kill();
            cli.waitForFinished();
            return outcome;
        }
        const int approved = run(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE),
                                 QStringList{QStringLiteral(TOKENBENCH_DEVICE_APPROVE_SCRIPT), match.captured(1), match.captured(2)}
                                         + approverOptions,
                                 &outcome.approverErr);
        if (approved != 0) {
            cli.kill();
            cli.waitForFinished();
            outcome.exitCode = -2;
            return outcome;
        }
        // oidc-provider asks for 5 s between polls (RFC 8628's default).
        QSignalSpy finished(&cli, &QProcess::finished);
        if (cli.state() != QProcess::NotRunning && !finished.wait(30000)) {
            cli.kill();
            cli.waitForFinished();
            return outcome;
        }
        outcome.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
        outcome.out = cli.readAllStandardOutput();
        outcome.err += cli.readAllStandardError();
        return outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        const QUrl deviceAuthorization = m_server.issuer().resolved(QUrl(u"/device/auth"_s));
        QByteArray err;
        const int added = run(QStringLiteral(TOKENBENCH_CLI),
                              ws({u"env"_s, u"add"_s, u"oidc-device"_s, u"--token-url"_s, m_server.tokenEndpoint().toString(),
                                  u"--api-url"_s, m_server.apiBase().toString(), u"--client-id"_s, u"tb-device"_s,
                                  u"--client-auth"_s, u"none"_s, u"--grant"_s, u"device_code"_s, u"--device-authorization-url"_s,
                                  deviceAuthorization.toString(), u"--scope"_s, u"accounts:read"_s}),
                              &err);
        QVERIFY2(added == 0, err.constData());
    }

    void approvedAtTheProvidersPage()
    {
        const Outcome outcome = tokenWithPerson({});
        QVERIFY2(outcome.exitCode == 0, (outcome.err + outcome.approverErr + m_server.standardErrorOutput().toUtf8()).constData());
        const QJsonObject json = QJsonDocument::fromJson(outcome.out).object();
        QCOMPARE(json.value(u"granted_scopes"_s).toVariant().toStringList(), QStringList{u"accounts:read"_s});
        const QJsonObject claims = json.value(u"jwt"_s).toObject().value(u"claims"_s).toObject();
        // Issued to the person who signed in, for the public client that asked.
        QCOMPARE(claims.value(u"sub"_s).toString(), OidcProviderProcess::passwordUser().accountId);
        QCOMPARE(claims.value(u"client_id"_s).toString(), u"tb-device"_s);
        QVERIFY(outcome.err.contains("(or open http://127.0.0.1:"));
    }

    void abortedAtTheProvidersPage()
    {
        const Outcome outcome = tokenWithPerson({u"--deny"_s});
        QCOMPARE(outcome.exitCode, 5);
        QVERIFY2((outcome.out + outcome.err).contains("access_denied"), (outcome.out + outcome.err).constData());
    }
};

QTEST_GUILESS_MAIN(TestOidcDevice)
#include "tst_oidc_device.moc"
