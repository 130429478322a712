#pragma once

#include "http/ProxyPolicy.h"
#include "oauth/AccessToken.h"

#include <QByteArray>
#include <QString>
#include <QUrl>
#include <QWidget>

#include <chrono>

class ClaimsView;
class IntrospectionPanel;
class RefreshTokenStatus;
class Clock;
class QCheckBox;
class QFormLayout;
class QLabel;
class SignatureCheckView;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpacerItem;
class QSpinBox;
class QTableWidget;
class QTimer;
class QToolButton;

// Shows one access token: what it is, what it grants, what its JWT says (decoded, never
// verified) and how long it has left. Time comes from an injected Clock so the countdown,
// the colour of the life bar and auto-renewal can be tested without waiting.
class TokenInspector : public QWidget
{
    Q_OBJECT

public:
    explicit TokenInspector(const Clock *clock = nullptr, QWidget *parent = nullptr);
    ~TokenInspector() override;

    void setToken(const AccessToken &token, const QString &environmentName = {});
    // Where setToken's tokens are checked: the environment's JWKS URL and trusted certificates.
    // issuer and clientId: what an ID token's iss and aud must say (its claims check).
    void setSignatureKeys(const QUrl &jwksUrl, const QByteArray &trustedCertificates, const QUrl &issuer = {}, const QString &clientId = {});
    // How the key set is reached: the environment's proxy decision (ProxyPolicy::forEnvironment).
    void setSignatureProxy(const ProxyPolicy &proxy);
    // The environment's mutual-TLS certificate (PEM, may be empty): a token bound to one (RFC 8705
    // cnf x5t#S256) is shown as bound to it or to another. Set before setToken.
    void setClientCertificate(const QByteArray &pem);
    void clear();
    bool hasToken() const;
    AccessToken token() const { return m_token; }
    // "Introspect" for opaque tokens: the window connects it to the Authorizer.
    IntrospectionPanel *introspectionPanel() const { return m_introspection; }

    void setAutoRenew(bool on);
    bool autoRenew() const;
    // Clamped to [1, 3600].
    void setRenewLeadSeconds(int seconds);
    int renewLeadSeconds() const;

    // A copied token is taken off the clipboard after this long if it is still there; 0 never.
    void setClipboardClearSeconds(int seconds);
    int clipboardClearSeconds() const;
    void setClipboardClearInterval(std::chrono::milliseconds interval);

    // "ok", "ending" (last tenth of the lifetime), "expired", "unknown" (no expiry known), or
    // empty without a token. Also the "lifeState" property of this widget and of the life bar.
    QString lifeState() const { return m_lifeState; }

    // "04:59" under an hour, "1h 02m 03s" under a day, "13d 23h" beyond, "expired 2m ago" after.
    static QString formatCountdown(qint64 secondsLeft);

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void reauthorizeRequested();
    // Once per token, when auto-renew is on and secondsLeft <= the lead. The lead is capped at
    // half the token's lifetime so a short token cannot trigger a renewal loop.
    void renewDue();
    void copied(const QString &what);
    void autoRenewChanged(bool on);
    void renewLeadSecondsChanged(int seconds);
    void lifeStateChanged(const QString &state);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void showFacts();
    void showScopes();
    void showExtraFields();
    void showJwt();
    void setLifeState(const QString &state);
    void applyLifeStyle();
    void maybeSignalRenewal(qint64 secondsLeft);
    void scheduleTick();
    void copyToken();
    void copyClaims();
    void clearClipboardIfOurs();
    bool darkPalette() const;

    const Clock *m_clock;
    AccessToken m_token;
    SignatureCheckView *m_signature = nullptr;
    QUrl m_jwksUrl;
    QByteArray m_trustedCertificates;
    QByteArray m_clientCertificate;
    QString m_environmentName;
    bool m_hasToken = false;
    bool m_renewSignalled = false;
    QString m_lifeState;
    QString m_copiedToken;
    QString m_claimsJson;
    std::chrono::milliseconds m_clipboardClearInterval{std::chrono::seconds(30)};

    QTimer *m_tick = nullptr;
    QTimer *m_clipboardTimer = nullptr;

    QLabel *m_environment = nullptr;
    QLabel *m_expiryState = nullptr;
    QLabel *m_emptyState = nullptr;
    QLabel *m_countdown = nullptr;
    QPushButton *m_reauthorize = nullptr;
    QProgressBar *m_lifeBar = nullptr;
    QCheckBox *m_autoRenew = nullptr;
    QSpinBox *m_renewLead = nullptr;
    QWidget *m_details = nullptr;
    QFormLayout *m_form = nullptr;
    QLabel *m_tokenType = nullptr;
    QLineEdit *m_tokenValue = nullptr;
    QToolButton *m_revealToken = nullptr;
    QToolButton *m_copyToken = nullptr;
    QLabel *m_clipboardNote = nullptr;
    RefreshTokenStatus *m_refreshToken = nullptr;
    IntrospectionPanel *m_introspection = nullptr;
    QLabel *m_formatBadge = nullptr;
    QLabel *m_tokenFormat = nullptr;
    QLabel *m_certificateBinding = nullptr;
    QLabel *m_grantedScopes = nullptr;
    QLabel *m_issuedAtLabel = nullptr;
    QLabel *m_issuedAt = nullptr;
    QLabel *m_expiresAt = nullptr;
    QLabel *m_notBefore = nullptr;
    QWidget *m_extraSection = nullptr;
    QTableWidget *m_extraFields = nullptr;
    QToolButton *m_copyClaims = nullptr;
    QLabel *m_claimsNote = nullptr;
    ClaimsView *m_claimsView = nullptr;
    QSpacerItem *m_claimsSpacer = nullptr;
};
