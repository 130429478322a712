#pragma once

#include <QUrl>
#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;

// The authorization code grant waiting for the person in the browser: "Waiting for the
// browser…", the authorization URL (selectable, with Copy and Open Again, for when the browser
// did not come up or is another machine's), and Cancel. Opening goes through an opener the
// caller may replace, so tests capture the URL instead of starting a browser.
class BrowserWaitPanel : public QWidget
{
    Q_OBJECT

public:
    using UrlOpener = std::function<bool(const QUrl &)>;

    explicit BrowserWaitPanel(QWidget *parent = nullptr);

    void setUrlOpener(UrlOpener opener) { m_opener = std::move(opener); }
    // Shows the URL and opens it once.
    void start(const QUrl &url);
    QUrl url() const { return m_url; }

Q_SIGNALS:
    void cancelRequested();

private:
    void open();

    UrlOpener m_opener;
    QUrl m_url;
    QLabel *m_status = nullptr;
    QLineEdit *m_urlField = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_openAgain = nullptr;
    QPushButton *m_cancel = nullptr;
};
