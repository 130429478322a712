#include "ClaimsView.h"
#include "TokenInspector.h"

#include "oauth/AccessToken.h"
#include "util/ManualClock.h"
#include "support/TestPki.h"
#include "support/WidgetTestMain.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QFontMetrics>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QDateTime start = QDateTime(QDate(2025, 3, 1), QTime(12, 0, 0), Qt::UTC);

QByteArray b64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString makeJwt(const QJsonObject &header, const QJsonObject &claims, const QByteArray &signature = "c2lnbmF0dXJl")
{
    return QString::fromLatin1(b64url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
                               + b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' + signature);
}

// What the Demo API hands out: an HS256 JWT with iat/exp and a space-separated scope claim.
AccessToken demoToken(const QDateTime &now, qint64 lifetime, const QStringList &scopes = {u"accounts:read"_s, u"trades:read"_s})
{
    const QJsonObject header{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}};
    const QJsonObject claims{{u"iss"_s, u"http://127.0.0.1:8765"_s},
                             {u"sub"_s, u"demo-client"_s},
                             {u"aud"_s, u"tokenbench-demo"_s},
                             {u"iat"_s, now.toSecsSinceEpoch()},
                             {u"exp"_s, now.toSecsSinceEpoch() + lifetime},
                             {u"scope"_s, scopes.join(u' ')}};
    AccessToken token;
    token.value = makeJwt(header, claims);
    token.tokenType = u"Bearer"_s;
    token.obtainedAt = now;
    token.expiresAt = now.addSecs(lifetime);
    token.expirySource = AccessToken::ExpirySource::ExpiresIn;
    token.requestedScopes = scopes;
    token.grantedScopes = scopes;
    token.scopeSource = AccessToken::ScopeSource::Response;
    return token;
}

AccessToken makeOpaqueToken(const QDateTime &now, qint64 lifetime)
{
    AccessToken token;
    token.value = u"b3BhcXVlLXRva2VuLTEyMzQ1Njc4OTA"_s;
    token.tokenType = u"bearer"_s;
    token.obtainedAt = now;
    if (lifetime >= 0) {
        token.expiresAt = now.addSecs(lifetime);
        token.expirySource = AccessToken::ExpirySource::ExpiresIn;
    }
    return token;
}
} // namespace

class TestTokenInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyStateBeforeAnyToken();
    void showsTypeScopesAndClaims();
    void tokenIsMaskedAndRevealable();
    void newTokenStartsMaskedAgain();
    void copyTokenMarksItSensitive();
    void copiedTokenIsClearedAfterTheInterval();
    void clipboardIsLeftAloneWhenTheUserCopiedSomethingElse();
    void copyClaimsCopiesValidJson();
    void timesInLocalTimeAndUtc();
    void countdownFollowsTheClock();
    void formatCountdown_data();
    void formatCountdown();
    void cyclrTokenShowsDaysAndExtraFields();
    void epochFieldsShowAsDates();
    void lifeBarGoesFromOkToEndingToExpired();
    void unknownExpiry();
    void expiryFromTheJwtSaysSo();
    void opaqueToken();
    void malformedToken();
    void unsignedTokenIsFlagged();
    void certificateBoundTokenNamesItsCertificate();
    void scopesNotReported();
    void scopesRequestedButNotGrantedAreMarked();
    void coloursFollowAPaletteChange();
    void reauthorizeEmits();
    void renewDueOncePerToken();
    void renewDueNeverWhenAutoRenewIsOff();
    void renewLeadIsClamped();
    void renewLeadLongerThanTheLifetimeWaitsUntilHalfTime();
    void autoRenewCheckboxDrivesTheSetting();
    void clearShowsTheEmptyState();
    void interactiveWidgetsHaveAccessibleNames();

private:
    template<typename T>
    T *child(const char *name)
    {
        auto *widget = m_inspector->findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }
    bool shown(const char *name) { return child<QWidget>(name)->isVisibleTo(m_inspector.get()); }

    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<TokenInspector> m_inspector;
};

void TestTokenInspector::init()
{
    m_clock = std::make_unique<ManualClock>(start);
    m_inspector = std::make_unique<TokenInspector>(m_clock.get());
    m_inspector->resize(380, 800);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
    QGuiApplication::clipboard()->clear();
}

void TestTokenInspector::cleanup()
{
    m_inspector.reset();
    m_clock.reset();
}

void TestTokenInspector::emptyStateBeforeAnyToken()
{
    QVERIFY(!m_inspector->hasToken());
    QVERIFY(shown("emptyState"));
    QVERIFY(child<QLabel>("emptyState")->text().contains(u"No token yet"_s));
    QVERIFY(!shown("tokenValue"));
    QVERIFY(!shown("lifeBar"));
    QVERIFY(!child<QToolButton>("copyToken")->isEnabled());
    QCOMPARE(m_inspector->lifeState(), QString());
}

void TestTokenInspector::showsTypeScopesAndClaims()
{
    m_inspector->setToken(demoToken(start, 300), u"Demo"_s);
    QVERIFY(m_inspector->hasToken());
    QVERIFY(!shown("emptyState"));
    QCOMPARE(child<QLabel>("environmentName")->text(), u"Demo"_s);
    QCOMPARE(child<QLabel>("tokenType")->text(), u"Bearer"_s);
    const QString scopes = child<QLabel>("grantedScopes")->text();
    QVERIFY(scopes.contains(u"accounts:read"_s));
    QVERIFY(scopes.contains(u"trades:read"_s));
    QVERIFY(!scopes.contains(u"not granted"_s));

    auto *claims = child<QPlainTextEdit>("claimsView");
    QVERIFY(shown("claimsView"));
    QVERIFY(claims->isReadOnly());
    const QFontMetrics metrics(claims->font());
    QCOMPARE(metrics.horizontalAdvance(u"iiiiii"_s), metrics.horizontalAdvance(u"MMMMMM"_s)); // monospaced
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(claims->toPlainText().toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object().value(u"header"_s).toObject().value(u"alg"_s).toString(), u"HS256"_s);
    QCOMPARE(doc.object().value(u"claims"_s).toObject().value(u"sub"_s).toString(), u"demo-client"_s);
    // Pretty, not a one-line blob.
    QVERIFY(claims->toPlainText().count(u'\n') > 8);

    const QString format = child<QLabel>("tokenFormat")->text();
    QVERIFY(format.contains(u"HS256"_s));
    QVERIFY(format.contains(u"signature line"_s, Qt::CaseInsensitive));
    QVERIFY(!shown("formatBadge"));
    QVERIFY(!shown("extraFields"));
}

void TestTokenInspector::tokenIsMaskedAndRevealable()
{
    const AccessToken token = demoToken(start, 300);
    m_inspector->setToken(token);
    auto *value = child<QLineEdit>("tokenValue");
    auto *reveal = child<QToolButton>("revealToken");
    QCOMPARE(value->text(), token.value);
    QVERIFY(value->isReadOnly());
    QCOMPARE(value->echoMode(), QLineEdit::Password);
    QVERIFY(!value->displayText().contains(u"eyJ"_s));
    QVERIFY(reveal->isCheckable());

    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(value->echoMode(), QLineEdit::Normal);
    QCOMPARE(value->displayText(), token.value);
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(value->echoMode(), QLineEdit::Password);
}

void TestTokenInspector::newTokenStartsMaskedAgain()
{
    m_inspector->setToken(demoToken(start, 300));
    QTest::mouseClick(child<QToolButton>("revealToken"), Qt::LeftButton);
    QCOMPARE(child<QLineEdit>("tokenValue")->echoMode(), QLineEdit::Normal);
    m_inspector->setToken(demoToken(start, 600));
    QCOMPARE(child<QLineEdit>("tokenValue")->echoMode(), QLineEdit::Password);
    QVERIFY(!child<QToolButton>("revealToken")->isChecked());
}

void TestTokenInspector::copyTokenMarksItSensitive()
{
    const AccessToken token = demoToken(start, 300);
    m_inspector->setToken(token);
    QCOMPARE(m_inspector->clipboardClearSeconds(), 30);
    QSignalSpy copied(m_inspector.get(), &TokenInspector::copied);
    QTest::mouseClick(child<QToolButton>("copyToken"), Qt::LeftButton);

    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QCOMPARE(mime->text(), token.value);
    QCOMPARE(mime->data(u"x-kde-passwordManagerHint"_s), QByteArrayLiteral("secret"));
    QCOMPARE(copied.size(), 1);
    QCOMPARE(copied.at(0).at(0).toString(), u"token"_s);
    QVERIFY(shown("clipboardNote"));
    QVERIFY(child<QLabel>("clipboardNote")->text().contains(u"30"_s));
}

void TestTokenInspector::copiedTokenIsClearedAfterTheInterval()
{
    const AccessToken token = demoToken(start, 300);
    m_inspector->setToken(token);
    m_inspector->setClipboardClearInterval(std::chrono::milliseconds(150));
    QTest::mouseClick(child<QToolButton>("copyToken"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), token.value);
    QTRY_COMPARE_WITH_TIMEOUT(QGuiApplication::clipboard()->text(), QString(), 5000);
    QVERIFY(child<QLabel>("clipboardNote")->text().contains(u"cleared"_s));
}

void TestTokenInspector::clipboardIsLeftAloneWhenTheUserCopiedSomethingElse()
{
    m_inspector->setToken(demoToken(start, 300));
    m_inspector->setClipboardClearInterval(std::chrono::milliseconds(150));
    QTest::mouseClick(child<QToolButton>("copyToken"), Qt::LeftButton);
    QVERIFY(shown("clipboardNote"));
    QGuiApplication::clipboard()->setText(u"the user's own text"_s);
    // The note goes away once the timer has looked at the clipboard.
    QTRY_VERIFY_WITH_TIMEOUT(!shown("clipboardNote"), 5000);
    QCOMPARE(QGuiApplication::clipboard()->text(), u"the user's own text"_s);
}

void TestTokenInspector::copyClaimsCopiesValidJson()
{
    m_inspector->setToken(demoToken(start, 300));
    QSignalSpy copied(m_inspector.get(), &TokenInspector::copied);
    QTest::mouseClick(child<QToolButton>("copyClaims"), Qt::LeftButton);
    const QJsonDocument doc = QJsonDocument::fromJson(QGuiApplication::clipboard()->text().toUtf8());
    QCOMPARE(doc.object().value(u"claims"_s).toObject().value(u"scope"_s).toString(), u"accounts:read trades:read"_s);
    QCOMPARE(copied.size(), 1);
    QCOMPARE(copied.at(0).at(0).toString(), u"claims"_s);
    // Claims are not credentials; no password-manager hint.
    QVERIFY(!QGuiApplication::clipboard()->mimeData()->hasFormat(u"x-kde-passwordManagerHint"_s));
}

void TestTokenInspector::timesInLocalTimeAndUtc()
{
    m_inspector->setToken(demoToken(start, 300));
    const QString issued = child<QLabel>("issuedAt")->text();
    const QString expires = child<QLabel>("expiresAt")->text();
    QVERIFY2(issued.contains(u"2025-03-01 12:00:00 UTC"_s), qPrintable(issued));
    QVERIFY2(expires.contains(u"2025-03-01 12:05:00 UTC"_s), qPrintable(expires));
    const QString localExpiry = start.addSecs(300).toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    QVERIFY2(expires.contains(localExpiry), qPrintable(expires));
    QVERIFY(expires.contains(u"local"_s));
}

void TestTokenInspector::countdownFollowsTheClock()
{
    m_inspector->setToken(demoToken(start, 300));
    auto *countdown = child<QLabel>("countdown");
    QCOMPARE(countdown->text(), u"05:00"_s);
    m_clock->advance(61);
    QCOMPARE(countdown->text(), u"05:00"_s); // nothing moves until refresh()
    m_inspector->refresh();
    QCOMPARE(countdown->text(), u"03:59"_s);
}

void TestTokenInspector::formatCountdown_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("one second") << qint64(1) << u"00:01"_s;
    QTest::newRow("under a minute") << qint64(59) << u"00:59"_s;
    QTest::newRow("five minutes") << qint64(300) << u"05:00"_s;
    QTest::newRow("just under an hour") << qint64(3599) << u"59:59"_s;
    QTest::newRow("an hour") << qint64(3600) << u"1h 00m 00s"_s;
    QTest::newRow("hours") << qint64(3723) << u"1h 02m 03s"_s;
    QTest::newRow("just under a day") << qint64(86399) << u"23h 59m 59s"_s;
    QTest::newRow("a day") << qint64(86400) << u"1d 0h"_s;
    QTest::newRow("cyclr 14 days") << qint64(1209599) << u"13d 23h"_s;
    QTest::newRow("at expiry") << qint64(0) << u"expired just now"_s;
    QTest::newRow("seconds ago") << qint64(-30) << u"expired 30s ago"_s;
    QTest::newRow("minutes ago") << qint64(-150) << u"expired 2m ago"_s;
    QTest::newRow("hours ago") << qint64(-3900) << u"expired 1h 05m ago"_s;
    QTest::newRow("days ago") << qint64(-90000) << u"expired 1d 1h ago"_s;
}

void TestTokenInspector::formatCountdown()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(TokenInspector::formatCountdown(seconds), text);
}

void TestTokenInspector::cyclrTokenShowsDaysAndExtraFields()
{
    AccessToken token = makeOpaqueToken(start, 1209599);
    token.extraFields = QJsonObject{{u"clientId"_s, u"cyclr-client-42"_s},
                                    {u"id_token"_s, u"eyJsecret-id-token"_s},
                                    {u"client_secret_hint"_s, u"do-not-show"_s},
                                    {u"expires_at_ms"_s, 1741000000000.0}};
    m_inspector->setToken(token, u"Cyclr sandbox"_s);
    QCOMPARE(child<QLabel>("countdown")->text(), u"13d 23h"_s);
    QCOMPARE(m_inspector->lifeState(), u"ok"_s);

    auto *table = child<QTableWidget>("extraFields");
    QVERIFY(shown("extraFields"));
    QCOMPARE(table->rowCount(), 4);
    QHash<QString, QString> rows;
    for (int row = 0; row < table->rowCount(); ++row)
        rows.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
    QCOMPARE(rows.value(u"clientId"_s), u"cyclr-client-42"_s);
    QCOMPARE(rows.value(u"id_token"_s), u"••••"_s);
    QCOMPARE(rows.value(u"client_secret_hint"_s), u"••••"_s);
    // A time in milliseconds, as the name says: the raw number, and beside it the date.
    QCOMPARE(rows.value(u"expires_at_ms"_s), u"1741000000000 (2025-03-03 11:06:40 UTC)"_s);
}

void TestTokenInspector::epochFieldsShowAsDates()
{
    // Doorkeeper-style response fields and OIDC-style claims: each time beside its raw value.
    const QJsonObject header{{u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}};
    const QJsonObject claims{{u"sub"_s, u"user-123"_s},
                             {u"iat"_s, 1740830400},
                             {u"nbf"_s, 1740830400},
                             {u"exp"_s, 1740834000},
                             {u"auth_time"_s, 1740830000},
                             {u"updatedAt"_s, 1740000000},
                             {u"customer_id"_s, 1740830400}, // a number, not a time: its name says so
                             {u"max_age"_s, 3600}};
    AccessToken token = makeOpaqueToken(start, 3600);
    token.value = makeJwt(header, claims);
    token.extraFields = QJsonObject{{u"created_at"_s, 1740830400},
                                    {u"refresh_expires_in"_s, 1740830400}, // a duration by name
                                    {u"format"_s, 1740830400},
                                    {u"note"_s, u"1740830400"_s}};
    m_inspector->setToken(token);

    auto *table = child<QTableWidget>("extraFields");
    QHash<QString, QString> rows;
    for (int row = 0; row < table->rowCount(); ++row)
        rows.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
    QCOMPARE(rows.value(u"created_at"_s), u"1740830400 (2025-03-01 12:00:00 UTC)"_s);
    QCOMPARE(rows.value(u"refresh_expires_in"_s), u"1740830400"_s);
    QCOMPARE(rows.value(u"format"_s), u"1740830400"_s);
    QCOMPARE(rows.value(u"note"_s), u"1740830400"_s);

    auto *view = child<ClaimsView>("claimsView");
    QHash<QString, QString> dates; // claim → the date beside it
    const QStringList lines = view->toPlainText().split(u'\n');
    for (int line = 0; line < lines.size(); ++line) {
        const QString text = lines.at(line).trimmed();
        if (text.startsWith(u'"'))
            dates.insert(text.section(u'"', 1, 1), view->dateHint(line));
    }
    QCOMPARE(dates.value(u"iat"_s), u"2025-03-01 12:00:00 UTC"_s);
    QCOMPARE(dates.value(u"nbf"_s), u"2025-03-01 12:00:00 UTC"_s);
    QCOMPARE(dates.value(u"exp"_s), u"2025-03-01 13:00:00 UTC"_s);
    QCOMPARE(dates.value(u"auth_time"_s), u"2025-03-01 11:53:20 UTC"_s);
    QCOMPARE(dates.value(u"updatedAt"_s), u"2025-02-19 21:20:00 UTC"_s);
    QCOMPARE(dates.value(u"customer_id"_s), QString());
    QCOMPARE(dates.value(u"max_age"_s), QString());
    QCOMPARE(dates.value(u"sub"_s), QString());
    // The text stays the JSON (the dates are beside it, not in it), and a screen reader hears them.
    QJsonParseError error;
    QJsonDocument::fromJson(view->toPlainText().toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(view->accessibleDescription().contains(u"exp is 2025-03-01 13:00:00 UTC"_s));
    view->grab(); // paints the dates; nothing to warn about
}

void TestTokenInspector::lifeBarGoesFromOkToEndingToExpired()
{
    m_inspector->setToken(demoToken(start, 300));
    auto *bar = child<QProgressBar>("lifeBar");
    auto *state = child<QLabel>("expiryState");
    QVERIFY(shown("lifeBar"));
    QCOMPARE(bar->property("lifeState").toString(), u"ok"_s);
    QCOMPARE(bar->value(), bar->maximum());
    QCOMPARE(state->text(), u"Active"_s);
    const QString okStyle = bar->styleSheet();

    m_clock->advance(269); // 31 s left: still outside the last tenth
    m_inspector->refresh();
    QCOMPARE(bar->property("lifeState").toString(), u"ok"_s);
    QCOMPARE(m_inspector->property("lifeState").toString(), u"ok"_s);

    QSignalSpy stateChanges(m_inspector.get(), &TokenInspector::lifeStateChanged);
    m_clock->advance(1); // 30 s left of 300
    m_inspector->refresh();
    QCOMPARE(bar->property("lifeState").toString(), u"ending"_s);
    QCOMPARE(state->text(), u"Ending soon"_s);
    QCOMPARE(bar->value(), bar->maximum() / 10);
    const QString endingStyle = bar->styleSheet();
    QVERIFY(endingStyle != okStyle);
    QCOMPARE(stateChanges.size(), 1);

    m_clock->advance(30); // at expiry
    m_inspector->refresh();
    QCOMPARE(bar->property("lifeState").toString(), u"expired"_s);
    QCOMPARE(m_inspector->lifeState(), u"expired"_s);
    QCOMPARE(state->text(), u"Expired"_s);
    QVERIFY(child<QLabel>("countdown")->text().contains(u"expired"_s));
    QCOMPARE(bar->value(), 0);
    QVERIFY(bar->styleSheet() != okStyle && bar->styleSheet() != endingStyle);

    m_clock->advance(150);
    m_inspector->refresh();
    QCOMPARE(child<QLabel>("countdown")->text(), u"expired 2m ago"_s);
    QCOMPARE(stateChanges.size(), 2);
}

void TestTokenInspector::unknownExpiry()
{
    m_inspector->setToken(makeOpaqueToken(start, -1));
    QCOMPARE(child<QLabel>("countdown")->text(), u"unknown"_s);
    QCOMPARE(m_inspector->lifeState(), u"unknown"_s);
    QCOMPARE(child<QProgressBar>("lifeBar")->property("lifeState").toString(), u"unknown"_s);
    QVERIFY(!shown("lifeBar"));
    QVERIFY(child<QLabel>("expiresAt")->text().startsWith(u"unknown"_s));
    m_clock->advance(100000);
    m_inspector->refresh();
    QCOMPARE(child<QLabel>("countdown")->text(), u"unknown"_s);
}

void TestTokenInspector::expiryFromTheJwtSaysSo()
{
    AccessToken token = demoToken(start, 600);
    token.expirySource = AccessToken::ExpirySource::JwtExp;
    m_inspector->setToken(token);
    QVERIFY(child<QLabel>("expiresAt")->text().contains(u"exp claim"_s));
    QCOMPARE(child<QLabel>("countdown")->text(), u"10:00"_s);
}

void TestTokenInspector::opaqueToken()
{
    m_inspector->setToken(makeOpaqueToken(start, 3600));
    QVERIFY(child<QLabel>("tokenFormat")->text().contains(u"opaque token — the server keeps its meaning"_s, Qt::CaseInsensitive));
    QVERIFY(shown("claimsNote"));
    QVERIFY(child<QLabel>("claimsNote")->text().contains(u"the server keeps its meaning"_s));
    QVERIFY(!shown("claimsView"));
    QVERIFY(child<QPlainTextEdit>("claimsView")->toPlainText().isEmpty());
    QVERIFY(!child<QToolButton>("copyClaims")->isEnabled());
    QVERIFY(!shown("formatBadge"));
    QVERIFY(!child<QLabel>("tokenFormat")->text().contains(u"JWT"_s));
}

void TestTokenInspector::malformedToken()
{
    AccessToken token = makeOpaqueToken(start, 300);
    token.value = u"eyJhbGciOiJIUzI1NiJ9.not*base64.c2ln"_s;
    m_inspector->setToken(token);
    QVERIFY(shown("formatBadge"));
    QCOMPARE(child<QLabel>("formatBadge")->text(), u"MALFORMED"_s);
    QVERIFY2(child<QLabel>("tokenFormat")->text().contains(u"the payload is not valid base64url"_s),
             qPrintable(child<QLabel>("tokenFormat")->text()));
    QVERIFY(child<QLabel>("claimsNote")->text().contains(u"the payload is not valid base64url"_s));
    QVERIFY(!shown("claimsView"));
}

void TestTokenInspector::unsignedTokenIsFlagged()
{
    AccessToken token = demoToken(start, 300);
    token.value = makeJwt(QJsonObject{{u"alg"_s, u"none"_s}}, QJsonObject{{u"sub"_s, u"anyone"_s}}, QByteArray());
    m_inspector->setToken(token);
    QVERIFY(shown("formatBadge"));
    QCOMPARE(child<QLabel>("formatBadge")->text(), u"UNSIGNED"_s);
    const QString format = child<QLabel>("tokenFormat")->text();
    QVERIFY(format.contains(u"no signature"_s));
    QVERIFY(!format.contains(u"verified"_s, Qt::CaseInsensitive)); // nothing to verify, nothing implied
    QVERIFY(child<QPlainTextEdit>("claimsView")->toPlainText().contains(u"\"anyone\""_s));
}

// RFC 8705 §3: a token with cnf x5t#S256 is bound to one certificate; the inspector says
// whether it is the environment's (the API takes it only with that one).
void TestTokenInspector::certificateBoundTokenNamesItsCertificate()
{
    QTemporaryDir dir;
    const auto pki = TestPki::make(dir.path());
    if (!pki)
        QSKIP("openssl could not make the test certificates");
    const QByteArray own = TestPki::read(pki->clientCertificatePath);
    const QByteArray thumbprint = QCryptographicHash::hash(QSslCertificate(own).toDer(), QCryptographicHash::Sha256)
                                      .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    AccessToken token = demoToken(start, 300);
    token.value = makeJwt(QJsonObject{{u"alg"_s, u"RS256"_s}},
                          QJsonObject{{u"sub"_s, u"tb-mtls"_s}, {u"cnf"_s, QJsonObject{{u"x5t#S256"_s, QString::fromLatin1(thumbprint)}}}});

    m_inspector->setClientCertificate(own);
    m_inspector->setToken(token);
    QVERIFY(shown("certificateBinding"));
    QString text = child<QLabel>("certificateBinding")->text();
    QVERIFY2(text.startsWith(u"bound to the environment's client certificate"_s), qPrintable(text));
    QVERIFY2(text.contains(QString::fromLatin1(thumbprint)), qPrintable(text));

    m_inspector->setClientCertificate(TestPki::read(pki->otherClientCertificatePath));
    m_inspector->setToken(token);
    text = child<QLabel>("certificateBinding")->text();
    QVERIFY2(text.startsWith(u"bound to ANOTHER certificate"_s) && text.contains(u"the API will refuse it"_s), qPrintable(text));

    m_inspector->setClientCertificate({});
    m_inspector->setToken(token);
    QVERIFY2(child<QLabel>("certificateBinding")->text().contains(u"the environment has none"_s),
             qPrintable(child<QLabel>("certificateBinding")->text()));

    // A plain bearer token of an environment without a certificate: no line at all.
    m_inspector->setToken(demoToken(start, 300));
    QVERIFY(!shown("certificateBinding"));
}

void TestTokenInspector::scopesNotReported()
{
    AccessToken token = makeOpaqueToken(start, 300);
    token.requestedScopes = {u"accounts:read"_s};
    token.scopeSource = AccessToken::ScopeSource::NotReported;
    m_inspector->setToken(token);
    const QString text = child<QLabel>("grantedScopes")->text();
    QVERIFY(text.contains(u"not reported by the server"_s));
    QVERIFY(text.contains(u"accounts:read"_s));
    QVERIFY(!text.contains(u"not granted"_s));
}

void TestTokenInspector::scopesRequestedButNotGrantedAreMarked()
{
    AccessToken token = demoToken(start, 300);
    token.requestedScopes = {u"accounts:read"_s, u"trades:read"_s, u"trades:execute"_s};
    m_inspector->setToken(token);
    auto *scopes = child<QLabel>("grantedScopes");
    QCOMPARE(scopes->property("notGranted").toStringList(), QStringList{u"trades:execute"_s});
    const QString text = scopes->text();
    QVERIFY2(text.contains(u"trades:execute — requested, not granted"_s), qPrintable(text));
    QVERIFY(!text.contains(u"accounts:read — requested, not granted"_s));
    QVERIFY(!text.contains(u"trades:read — requested, not granted"_s));
}

void TestTokenInspector::coloursFollowAPaletteChange()
{
    AccessToken token = demoToken(start, 300);
    token.requestedScopes.append(u"trades:execute"_s);
    m_inspector->setToken(token);
    auto *scopes = child<QLabel>("grantedScopes");
    auto *bar = child<QProgressBar>("lifeBar");
    const QString lightScopes = scopes->text();
    const QPalette original = QApplication::palette();

    QPalette dark = original;
    dark.setColor(QPalette::Window, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::WindowText, Qt::white);
    dark.setColor(QPalette::Base, QColor(0x23, 0x23, 0x23));
    dark.setColor(QPalette::Text, Qt::white);
    QApplication::setPalette(dark);
    QCoreApplication::processEvents();
    const QString darkScopes = scopes->text();
    const QString darkBar = bar->styleSheet();
    QApplication::setPalette(original);
    QCoreApplication::processEvents();

    // The "not granted" colour is chosen for the background it is drawn on.
    QVERIFY(darkScopes.contains(u"trades:execute — requested, not granted"_s));
    QVERIFY(darkScopes != lightScopes);
    QVERIFY2(darkBar.contains(u"#232323"_s), qPrintable(darkBar));
    QCOMPARE(scopes->text(), lightScopes);
}

void TestTokenInspector::reauthorizeEmits()
{
    QSignalSpy spy(m_inspector.get(), &TokenInspector::reauthorizeRequested);
    QTest::mouseClick(child<QPushButton>("reauthorize"), Qt::LeftButton); // empty state: "Authorize"
    QCOMPARE(spy.size(), 1);
    m_inspector->setToken(demoToken(start, 300));
    QVERIFY(child<QPushButton>("reauthorize")->text().contains(u"Re-"_s));
    QTest::mouseClick(child<QPushButton>("reauthorize"), Qt::LeftButton);
    QCOMPARE(spy.size(), 2);
}

void TestTokenInspector::renewDueOncePerToken()
{
    m_inspector->setRenewLeadSeconds(30);
    m_inspector->setAutoRenew(true);
    QSignalSpy due(m_inspector.get(), &TokenInspector::renewDue);
    m_inspector->setToken(demoToken(start, 300));
    QCOMPARE(due.size(), 0);

    m_clock->advance(29); // 271 s left
    m_inspector->refresh();
    QCOMPARE(due.size(), 0);
    m_clock->advance(239); // 32 s left
    m_inspector->refresh();
    QCOMPARE(due.size(), 0);
    m_clock->advance(2); // 30 s left
    m_inspector->refresh();
    QCOMPARE(due.size(), 1);
    for (int i = 0; i < 5; ++i) {
        m_clock->advance(5);
        m_inspector->refresh();
    }
    QCOMPARE(due.size(), 1);

    // A new token is a new renewal.
    m_inspector->setToken(demoToken(m_clock->now(), 300));
    QCOMPARE(due.size(), 1);
    m_clock->advance(270);
    m_inspector->refresh();
    QCOMPARE(due.size(), 2);
}

void TestTokenInspector::renewDueNeverWhenAutoRenewIsOff()
{
    QVERIFY(!m_inspector->autoRenew());
    QSignalSpy due(m_inspector.get(), &TokenInspector::renewDue);
    m_inspector->setToken(demoToken(start, 300));
    for (int i = 0; i < 40; ++i) {
        m_clock->advance(10);
        m_inspector->refresh();
    }
    QCOMPARE(m_inspector->lifeState(), u"expired"_s);
    QCOMPARE(due.size(), 0);

    // Switching it on for a token already inside the lead asks at once.
    m_inspector->setAutoRenew(true);
    QCOMPARE(due.size(), 1);
}

void TestTokenInspector::renewLeadIsClamped()
{
    QCOMPARE(m_inspector->renewLeadSeconds(), 30);
    m_inspector->setRenewLeadSeconds(0);
    QCOMPARE(m_inspector->renewLeadSeconds(), 1);
    m_inspector->setRenewLeadSeconds(100000);
    QCOMPARE(m_inspector->renewLeadSeconds(), 3600);
    m_inspector->setRenewLeadSeconds(45);
    QCOMPARE(child<QSpinBox>("renewLead")->value(), 45);
}

void TestTokenInspector::renewLeadLongerThanTheLifetimeWaitsUntilHalfTime()
{
    m_inspector->setRenewLeadSeconds(30);
    m_inspector->setAutoRenew(true);
    QSignalSpy due(m_inspector.get(), &TokenInspector::renewDue);
    m_inspector->setToken(demoToken(start, 10));
    QCOMPARE(due.size(), 0);
    m_clock->advance(4);
    m_inspector->refresh();
    QCOMPARE(due.size(), 0);
    m_clock->advance(1); // 5 s left of 10
    m_inspector->refresh();
    QCOMPARE(due.size(), 1);
}

void TestTokenInspector::autoRenewCheckboxDrivesTheSetting()
{
    QSignalSpy changed(m_inspector.get(), &TokenInspector::autoRenewChanged);
    auto *box = child<QCheckBox>("autoRenew");
    QTest::mouseClick(box, Qt::LeftButton, {}, box->rect().center());
    QVERIFY(m_inspector->autoRenew());
    QCOMPARE(changed.size(), 1);
    m_inspector->setAutoRenew(false);
    QVERIFY(!box->isChecked());
    QCOMPARE(changed.size(), 2);
}

void TestTokenInspector::clearShowsTheEmptyState()
{
    m_inspector->setToken(demoToken(start, 300), u"Demo"_s);
    QVERIFY(m_inspector->hasToken());
    m_inspector->clear();
    QVERIFY(!m_inspector->hasToken());
    QVERIFY(shown("emptyState"));
    QVERIFY(child<QLabel>("emptyState")->text().contains(u"No token yet — Authorize to get one"_s));
    QVERIFY(!shown("tokenValue"));
    QVERIFY(!shown("lifeBar"));
    QVERIFY(!shown("countdown"));
    // Nothing of the old token lingers in the widgets.
    QVERIFY(child<QLineEdit>("tokenValue")->text().isEmpty());
    QVERIFY(child<QPlainTextEdit>("claimsView")->toPlainText().isEmpty());
    QCOMPARE(m_inspector->lifeState(), QString());
    m_inspector->refresh(); // harmless without a token
    QVERIFY(shown("emptyState"));
}

void TestTokenInspector::interactiveWidgetsHaveAccessibleNames()
{
    m_inspector->setToken(demoToken(start, 300));
    for (const char *name : {"tokenValue", "revealToken", "copyToken", "claimsView", "copyClaims", "reauthorize", "autoRenew",
                             "renewLead", "lifeBar", "grantedScopes", "extraFields"}) {
        QVERIFY2(!child<QWidget>(name)->accessibleName().isEmpty(), name);
    }
}

TOKENBENCH_WIDGET_TEST_MAIN(TestTokenInspector)
#include "tst_tokeninspector.moc"
