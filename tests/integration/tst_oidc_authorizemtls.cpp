#include "AuthorizeDialog.h"
#include "ComposerView.h"
#include "OidcDesktopFixture.h"
#include "TokenInspector.h"
#include "support/SecretWait.h"
#include "support/TestPki.h"
#include "support/WidgetTestMain.h"

#include <QLabel>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;

// Issue 14's done-when from the app with a client certificate, against oidc-provider: an
// environment of the fixture's tb-mtls client (RFC 8705 tls_client_auth: the certificate is the
// credential, no secret), its key in the keychain as the editor stores it. The Authorize dialog
// gets a token over mutual TLS, the inspector says the token is bound to that certificate
// (cnf x5t#S256), and the composer's request to the fixture's https API, which refuses a bound
// token with any other certificate, is answered.
class TestOidcAuthorizeMtls : public QObject, private OidcDesktopFixture
{
    Q_OBJECT

private:
    QTemporaryDir m_pkiDir;
    std::optional<TestPki> m_pki;

    QString addEnvironment(const QString &name, const QString &certificatePath, const QString &keyPath)
    {
        Environment env;
        env.name = name;
        env.grant = GrantType::ClientCredentials;
        env.clientAuth = ClientAuthStyle::TlsClientAuth;
        env.clientId = u"tb-mtls"_s;
        env.tokenUrl = QUrl(m_server.mtlsBase().toString() + u"/token"_s);
        env.apiBaseUrl = m_server.mtlsApiBase();
        env.scopes = {u"accounts:read"_s};
        env.trustedCertificates = TestPki::read(m_pki->caPath);
        env.clientCertificate = TestPki::read(certificatePath);
        const QString id = m_model->environmentAt(m_model->upsert(env))->id;
        const QString key = SecretStore::keyFor(m_model->workspace().id(), id, SecretStore::clientKeyName());
        const SecretResult stored = waitForSecret([&](SecretStore::Callback done) { m_secrets.write(key, QString::fromUtf8(TestPki::read(keyPath)), done); });
        return stored.ok() ? id : QString();
    }

    // Authorize… for the environment; the dialog's error text, empty when a token came.
    QString authorize(const QString &environmentId)
    {
        selectEnvironment(environmentId);
        AuthorizeDialog *dialog = openAuthorizeDialog();
        if (!dialog)
            return u"no Authorize dialog"_s;
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"authorizeButton"_s), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return !dialog->isAuthorizing() && (m_window->inspector()->hasToken() || !dialog->errorText().isEmpty()); }, 20000))
            return u"no answer in time"_s;
        const QString error = dialog->errorText();
        dialog->close();
        return error;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_pkiDir.isValid());
        m_pki = TestPki::make(m_pkiDir.path());
        QVERIFY2(m_pki, "openssl could not make the test PKI");
        const QString failed = startDesktop(u"tst_oidc_authorizemtls"_s, {u"--mtls-cert"_s, m_pki->serverCertificatePath, u"--mtls-key"_s,
                                                                          m_pki->serverKeyPath, u"--mtls-ca"_s, m_pki->caPath, u"--verbose"_s});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QCOMPARE(m_server.mtlsBase().scheme(), u"https"_s);
    }

    void cleanup() { closeAuthorizeDialogs(); }

    void theCertificateAuthorizesAndBindsTheToken()
    {
        const QString id = addEnvironment(u"oidc-provider (mTLS)"_s, m_pki->clientCertificatePath, m_pki->clientKeyPath);
        QVERIFY(!id.isEmpty());
        const QString error = authorize(id);
        QVERIFY2(error.isEmpty(), qPrintable(error + m_server.standardErrorOutput()));
        QVERIFY(m_window->inspector()->hasToken());

        auto *binding = m_window->findChild<QLabel *>(u"certificateBinding"_s);
        QVERIFY(binding);
        QTRY_VERIFY(binding->isVisible());
        QVERIFY2(binding->text().startsWith(u"bound to the environment's client certificate (cnf x5t#S256 "_s), qPrintable(binding->text()));

        // The bound token at the API, over mutual TLS with the same certificate.
        ComposerView *composer = sendGet(u"/accounts"_s);
        QVERIFY(composer);
        QTRY_VERIFY_WITH_TIMEOUT(!composer->isSending(), 15000);
        QCOMPARE(composer->lastResult().outcome, ApiCallResult::Outcome::Answered);
        QCOMPARE(composer->lastResult().exchange.status, 200);
    }

    void anotherSubjectsCertificateIsRefused()
    {
        // Trusted by the provider's CA, but not the subject tb-mtls registered: invalid_client, in the dialog.
        const QString id = addEnvironment(u"oidc-provider (other subject)"_s, m_pki->otherClientCertificatePath, m_pki->otherClientKeyPath);
        QVERIFY(!id.isEmpty());
        const QString error = authorize(id);
        QVERIFY2(error.contains(u"invalid_client"_s), qPrintable(error));
        QVERIFY(!m_authorizer->currentToken(id));
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestOidcAuthorizeMtls)
#include "tst_oidc_authorizemtls.moc"
