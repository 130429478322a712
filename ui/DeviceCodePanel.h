#pragma once

#include <QDateTime>
#include <QUrl>
#include <QWidget>

#include <functional>

class Clock;
class QFormLayout;
class QLabel;
class QPushButton;
class QTimer;

// The device grant waiting for the person (RFC 8628 §3.3): the user code, large and selectable,
// the verification URL (and the complete one with the code in it) with Copy and Open, how long
// the code stays valid, and Cancel. The grant polls by itself; this only shows what to do.
class DeviceCodePanel : public QWidget
{
    Q_OBJECT

public:
    using UrlOpener = std::function<bool(const QUrl &)>;

    explicit DeviceCodePanel(const Clock *clock, QWidget *parent = nullptr);

    void setUrlOpener(UrlOpener opener) { m_opener = std::move(opener); }
    void start(const QString &userCode, const QUrl &verificationUrl, const QUrl &completeUrl, const QDateTime &expiresAt);
    void stop();
    // "Expires in 4:59", "The code has expired", or empty when the server gave no lifetime.
    QString expiryText() const;

Q_SIGNALS:
    void cancelRequested();

private:
    void updateExpiry();
    QUrl openTarget() const;

    const Clock *m_clock;
    UrlOpener m_opener;
    QUrl m_url;
    QUrl m_completeUrl;
    QDateTime m_expiresAt;
    QFormLayout *m_form = nullptr;
    QLabel *m_code = nullptr;
    QLabel *m_urlLabel = nullptr;
    QLabel *m_completeLabel = nullptr;
    QLabel *m_expiry = nullptr;
    QPushButton *m_copyCode = nullptr;
    QPushButton *m_copyUrl = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_cancel = nullptr;
    QTimer *m_tick = nullptr;
};
