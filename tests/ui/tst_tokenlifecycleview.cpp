#include "IntrospectionPanel.h"
#include "RefreshTokenStatus.h"
#include "TokenInspector.h"

#include "oauth/AccessToken.h"
#include "util/ManualClock.h"
#include "support/WidgetTestMain.h"

#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace Qt::StringLiterals;

// The inspector's refresh-token line and its Introspect action, driven in the real inspector.
class TestTokenLifecycleView : public QObject
{
    Q_OBJECT

private:
    static AccessToken opaqueToken()
    {
        AccessToken token;
        token.value = u"opaque-access-value"_s;
        token.tokenType = u"Bearer"_s;
        token.obtainedAt = QDateTime::currentDateTimeUtc();
        token.expiresAt = token.obtainedAt.addSecs(300);
        return token;
    }

private Q_SLOTS:
    void theRefreshTokenLineSaysWhereAndWhenNeverWhat()
    {
        ManualClock clock;
        TokenInspector inspector(&clock);
        inspector.show();
        auto *line = inspector.findChild<RefreshTokenStatus *>(u"refreshToken"_s);
        QVERIFY(line);

        AccessToken token = opaqueToken();
        inspector.setToken(token, u"env"_s);
        QVERIFY(!line->isVisible()); // none held: no line

        token.refreshToken = u"rt-SECRET-value"_s;
        inspector.setToken(token, u"env"_s);
        QVERIFY(line->isVisible());
        QVERIFY(line->text().contains(u"in memory"_s));
        QVERIFY(line->text().contains(u"not used yet"_s));

        token.refreshTokenKept = true;
        token.refreshedAt = QDateTime(QDate(2026, 12, 3), QTime(10, 32, 5), Qt::UTC);
        inspector.setToken(token, u"env"_s);
        QVERIFY(line->text().contains(u"kept in the keychain"_s));
        QVERIFY(line->text().contains(token.refreshedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s)));
        for (const QLabel *label : inspector.findChildren<QLabel *>())
            QVERIFY2(!label->text().contains(u"rt-SECRET-value"_s), qPrintable(label->objectName()));
    }

    void introspectIsOfferedForOpaqueTokensAndShowsTheAnswer()
    {
        ManualClock clock;
        TokenInspector inspector(&clock);
        inspector.show();
        auto *panel = inspector.introspectionPanel();
        auto *button = inspector.findChild<QPushButton *>(u"introspectButton"_s);
        QVERIFY(panel && button);

        inspector.setToken(opaqueToken(), u"env"_s);
        QVERIFY(panel->isVisible());
        QSignalSpy asked(panel, &IntrospectionPanel::introspectRequested);
        // Shown with the token: laid out before the user can reach it.
        QTRY_VERIFY2(button->isVisible() && !button->rect().isEmpty(), qPrintable(u"%1x%2"_s.arg(button->width()).arg(button->height())));
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(asked.count(), 1);
        QVERIFY(!button->isEnabled()); // one question at a time

        IntrospectionResult answer;
        answer.active = true;
        answer.fields = {{u"active"_s, true}, {u"scope"_s, u"accounts:read"_s}, {u"client_id"_s, u"demo-client"_s},
                         {u"sub"_s, u"demo-user"_s}, {u"exp"_s, 1796300000}};
        panel->showResult(answer);
        QVERIFY(button->isEnabled());
        auto *status = inspector.findChild<QLabel *>(u"introspectionStatus"_s);
        QVERIFY(status->text().startsWith(u"Active, expires "_s));
        auto *fields = inspector.findChild<QTableWidget *>(u"introspectionFields"_s);
        QVERIFY(fields->isVisible());
        QStringList rows;
        for (int row = 0; row < fields->rowCount(); ++row)
            rows.append(fields->item(row, 0)->text() + u'=' + fields->item(row, 1)->text());
        QVERIFY(rows.contains(u"scope=accounts:read"_s));
        QVERIFY(rows.contains(u"client_id=demo-client"_s));
        QVERIFY(rows.contains(u"sub=demo-user"_s));
        QVERIFY(rows.contains(u"exp=1796300000"_s));

        IntrospectionResult inactive;
        inactive.fields = {{u"active"_s, false}};
        panel->showResult(inactive);
        QVERIFY(status->text().startsWith(u"Not active"_s));

        IntrospectionResult failed;
        failed.error.kind = OAuthError::Kind::Configuration;
        failed.error.detail = u"the environment has no introspection URL"_s;
        panel->showResult(failed);
        QVERIFY(status->text().contains(u"no introspection URL"_s));

        // A JWT speaks for itself: no Introspect; a new token clears the last answer.
        AccessToken jwt = opaqueToken();
        jwt.value = u"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"_s;
        inspector.setToken(jwt, u"env"_s);
        QVERIFY(!panel->isVisible());
        inspector.setToken(opaqueToken(), u"env"_s);
        QVERIFY(panel->isVisible());
        QVERIFY(!fields->isVisible());
        QVERIFY(status->text().isEmpty());
    }
};

TOKENBENCH_WIDGET_TEST_MAIN(TestTokenLifecycleView)
#include "tst_tokenlifecycleview.moc"
