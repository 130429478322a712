#include "jwt/CertificateBinding.h"
#include "support/TestPki.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// RFC 8705 §3.1: cnf x5t#S256 is the base64url SHA-256 of the certificate's DER; the check says
// whether a token is bound and to which certificate, and never takes a malformed claim for a match.
class TestCertificateBinding : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<TestPki> m_pki;

    static QJsonObject boundTo(const QJsonValue &thumbprint) { return {{u"sub"_s, u"c"_s}, {u"cnf"_s, QJsonObject{{u"x5t#S256"_s, thumbprint}}}}; }

    // The thumbprint as the openssl tool computes it, independent of the code under test.
    static QString opensslThumbprint(const QString &certificateFile)
    {
        QProcess der;
        der.start(u"openssl"_s, {u"x509"_s, u"-in"_s, certificateFile, u"-outform"_s, u"DER"_s});
        if (!der.waitForFinished(30000))
            return {};
        QProcess digest;
        digest.start(u"openssl"_s, {u"dgst"_s, u"-sha256"_s, u"-binary"_s});
        digest.write(der.readAllStandardOutput());
        digest.closeWriteChannel();
        if (!digest.waitForFinished(30000))
            return {};
        return QString::fromLatin1(digest.readAllStandardOutput().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pki = TestPki::make(m_dir.path());
        if (!m_pki)
            QSKIP("openssl could not make the test certificates");
    }

    void thumbprintIsRfc8705s()
    {
        const QString expected = opensslThumbprint(m_pki->clientCertificatePath);
        QCOMPARE(expected.size(), 43);
        QCOMPARE(CertificateBinding::thumbprint(TestPki::read(m_pki->clientCertificatePath)), expected);
        QVERIFY(CertificateBinding::thumbprint("not a certificate").isEmpty());
    }

    void statuses()
    {
        const QByteArray own = TestPki::read(m_pki->clientCertificatePath);
        const QString thumbprint = CertificateBinding::thumbprint(own);
        QCOMPARE(CertificateBinding::check({{u"sub"_s, u"c"_s}}, own).status(), CertificateBinding::Status::NotBound);
        QVERIFY(!CertificateBinding::check({{u"sub"_s, u"c"_s}}, own).isBound());
        QCOMPARE(CertificateBinding::check(boundTo(thumbprint), own).status(), CertificateBinding::Status::Matches);
        QCOMPARE(CertificateBinding::check(boundTo(thumbprint), TestPki::read(m_pki->strangerCertificatePath)).status(),
                 CertificateBinding::Status::Differs);
        QCOMPARE(CertificateBinding::check(boundTo(thumbprint), {}).status(), CertificateBinding::Status::NoCertificate);
        // A claim that is no SHA-256 thumbprint is not compared at all.
        for (const QJsonValue &bad : {QJsonValue(42), QJsonValue(u"abc"_s), QJsonValue(thumbprint.left(42) + u"*"_s), QJsonValue(u""_s)}) {
            const CertificateBinding binding = CertificateBinding::check(boundTo(bad), own);
            QCOMPARE(binding.status(), CertificateBinding::Status::Unreadable);
            QVERIFY(binding.isBound());
            QVERIFY2(binding.summary().contains(u"cannot be checked"_s), qPrintable(binding.summary()));
        }
        // The environment's certificate unreadable: bound, but not said to match.
        const CertificateBinding unreadable = CertificateBinding::check(boundTo(thumbprint), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
        QCOMPARE(unreadable.status(), CertificateBinding::Status::Unreadable);
        QVERIFY2(unreadable.summary().contains(u"cannot be read"_s), qPrintable(unreadable.summary()));
        QCOMPARE(CertificateBinding::statusName(CertificateBinding::Status::NoCertificate), u"no_certificate"_s);
    }
};

QTEST_GUILESS_MAIN(TestCertificateBinding)
#include "tst_certificatebinding.moc"
