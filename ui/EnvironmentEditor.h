#pragma once

#include "EnvironmentSecrets.h"
#include "workspace/Environment.h"

#include <QDialog>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

class EnvironmentNetworkPage;
class EnvironmentPage;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class ProxyPolicy;
class QTabWidget;
class SecretStore;

// Edits every field of one Environment: the name and tier above, one EnvironmentPage per concern
// in the tabs (Connection, Credentials, Scopes & parameters, Headers & variables, Endpoints,
// Network). This dialog
// coordinates them: it loads and collects the pages, validates page by page, and saves the
// secrets. Secrets (client secret, password, secret token parameters, …) never pass through the
// Environment: what the user types goes to the keychain when OK is pressed, and the dialog closes
// only once the keychain has answered. Nothing here waits: keychain reads and writes report back
// through callbacks (EnvironmentSecrets).
class EnvironmentEditor : public QDialog
{
    Q_OBJECT

public:
    EnvironmentEditor(SecretStore *secrets, const QString &workspaceId, QWidget *parent = nullptr);
    ~EnvironmentEditor() override;

    // Fills the form and starts keychain reads that show whether each secret is stored. A new
    // environment (empty id) gets an id here: its secrets need a key before the caller saves it.
    void setEnvironment(const Environment &environment);
    // What the form says now. Never holds a secret: secret parameters have empty values.
    Environment environment() const;

    // The other environments' names, for the duplicate-name check (case-insensitive).
    void setExistingNames(const QStringList &names);

    // Whether the form may be saved; the OK button is enabled exactly when this is true.
    bool isValid() const;
    // The first reason the form cannot be saved, empty when it can.
    QString firstProblem() const;
    // True from OK until the keychain has answered every write.
    bool isSaving() const { return m_saving; }
    // Whether the last OK wrote or removed a secret in the keychain (a token made with the old
    // one may no longer be what the profile would get).
    bool secretsChanged() const { return m_secretsChanged; }
    QString workspaceId() const { return m_workspaceId; }

    void accept() override;
    void reject() override;

Q_SIGNALS:
    // One line for a status bar whenever a secret's keychain status changes (a read or a write
    // answered), naming the secret: "Client secret: stored in the system keychain".
    void secretStatusChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void addPage(EnvironmentPage *page, const QString &title);
    void updateTierNote();
    void validate();
    void applyTones();
    void refreshSecrets();
    void onSecretStatusChanged(const QString &name);
    void finishSave(const QStringList &errors);
    void setFormEnabled(bool enabled);
    // The proxy decision discovery takes: the form's proxy, with its password typed or stored.
    void discoveryProxy(const std::function<void(const ProxyPolicy &)> &done) const;

    QString m_workspaceId;
    SecretStore *m_store;
    EnvironmentSecrets *m_secrets;
    Environment m_original;
    QStringList m_existingNames;
    bool m_saving = false;
    bool m_secretsChanged = false;
    bool m_loading = false;  // set while the form is filled, so page signals do not count as edits
    QStringList m_problems;  // "Tab: what is wrong", first one shown

    QLineEdit *m_name = nullptr;
    QLabel *m_nameMessage = nullptr;
    QComboBox *m_tier = nullptr;
    QLabel *m_productionNote = nullptr;
    QTabWidget *m_tabs = nullptr;
    QList<EnvironmentPage *> m_pages;
    EnvironmentNetworkPage *m_network = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_saveStatus = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
