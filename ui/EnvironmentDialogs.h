#pragma once

#include "workspace/Environment.h"

#include <QList>
#include <QObject>
#include <QStringList>

class Authorizer;
class EnvironmentListModel;
class SecretStore;
class QWidget;
struct SavedRequest;

// The environment list's New, Duplicate, Edit and Delete: each opens its window-modal dialog on
// the window and, once the user says OK, changes the workspace (and the keychain, the session's
// token) accordingly. The window selects what they added and shows what they say.
class EnvironmentDialogs : public QObject
{
    Q_OBJECT

public:
    EnvironmentDialogs(EnvironmentListModel *environments, Authorizer *authorizer, SecretStore *secrets, QWidget *window);

    void create();
    void duplicate(const Environment &source);
    void edit(const Environment &environment);
    void remove(const Environment &environment);

Q_SIGNALS:
    // A new environment at this row of the list (created or duplicated).
    void added(int row);
    // An edit was applied to the workspace.
    void edited();
    void message(const QString &text, int timeoutMs);

private:
    // The values an API template asks for, then the editor.
    void createFromTemplate(const QString &templateId, const QString &name, Tier tier, const QStringList &names);
    // The editor on a new environment; on OK it is added, with the requests that came with it.
    void editNew(const Environment &environment, const QStringList &names, const QList<SavedRequest> &requests);
    QStringList namesExcept(const QString &environmentId = {}) const;

    EnvironmentListModel *m_environments;
    Authorizer *m_authorizer;
    SecretStore *m_secrets;
    QWidget *m_window;
};
