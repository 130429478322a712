#pragma once

#include <QObject>
#include <QString>

class Authorizer;
class ComposerView;
class EnvironmentListModel;
class QWidget;

// What leaves a composer for somewhere that keeps it: the clipboard as a curl command, the
// workspace as a saved request. Both are refused, with the reason, while the request holds a
// credential — unless the user picked the variant that copies the real token on purpose.
class RequestExport : public QObject
{
    Q_OBJECT

public:
    RequestExport(EnvironmentListModel *environments, Authorizer *authorizer, QWidget *window);

    // withToken: the real credentials in the command; revealText names that menu item for the refusal.
    void copyAsCurl(ComposerView *composer, bool withToken, const QString &revealText);
    // Asks for a name (the one it was saved under, if any), then saves it in the workspace.
    void save(ComposerView *composer, const QString &environmentId);

Q_SIGNALS:
    void message(const QString &text, int timeoutMs);

private:
    // Says, in a message box and the status bar, why a request was not saved or copied.
    void refuse(const QString &text, const QString &why, const QString &statusLine);

    EnvironmentListModel *m_environments;
    Authorizer *m_authorizer;
    QWidget *m_window;
};
